"""Felles hjelpere for blueprintene: tjenestene, ansatt-/partnertilgang, skrivetilgang og
`kan(rett)`, malenes spørsmål om den innloggede brukeren har en rett (samme regel som
dekoratørene og brukstilfellene, fra `dokumenter.brukere.roller.RETTIGHETER`)."""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    current_app,
    g,
    jsonify,
    request,
)
from flask_login import current_user, login_required

from dokumenter.brukere.roller import PARTNER, er_ansatt, har_rett, mangler_rett
from dokumenter.felles.feil import IngenTilgang
from dokumenter.tjenester import Tjenester


def tj() -> Tjenester:
    return current_app.extensions["dokumenter"]


def er_partner(bruker: object) -> bool:
    """En partnerbruker knyttet til én part (institusjon)."""
    rolle, part_id = getattr(bruker, "rolle", None), getattr(bruker, "part_id", None)
    return rolle == PARTNER and part_id is not None


def kan(rett: str) -> bool:
    """Om den innloggede brukeren har `rett` («skrive», «administrere»). Malene viser en
    lenke eller knapp bare når dette er sant, så ingen får en handling de blir nektet."""
    return bool(current_user.is_authenticated) and har_rett(current_user, rett)


def krev(rett: str) -> None:
    """IngenTilgang med forklaringen (hvilken rett som mangler) når brukeren ikke har `rett`."""
    if not kan(rett):
        g.mangler_rett = rett  # feilsiden forklarer rollen bare når det er rollen som mangler
        raise IngenTilgang(mangler_rett(rett))


def _krev_ansatt():
    """before_request for ansattsidene: innlogget, og med en ansattrolle (ikke partner)."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not er_ansatt(current_user):
        if request.path.startswith("/api/"):
            return jsonify({"feil": "Du har ikke tilgang til dette."}), 403
        raise IngenTilgang(
            "Denne siden er for kommunens ansatte. Samarbeidspartnere bruker portalen."
        )
    return None


def bare_ansatte(bp: Blueprint) -> Blueprint:
    """Steng hele blueprinten for alle andre enn innloggede ansatte (partnere får 403)."""
    bp.before_request(_krev_ansatt)
    return bp


def krev_partner():
    """before_request for portalen: innlogget partnerbruker (ansatte får 403)."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not er_partner(current_user):
        raise IngenTilgang("Portalen er for kontaktpersonene hos samarbeidspartnerne.")
    return None


def skrivetilgang(visning):
    """Innlogget og med en rolle som kan endre (admin, saksbehandler)."""

    @wraps(visning)
    @login_required
    def innpakket(*args, **kwargs):
        krev("skrive")
        return visning(*args, **kwargs)

    return innpakket


def bare_admin(visning):
    """Innlogget administrator (arkivuttrekk og utboksen til sak/arkiv)."""

    @wraps(visning)
    @login_required
    def innpakket(*args, **kwargs):
        krev("administrere")
        return visning(*args, **kwargs)

    return innpakket


def fra() -> str:
    """Hvor en handling kom fra, til revisjonsloggen."""
    return f"web {request.remote_addr or '?'}"
