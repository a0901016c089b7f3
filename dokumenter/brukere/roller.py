"""Rollene og hva de kan: ansatte (admin, saksbehandler, lesetilgang) og partnerbrukere."""

from __future__ import annotations

from dokumenter.models import Bruker

ROLLER = {
    "admin": "Administrator",
    "saksbehandler": "Saksbehandler",
    "lesetilgang": "Lesetilgang",
}
ANSATTROLLER = tuple(ROLLER)
PARTNER = "partner"  # kontaktperson hos en institusjon; ser bare egen institusjon i portalen
SKRIVEROLLER = ("admin", "saksbehandler")


def er_ansatt(bruker: object) -> bool:
    return getattr(bruker, "rolle", None) in ANSATTROLLER


def kan_skrive(bruker: Bruker) -> bool:
    return bruker.rolle in SKRIVEROLLER
