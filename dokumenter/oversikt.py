"""Oversikten Rana-rapporten førte for hånd: hver part, gruppert etter sektor, med avtalestatus."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.models import Avtale, Part
from dokumenter.parter import PARTSTYPER, SEKTORER
from dokumenter.tjenester import Tjenester

KOLONNER = {
    "inngaatt": "Inngått avtale",
    "under_arbeid": "Under arbeid",
    "ikke_inngaatt": "Ikke inngått",
    "ingen": "Ingen aktiv avtale",
}
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
