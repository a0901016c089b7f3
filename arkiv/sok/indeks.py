"""Søkeindeksen (Whoosh): avledede data som alltid kan bygges på nytt fra arkivet.

Hvert dokument i indeksen er én versjon av ett arkivobjekt (`art` og `objekt_id`), med
feltet `tilgang` som sier hvem som kan finne det. Et søk filtrerer alltid på brukerens
tilgangsgrupper, så innhold uten tilgang aldri når treff, utdrag eller fasettantall.

Motoren har bare feltene den trenger selv (`MOTORFELT`: id, art, objekt, objekt_id, versjon,
gjeldende, tittel, tekst, tekst_delord, tekst_foldet, dato, tilgang og merke). Kalleren legger
til sine med en `Skjemadefinisjon`: hvilke som lagres og kommer tilbake i `Treff.felt`,
hvilke som telles som fasetter (og kan filtreres på), og hvilke som kan søkes med `felt:verdi`.

Her står dokumentene og `Sokeindeks` (åpning, status, generasjoner og skriving under lås);
skjemaet er `skjema.py`, selve søket `soking.py`, skriverne `skriving.py` og grensene for hva
et søk får koste `budsjett.py` og `kjorer.py`.


Modulen er over 400 linjer fordi generasjonene, låsen og byttet mellom dem må leses
sammen for å se at en lagring aldri venter på en gjenoppbygging."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index, query

from arkiv.sok import soking
from arkiv.sok.analyse import Leksikon
from arkiv.sok.skjema import MOTORFELT, Felt, Skjemadefinisjon, lag_skjema
from arkiv.sok.skriving import (
    DELINDEKSER,
    SEGMENTER_FOR_VEDLIKEHOLD,
    IndeksFeil,
    MaBygges,
    Skriver,
    apne,
    er_last,
    fillas,
    lager,
)

__all__ = [
    "MOTORFELT",
    "Felt",
    "IndeksFeil",
    "Indeksdokument",
    "MaBygges",
    "Resultat",
    "Skjemadefinisjon",
    "Sokeindeks",
    "Treff",
    "lag_skjema",
    "tolk",
]
Treff, Resultat, tolk = soking.Treff, soking.Resultat, soking.tolk

LAS_VENTETID = 60.0  # leses ved hvert kall, så tester kan sette den ned
FORELDET = "FORELDET"
SKRIVELAS = "SKRIVELAS"  # all skriving til den aktive generasjonen, og byttet av generasjon
BYGGELAS = "BYGGELAS"  # én gjenoppbygging om gangen
DELVIS_GEN = "delvis-gen-"  # en generasjon som bygges (eller ble avbrutt)
SLETT = "slett-"  # en rest som skal slettes (se `rydd_rester`)


@dataclass
class Indeksdokument:
    """Det som indekseres for én versjon. `felt` har verdiene for kallerens felt (se
    `Skjemadefinisjon`); et felt som mangler eller er None, får ingen verdi. `ordkilde`: nye
    ord i teksten kan legges i ordlisten for sammensatte ord (som lagres i indeksens skjema).

    Teksten kan hentes først når den trengs: `hent_tekst` (kalles høyst én gang) med
    `tekstnokkel`, en verdi som bare endres når teksten endres (for eksempel versjonens id).
    Da kan skriveren se om dokumentet er endret uten å hente teksten."""

    id: str
    art: str
    objekt_id: int
    versjon: int
    gjeldende: bool
    tittel: str
    tekst: str
    dato: datetime
    felt: dict[str, Any] = field(default_factory=dict)
    tilgang: tuple[str, ...] = ("ansatte",)
    ordkilde: bool = True
    hent_tekst: Callable[[], str] | None = field(default=None, repr=False)
    tekstnokkel: str = ""

    def tekstinnhold(self) -> str:
        if self.hent_tekst is not None:
            self.tekst, self.hent_tekst = self.hent_tekst(), None
        return self.tekst

    def merke(self) -> str:
        """Et fingeravtrykk av alt som indekseres: endres det, skrives dokumentet på nytt."""
        tekst = self.tekstnokkel or hashlib.sha1(self.tekstinnhold().encode()).hexdigest()
        data = [
            self.art,
            self.objekt_id,
            self.versjon,
            self.gjeldende,
            self.tittel,
            self.dato.isoformat(),
            sorted(self.felt.items()),
            list(self.tilgang),
            tekst,
        ]
        return hashlib.sha1(json.dumps(data, default=str).encode()).hexdigest()[:24]

    def indeksfelt(self, merke: str | None = None) -> dict[str, Any]:
        """Alle feltene slik Whoosh får dem."""
        tekst = self.tekstinnhold()
        return {
            **self.felt,
            "id": self.id,
            "art": self.art,
            "objekt": f"{self.art}:{self.objekt_id}",
            "objekt_id": self.objekt_id,
            "versjon": self.versjon,
            "gjeldende": self.gjeldende,
            "tittel": self.tittel,
            "tekst": tekst,
            "tekst_delord": tekst,
            "tekst_foldet": tekst,
            "dato": self.dato.replace(tzinfo=None),
            "tilgang": ",".join(self.tilgang),
            "merke": f"{self.id}|{merke or self.merke()}",
        }


class Sokeindeks:
    """To Whoosh-indekser: `alle` (alle versjoner) og `gjeldende` (bare gjeldende versjon av
    hvert objekt). Standardsøket («bare gjeldende») leser den lille indeksen uten filter på
    versjon, og er derfor like raskt med 100 000 versjoner i arkivet.

    Begge ligger i en generasjonsmappe som lenken `aktiv` peker på. Gjenoppbygging skriver en
    ny generasjon uten å sperre for andre skrivere, og bytter lenken atomisk under skrivelåsen
    (`SKRIVELAS`), etter å ha tatt inn endringene som kom underveis. Søk ser enten den gamle
    eller den nye generasjonen. All skriving til den aktive generasjonen går under skrivelåsen,
    så flere prosesser kan skrive uten LockError og uten tapte oppdateringer.

    `definisjon` er kallerens felt. Er indeksen på disk bygd med andre felt (eller et eldre
    format), merkes den foreldet; søk virker fortsatt, men den kan ikke skrives til før den er
    bygd på nytt. Med `opprett_ved_behov=False` lager skriving aldri en ny, tom indeks der den
    mangler (`IndeksFeil`): en slettet indeks skal bygges på nytt fra arkivet, ikke erstattes
    av en med bare det siste objektet.
    """

    def __init__(
        self, mappe: Path, definisjon: Skjemadefinisjon, opprett_ved_behov: bool = True
    ) -> None:
        self.mappe = Path(mappe)
        self.definisjon = definisjon
        self.opprett_ved_behov = opprett_ved_behov
        self._delvise: dict[Path, int] = {}  # generasjoner denne prosessen bygger: låsen
        self._lokal = threading.local()  # søkere per tråd: Whoosh-søkere deles ikke
        self._alle_sokere: list[soking.Soker] = []  # alle tråders, for `lukk_alle`
        self._sokerlas = threading.Lock()

    # --- åpning og status --------------------------------------------------------------

    @property
    def _aktiv(self) -> Path:
        return self.mappe / "aktiv"

    def finnes(self) -> bool:
        return all(index.exists_in(str(self._aktiv / navn)) for navn in DELINDEKSER)

    def opprett_tom(self) -> None:
        """Lag en tom indeks om ingen finnes (en ny installasjon uten noe å indeksere)."""
        with self.skrivelas(LAS_VENTETID):
            if not self.finnes():
                self._aktiver(self._ny_generasjon(None))

    def avvik(self) -> list[str]:
        """Feltene den aktive indeksen mangler eller har med en annen type enn definisjonen
        (og motoren) sier; tom når den stemmer eller ikke finnes."""
        if not self.finnes():
            return []
        try:
            skjema = apne(self._aktiv / "gjeldende").schema
        except (OSError, index.EmptyIndexError):
            return []
        return self.definisjon.avvik(skjema)

    def bygges(self) -> bool:
        """Bygger en prosess indeksen på nytt akkurat nå?"""
        return er_last(self.mappe / BYGGELAS)

    def antall_gjeldende(self) -> dict[str, int]:
        """Levende dokumenter per art i `gjeldende` (for å se om indeksen hører til arkivet)."""
        if not self.finnes():
            return {}
        with apne(self._aktiv / "gjeldende").searcher() as s:
            arter = [a.decode() if isinstance(a, bytes) else a for a in s.lexicon("art")]
            antall = {a: sum(1 for _ in s.docs_for_query(query.Term("art", a))) for a in arter}
        return {a: n for a, n in antall.items() if n}

    def merk_foreldet(self, grunn: str, tidspunkt: float | None = None) -> None:
        """Merk indeksen foreldet. En reindeksering som starter etter `tidspunkt` (nå om ikke
        annet er gitt), fjerner merket."""
        self.mappe.mkdir(parents=True, exist_ok=True)
        tidspunkt = time.time() if tidspunkt is None else tidspunkt
        (self.mappe / FORELDET).write_text(f"{tidspunkt}\n{grunn}\n", encoding="utf-8")

    def foreldet(self) -> str | None:
        """Grunnen til at indeksen er merket foreldet, eller None."""
        try:
            return (self.mappe / FORELDET).read_text(encoding="utf-8").split("\n", 1)[1].strip()
        except (FileNotFoundError, IndexError):
            pass
        if any(self.mappe.glob("_MAIN_*.toc")):
            return "Indeksen har et eldre format (én indeks for alle versjoner)."
        return None

    # --- skriving ----------------------------------------------------------------------

    def skrivelas(self, ventetid: float) -> Any:
        """Skrivelåsen (flock, på tvers av prosesser); `IndeksFeil` etter `ventetid` s."""
        return fillas(
            self.mappe / SKRIVELAS, ventetid, f"Indeksen var låst i mer enn {ventetid:g} s."
        )

    def _ny_generasjon(self, leksikon: Leksikon | None) -> Path:
        """En ny generasjon bygges i `delvis-gen-*` (låst med flock mens den bygges) og får
        navnet `gen-*` av `_aktiver`; en avbrutt bygging etterlater bare en `delvis-gen-*`."""
        self.mappe.mkdir(parents=True, exist_ok=True)
        mappe = Path(tempfile.mkdtemp(prefix=DELVIS_GEN, dir=self.mappe))
        las = os.open(mappe / ".las", os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(las, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._delvise[mappe] = las
        for navn in DELINDEKSER:
            (mappe / navn).mkdir()
            lager(mappe / navn).create_index(lag_skjema(self.definisjon, leksikon))
        return mappe

    def _forkast_generasjon(self, generasjon: Path) -> None:
        shutil.rmtree(generasjon, ignore_errors=True)
        if (las := self._delvise.pop(generasjon, None)) is not None:
            os.close(las)

    def _aktiver(self, generasjon: Path) -> None:
        """Gi den ferdige generasjonen navnet `gen-*`, pek `aktiv` på den (atomisk) og fjern
        de andre generasjonene."""
        las = self._delvise.pop(generasjon, None)
        if generasjon.name.startswith(DELVIS_GEN):
            ferdig = generasjon.with_name(generasjon.name.removeprefix("delvis-"))
            (generasjon / ".las").unlink(missing_ok=True)
            generasjon.rename(ferdig)
            generasjon = ferdig
        if las is not None:
            os.close(las)
        lenke = self.mappe / f".aktiv-{os.getpid()}"
        lenke.unlink(missing_ok=True)
        lenke.symlink_to(generasjon.name)
        os.replace(lenke, self._aktiv)
        for gammel in self.mappe.iterdir():
            if gammel.name.startswith("gen-") and gammel != generasjon:
                shutil.rmtree(gammel, ignore_errors=True)
        for gammel in self.mappe.glob("_MAIN_*"):  # eldre format med én indeks i roten
            gammel.unlink(missing_ok=True)

    def rydd_rester(self) -> list[str]:
        """Fjern generasjoner fra tidligere kjøringer: `gen-*` som `aktiv` ikke peker på, og
        `delvis-gen-*` som ingen bygger på nå (ikke låst). Gir navnene som ble fjernet.

        Utvalget gjøres under skrivelåsen (`_aktiver` gir navn og bytter lenken under den), og
        restene får et `slett-`-navn der; selve slettingen skjer etter at låsen er sluppet, så
        ingen lagring venter på den."""
        if not self.mappe.is_dir():
            return []
        fjernet, slett = [], []
        with self.skrivelas(LAS_VENTETID):
            try:
                aktiv = os.readlink(self._aktiv)
            except OSError:
                aktiv = None
            for mappe in sorted(self.mappe.iterdir()):
                if mappe.name == aktiv or mappe in self._delvise or not mappe.is_dir():
                    continue
                if mappe.name.startswith(SLETT):
                    slett.append(mappe)
                elif mappe.name.startswith("gen-") or (
                    mappe.name.startswith(DELVIS_GEN) and not er_last(mappe / ".las")
                ):
                    slett.append(mappe.rename(self.mappe / f"{SLETT}{mappe.name}"))
                    fjernet.append(mappe.name)
        for mappe in slett:
            shutil.rmtree(mappe, ignore_errors=True)
        return fjernet

    @contextmanager
    def _skriver_i(self, generasjon: Path, limitmb: int = 32) -> Iterator[Skriver]:
        skriver = Skriver(
            *(apne(generasjon / n).writer(limitmb=limitmb) for n in DELINDEKSER),
            self.definisjon,
        )
        try:
            yield skriver
        except BaseException:
            skriver.avbryt()
            raise

    @contextmanager
    def skriver(self, ventetid: float | None = None) -> Iterator[Skriver]:
        """En `Skriver` for den aktive generasjonen under skrivelåsen; alt committes til
        slutt, eller ingenting. `ventetid` på låsen er `LAS_VENTETID` om ikke annet er gitt.
        `IndeksFeil` når indeksen mangler (og ikke skal lages) eller har andre felt."""
        with self.skrivelas(LAS_VENTETID if ventetid is None else ventetid):
            if not self.finnes():
                if not self.opprett_ved_behov:
                    raise MaBygges("Søkeindeksen mangler og må bygges på nytt.")
                self._aktiver(self._ny_generasjon(None))
            with self._skriver_i(self._aktiv) as skriver:
                avvik = skriver.avvik()
                if avvik:
                    raise MaBygges(
                        f"Indeksen er bygd med andre felt enn nå ({', '.join(avvik)}) og må "
                        "bygges på nytt."
                    )
                yield skriver
                if skriver.skrevet or skriver.fjernet:
                    skriver.commit()
                else:  # ingenting endret: ingen ny indeksgenerasjon på disk
                    skriver.avbryt()

    def sla_sammen(self, minst: int = SEGMENTER_FOR_VEDLIKEHOLD, ventetid: float = 1.0) -> int:
        """Slå sammen de små segmentene i den aktive generasjonen når hver delindeks har
        `minst` (for vedlikeholdet, så lagringene slipper). Gir antall delindekser som ble
        slått sammen; 0 når låsen er opptatt eller indeksen mangler."""
        try:
            with self.skrivelas(ventetid):
                if not self.finnes():
                    return 0
                slatt = 0
                for navn in DELINDEKSER:
                    w = apne(self._aktiv / navn).writer()
                    if len(w.segments) >= minst:
                        w.commit(merge=True)
                        slatt += 1
                    else:
                        w.cancel()
                return slatt
        except IndeksFeil:
            return 0

    def erstatt_objekt(
        self, art: str, objekt_id: int, hent: Callable[[], Iterable[Indeksdokument]]
    ) -> None:
        """Gjør objektets dokumenter like det `hent` gir. `hent` kalles etter at skrivelåsen
        er tatt, så det som skrives alltid er databasens nyeste tilstand."""
        with self.skriver() as skriver:
            skriver.synkroniser(art, objekt_id, hent())

    def bygg_pa_nytt(
        self,
        dokumenter: Iterable[Indeksdokument],
        fremdrift: Callable[[int], None] | None = None,
        leksikon: Leksikon | None = None,
        innhent: Callable[[Skriver], None] | None = None,
    ) -> int:
        """Bygg en ny generasjon fra `dokumenter` med `leksikon` for delordfeltet, og bytt til
        den. Byggingen holder ikke skrivelåsen, så andre skriver til den gamle generasjonen
        imens; under låsen kalles `innhent(skriver)` for den nye (endringene som kom
        underveis) før lenken byttes. Returnerer antall dokumenter."""
        startet = time.time()
        antall = 0
        with fillas(self.mappe / BYGGELAS, 0, "Indeksen bygges allerede på nytt."):
            self.rydd_rester()  # en avbrutt bygging kan ha lagt igjen en hel generasjon
            generasjon = self._ny_generasjon(leksikon)
            try:
                with self._skriver_i(generasjon, limitmb=128) as skriver:
                    for dok in dokumenter:
                        skriver.legg_til(dok)
                        antall += 1
                        if fremdrift:
                            fremdrift(1)
                    skriver.commit()
                with self.skrivelas(LAS_VENTETID):
                    if innhent is not None:
                        with self._skriver_i(generasjon) as skriver:
                            innhent(skriver)
                            skriver.commit()
                    self._aktiver(generasjon)
            except BaseException:
                self._forkast_generasjon(generasjon)
                raise
        self._fjern_foreldet_eldre_enn(startet)
        return antall

    def _fjern_foreldet_eldre_enn(self, tidspunkt: float) -> None:
        fil = self.mappe / FORELDET
        try:
            merket = float(fil.read_text(encoding="utf-8").split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return
        if merket < tidspunkt:
            fil.unlink(missing_ok=True)

    # --- søk ---------------------------------------------------------------------------

    def _soker(self, navn: str) -> soking.Soker:
        """Trådens søker for delindeksen, fornyet hvis indeksen er endret siden sist."""
        sokere = self._lokal.__dict__.setdefault("sokere", {})
        generasjon = os.readlink(self._aktiv)
        gammel = sokere.get(navn)
        if gammel is not None and gammel.generasjon == generasjon and gammel.er_nyeste():
            return gammel
        if gammel is not None:
            gammel.searcher.close()
        # Ikke Searcher.refresh(): den gjenbruker segmentlesere med gamle slettemerker.
        ix = apne(self.mappe / generasjon / navn)
        buffere = self._lokal.__dict__.setdefault("segmentbuffere", {})
        buffer = buffere.get((generasjon, navn))
        if buffer is None:  # ny generasjon (reindeksering): de gamle segmentene er borte
            if gammel is not None:
                buffere.pop((gammel.generasjon, navn), None)
            buffer = buffere[(generasjon, navn)] = soking.Segmentbuffer()
        soker = sokere[navn] = soking.Soker.apne(ix, generasjon, buffer)
        with self._sokerlas:
            self._alle_sokere = [s for s in self._alle_sokere if not s.searcher.is_closed]
            self._alle_sokere.append(soker)
        soker.avvik = self.definisjon.avvik(soker.searcher.schema)
        if soker.avvik and self.foreldet() is None:
            # Tidspunktet er generasjonens, så en reindeksering som starter etter at den ble
            # bygd, fjerner merket (også om et søk i den gamle generasjonen merker underveis).
            try:
                bygd = (self.mappe / generasjon).stat().st_mtime
            except FileNotFoundError:  # allerede erstattet av en ny generasjon
                return soker
            grunn = f"Indeksen er bygd med andre felt enn nå ({', '.join(soker.avvik)})"
            self.merk_foreldet(grunn, tidspunkt=bygd)
        return soker

    def sok(
        self,
        sporring: str,
        tilgang: Iterable[str],
        filtre: dict[str, str] | None = None,
        bare_gjeldende: bool = True,
        sorter_dato: bool = False,
        side: int = 1,
        per_side: int = 20,
        minnedokumenter: Iterable[Indeksdokument] = (),
        minnetilgang: Iterable[str] | None = None,
    ) -> Resultat:
        """Søk med rangering «eksakt først»: treff på ordene selv (bøyd) kommer foran treff
        bare via et ledd i et sammensatt ord. Totalt og fasetter telles over alle treff.

        `minnedokumenter` søkes i tillegg, i en indeks i minnet (aldri på disk), med samme
        analyse, samme ordliste for sammensatte ord og samme idf som indeksen, og flettes inn
        i treffene, totalt og fasettene (se `soking.py`). `minnetilgang` er gruppene som gjelder
        for dem (standard: `tilgang`); `tilgang` gjelder da bare indeksen."""
        tilgang = sorted(set(tilgang))
        minnetilgang = tilgang if minnetilgang is None else sorted(set(minnetilgang))
        hoved = None
        if self.finnes():
            hoved = self._soker("gjeldende" if bare_gjeldende else "alle")
        skjema = hoved.searcher.schema if hoved else lag_skjema(self.definisjon)
        return soking.sok(
            hoved,
            skjema,
            self.definisjon,
            soking.Sporsmal(sporring, tilgang, filtre or {}, sorter_dato),
            side,
            per_side,
            [d for d in minnedokumenter if d.gjeldende or not bare_gjeldende],
            minnetilgang,
        )

    def lukk(self) -> None:
        """Lukk denne trådens søkere (andre tråders lukkes når tråden avsluttes)."""
        for soker in self._lokal.__dict__.pop("sokere", {}).values():
            soker.searcher.close()

    def lukk_alle(self) -> None:
        """Lukk alle tråders søkere (når ingen søker lenger, f.eks. når tjenestene lukkes)."""
        with self._sokerlas:
            for soker in self._alle_sokere:
                soker.searcher.close()
            self._alle_sokere.clear()
