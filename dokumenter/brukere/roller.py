"""Rollene og hva de kan: ansatte (admin, saksbehandler, lesetilgang) og partnerbrukere."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dokumenter.felles.feil import IngenTilgang
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
    return getattr(bruker, "rolle", None) in SKRIVEROLLER


def er_admin(bruker: object) -> bool:
    """Administrator: brukeradministrasjonen, arkivuttrekket og utboksen til sak/arkiv."""
    return getattr(bruker, "rolle", None) == "admin"


# Rettighetene en handling kan kreve, med det brukstilfellet sjekker og en forklaring til den
# som mangler retten (feilsiden og nettsidenes `kan(...)` bruker samme tabell).
RETTIGHETER = {
    "skrive": (
        kan_skrive,
        (
            "Dette krever skrivetilgang (rollen saksbehandler eller administrator). "
            "Rollen din gir bare lesetilgang."
        ),
    ),
    "administrere": (er_admin, "Dette kan bare administratorer gjøre."),
}


def har_rett(bruker: object, rett: str) -> bool:
    """Om `bruker` har `rett` (en nøkkel i RETTIGHETER); ukjent rett er en programfeil."""
    sjekk, _ = RETTIGHETER[rett]
    return bool(getattr(bruker, "aktiv", True)) and sjekk(bruker)


def mangler_rett(rett: str) -> str:
    """Forklaringen til en som mangler `rett`."""
    return RETTIGHETER[rett][1]


def krev_skrivetilgang(s: Session, bruker_id: int) -> Bruker:
    """Brukeren, når hen er en aktiv ansatt med skrivetilgang; ellers IngenTilgang. Hvert
    brukstilfelle som endrer noe, sjekker dette selv (nettsiden, kommandolinjen og en senere
    API får samme regel)."""
    bruker = s.get(Bruker, bruker_id)
    if bruker is None or not bruker.aktiv or bruker.rolle not in SKRIVEROLLER:
        raise IngenTilgang("Du har bare lesetilgang.")
    return bruker
