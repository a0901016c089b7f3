"""Det hvert svar får: sikkerhetshodene (med HSTS når nettsidene bare nås over HTTPS), og én
logglinje per forespørsel med metode, rutemønster, status og tid (aldri adressen eller
spørrestrengen: nøkler i lenker og personopplysninger i søk havner ikke i loggen)."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

foresporsler = logging.getLogger("web.foresporsler")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
# Et år, uten includeSubDomains: kommunens andre underdomener er ikke dette systemets sak.
HSTS = "max-age=31536000"


def registrer(app: Flask, hsts: bool = False) -> None:
    """Hodene på hvert svar; `hsts` (DOKUMENTER_HTTPS=1) legger til Strict-Transport-Security."""

    @app.before_request
    def start_klokka() -> None:
        g.startet = time.perf_counter()

    @app.after_request
    def logg_og_hoder(svar: Response) -> Response:
        rute = request.url_rule.rule if request.url_rule else "(ukjent rute)"
        ms = (time.perf_counter() - g.get("startet", time.perf_counter())) * 1000
        foresporsler.info("%s %s %s %.0f ms", request.method, rute, svar.status_code, ms)
        svar.headers.setdefault("Content-Security-Policy", CSP)
        svar.headers.setdefault("X-Content-Type-Options", "nosniff")
        svar.headers.setdefault("X-Frame-Options", "DENY")
        svar.headers.setdefault("Referrer-Policy", "same-origin")
        if hsts:
            svar.headers.setdefault("Strict-Transport-Security", HSTS)
        return svar
