"""Flask-appen: ansattsidene som tynne skall over brukstilfellene i `dokumenter`."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin
from flask_wtf.csrf import CSRFError, CSRFProtect

from dokumenter import formatering
from dokumenter.avtaler import STATUSER
from dokumenter.config import Innstillinger
from dokumenter.models import Bruker
from dokumenter.parter import PARTSTYPER
from dokumenter.tjenester import Tjenester, apne

MAKS_OPPLASTING = 2 * 1024 * 1024


class Innlogget(UserMixin):
    """Den innloggede brukeren slik Flask-Login ser den (et øyeblikksbilde, ikke en ORM-rad)."""

    def __init__(self, id: int, brukernavn: str, navn: str, rolle: str) -> None:
        self.id, self.brukernavn, self.navn, self.rolle = id, brukernavn, navn, rolle

    @classmethod
    def fra(cls, b: Bruker) -> Innlogget:
        return cls(b.id, b.brukernavn, b.navn, b.rolle)


def _hemmelig_nokkel(instans: Path) -> str:
    """Nøkkel fra miljøet, ellers en tilfeldig som lagres i instansmappen (aldri i git)."""
    if nokkel := os.environ.get("DOKUMENTER_SECRET_KEY"):
        return nokkel
    fil = instans / "secret_key"
    if not fil.exists():
        fil.write_text(secrets.token_hex(32))
        fil.chmod(0o600)
    return fil.read_text().strip()


def create_app(tjenester: Tjenester | None = None, **config: object) -> Flask:
    tj = tjenester or apne(Innstillinger.fra_miljo())
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_hemmelig_nokkel(tj.innstillinger.instans),
        MAX_CONTENT_LENGTH=MAKS_OPPLASTING,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    app.config.update(config)
    app.extensions["dokumenter"] = tj

    CSRFProtect(app)
    login = LoginManager(app)
    login.login_view = "auth.logg_inn"
    login.login_message = "Logg inn for å se denne siden."
    login.login_message_category = "info"

    @login.unauthorized_handler
    def ikke_innlogget():  # noqa: ANN202
        if request.path.startswith("/api/"):
            return jsonify({"feil": "Du må være logget inn."}), 401
        flash(login.login_message, "info")
        return redirect(url_for("auth.logg_inn", next=request.full_path.rstrip("?")))

    @login.user_loader
    def last_bruker(bruker_id: str) -> Innlogget | None:
        with tj.sesjoner() as s:
            b = s.get(Bruker, int(bruker_id)) if bruker_id.isdigit() else None
            return Innlogget.fra(b) if b is not None and b.aktiv else None

    from web import auth, avtaler, oversikt, parter, sok

    for bp in (auth.bp, oversikt.bp, parter.bp, avtaler.bp, sok.bp):
        app.register_blueprint(bp)

    app.jinja_env.filters["dato"] = formatering.dato_lang
    app.jinja_env.filters["tidspunkt"] = formatering.tidspunkt
    app.jinja_env.filters["orgnr"] = formatering.orgnr
    app.jinja_env.globals.update(STATUSER=STATUSER, PARTSTYPER=PARTSTYPER)

    @app.after_request
    def sikkerhetshoder(resp):  # noqa: ANN001, ANN202
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    @app.errorhandler(CSRFError)
    def csrf_feil(_e: CSRFError):  # noqa: ANN202
        melding = "Skjemaet er utløpt eller mangler sikkerhetsnøkkel. Last siden på nytt."
        return render_template("feil.html", tittel="Ugyldig skjema", melding=melding), 400

    @app.errorhandler(404)
    def ikke_funnet(_e: Exception):  # noqa: ANN202
        return render_template("feil.html", tittel="Fant ikke siden", melding=""), 404

    @app.errorhandler(403)
    def forbudt(_e: Exception):  # noqa: ANN202
        melding = "Du har ikke tilgang til dette."
        return render_template("feil.html", tittel="Ingen tilgang", melding=melding), 403

    @app.errorhandler(413)
    def for_stor(_e: Exception):  # noqa: ANN202
        melding = f"Innsendingen er for stor (maks {MAKS_OPPLASTING // (1024 * 1024)} MB)."
        return render_template("feil.html", tittel="For stor", melding=melding), 413

    @app.errorhandler(500)
    def intern_feil(_e: Exception):  # noqa: ANN202
        melding = "Noe gikk galt hos oss. Ingenting er lagret halvveis; prøv igjen."
        return render_template("feil.html", tittel="Uventet feil", melding=melding), 500

    return app
