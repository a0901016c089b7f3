"""Oppslag i varselloggen: en brukers varsler, og varslene som ikke gikk for et objekt (vist
på objektets side, så den som sendte ser at mottakeren ikke fikk beskjed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles.tid import naa
from dokumenter.models import Varsel
from dokumenter.tjenester import Tjenester
from dokumenter.varsler.utsending import HENDELSER

MAKS_HISTORIKK = 200
FEIL_VISES_I = timedelta(days=30)


def for_bruker(s: Session, bruker_id: int, grense: int = MAKS_HISTORIKK) -> list[Varsel]:
    """Brukerens varsler, nyeste først."""
    return list(
        s.scalars(
            select(Varsel)
            .where(Varsel.bruker_id == bruker_id)
            .order_by(Varsel.id.desc())
            .limit(grense)
        )
    )


def feilet_for(s: Session, objekt_type: str, objekt_id: int) -> list[Varsel]:
    """Varsler om objektet som ikke ble sendt de siste 30 dagene, nyeste først."""
    return list(
        s.scalars(
            select(Varsel)
            .where(
                Varsel.objekt_type == objekt_type,
                Varsel.objekt_id == objekt_id,
                Varsel.status == "feilet",
                Varsel.tidspunkt >= naa() - FEIL_VISES_I,
            )
            .order_by(Varsel.id.desc())
        )
    )


@dataclass(frozen=True)
class Varselfeil:
    tidspunkt: datetime
    hendelse: str  # slik den vises («Avtale sendt til gjennomgang»)
    feil: str


def feil_for_objekt(tj: Tjenester, objekt_type: str, objekt_id: int) -> list[Varselfeil]:
    """Varslene om objektet som ikke gikk de siste 30 dagene, til objektets side."""
    with tj.sesjoner() as s:
        return [
            Varselfeil(v.tidspunkt, HENDELSER.get(v.hendelse, v.hendelse), v.feil)
            for v in feilet_for(s, objekt_type, objekt_id)
        ]
