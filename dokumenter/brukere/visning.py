"""Oppslag av brukere til valglister: hvem som kan være ansvarlig, koordinator eller signerer."""

from __future__ import annotations

from sqlalchemy import select

from dokumenter.brukere.roller import ROLLER, SKRIVEROLLER
from dokumenter.models import Bruker
from dokumenter.tjenester import Tjenester


def skrivere(tj: Tjenester) -> list[tuple[int, str]]:
    """Aktive ansatte med skrivetilgang, som (id, «Navn (rolle)»)."""
    with tj.sesjoner() as s:
        rader = s.execute(
            select(Bruker.id, Bruker.navn, Bruker.rolle)
            .where(Bruker.aktiv, Bruker.rolle.in_(SKRIVEROLLER))
            .order_by(Bruker.navn)
        ).all()
    return [(r.id, f"{r.navn} ({ROLLER[r.rolle].lower()})") for r in rader]
