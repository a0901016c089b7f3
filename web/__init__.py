"""Flask-appen: ansattsidene og partnerportalen som tynne skall over brukstilfellene i
`dokumenter`."""

from __future__ import annotations

import builtins
import secrets

from flask import Flask, request
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter, Map

from dokumenter.avtaler.livslop import STATUSER
from dokumenter.brukere.roller import er_ansatt
from dokumenter.felles import etiketter, formatering
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.noark import koble_til
from dokumenter.noark.kodeverk import SKJERMINGSHJEMMEL
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.planer.regler import STATUSER as PLANSTATUSER
from dokumenter.signering.skannet import MAKS_SKANNET
from dokumenter.sok import vedlikehold
from dokumenter.tjenester import Tjenester, apne
from web import feil, hoder, okt, sidevisning
from web.lenker import Weblenker
from web.okt import PORTALEN
from web.oktlager import Oktlager

MB = 1024 * 1024
MAKS_OPPLASTING = 2 * MB  # vanlige skjemaer
MAKS_FILOPPLASTING = MAKS_SKANNET + MB  # skannet signert kopi (20 MB) + skjemaets overhead
# Endepunktene som tar imot en fil; bare de får den høye grensen.
FILOPPLASTING = {
    "avtaler.last_opp_signert",
    "planer.last_opp_signert",
    "planer.last_opp_samtykke",
    "overgang.last_opp_skjema",
}
STORSTE_ID = 2**63 - 1  # største id i en adresse; databasen kan ha en lavere grense


class Heltall(IntegerConverter):
    """`int` i rutene, med øvre grense: en id over det databasen kan slå opp (64 bit i SQLite,
    32 bit i PostgreSQL, se `Tjenester.storste_id`) gir 404 som enhver ukjent id, i stedet for
    en databasefeil (OverflowError, «integer out of range») og 500."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        tak = getattr(map, "storste_id", STORSTE_ID)
        grense = tak if max is None else builtins.min(max, tak)
        super().__init__(map, fixed_digits, min, grense, signed)


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
    tj = koble_til(tjenester or apne(Innstillinger.fra_miljo()))
    https = tj.innstillinger.https
    app = Flask(__name__)
    app.url_map.storste_id = tj.storste_id  # type: ignore[attr-defined]
    app.url_map.converters["int"] = Heltall  # før rutene registreres
    app.config.update(
        SECRET_KEY=_hemmelig_nokkel(tj.innstillinger),
        MAX_CONTENT_LENGTH=MAKS_OPPLASTING,
        # Øktene står i databasen (web/oktlager.py); kapselen har bare nøkkelen. Over HTTPS
        # får den Secure og __Host-prefikset (ingen Domain, sti /: kan ikke settes av et
        # underdomene).
        SESSION_COOKIE_NAME="__Host-okt" if https else "okt",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    app.config.update(config)
    app.extensions["dokumenter"] = tj
    app.session_interface = Oktlager(tj)

    @app.before_request
    def storre_grense_for_filer() -> None:
        # Før CSRF-sjekken leser skjemaet: grensen må settes før forespørselen leses.
        if request.endpoint in FILOPPLASTING:
            request.max_content_length = MAKS_FILOPPLASTING

    CSRFProtect(app)
    okt.sett_opp(app, tj)

    from web import (
        arkiv,
        auth,
        avtaler,
        avvik,
        brukere,
        evaluering,
        konto,
        overgang,
        oversikt,
        parter,
        planer,
        planportal,
        portal,
        sok,
        statistikk,
        tilgjengelighet,
    )
    from web.tilgang import er_partner, kan

    # Ansattblueprintene er stengt for partnere med `bare_ansatte` der de lages.
    # `auth` er åpen (innlogging og kalenderfeeden med hemmelig nøkkel).
    blueprints = (
        auth.bp,
        konto.bp,
        konto.lenker,
        brukere.bp,
        oversikt.bp,
        parter.bp,
        avtaler.bp,
        avvik.bp,
        evaluering.bp,
        sok.bp,
        arkiv.bp,
        statistikk.bp,
        tilgjengelighet.bp,
    )
    for bp in (*blueprints, planer.bp, overgang.bp, portal.bp, planportal.bp):
        app.register_blueprint(bp)
    if app.config.get("DEMO_EPOSTMAPPE"):
        from web import demopost

        app.register_blueprint(demopost.bp)
    tj.lenker = Weblenker(app, tj.innstillinger.nettadresse)

    app.jinja_env.filters["dato"] = formatering.dato_lang
    app.jinja_env.filters["tidspunkt"] = formatering.tidspunkt
    app.jinja_env.filters["orgnr"] = formatering.orgnr
    app.jinja_env.filters["datotekst"] = formatering.datotekst
    # Én etikett per kode: {{ avtale.status|etikett("avtalestatus") }} (felles.etiketter).
    app.jinja_env.filters["etikett"] = lambda kode, tabell: etiketter.etikett(tabell, kode)
    app.jinja_env.globals.update(
        SKJERMINGSHJEMMEL=SKJERMINGSHJEMMEL,
        STATUSER=STATUSER,
        PLANSTATUSER=PLANSTATUSER,
        PARTSTYPER=PARTSTYPER,
        er_ansatt=er_ansatt,
        er_partner=er_partner,
        kan=kan,
        DEMO=tj.innstillinger.demo,
    )

    @app.context_processor
    def grunnmal() -> dict:
        # Feilsider for partnere (og for anonyme i portalen) får portalens utseende og lenker.
        portal_side = er_partner(current_user) or (
            request.blueprint in PORTALEN and not er_ansatt(current_user)
        )
        return {"grunnmal": "portal/base.html" if portal_side else "base.html"}

    sidevisning.registrer(app)
    hoder.registrer(app, hsts=https)
    feil.registrer(app, MAKS_OPPLASTING, MAKS_SKANNET, FILOPPLASTING)
    # Søkeindeksen: endringer som ble stående i journalen (en prosess som døde) tas inn; en
    # indeks som mangler eller ikke hører til arkivet, bygges på nytt i bakgrunnen.
    vedlikehold.ved_oppstart(tj)
    return app
