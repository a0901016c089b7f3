"""Felles hjelpere for blueprintene: tjenestene og skrivetilgang."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user, login_required

from dokumenter.brukere import kan_skrive
from dokumenter.tjenester import Tjenester


def tj() -> Tjenester:
    return current_app.extensions["dokumenter"]


def skrivetilgang(visning):  # noqa: ANN001, ANN201
    """Innlogget og med en rolle som kan endre (admin, saksbehandler)."""

    @wraps(visning)
    @login_required
    def innpakket(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if not kan_skrive(current_user):
            abort(403)
        return visning(*args, **kwargs)

    return innpakket


def fra() -> str:
    """Hvor en handling kom fra, til revisjonsloggen."""
    return f"web {request.remote_addr or '?'}"
