"""Søkeindeksen (Whoosh): avledede data som alltid kan bygges på nytt fra arkivet.

Hvert dokument i indeksen er én versjon av ett arkivobjekt (en avtale nå; avvik og
evalueringer senere), med feltet `tilgang` som sier hvem som kan finne det. Et søk filtrerer
alltid på brukerens tilgangsgrupper, så innhold uten tilgang aldri når treff, utdrag eller
fasettantall.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import fields, highlight, index, query, sorting
from whoosh.index import LockError

from arkiv.sok.analyse import Leksikon, delord_analyse, lag_parser, norsk_analyse

FASETTER = ("partstype", "part", "status", "aar")
SOKBARE_FELT = (
    "tittel", "tekst", "part", "partstype", "sektor", "status", "ansvarlig", "aar", "versjon",
    "art",
)  # fmt: skip
LAS_VENTETID = 60.0
FORELDET = "FORELDET"


class IndeksFeil(Exception):
    """Indeksen kunne ikke oppdateres; arkivet er uendret, og indeksen er merket foreldet."""


def lag_skjema(leksikon: Leksikon | None = None) -> fields.Schema:
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        art=fields.ID(stored=True),
        objekt=fields.ID(stored=True),  # "avtale:12": alle versjoner av ett objekt
        objekt_id=fields.NUMERIC(stored=True),
        versjon=fields.NUMERIC(stored=True),
        gjeldende=fields.BOOLEAN(stored=True),
        tittel=fields.TEXT(analyzer=norsk_analyse(), stored=True, field_boost=2.0),
        tekst=fields.TEXT(analyzer=norsk_analyse(), stored=True, chars=True),
        tekst_delord=fields.TEXT(analyzer=delord_analyse(leksikon), phrase=False),
        part=fields.ID(stored=True, sortable=True),
        partstype=fields.ID(stored=True, sortable=True),
        sektor=fields.ID(stored=True),
        status=fields.ID(stored=True, sortable=True),
        ansvarlig=fields.ID(stored=True),
        aar=fields.NUMERIC(stored=True, sortable=True),
        dato=fields.DATETIME(stored=True, sortable=True),
        tilgang=fields.KEYWORD(stored=False, commas=True),
    )


@dataclass
class Indeksdokument:
    """Det som indekseres for én versjon."""

    id: str
    art: str
    objekt_id: int
    versjon: int
    gjeldende: bool
    tittel: str
    tekst: str
    part: str
    partstype: str
    sektor: str
    status: str
    ansvarlig: str
    dato: datetime
    tilgang: tuple[str, ...] = ("ansatte",)

    def felt(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "art": self.art,
            "objekt": f"{self.art}:{self.objekt_id}",
            "objekt_id": self.objekt_id,
            "versjon": self.versjon,
            "gjeldende": self.gjeldende,
            "tittel": self.tittel,
            "tekst": self.tekst,
            "tekst_delord": self.tekst,
            "part": self.part,
            "partstype": self.partstype,
            "sektor": self.sektor,
            "status": self.status,
            "ansvarlig": self.ansvarlig,
            "aar": self.dato.year,
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
    part: str
    partstype: str
    status: str
    dato: datetime
    utdrag: str  # HTML: teksten er escapet, treffordene i <mark>


@dataclass
class Resultat:
    treff: list[Treff]
    totalt: int
    side: int
    sider: int
    fasetter: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    melding: str = ""
    tolket: str = ""


class _Merking(highlight.HtmlFormatter):
    """Trefford som <mark>; resten av utdraget escapes."""

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"


class Sokeindeks:
    def __init__(self, mappe: Path) -> None:
        self.mappe = Path(mappe)

    # --- åpning og status --------------------------------------------------------------

    def finnes(self) -> bool:
        return self.mappe.is_dir() and index.exists_in(str(self.mappe))

    def _apne(self) -> index.Index:
        if not self.finnes():
            self.mappe.mkdir(parents=True, exist_ok=True)
            return index.create_in(str(self.mappe), lag_skjema())
        return index.open_dir(str(self.mappe))

    def merk_foreldet(self, grunn: str) -> None:
        self.mappe.mkdir(parents=True, exist_ok=True)
        (self.mappe / FORELDET).write_text(f"{time.time()}\n{grunn}\n", encoding="utf-8")

    def foreldet(self) -> str | None:
        """Grunnen til at indeksen er merket foreldet, eller None."""
        try:
            return (self.mappe / FORELDET).read_text(encoding="utf-8").split("\n", 1)[1].strip()
        except (FileNotFoundError, IndexError):
            return None

    # --- skriving ----------------------------------------------------------------------

    @contextmanager
    def _skriver(self, ventetid: float = LAS_VENTETID) -> Iterator[Any]:
        """En skriver som venter på låsen (flere prosesser kan skrive) i stedet for LockError."""
        ix = self._apne()
        try:
            skriver = ix.writer(timeout=ventetid, delay=0.05)
        except LockError as e:
            raise IndeksFeil(f"Indeksen var låst i mer enn {ventetid:g} s.") from e
        try:
            yield skriver
        except BaseException:
            skriver.cancel()
            raise
        else:
            skriver.commit()
        finally:
            ix.close()

    def erstatt_objekt(
        self, art: str, objekt_id: int, hent: Callable[[], Iterable[Indeksdokument]]
    ) -> None:
        """Bytt ut alle versjoner av ett objekt. `hent` kalles etter at skrivelåsen er tatt,
        så det som skrives alltid er databasens nyeste tilstand (ingen tapte oppdateringer)."""
        with self._skriver() as w:
            w.delete_by_term("objekt", f"{art}:{objekt_id}")
            for dok in hent():
                w.add_document(**dok.felt())

    def bygg_pa_nytt(
        self,
        dokumenter: Iterable[Indeksdokument],
        fremdrift: Callable[[int], None] | None = None,
    ) -> int:
        """Tøm indeksen og legg inn alt på nytt i én skrivetransaksjon (søk ser enten den gamle
        eller den nye indeksen). `dokumenter` leses mens skrivelåsen holdes. Returnerer antall."""
        startet = time.time()
        antall = 0
        with self._skriver(ventetid=300) as w:
            w.delete_by_query(query.Every())
            for dok in dokumenter:
                w.add_document(**dok.felt())
                antall += 1
                if fremdrift:
                    fremdrift(1)
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
        tilgang = list(tilgang)
        if not tilgang or not self.finnes():
            return Resultat([], 0, 1, 0)
        ix = index.open_dir(str(self.mappe))
        try:
            q, melding = tolk(sporring, ix.schema)
            grenser: list[query.Query] = [query.Or([query.Term("tilgang", g) for g in tilgang])]
            if bare_gjeldende:
                grenser.append(query.Term("gjeldende", True))
            for felt, verdi in (filtre or {}).items():
                if felt in FASETTER and verdi != "":
                    grenser.append(_filterledd(felt, verdi))
            filter_ = query.And(grenser)
            with ix.searcher() as s:
                resultater = s.search_page(
                    q,
                    max(1, side),
                    pagelen=per_side,
                    filter=filter_,
                    groupedby={f: sorting.FieldFacet(f, maptype=sorting.Count) for f in FASETTER},
                    sortedby=sorting.FieldFacet("dato", reverse=True) if sorter_dato else None,
                    terms=True,
                )
                resultater.results.fragmenter = highlight.ContextFragmenter(
                    maxchars=240, surround=60
                )
                resultater.results.formatter = _Merking()
                treff = [_treff(h) for h in resultater]
                fasetter = {
                    f: sorted(
                        ((str(k), n) for k, n in resultater.results.groups(f).items()),
                        key=lambda kv: (-kv[1], kv[0]),
                    )
                    for f in FASETTER
                }
                return Resultat(
                    treff=treff,
                    totalt=resultater.total,
                    side=resultater.pagenum,
                    sider=resultater.pagecount,
                    fasetter=fasetter,
                    melding=melding,
                    tolket=str(q),
                )
        finally:
            ix.close()


def _filterledd(felt: str, verdi: str) -> query.Query:
    if felt == "aar":
        return query.Term("aar", int(verdi)) if verdi.isdigit() else query.NullQuery
    return query.Term(felt, verdi)


def _treff(h: Any) -> Treff:
    utdrag = h.highlights("tekst", top=2) or html.escape(h.get("tekst", "")[:240])
    return Treff(
        id=h["id"],
        art=h["art"],
        objekt_id=h["objekt_id"],
        versjon=h["versjon"],
        gjeldende=h["gjeldende"],
        tittel=h["tittel"],
        part=h["part"],
        partstype=h["partstype"],
        status=h["status"],
        dato=h["dato"],
        utdrag=utdrag,
    )


_FELTPREFIKS = re.compile(r"(?<![\w\"])([A-Za-zæøåÆØÅ_]+):")


def tolk(sporring: str, skjema: fields.Schema) -> tuple[query.Query, str]:
    """Gjør søketeksten om til en Whoosh-spørring. Ved syntaksfeil: best mulig søk + melding."""
    tekst = sporring.strip()[:500]
    if not tekst:
        return query.Every(), ""
    problemer = []
    if tekst.count('"') % 2:
        problemer.append("et anførselstegn mangler sin partner")
    if tekst.count("(") != tekst.count(")"):
        problemer.append("parentesene går ikke opp")
    ukjente = sorted({f for f in _FELTPREFIKS.findall(tekst) if f not in SOKBARE_FELT})
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


def indeksmappe(instans: Path) -> Path:
    return Path(os.environ.get("DOKUMENTER_INDEKS") or instans / "indeks")
