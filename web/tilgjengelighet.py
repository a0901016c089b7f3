"""Tilgjengelighetserklæringen (`/tilgjengelighet`): offentlig, lenket fra bunnen av hver side.
Hva som er prøvd, hvordan, hva som ikke er i orden og hvor man melder fra. Tallene her skal
stemme med testen som prøver dem (tests/test_nettleser_tilgjengelighet.py)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template

from web.tilgang import tj

bp = Blueprint("tilgjengelighet", __name__)

# Datoen erklæringen sist ble gjennomgått; oppdateres når testene eller avvikene endres.
SIST_GJENNOMGATT = date(2026, 12, 3)
AXE_VERSJON = "4.12.1"  # axe-core i axe-playwright-python 0.1.8
AXE_REGLER = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@bp.route("/tilgjengelighet")
def erklaering():
    return render_template(
        "tilgjengelighet.html",
        dato=SIST_GJENNOMGATT,
        axe_versjon=AXE_VERSJON,
        axe_regler=AXE_REGLER,
        kontakt=tj().innstillinger.tilgjengelighet_kontakt,
    )
