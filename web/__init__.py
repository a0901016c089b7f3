"""Flask-appen: ansattsidene og partnerportalen som tynne skall over brukstilfellene i
`dokumenter`."""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

from flask import Flask, flash, g, jsonify, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from dokumenter.avtaler.livslop import STATUSER
from dokumenter.brukere.roller import er_ansatt
from dokumenter.felles import formatering
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.models import Bruker
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.planer.regler import STATUSER as PLANSTATUSER
from dokumenter.signering.skannet import MAKS_SKANNET
from dokumenter.tjenester import Tjenester, apne
from web import feil
from web.lenker import Weblenker

foresporsler = logging.getLogger("web.foresporsler")
MB = 1024 * 1024
MAKS_OPPLASTING = 2 * MB  # vanlige skjemaer
MAKS_FILOPPLASTING = MAKS_SKANNET + MB  # skannet signert kopi (20 MB) + skjemaets overhead
# Endepunktene som tar imot en fil; bare de får den høye grensen.
PORTALEN = ("portal", "planportal")  # blueprintene under /portal (partnernes innlogging og drakt)
FILOPPLASTING = {"avtaler.last_opp_signert", "planer.last_opp_signert"}


class Innlogget(UserMixin):
    """Den innloggede brukeren slik Flask-Login ser den (et øyeblikksbilde, ikke en ORM-rad)."""

    def __init__(
        self, id: int, brukernavn: str, navn: str, rolle: str, part_id: int | None = None
    ) -> None:
        self.id, self.brukernavn, self.navn, self.rolle = id, brukernavn, navn, rolle
        self.part_id = part_id  # bare partnerbrukere: institusjonen de tilhører

    @classmethod
    def fra(cls, b: Bruker) -> Innlogget:
        return cls(b.id, b.brukernavn, b.navn, b.rolle, b.part_id)


def _hemmelig_nokkel(inn: Innstillinger) -> str:
    """Nøkkel fra innstillingene, ellers en tilfeldig som lagres i instansmappen (aldri i git)."""
    if inn.hemmelig_nokkel:
        return inn.hemmelig_nokkel
    fil = inn.instans / "secret_key"
    if not fil.exists():
        fil.write_text(secrets.token_hex(32))
        fil.chmod(0o600)
    return fil.read_text().strip()


def create_app(tjenester: Tjenester | None = None, **config: object) -> Flask:
    tj = tjenester or apne(Innstillinger.fra_miljo())
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_hemmelig_nokkel(tj.innstillinger),
        MAX_CONTENT_LENGTH=MAKS_OPPLASTING,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    app.config.update(config)
    app.extensions["dokumenter"] = tj

    @app.before_request
    def storre_grense_for_filer() -> None:
        # Før CSRF-sjekken leser skjemaet: grensen må settes før forespørselen leses.
        if request.endpoint in FILOPPLASTING:
            request.max_content_length = MAKS_FILOPPLASTING

    CSRFProtect(app)
    login = LoginManager(app)
    login.login_view = "auth.logg_inn"
    login.login_message = "Logg inn for å se denne siden."
    login.login_message_category = "info"

    @login.unauthorized_handler
    def ikke_innlogget():
        if request.path.startswith("/api/"):
            return jsonify({"feil": "Du må være logget inn."}), 401
        flash(login.login_message, "info")
        side = "portal.logg_inn" if request.blueprint in PORTALEN else "auth.logg_inn"
        return redirect(url_for(side, next=request.full_path.rstrip("?")))

    @login.user_loader
    def last_bruker(bruker_id: str) -> Innlogget | None:
        with tj.sesjoner() as s:
            b = s.get(Bruker, int(bruker_id)) if bruker_id.isdigit() else None
            return Innlogget.fra(b) if b is not None and b.aktiv else None

    from web import (
        auth,
        avtaler,
        avvik,
        evaluering,
        oversikt,
        parter,
        planer,
        planportal,
        portal,
        sok,
    )
    from web.tilgang import er_partner, sjekk_partnerokt

    app.before_request(sjekk_partnerokt)
    # Ansattblueprintene er stengt for partnere med `bare_ansatte` der de lages.
    # `auth` er åpen (innlogging og kalenderfeeden med hemmelig nøkkel).
    blueprints = (auth.bp, oversikt.bp, parter.bp, avtaler.bp, avvik.bp, evaluering.bp, sok.bp)
    for bp in (*blueprints, planer.bp, portal.bp, planportal.bp):
        app.register_blueprint(bp)
    if app.config.get("DEMO_EPOSTMAPPE"):
        from web import demopost

        app.register_blueprint(demopost.bp)
    tj.lenker = Weblenker(app, tj.innstillinger.nettadresse)

    app.jinja_env.filters["dato"] = formatering.dato_lang
    app.jinja_env.filters["tidspunkt"] = formatering.tidspunkt
    app.jinja_env.filters["orgnr"] = formatering.orgnr
    app.jinja_env.filters["datotekst"] = formatering.datotekst
    app.jinja_env.globals.update(
        STATUSER=STATUSER,
        PLANSTATUSER=PLANSTATUSER,
        PARTSTYPER=PARTSTYPER,
        er_ansatt=er_ansatt,
        er_partner=er_partner,
    )

    @app.context_processor
    def grunnmal() -> dict:
        # Feilsider for partnere (og for anonyme i portalen) får portalens utseende og lenker.
        portal_side = er_partner(current_user) or (
            request.blueprint in PORTALEN and not er_ansatt(current_user)
        )
        return {"grunnmal": "portal/base.html" if portal_side else "base.html"}

    @app.before_request
    def start_klokka() -> None:
        g.startet = time.perf_counter()

    @app.after_request
    def logg_foresporsel(resp):
        # Rutemønsteret, ikke adressen: nøkler i lenker og spørrestrenger logges aldri.
        rute = request.url_rule.rule if request.url_rule else "(ukjent rute)"
        ms = (time.perf_counter() - g.get("startet", time.perf_counter())) * 1000
        foresporsler.info("%s %s %s %.0f ms", request.method, rute, resp.status_code, ms)
        return resp

    @app.after_request
    def sikkerhetshoder(resp):
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    feil.registrer(app, MAKS_OPPLASTING, MAKS_SKANNET, FILOPPLASTING)
    return app
