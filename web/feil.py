"""Feil til svar, ett sted for hele appen: domenets feiltre (`dokumenter.felles.feil`) og
HTTP-feilene fra Flask blir en norsk feilside (eller JSON under /api/).

Visningene fanger bare det de gjør noe annet med enn dette: et skjema som vises på nytt med
feilen ved feltet (`Valideringsfeil`), eller en konflikt som vises som redline.
"""

from __future__ import annotations

from flask import Flask, flash, g, jsonify, redirect, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from dokumenter.brukere.roller import ROLLER
from dokumenter.felles.feil import (
    Arkivfeil,
    Domenefeil,
    ForMangeForsok,
    IkkeFunnet,
    IngenTilgang,
    Konflikt,
    Oppsettsfeil,
    Valideringsfeil,
)

MB = 1024 * 1024
TITLER = {
    400: "Ugyldig forespørsel",
    403: "Ingen tilgang",
    404: "Fant ikke siden",
    405: "Ikke tillatt",
    409: "Lagret av en annen",
    410: "Ikke lenger gyldig",
    413: "For stor",
    429: "For mange forsøk",
    500: "Uventet feil",
}
MELDINGER = {
    403: "Du har ikke tilgang til dette.",
    405: "Siden kan ikke brukes på den måten. Gå tilbake og bruk knappene på siden.",
    410: "Dette finnes ikke lenger.",
    429: "For mange forsøk. Vent litt og prøv igjen.",
    500: "Noe gikk galt hos oss. Ingenting er lagret halvveis; prøv igjen.",
}


def feilside(status: int, melding: str = "", tittel: str | None = None):
    """Feilsiden (eller JSON for /api/) med riktig status."""
    melding = melding or MELDINGER.get(status, "")
    if request.path.startswith("/api/"):
        return jsonify({"feil": melding or TITLER.get(status, "Feil")}), status
    tittel = tittel or TITLER.get(status, "Feil")
    side = render_template(
        "feil.html",
        tittel=tittel,
        melding=melding,
        status=status,
        tilbake=_samme_nettsted(request.referrer),
        rolle=ROLLER.get(getattr(current_user, "rolle", None) or "")
        if g.get("mangler_rett")
        else None,
    )
    return side, status


def registrer(app: Flask, maks_opplasting: int, maks_fil: int, filopplasting: set[str]) -> None:
    """Koble hver feil til sitt svar. Kalles én gang av `create_app`."""

    def domenefeil(e: Domenefeil):
        return feilside(e.http_status, str(e))

    def valideringsfeil(e: Valideringsfeil):
        """Et brukstilfelle avviste inndata, og visningen har ikke et skjema å vise feilen i:
        meldingene vises, og brukeren sendes tilbake til siden hen kom fra."""
        if request.path.startswith("/api/"):
            return jsonify({"feil": e.feil}), 400
        tilbake = _samme_nettsted(request.referrer)
        if request.method == "POST" and tilbake:
            for melding in e.feil.values():
                flash(melding, "feil")
            return redirect(tilbake, code=303)
        return feilside(400, " ".join(e.feil.values()))

    def arkivfeil(e: Arkivfeil):
        app.logger.error("Arkivfeil: %s", e)
        return feilside(500, str(e), "Arkivfeil")

    def oppsettsfeil(e: Oppsettsfeil):
        app.logger.error("Feil i oppsettet: %s", e)
        return feilside(500, f"{e} Kontakt den som drifter systemet.", "Feil i oppsettet")

    def http_feil(e: HTTPException):
        status = e.code or 500
        if status == 413:
            grense = maks_fil if request.endpoint in filopplasting else maks_opplasting
            hva = "Filen" if request.endpoint in filopplasting else "Innsendingen"
            return feilside(413, f"{hva} er for stor (maks {grense // MB} MB).")
        if status == 400 and not request.path.startswith("/api/"):
            return feilside(400, "Forespørselen kunne ikke leses. Last siden på nytt.")
        return feilside(status)

    def csrf_feil(_e: CSRFError):
        melding = "Skjemaet er utløpt eller mangler sikkerhetsnøkkel. Last siden på nytt."
        return feilside(400, melding, "Ugyldig skjema")

    def uventet(_e: Exception):
        return feilside(500)

    for feiltype in (IkkeFunnet, IngenTilgang, Konflikt, ForMangeForsok):
        app.register_error_handler(feiltype, domenefeil)
    app.register_error_handler(Valideringsfeil, valideringsfeil)
    app.register_error_handler(Arkivfeil, arkivfeil)
    app.register_error_handler(Oppsettsfeil, oppsettsfeil)
    app.register_error_handler(CSRFError, csrf_feil)
    app.register_error_handler(HTTPException, http_feil)
    app.register_error_handler(500, uventet)


def _samme_nettsted(adresse: str | None) -> str | None:
    """Stien i en referer fra dette nettstedet, ellers None."""
    if not adresse or not adresse.startswith(request.host_url):
        return None
    sti = "/" + adresse.removeprefix(request.host_url)
    return sti if not sti.startswith("//") else None
