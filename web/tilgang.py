"""Felles hjelpere for blueprintene: tjenestene, ansatt-/partnertilgang og skrivetilgang."""

from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user

from dokumenter.brukere.roller import PARTNER, er_ansatt, kan_skrive
from dokumenter.tjenester import Tjenester

# Ansatte: 8 timer (PERMANENT_SESSION_LIFETIME). Partnere: 2 timer fra innlogging.
PARTNEROKT = timedelta(hours=2)
INNLOGGET_KL = "innlogget_kl"


def tj() -> Tjenester:
    return current_app.extensions["dokumenter"]


def er_partner(bruker: object) -> bool:
    """En partnerbruker knyttet til én part (institusjon)."""
    rolle, part_id = getattr(bruker, "rolle", None), getattr(bruker, "part_id", None)
    return rolle == PARTNER and part_id is not None


def _krev_ansatt():
    """before_request for ansattsidene: innlogget, og med en ansattrolle (ikke partner)."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not er_ansatt(current_user):
        if request.path.startswith("/api/"):
            return jsonify({"feil": "Du har ikke tilgang til dette."}), 403
        abort(403)
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
        abort(403)
    return None


def start_okt(bruker: object) -> None:
    """Kalles rett etter login_user: noter når, så partnerøkten kan utløpe etter 2 timer."""
    session.permanent = True
    session[INNLOGGET_KL] = time.time()


def sjekk_partnerokt():
    """before_request for hele appen: en partnerøkt varer i høyst PARTNEROKT fra innlogging."""
    if not current_user.is_authenticated or current_user.rolle != PARTNER:
        return None
    innlogget = session.get(INNLOGGET_KL)
    if isinstance(innlogget, int | float) and time.time() - innlogget < PARTNEROKT.total_seconds():
        return None
    logout_user()
    session.clear()
    flash("Økten er utløpt. Logg inn på nytt.", "info")
    return redirect(url_for("portal.logg_inn"))


def skrivetilgang(visning):
    """Innlogget og med en rolle som kan endre (admin, saksbehandler)."""

    @wraps(visning)
    @login_required
    def innpakket(*args, **kwargs):
        if not kan_skrive(current_user):
            abort(403)
        return visning(*args, **kwargs)

    return innpakket


def fra() -> str:
    """Hvor en handling kom fra, til revisjonsloggen."""
    return f"web {request.remote_addr or '?'}"
