"""Søkeindeksen (Whoosh): avledede data som alltid kan bygges på nytt fra arkivet.

Hvert dokument i indeksen er én versjon av ett arkivobjekt (`art` og `objekt_id`), med
feltet `tilgang` som sier hvem som kan finne det. Et søk filtrerer alltid på brukerens
tilgangsgrupper, så innhold uten tilgang aldri når treff, utdrag eller fasettantall.

Motoren har bare feltene den trenger selv (`MOTORFELT`: id, art, objekt, objekt_id, versjon,
gjeldende, tittel, tekst, tekst_delord, dato og tilgang). Kalleren legger til sine med en
`Skjemadefinisjon`: hvilke som lagres og kommer tilbake i `Treff.felt`, hvilke som telles
som fasetter (og kan filtreres på), og hvilke som kan søkes med `felt:verdi`.

Modulen er lang (over 400 linjer) fordi skriving under lås, generasjoner og søk deler de samme
indre detaljene om hvordan Whoosh-indeksen ligger på disk; analysen, rangeringen (`vektor.py`)
og utdragene (`utdrag.py`) står for seg.
"""

from __future__ import annotations

import fcntl
import os
import re
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

import numpy as np
from whoosh import fields, index, query
from whoosh.filedb.filestore import FileStorage

from arkiv.sok.analyse import (
    Leksikon,
    Metning,
    delord_analyse,
    host,
    lag_parser,
    norsk_analyse,
    uten_delord,
)
from arkiv.sok.utdrag import Uthever
from arkiv.sok.vektor import Segmentbuffer, Vektorsok, topp

MOTORENS_SOKBARE = ("tittel", "tekst", "versjon", "art")
LAS_VENTETID = 60.0  # leses ved hvert kall, så tester kan sette den ned
FORELDET = "FORELDET"
DELINDEKSER = ("alle", "gjeldende")
DELVIS_GEN = "delvis-gen-"  # en generasjon som bygges (eller ble avbrutt)
SEGMENTER_FOR_SAMMENSLAING = 8


class IndeksFeil(Exception):
    """Indeksen kunne ikke oppdateres; arkivet er uendret, og indeksen er merket foreldet."""


def _motorfelt(leksikon: Leksikon | None) -> dict[str, fields.FieldType]:
    return {
        "id": fields.ID(unique=True, stored=True),
        "art": fields.ID(stored=True),
        "objekt": fields.ID(stored=True),  # "avtale:12": alle versjoner av ett objekt
        "objekt_id": fields.NUMERIC(stored=True),
        "versjon": fields.NUMERIC(stored=True),
        "gjeldende": fields.BOOLEAN(stored=True),
        "tittel": fields.TEXT(analyzer=norsk_analyse(), stored=True, field_boost=2.0),
        "tekst": fields.TEXT(analyzer=norsk_analyse(), stored=True, chars=True),
        "tekst_delord": fields.TEXT(analyzer=delord_analyse(leksikon), phrase=False),
        "dato": fields.DATETIME(stored=True, sortable=True),
        "tilgang": fields.KEYWORD(stored=False, commas=True),
    }


MOTORFELT = frozenset(_motorfelt(None))
_FELTNAVN = re.compile(r"[A-Za-zæøåÆØÅ_]+")  # det `felt:verdi` i søketeksten kjenner igjen


@dataclass(frozen=True)
class Felt:
    """Et felt kalleren legger til i skjemaet: en eksakt verdi (Whoosh ID) eller et heltall.

    `lagret`: kommer tilbake i `Treff.felt`. `fasett`: antall per verdi i
    `Resultat.fasetter`, og kan brukes i `filtre`. `sokbar`: kan søkes med `felt:verdi`."""

    navn: str
    tall: bool = False
    lagret: bool = True
    fasett: bool = False
    sokbar: bool = True

    def whoosh(self) -> fields.FieldType:
        if self.tall:
            return fields.NUMERIC(stored=self.lagret, sortable=self.fasett)
        return fields.ID(stored=self.lagret, sortable=self.fasett)


