"""Avvik for ansatte: liste, melding mot en inngått avtale, sending, svar, lukking og
nedlasting av avviksskjemaene. Selve visningene deles med portalen (`web/avvikssider.py`).

Tilgangen avgjøres av brukstilfellene i `dokumenter.avvik` (via `Melder`); lesetilgang ser
avvikene, men får 403 på alt som endrer. Personreferansen vises bare når brukstilfellet
returnerer den (ansatte med skrivetilgang).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from dokumenter.avtaler import visning
from dokumenter.avvik import lesing
from dokumenter.avvik.regler import KATEGORIER, STATUSER
from web import avvikssider
from web.avvikssider import ANSATTE
from web.sidevisning import utvalg
from web.tilgang import bare_ansatte, skrivetilgang, tj

# Ingen url_prefix: meldingen hører til avtalesiden (/avtaler/<id>/avvik/ny).
bp = bare_ansatte(Blueprint("avvik", __name__))


@bp.route("/avvik/")
@login_required
def liste():
    valgt = request.args.get("status", "")
    return render_template(
        "avvik/liste.html",
        avvik=lesing.liste(tj(), valgt, utvalg(lesing.AVVIKSLISTE)),
        valgt_status=valgt,
        FILTER=lesing.FILTER,
        STATUSER=STATUSER,
        KATEGORIER=KATEGORIER,
    )


@bp.route("/avtaler/<int:avtale_id>/avvik/ny", methods=["GET", "POST"])
@skrivetilgang
def ny(avtale_id: int):
    avtale = visning.hode(tj(), avtale_id)
    return avvikssider.ny(ANSATTE, avtale_id, avtale.part.navn, avtale.status, portal=False)


@bp.route("/avvik/<int:avvik_id>")
@login_required
def vis(avvik_id: int):
    return avvikssider.side(ANSATTE, avvik_id)


@bp.route("/avvik/<int:avvik_id>/send", methods=["POST"])
@skrivetilgang
def send(avvik_id: int):
    return avvikssider.send_knapp(ANSATTE, avvik_id)


@bp.route("/avvik/<int:avvik_id>/svar", methods=["POST"])
@skrivetilgang
def besvar(avvik_id: int):
    return avvikssider.besvar(ANSATTE, avvik_id)


@bp.route("/avvik/<int:avvik_id>/lukk", methods=["POST"])
@skrivetilgang
def lukk(avvik_id: int):
    return avvikssider.lukk(ANSATTE, avvik_id)


@bp.route("/avvik/skjema/<int:skjema_id>.<fmt>")
@login_required
def skjema(skjema_id: int, fmt: str):
    return avvikssider.skjemafil(skjema_id, fmt)
