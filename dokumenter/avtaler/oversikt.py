"""Oversikten Rana-rapporten førte for hånd: hver part, gruppert etter sektor, med avtalestatus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from dokumenter.felles import frister
from dokumenter.infrastruktur import diagram
from dokumenter.models import Avtale, Avvik, Part
from dokumenter.parter.typer import PARTSTYPER, SEKTORER
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


def oversikt(tj: Tjenester) -> dict[str, list[Rad]]:
    """Sektor-tittel -> rader, i fast sektorrekkefølge; partens nyeste ikke-avsluttede avtale."""
    grupper: dict[str, list[Rad]] = {tittel: [] for tittel in SEKTORER.values()}
    with tj.sesjoner() as s:
        parter = s.scalars(
            select(Part)
            .options(selectinload(Part.avtaler).selectinload(Avtale.ansvarlig))
            .order_by(Part.navn)
        ).all()
        for p in parter:
            aktive = [a for a in p.avtaler if a.status != "avsluttet"]
            a = aktive[-1] if aktive else None
            grupper[SEKTORER[PARTSTYPER[p.type].sektor]].append(
                Rad(
                    part_id=p.id,
                    part=p.navn,
                    partstype=PARTSTYPER[p.type].etikett,
                    kolonne=_KOLONNE_FOR_STATUS[a.status] if a else "ingen",
                    avtale_id=a.id if a else None,
                    status=a.status if a else None,
                    begrunnelse=a.status_begrunnelse if a else "",
                    ansvarlig=a.ansvarlig.navn if a else "",
                )
            )
    return {k: v for k, v in grupper.items() if v}


@dataclass(frozen=True)
class Nokkeltall:
    """Tallene på prosjektlederens forside, regnet fra dataene."""

    per_status: dict[str, int]
    per_sektor_status: dict[str, dict[str, int]]
    avvik_apne: int
    avvik_forfalte: int
    evalueringer_forfalte: int
    evalueringer_snart: int
    avvik_per_part_12mnd: dict[str, int]


def nokkeltall(tj: Tjenester, idag: date | None = None) -> Nokkeltall:
    idag = idag or date.today()
    with tj.sesjoner() as s:
        avtaler = s.scalars(select(Avtale).options(selectinload(Avtale.part))).all()
        per_status: dict[str, int] = {}
        per_sektor: dict[str, dict[str, int]] = {tittel: {} for tittel in SEKTORER.values()}
        for a in avtaler:
            per_status[a.status] = per_status.get(a.status, 0) + 1
            sektor = per_sektor[SEKTORER[PARTSTYPER[a.part.type].sektor]]
            sektor[a.status] = sektor.get(a.status, 0) + 1
        apne = s.scalar(select(func.count()).select_from(Avvik).where(Avvik.status.in_(APNE_AVVIK)))
        forfalte = s.scalar(
            select(func.count())
            .select_from(Avvik)
            .where(Avvik.status == "sendt", Avvik.svarfrist < idag)
        )
        siste_aar = s.execute(
            select(Part.navn, func.count())
            .select_from(Avvik)
            .join(Avtale, Avvik.avtale_id == Avtale.id)
            .join(Part, Avtale.part_id == Part.id)
            .where(Avvik.hendelsesdato > idag - timedelta(days=365), Avvik.hendelsesdato <= idag)
            .group_by(Part.navn)
            .order_by(Part.navn)
        ).all()
    ev_forfalte, ev_snart = frister.forfalte_og_snart(
        ((a.id, a.neste_evaluering) for a in avtaler if a.status == "inngaatt"), idag
    )
    return Nokkeltall(
        per_status=per_status,
        per_sektor_status={k: v for k, v in per_sektor.items() if v},
        avvik_apne=apne or 0,
        avvik_forfalte=forfalte or 0,
        evalueringer_forfalte=len(ev_forfalte),
        evalueringer_snart=len(ev_snart),
        avvik_per_part_12mnd=dict(siste_aar),
    )


def diagram_avvik_per_part(tj: Tjenester, idag: date | None = None) -> tuple[bytes, str]:
    """Søylediagram (PNG) og tekstalternativ: avvik per part siste 12 måneder."""
    per_part = nokkeltall(tj, idag).avvik_per_part_12mnd
    return diagram.avvik_per_part(per_part), diagram.alt_tekst(per_part, "Avvik per part")