class Skjemadefinisjon:
    """Kallerens felt i indeksen, i tillegg til motorens egne (`MOTORFELT`). Rekkefølgen er
    rekkefølgen fasettene kommer i."""

    def __init__(self, *felt: Felt) -> None:
        navn = [f.navn for f in felt]
        doble = sorted({n for n in navn if navn.count(n) > 1})
        if doble:
            raise ValueError(f"Felt definert mer enn én gang: {', '.join(doble)}")
        for f in felt:
            if f.navn in MOTORFELT:
                raise ValueError(f"Feltet {f.navn} hører til søkemotoren selv")
            if not _FELTNAVN.fullmatch(f.navn):
                raise ValueError(f"Ugyldig feltnavn: {f.navn!r}")
        self.felt = felt
        self.navn = frozenset(navn)
        self.lagrede = tuple(f.navn for f in felt if f.lagret)
        self.fasetter = tuple(f.navn for f in felt if f.fasett)
        self.sokbare = MOTORENS_SOKBARE + tuple(f.navn for f in felt if f.sokbar)
        self.tall = frozenset(f.navn for f in felt if f.tall)

    def __repr__(self) -> str:
        return f"Skjemadefinisjon{self.felt!r}"

    def avvik(self, skjema: fields.Schema) -> list[str]:
        """Feltene et eksisterende skjema mangler, eller har med en annen type eller uten
        kolonnen en fasett trenger (indeksen er bygd med en annen definisjon)."""
        return [
            navn
            for navn, ventet in lag_skjema(self).items()
            if navn not in skjema
            or type(skjema[navn]) is not type(ventet)
            or (ventet.column_type is not None and skjema[navn].column_type is None)
        ]


def lag_skjema(definisjon: Skjemadefinisjon, leksikon: Leksikon | None = None) -> fields.Schema:
    """Motorens felt (med `leksikon` for delordfeltet) og kallerens."""
    return fields.Schema(**_motorfelt(leksikon), **{f.navn: f.whoosh() for f in definisjon.felt})


@dataclass
class Indeksdokument:
    """Det som indekseres for én versjon. `felt` har verdiene for kallerens felt (se
    `Skjemadefinisjon`); et felt som mangler eller er None, får ingen verdi. `ordkilde`: nye
    ord i teksten kan legges i ordlisten for sammensatte ord (som lagres i indeksens skjema)."""

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

    def indeksfelt(self) -> dict[str, Any]:
        """Alle feltene slik Whoosh får dem."""
        return {
            **self.felt,
            "id": self.id,
            "art": self.art,
            "objekt": f"{self.art}:{self.objekt_id}",
            "objekt_id": self.objekt_id,
            "versjon": self.versjon,
            "gjeldende": self.gjeldende,
            "tittel": self.tittel,
            "tekst": self.tekst,
            "tekst_delord": self.tekst,
            "dato": self.dato.replace(tzinfo=None),
            "tilgang": ",".join(self.tilgang),
        }


@dataclass
class Treff:
    id: str
    art: str
    objekt_id: int
    versjon: int
    gjeldende: bool
    tittel: str
    dato: datetime
    utdrag: str  # HTML: teksten er escapet, treffordene i <mark>
    felt: dict[str, Any] = field(default_factory=dict)  # alle lagrede felt; None uten verdi


@dataclass
class Resultat:
    treff: list[Treff]
    totalt: int
    side: int
    sider: int
    fasetter: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    melding: str = ""
    tolket: str = ""


