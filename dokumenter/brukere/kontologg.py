"""Kontologgen: hvem som logget inn og ut (med adresse), byttet passord, fikk ny rolle eller
ble deaktivert, og av hvem. Tabellen kontologg kan bare få nye rader (ASVS 7.2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles import etiketter
from dokumenter.felles.tid import naa
from dokumenter.models import Kontologg

HANDLINGER = etiketter.KONTOHANDLING
# En adresse der brukeren har logget inn så nylig, er «kjent» for kontoen (brukere.innlogging).
KJENT_I = timedelta(days=30)


def logg(
    s: Session,
    bruker_id: int,
    handling: str,
    utfort_av_id: int | None = None,
    ip: str = "",
    fra: str = "",
    **detaljer: Any,
) -> None:
    s.add(
        Kontologg(
            bruker_id=bruker_id,
            handling=handling,
            utfort_av_id=utfort_av_id,
            ip=ip[:64],
            fra=fra[:100],
            detaljer=detaljer,
            tidspunkt=naa(),
        )
    )


def kjent_adresse(s: Session, bruker_id: int, ip: str) -> bool:
    """Har brukeren logget inn fra denne adressen de siste KJENT_I?"""
    if not ip:
        return False
    return (
        s.scalar(
            select(Kontologg.id)
            .where(
                Kontologg.bruker_id == bruker_id,
                Kontologg.handling == "innlogget",
                Kontologg.ip == ip[:64],
                Kontologg.tidspunkt >= naa() - KJENT_I,
            )
            .limit(1)
        )
        is not None
    )


def for_bruker(s: Session, bruker_id: int) -> list[Kontologg]:
    return list(
        s.scalars(select(Kontologg).where(Kontologg.bruker_id == bruker_id).order_by(Kontologg.id))
    )
