"""Oversikten Rana-rapporten førte for hånd: hver part, gruppert etter sektor, med
avtalestatus, og nøkkeltallene på forsiden.

Alt regnes i SQL (GROUP BY, og LIMIT for radene som vises), så forsiden koster det samme med
10 parter som med 10 000: per sektor vises antall parter i hver kolonne og de første radene,
og «vis alle» går til én side av parterna i sektoren (`parter_i_sektor`). Funksjonene kan
brukes av andre sider (for eksempel en egen tabell per part øverst på forsiden).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from dokumenter.felles import frister
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.infrastruktur import diagram
from dokumenter.infrastruktur.sidevis import hent_side
from dokumenter.models import Avtale, Avvik, Bruker, Part, SignertKopi
from dokumenter.parter.typer import PARTSTYPER, SEKTORER, typer_i_sektor
from dokumenter.tjenester import Tjenester

KOLONNER = {
    "inngaatt": "Inngått avtale",
    "under_arbeid": "Under arbeid",
    "ikke_inngaatt": "Ikke inngått",
    "ingen": "Ingen aktiv avtale",
}
APNE_AVVIK = ("aapen", "sendt", "besvart")
_KOLONNE_FOR_STATUS = {
    "inngaatt": "inngaatt",
    "til_revisjon": "inngaatt",  # den signerte avtalen gjelder mens revisjonen pågår
    "utkast": "under_arbeid",
    "til_gjennomgang": "under_arbeid",
    "til_signering": "under_arbeid",
    "ikke_inngaatt": "ikke_inngaatt",
}
# En avtale som har vært signert og nå revideres (ny versjon til gjennomgang, til signering
# eller tilbake til utkast), gjelder fortsatt på den signerte versjonen: «inngått (revisjon
# pågår)», ikke «under arbeid».
UNDER_REVISJON = ("til_revisjon", "utkast", "til_gjennomgang", "til_signering")
RADER_PER_SEKTOR = 10  # på forsiden; resten bak «vis alle»
PARTER_MED_AVVIK = 10  # parter i diagrammet og tabellen over avvik per part
PARTER_I_SEKTOR = Sortering(
    {"part": False, "kolonne": False, "ansvarlig": False}, standard="part", per_side=50
)


@dataclass(frozen=True)
class Rad:
    part_id: int
    part: str
    partstype: str
    kolonne: str
    avtale_id: int | None
    status: str | None
    begrunnelse: str
    ansvarlig: str
    revisjon: bool = False  # inngått, og en ny versjon er under arbeid

    @property
    def status_tekst(self) -> str:
        """«Inngått (revisjon pågår)» under revisjon, ellers tomt (kolonnen sier det)."""
        return "Inngått (revisjon pågår)" if self.revisjon else ""


@dataclass(frozen=True)
class Sektor:
    """Én sektor på forsiden: antall parter per kolonne og de første radene."""

    kode: str
    tittel: str
    per_kolonne: dict[str, int]
    rader: list[Rad]

    @property
    def totalt(self) -> int:
        return sum(self.per_kolonne.values())


def _siste_aktive() -> Any:
    """Partens nyeste avtale som ikke er avsluttet (part_id, avtale_id)."""
    return (
        select(Avtale.part_id, func.max(Avtale.id).label("avtale_id"))
        .where(Avtale.status != "avsluttet")
        .group_by(Avtale.part_id)
        .subquery()
    )


def _partrader(sektor: str = "", kolonne_: str = "") -> tuple[Select[Any], Any]:
    """Spørringen bak radene (én per part) og uttrykket for kolonnen."""
    siste = _siste_aktive()
    signert = select(SignertKopi.id).where(SignertKopi.avtale_id == Avtale.id).exists()
    kolonne = case(
        (Avtale.id.is_(None), "ingen"),
        (Avtale.status.in_(UNDER_REVISJON) & signert, "inngaatt"),
        *((Avtale.status == s, k) for s, k in _KOLONNE_FOR_STATUS.items()),
        else_="ingen",
    )
    sporring = (
        select(
            Part.id,
            Part.navn,
            Part.type,
            kolonne,
            Avtale.id,
            Avtale.status,
            Avtale.status_begrunnelse,
            Bruker.navn,
        )
        .outerjoin(siste, siste.c.part_id == Part.id)
        .outerjoin(Avtale, Avtale.id == siste.c.avtale_id)
        .outerjoin(Bruker, Bruker.id == Avtale.ansvarlig_id)
    )
    if sektor:
        sporring = sporring.where(Part.type.in_(typer_i_sektor(sektor)))
    if kolonne_ in KOLONNER:
        sporring = sporring.where(kolonne == kolonne_)
    return sporring, kolonne


def _rad(r: Any) -> Rad:
    return Rad(
        part_id=r[0],
        part=r[1],
        partstype=PARTSTYPER[r[2]].etikett,
        kolonne=r[3],
        avtale_id=r[4],
        status=r[5],
        begrunnelse=r[6] or "",
        ansvarlig=r[7] or "",
        revisjon=r[3] == "inngaatt" and r[5] != "inngaatt",
    )


def oversikt(tj: Tjenester, rader_per_sektor: int = RADER_PER_SEKTOR) -> list[Sektor]:
    """Sektorene som har parter, i fast rekkefølge: antall parter per kolonne (partens
    nyeste ikke-avsluttede avtale) og de første radene etter partens navn."""
    sporring, kolonne = _partrader()
    per: dict[str, dict[str, int]] = {k: dict.fromkeys(KOLONNER, 0) for k in SEKTORER}
    with tj.sesjoner() as s:
        undersporring = sporring.with_only_columns(
            Part.type.label("type"), kolonne.label("kolonne")
        ).subquery()
        telling = select(undersporring.c.type, undersporring.c.kolonne, func.count()).group_by(
            undersporring.c.type, undersporring.c.kolonne
        )
        for type_, kol, antall in s.execute(telling):
            per[PARTSTYPER[type_].sektor][kol] += antall
        sektorer = []
        for kode, tittel in SEKTORER.items():
            if not any(per[kode].values()):
                continue
            rader = s.execute(
                _partrader(kode)[0].order_by(Part.navn, Part.id).limit(rader_per_sektor)
            )
            sektorer.append(Sektor(kode, tittel, per[kode], [_rad(r) for r in rader]))
    return sektorer


def parter_i_sektor(
    tj: Tjenester, sektor: str, kolonne: str = "", utvalg: Utvalg | None = None
) -> Side[Rad]:
    """Én side av partene i sektoren (alle sektorer når `sektor` er ukjent), eventuelt bare
    de i én kolonne (for eksempel «ingen aktiv avtale»)."""
    utvalg = utvalg or PARTER_I_SEKTOR.utvalg({})
    sporring, kolonne_ = _partrader(sektor if sektor in SEKTORER else "", kolonne)
    kolonner = {"part": [Part.navn], "kolonne": [kolonne_], "ansvarlig": [Bruker.navn]}
    with tj.sesjoner() as s:
        return hent_side(s, sporring, utvalg, kolonner, Part.id, _rad)


@dataclass(frozen=True)
class Nokkeltall:
    """Tallene på prosjektlederens forside, regnet fra dataene."""

    per_status: dict[str, int]
    per_sektor_status: dict[str, dict[str, int]]
    avvik_apne: int
    avvik_forfalte: int
    evalueringer_forfalte: int
    evalueringer_snart: int
    # De partene med flest avvik siste 12 måneder (høyst PARTER_MED_AVVIK), og hvor mange
    # andre parter og avvik som ikke er med.
    avvik_per_part_12mnd: dict[str, int]
    avvik_andre_parter: int = 0
    avvik_andre: int = 0


def nokkeltall(
    tj: Tjenester, idag: date | None = None, varsel_dager: int = frister.VARSEL_DAGER
) -> Nokkeltall:
    idag = idag or date.today()
    with tj.sesjoner() as s:
        per_status: dict[str, int] = {}
        per_sektor: dict[str, dict[str, int]] = {tittel: {} for tittel in SEKTORER.values()}
        for type_, status, antall in s.execute(
            select(Part.type, Avtale.status, func.count())
            .join(Part, Avtale.part_id == Part.id)
            .group_by(Part.type, Avtale.status)
        ):
            per_status[status] = per_status.get(status, 0) + antall
            sektor = per_sektor[SEKTORER[PARTSTYPER[type_].sektor]]
            sektor[status] = sektor.get(status, 0) + antall
        apne, forfalte = s.execute(
            select(
                func.count().filter(Avvik.status.in_(APNE_AVVIK)),
                func.count().filter(Avvik.status == "sendt", Avvik.svarfrist < idag),
            )
        ).one()
        ev_forfalte, ev_snart = s.execute(
            select(
                func.count().filter(Avtale.neste_evaluering < idag),
                func.count().filter(
                    Avtale.neste_evaluering >= idag,
                    Avtale.neste_evaluering <= idag + timedelta(days=varsel_dager),
                ),
            ).where(Avtale.status == "inngaatt")
        ).one()
        topp, andre_parter, andre = _avvik_per_part(s, idag)
    return Nokkeltall(
        per_status=per_status,
        per_sektor_status={k: v for k, v in per_sektor.items() if v},
        avvik_apne=apne or 0,
        avvik_forfalte=forfalte or 0,
        evalueringer_forfalte=ev_forfalte or 0,
        evalueringer_snart=ev_snart or 0,
        avvik_per_part_12mnd=topp,
        avvik_andre_parter=andre_parter,
        avvik_andre=andre,
    )


def _avvik_per_part(
    s: Session, idag: date, antall: int = PARTER_MED_AVVIK
) -> tuple[dict[str, int], int, int]:
    """(partene med flest avvik siste 12 måneder, antall andre parter, antall andre avvik)."""
    per_part = (
        select(Part.navn.label("part"), func.count().label("antall"))
        .select_from(Avvik)
        .join(Avtale, Avvik.avtale_id == Avtale.id)
        .join(Part, Avtale.part_id == Part.id)
        .where(Avvik.hendelsesdato > idag - timedelta(days=365), Avvik.hendelsesdato <= idag)
        .group_by(Part.id, Part.navn)
        .subquery()
    )
    topp = dict(
        s.execute(
            select(per_part.c.part, per_part.c.antall)
            .order_by(per_part.c.antall.desc(), per_part.c.part)
            .limit(antall)
        ).all()
    )
    parter, avvik = s.execute(
        select(func.count(), func.coalesce(func.sum(per_part.c.antall), 0))
    ).one()
    return topp, max(0, parter - len(topp)), max(0, avvik - sum(topp.values()))


def avvik_per_part_12mnd(tj: Tjenester, idag: date | None = None) -> dict[str, int]:
    """Partene med flest avvik siste 12 måneder (det diagrammet viser)."""
    with tj.sesjoner() as s:
        return _avvik_per_part(s, idag or date.today())[0]


def diagram_avvik_per_part(tj: Tjenester, idag: date | None = None) -> tuple[bytes, str]:
    """Søylediagram (PNG) og tekstalternativ: avvik per part siste 12 måneder."""
    per_part = avvik_per_part_12mnd(tj, idag)
    return tegn_avvik_per_part(per_part), diagram.alt_tekst(per_part, "Avvik per part")


@lru_cache(maxsize=8)
def _tegnet(par: tuple[tuple[str, int], ...]) -> bytes:
    return diagram.avvik_per_part(dict(par))


def tegn_avvik_per_part(per_part: dict[str, int]) -> bytes:
    """Diagrammet for tallene; de siste tegningene huskes (tegningen tar ~100 ms)."""
    return _tegnet(tuple(sorted(per_part.items())))