class Sokeindeks:
    """To Whoosh-indekser: `alle` (alle versjoner) og `gjeldende` (bare gjeldende versjon av
    hvert objekt). Standardsøket («bare gjeldende») leser den lille indeksen uten filter på
    versjon, og er derfor like raskt med 100 000 versjoner i arkivet.

    Begge ligger i en generasjonsmappe som lenken `aktiv` peker på. Gjenoppbygging skriver en
    ny generasjon og bytter lenken atomisk, så søk ser enten den gamle eller den nye indeksen.
    All skriving går under én fil-lås (`SKRIVELAS`), så flere prosesser kan skrive uten
    LockError og uten tapte oppdateringer.

    `definisjon` er kallerens felt. Er indeksen på disk bygd med andre felt, merkes den
    foreldet; søk virker fortsatt (uten de manglende fasettene), men nye dokumenter kan ikke
    skrives før den er bygd på nytt.
    """

    def __init__(self, mappe: Path, definisjon: Skjemadefinisjon) -> None:
        self.mappe = Path(mappe)
        self.definisjon = definisjon
        self._delvise: dict[Path, int] = {}  # generasjoner denne prosessen bygger: låsen
        self._lokal = threading.local()  # søkere per tråd: Whoosh-søkere deles ikke

    # --- åpning og status --------------------------------------------------------------

    @property
    def _aktiv(self) -> Path:
        return self.mappe / "aktiv"

    def finnes(self) -> bool:
        return all(index.exists_in(str(self._aktiv / navn)) for navn in DELINDEKSER)

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

    @contextmanager
    def _skrivelas(self, ventetid: float) -> Iterator[None]:
        self.mappe.mkdir(parents=True, exist_ok=True)
        with open(self.mappe / "SKRIVELAS", "a+b") as fil:
            frist = time.monotonic() + ventetid
            while True:
                try:
                    fcntl.flock(fil, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > frist:
                        raise IndeksFeil(f"Indeksen var låst i mer enn {ventetid:g} s.") from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(fil, fcntl.LOCK_UN)

    def _ny_generasjon(self, leksikon: Leksikon | None) -> Path:
        """En ny generasjon bygges i `delvis-gen-*` (låst med flock mens den bygges) og får
        navnet `gen-*` av `_aktiver`; en avbrutt bygging etterlater bare en `delvis-gen-*`."""
        mappe = Path(tempfile.mkdtemp(prefix=DELVIS_GEN, dir=self.mappe))
        las = os.open(mappe / ".las", os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(las, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._delvise[mappe] = las
        for navn in DELINDEKSER:
            (mappe / navn).mkdir()
            _lager(mappe / navn).create_index(lag_skjema(self.definisjon, leksikon))
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
        `delvis-gen-*` som ingen bygger på nå (ikke låst). Gir navnene som ble fjernet."""
        if not self.mappe.is_dir():
            return []
        try:
            aktiv = os.readlink(self._aktiv)
        except OSError:
            aktiv = None
        fjernet = []
        for mappe in sorted(self.mappe.iterdir()):
            if mappe.name == aktiv or mappe in self._delvise or not mappe.is_dir():
                continue
            if mappe.name.startswith("gen-") or (
                mappe.name.startswith(DELVIS_GEN) and not _last(mappe / ".las")
            ):
                shutil.rmtree(mappe, ignore_errors=True)
                fjernet.append(mappe.name)
        return fjernet

    @contextmanager
    def _skrivere(
        self, ventetid: float | None = None, rens: bool = False
    ) -> Iterator[tuple[Any, Any]]:
        """Skrivere for `alle` og `gjeldende` under skrivelåsen; begge committes, eller ingen.
        `ventetid` på låsen er `LAS_VENTETID` om ikke annet er gitt."""
        with self._skrivelas(LAS_VENTETID if ventetid is None else ventetid):
            if not self.finnes():
                self._aktiver(self._ny_generasjon(None))
            skrivere = [_apne(self._aktiv / n).writer() for n in DELINDEKSER]
            try:
                yield tuple(skrivere)  # type: ignore[misc]
            except BaseException:
                for w in skrivere:
                    w.cancel()
                raise
            # Feiler den andre commit-en, er delindeksene ulike til neste skriving av objektet
            # eller reindeksering; kalleren merker indeksen foreldet.
            for w in skrivere:
                # Små segmenter slås sammen først når det er mange av dem: da er de fleste
                # oppdateringer raske, og sammenslåingen (noen hundre ms) sjelden.
                # `rens`: alle segmenter skrives på nytt uten de slettede dokumentene, så
                # ingenting av dem står igjen i filene (sletting etter oppbevaringstiden).
                w.commit(merge=len(w.segments) >= SEGMENTER_FOR_SAMMENSLAING, optimize=rens)

    def erstatt_objekt(
        self, art: str, objekt_id: int, hent: Callable[[], Iterable[Indeksdokument]]
    ) -> None:
        """Bytt ut alle versjoner av ett objekt. `hent` kalles etter at skrivelåsen er tatt,
        så det som skrives alltid er databasens nyeste tilstand (ingen tapte oppdateringer)."""
        with self._skrivere() as (alle, gjeldende):
            avvik = sorted(
                {navn for w in (alle, gjeldende) for navn in self.definisjon.avvik(w.schema)}
            )
            if avvik:
                raise IndeksFeil(
                    f"Indeksen er bygd med andre felt enn nå ({', '.join(avvik)}) og må bygges"
                    " på nytt."
                )
            for w in (alle, gjeldende):
                w.delete_by_term("objekt", f"{art}:{objekt_id}")
            for dok in hent():
                if dok.ordkilde:  # ordlisten vokser med arkivet, ikke bare ved reindeksering
                    for w in (alle, gjeldende):
                        host(w.schema, dok.tekst)
                self._legg_til(alle, gjeldende, dok)

    def fjern_objekter(self, art: str, ider: Iterable[int], rens: bool = False) -> dict[int, int]:
        """Fjern alle versjoner av objektene; gir antall fjernede dokumenter per id. Med `rens`
        skrives indeksen om uten dem (tregere, men ingen rester i segmentfilene)."""
        if not self.finnes():
            return {}
        antall = {}
        with self._skrivere(rens=rens) as (alle, gjeldende):
            for objekt_id in ider:
                antall[objekt_id] = alle.delete_by_term("objekt", f"{art}:{objekt_id}")
                gjeldende.delete_by_term("objekt", f"{art}:{objekt_id}")
        return antall

    def bygg_pa_nytt(
        self,
        dokumenter: Iterable[Indeksdokument],
        fremdrift: Callable[[int], None] | None = None,
        leksikon: Leksikon | None = None,
    ) -> int:
        """Bygg en ny generasjon av indeksen fra `dokumenter` (lest mens skrivelåsen holdes),
        med `leksikon` for delordfeltet, og bytt til den. Returnerer antall dokumenter."""
        startet = time.time()
        antall = 0
        with self._skrivelas(ventetid=300):
            self.rydd_rester()  # en avbrutt bygging kan ha lagt igjen en hel generasjon
            generasjon = self._ny_generasjon(leksikon)
            try:
                skrivere = [_apne(generasjon / n).writer(limitmb=128) for n in DELINDEKSER]
                for dok in dokumenter:
                    self._legg_til(*skrivere, dok)
                    antall += 1
                    if fremdrift:
                        fremdrift(1)
                for w in skrivere:
                    w.commit()
            except BaseException:
                self._forkast_generasjon(generasjon)
                raise
            self._aktiver(generasjon)
        self._fjern_foreldet_eldre_enn(startet)
        return antall

    def _legg_til(self, alle: Any, gjeldende: Any, dok: Indeksdokument) -> None:
        ukjente = dok.felt.keys() - self.definisjon.navn
        if ukjente:
            raise ValueError(f"Felt som ikke er i skjemadefinisjonen: {', '.join(sorted(ukjente))}")
        felt = dok.indeksfelt()
        alle.add_document(**felt)
        if dok.gjeldende:
            gjeldende.add_document(**felt)

    def _fjern_foreldet_eldre_enn(self, tidspunkt: float) -> None:
        fil = self.mappe / FORELDET
        try:
            merket = float(fil.read_text(encoding="utf-8").split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return
        if merket < tidspunkt:
            fil.unlink(missing_ok=True)

    # --- søk ---------------------------------------------------------------------------

    def _soker(self, navn: str) -> _Soker:
        """Trådens søker for delindeksen, fornyet hvis indeksen er endret siden sist."""
        sokere = self._lokal.__dict__.setdefault("sokere", {})
        generasjon = os.readlink(self._aktiv)
        gammel = sokere.get(navn)
        if gammel is not None and gammel.generasjon == generasjon and gammel.er_nyeste():
            return gammel
        if gammel is not None:
            gammel.searcher.close()
        # Ikke Searcher.refresh(): den gjenbruker segmentlesere med gamle slettemerker.
        ix = _apne(self.mappe / generasjon / navn)
        buffere = self._lokal.__dict__.setdefault("segmentbuffere", {})
        buffer = buffere.get((generasjon, navn))
        if buffer is None:  # ny generasjon (reindeksering): de gamle segmentene er borte
            if gammel is not None:
                buffere.pop((gammel.generasjon, navn), None)
            buffer = buffere[(generasjon, navn)] = Segmentbuffer()
        soker = sokere[navn] = _Soker(ix.searcher(weighting=Metning()), generasjon, buffer)
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
    ) -> Resultat:
        """Søk med rangering «eksakt først»: treff på ordene selv (bøyd) kommer foran treff
        bare via et ledd i et sammensatt ord. Totalt og fasetter telles over alle treff."""
        tilgang = sorted(set(tilgang))
        if not tilgang or not self.finnes():
            return Resultat([], 0, 1, 0)
        soker = self._soker("gjeldende" if bare_gjeldende else "alle")
        s, v = soker.searcher, soker.vektor
        q, melding = tolk(sporring, s.schema, self.definisjon.sokbare)
        fasetter = self.definisjon.fasetter
        filtre = {f: v for f, v in (filtre or {}).items() if f in fasetter and v != ""}
        tillatt = soker.tillatt(tilgang, filtre, self.definisjon.tall)
        vurdert = v.vurder(q)
        treff = (vurdert[0] if vurdert is not None else v.maske(q)) & tillatt
        totalt = int(treff.sum())
        sider = max(1, -(-totalt // per_side))
        side = min(max(1, side), sider)
        antall = side * per_side
        if sorter_dato or isinstance(q, query.Every):
            ider = topp(v.dato(), treff, antall)
        elif vurdert is not None:
            # «Eksakt først»: treff uten delordfeltet får et forsprang foran alle andre.
            eksakt = v.vurder(uten_delord(q))
            forsprang = eksakt[0] * np.float32(1e6) if eksakt is not None else 0
            ider = topp(vurdert[1] + forsprang, treff, antall)
        else:  # fraser o.l.: Whooshs egen rangering
            ider = _eksakt_forst(s, q, set(np.flatnonzero(tillatt).tolist()), antall)
        uthever = Uthever(s.schema, q)
        return Resultat(
            treff=[
                _treff(s.stored_fields(d), uthever, self.definisjon.lagrede)
                for d in ider[(side - 1) * per_side :]
            ],
            totalt=totalt,
            side=side,
            sider=sider if totalt else 0,
            # Et felt indeksen mangler (bygd med en eldre definisjon), har ingen verdier.
            fasetter={f: [] if f in soker.avvik else v.tell(f, treff) for f in fasetter},
            melding=melding,
            tolket=str(q),
        )

    def lukk(self) -> None:
        """Lukk denne trådens søkere (andre tråders lukkes når tråden avsluttes)."""
        for soker in self._lokal.__dict__.pop("sokere", {}).values():
            soker.searcher.close()


class _Soker:
    """Én søker (én indeksgenerasjon) med det som kan gjenbrukes mellom søk: postlister,
    filtrene og fasettkolonnene (se vektor.py). `avvik`: kallerens felt indeksen ikke har
    slik definisjonen sier (se `Skjemadefinisjon.avvik`)."""

    def __init__(self, searcher: Any, generasjon: str, segmentbuffer: Segmentbuffer) -> None:
        self.searcher, self.generasjon = searcher, generasjon
        self.vektor = Vektorsok(searcher, searcher.weighting, segmentbuffer)
        self.avvik: list[str] = []
        self._filtre: dict[tuple, np.ndarray] = {}

    def er_nyeste(self) -> bool:
        return self.searcher.up_to_date()

    def tillatt(
        self, tilgang: list[str], filtre: dict[str, str], tall: frozenset[str]
    ) -> np.ndarray:
        """Dokumentene brukeren har tilgang til og som passer filtrene (`tall`: feltene som
        er heltall)."""
        nokkel = (tuple(tilgang), tuple(sorted(filtre.items())))
        if nokkel not in self._filtre:
            grenser: list[query.Query] = [query.Or([query.Term("tilgang", g) for g in tilgang])]
            grenser += [
                query.NullQuery if f in self.avvik else _filterledd(f, v, f in tall)
                for f, v in sorted(filtre.items())
            ]
            dokumenter = self.searcher.docs_for_query(query.And(grenser))
            self._filtre[nokkel] = self.vektor.maske_fra(dokumenter)
        return self._filtre[nokkel]


def _last(las: Path) -> bool:
    """Holder en annen prosess flock på `las`?"""
    try:
        fd = os.open(las, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _lager(mappe: Path) -> FileStorage:
    """Uten mmap: Whoosh kopierer da ikke hver delfil i segmentet inn i minnet når en leser
    åpnes (170 ms mot 1 ms på 100 000 versjoner), og søkene er like raske."""
    return FileStorage(str(mappe), supports_mmap=False)


def _apne(mappe: Path) -> index.Index:
    return _lager(mappe).open_index()


def _eksakt_forst(s: Any, q: query.Query, tillatt: set[int], antall: int) -> list[int]:
    """Whooshs vei for spørringer vektor.py ikke dekker: de `antall` beste dokumentnumrene,
    først de som treffer uten delordfeltet, så resten."""
    treff: list[Any] = []
    eksakt = uten_delord(q)
    if eksakt is not query.NullQuery and eksakt != q:
        treff = [*_topp(_resultater(s, eksakt, tillatt, antall))]
    if len(treff) < antall:
        sett = {h.docnum for h in treff}
        resten = _topp(_resultater(s, q, tillatt, antall + len(treff)))
        treff += [h for h in resten if h.docnum not in sett][: antall - len(treff)]
    return [h.docnum for h in treff]


def _topp(r: Any) -> list[Any]:
    """Treffene på siden. Ikke list(r): den spør om len(r), som teller alle treff på nytt."""
    return [r[i] for i in range(r.scored_length())]


def _resultater(s: Any, q: query.Query, tillatt: set[int], antall: int) -> Any:
    return s.search(q, limit=antall, filter=tillatt)


def _filterledd(felt: str, verdi: str, tall: bool) -> query.Query:
    if tall:
        return query.Term(felt, int(verdi)) if verdi.isdigit() else query.NullQuery
    return query.Term(felt, verdi)


def _treff(felt: dict[str, Any], uthever: Uthever, lagrede: tuple[str, ...]) -> Treff:
    return Treff(
        id=felt["id"],
        art=felt["art"],
        objekt_id=felt["objekt_id"],
        versjon=felt["versjon"],
        gjeldende=felt["gjeldende"],
        tittel=felt["tittel"],
        dato=felt["dato"],
        utdrag=uthever.utdrag(felt.get("tekst", "")),
        felt={navn: felt.get(navn) for navn in lagrede},
    )


_FELTPREFIKS = re.compile(r"(?<![\w\"])([A-Za-zæøåÆØÅ_]+):")


def tolk(
    sporring: str, skjema: fields.Schema, sokbare: Iterable[str] = MOTORENS_SOKBARE
) -> tuple[query.Query, str]:
    """Gjør søketeksten om til en Whoosh-spørring; `felt:verdi` er lov for feltene i
    `sokbare`. Ved syntaksfeil: best mulig søk + melding."""
    tekst = sporring.strip()[:500]
    if not tekst:
        return query.Every(), ""
    problemer = []
    if tekst.count('"') % 2:
        problemer.append("et anførselstegn mangler sin partner")
    if tekst.count("(") != tekst.count(")"):
        problemer.append("parentesene går ikke opp")
    sokbare = set(sokbare)
    ukjente = sorted({f for f in _FELTPREFIKS.findall(tekst) if f not in sokbare})
    if ukjente:
        problemer.append(f"ukjent felt {', '.join(ukjente)}")
    if re.search(r"\b(AND|OR|NOT)\s*$", tekst) or re.match(r"^\s*(AND|OR)\b", tekst):
        problemer.append("en AND/OR/NOT står uten noe å virke på")
    q = None if problemer else lag_parser(skjema).parse(tekst)
    if q is None or isinstance(q, type(query.NullQuery)):
        ord_ = re.findall(r"[\wæøåÆØÅ]+", re.sub(r"\b\w+:", " ", tekst))
        ord_ = [o for o in ord_ if o not in ("AND", "OR", "NOT", "TO")]
        q = lag_parser(skjema).parse(" OR ".join(ord_)) if ord_ else query.NullQuery
        grunn = "; ".join(problemer) or "spørringen kunne ikke tolkes"
        vises = " ".join(ord_) or "(ingen ord)"
        return q, f"Søket kunne ikke tolkes helt ({grunn}). Viser treff for ordene: {vises}."
    return q, ""
