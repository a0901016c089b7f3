"""Søkeindeksens journal i databasen (`indeksjobb`): én rad per endret objekt, skrevet i samme
transaksjon som endringen. En jobb er ventende til den er utført (`behandlet`); utførte jobber
står et døgn (en gjenoppbygging som pågår, tar inn alt som er behandlet etter at den startet)
og ryddes så bort.

Bare databasesiden står her; å utføre jobbene er `indeksering.behandle_ventende`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from dokumenter.felles.tid import naa
from dokumenter.models import Indeksjobb
from dokumenter.tjenester import Tjenester

__all__ = ["Jobb", "Status", "merk_behandlet", "naa", "ny", "rydd", "siden", "status", "ventende"]
BEHOLD = timedelta(days=1)
MAKS_PER_RUNDE = 500


@dataclass(frozen=True)
class Jobb:
    id: int
    art: str
    objekt_id: int


@dataclass(frozen=True)
class Status:
    ventende: int
    eldste: datetime | None  # når den eldste ventende jobben ble skrevet


def ny(s: Session, art: str, objekt_id: int) -> None:
    s.add(Indeksjobb(art=art, objekt_id=objekt_id))


def ventende(tj: Tjenester, grense: int = MAKS_PER_RUNDE) -> list[Jobb]:
    """De eldste jobbene som ikke er utført."""
    return _jobber(tj, Indeksjobb.behandlet.is_(None), grense)


def siden(tj: Tjenester, tidspunkt: datetime) -> list[Jobb]:
    """Jobbene som ikke var utført da `tidspunkt` inntraff: de ventende, og de som er
    utført etterpå (en gjenoppbygging som startet da, tar dem inn før den tas i bruk)."""
    vilkar = or_(Indeksjobb.behandlet.is_(None), Indeksjobb.behandlet >= tidspunkt)
    return _jobber(tj, vilkar, None)


def _jobber(tj: Tjenester, vilkar, grense: int | None) -> list[Jobb]:
    sporring = select(Indeksjobb.id, Indeksjobb.art, Indeksjobb.objekt_id).where(vilkar)
    with tj.sesjoner() as s:
        rader = s.execute(sporring.order_by(Indeksjobb.id).limit(grense))
        return [Jobb(*r) for r in rader]


def merk_behandlet(tj: Tjenester, ider: list[int]) -> None:
    if not ider:
        return
    with tj.transaksjon() as s:
        for start in range(0, len(ider), 500):
            s.execute(
                update(Indeksjobb)
                .where(Indeksjobb.id.in_(ider[start : start + 500]), Indeksjobb.behandlet.is_(None))
                .values(behandlet=naa())
            )


def status(tj: Tjenester) -> Status:
    with tj.sesjoner() as s:
        antall, eldste = s.execute(
            select(func.count(), func.min(Indeksjobb.opprettet)).where(
                Indeksjobb.behandlet.is_(None)
            )
        ).one()
    return Status(antall or 0, eldste)


def rydd(tj: Tjenester) -> int:
    """Slett jobbene som ble utført for mer enn et døgn siden; gir antallet."""
    with tj.transaksjon() as s:
        return s.execute(delete(Indeksjobb).where(Indeksjobb.behandlet < naa() - BEHOLD)).rowcount
