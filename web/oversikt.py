"""Forsiden: oversikten over parter og avtalestatus per sektor."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from dokumenter.oversikt import KOLONNER, oversikt
from web.tilgang import bare_ansatte, tj

bp = bare_ansatte(Blueprint("oversikt", __name__))


@bp.route("/")
@login_required
def forside():  # noqa: ANN201
    return render_template("oversikt.html", grupper=oversikt(tj()), kolonner=KOLONNER)
