"""Skriving til søkeindeksen: fil-låsene, generasjonsmappene og `Skriver`, som gjør ett objekts
dokumenter i indeksen like det kalleren vil ha, og bare skriver de som er nye eller endret.

Hvert dokument har et merke (se `Indeksdokument.merke`) i kolonnen `merke`: «id|hash» av alt
som indekseres, med tekstens identitet i stedet for teksten selv når kalleren kjenner den
(en avtaleversjons tekst endres aldri). `Skriver.synkroniser` leser merkene til objektets
dokumenter fra kolonnen (ikke de lagrede feltene med hele teksten), fjerner dem som ikke
lenger stemmer, og legger til de som mangler. En ny avtaleversjon gir derfor to nye
dokumenter i `alle` (den nye og den forrige, som ikke lenger er gjeldende) og ett i
`gjeldende`, uansett hvor mange versjoner avtalen har.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index
from whoosh.filedb.filestore import FileStorage, RamStorage

from arkiv.sok.analyse import host
from arkiv.sok.budsjett import sjekk_frist

if TYPE_CHECKING:
    from arkiv.sok.indeks import Indeksdokument, Skjemadefinisjon

DELINDEKSER = ("alle", "gjeldende")
# Små segmenter slås sammen av vedlikeholdet (`Sokeindeks.sla_sammen`), så en lagring bare
# skriver sitt eget segment; blir det likevel så mange som dette (ingen vedlikeholdstråd,
# som i en kommando som lagrer mye), slår lagringen dem sammen selv.
SEGMENTER_FOR_SAMMENSLAING = 24
SEGMENTER_FOR_VEDLIKEHOLD = 4


class IndeksFeil(Exception):
    """Indeksen kunne ikke oppdateres; arkivet er uendret (jobben står i journalen)."""


class MaBygges(IndeksFeil):
    """Indeksen mangler, eller er bygd med andre felt: den må bygges på nytt."""


def lager(mappe: Path) -> FileStorage:
    """Uten mmap: Whoosh kopierer da ikke hver delfil i segmentet inn i minnet når en leser
    åpnes (170 ms mot 1 ms på 100 000 versjoner), og søkene er like raske."""
    return FileStorage(str(mappe), supports_mmap=False)


def apne(mappe: Path) -> index.Index:
    return lager(mappe).open_index()


class Minnelager(RamStorage):
    """Whoosh i minnet, også de midlertidige filene skriveren lager (RamStorage legger dem
    ellers i /tmp): det som indekseres her, skal aldri ned på disk."""

    def temp_storage(self, name: str | None = None) -> RamStorage:
        return RamStorage()


@contextmanager
def fillas(fil: Path, ventetid: float, melding: str) -> Iterator[None]:
    """Eksklusiv flock på `fil`, ventet på i høyst `ventetid` sekunder (0: ikke vent);
    ellers `IndeksFeil(melding)`. Låsen slippes om prosessen dør."""
    fil.parent.mkdir(parents=True, exist_ok=True)
    with open(fil, "a+b") as f:
        frist = time.monotonic() + ventetid
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= frist:
                    raise IndeksFeil(melding) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def er_last(fil: Path) -> bool:
    """Holder en prosess (også denne) låsen på `fil` nå?"""
    if not fil.exists():
        return False
    with open(fil, "a+b") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


class Skriver:
    """Skriverne for `alle` og `gjeldende` i én generasjon (under skrivelåsen)."""

    def __init__(self, alle: Any, gjeldende: Any, definisjon: Skjemadefinisjon) -> None:
        self._w = {"alle": alle, "gjeldende": gjeldende}
        self._lesere: dict[str, Any] = {}
        self.definisjon = definisjon
        self.skrevet = 0  # dokumenter lagt til (i begge delindeksene)
        self.fjernet = 0

    def _leser(self, navn: str) -> Any:
        # Skriverens leser ser slettingene skriveren har gjort, men ikke det den har lagt til.
        if navn not in self._lesere:
            self._lesere[navn] = self._w[navn].reader()
        return self._lesere[navn]

    def merker(self, navn: str, objekt: str) -> dict[str, list[tuple[int, str]]]:
        """id -> [(dokumentnummer, merke)] for objektets levende dokumenter i delindeksen."""
        leser = self._leser(navn)
        if ("objekt", objekt) not in leser:
            return {}
        kolonne = leser.column_reader("merke")
        ut: dict[str, list[tuple[int, str]]] = {}
        for d in leser.postings("objekt", objekt).all_ids():
            if leser.is_deleted(d):
                continue
            id_, _, merke = str(kolonne[d]).partition("|")
            ut.setdefault(id_, []).append((d, merke))
        return ut

    def synkroniser(self, art: str, objekt_id: int, onsket: Iterable[Indeksdokument]) -> None:
        """Gjør objektets dokumenter like `onsket`: de som mangler eller har et annet merke,
        skrives (teksten hentes først da); de som ikke er ønsket, fjernes; resten står."""
        dokumenter = {d.id: d for d in onsket}
        for d in dokumenter.values():
            self._sjekk_felt(d)
        merker = {i: d.merke() for i, d in dokumenter.items()}
        for navn, w in self._w.items():
            vil = {i: m for i, m in merker.items() if navn == "alle" or dokumenter[i].gjeldende}
            har = self.merker(navn, f"{art}:{objekt_id}")
            for i, liste in har.items():
                if len(liste) != 1 or vil.get(i) != liste[0][1]:
                    for d, _ in liste:
                        w.delete_document(d)
                    self.fjernet += len(liste)
            for i, merke in vil.items():
                liste = har.get(i)
                if liste is None or len(liste) != 1 or liste[0][1] != merke:
                    sjekk_frist()
                    dok = dokumenter[i]
                    if dok.ordkilde:  # ordlisten vokser med arkivet, ikke bare ved reindeksering
                        host(w.schema, dok.tekstinnhold())
                    w.add_document(**dok.indeksfelt(merke))
                    self.skrevet += 1

    def legg_til(self, dok: Indeksdokument) -> None:
        """Et dokument i en ny generasjon (ingenting å sammenligne med)."""
        self._sjekk_felt(dok)
        felt = dok.indeksfelt(dok.merke())
        self._w["alle"].add_document(**felt)
        if dok.gjeldende:
            self._w["gjeldende"].add_document(**felt)
        self.skrevet += 1

    def _sjekk_felt(self, dok: Indeksdokument) -> None:
        ukjente = dok.felt.keys() - self.definisjon.navn
        if ukjente:
            raise ValueError(f"Felt som ikke er i skjemadefinisjonen: {', '.join(sorted(ukjente))}")

    def avvik(self) -> list[str]:
        return sorted({n for w in self._w.values() for n in self.definisjon.avvik(w.schema)})

    def commit(self) -> None:
        # Feiler den andre commit-en, er delindeksene ulike til jobben kjøres igjen (den står
        # i journalen til begge er skrevet).
        for w in self._w.values():
            # Sammenslåingen (noen hundre ms) gjøres av vedlikeholdet, ikke av lagringen.
            w.commit(merge=len(w.segments) >= SEGMENTER_FOR_SAMMENSLAING)

    def avbryt(self) -> None:
        for w in self._w.values():
            w.cancel()
