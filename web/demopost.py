"""Demo-postkassen: e-posten appen har sendt til den lokale SMTP-sinken, for `make run`.

Registreres bare i demo (DOKUMENTER_DEMO=1, se web/__main__.py), og svarer bare forespørsler
fra denne maskinen (loopback); alle andre får 404. Ingen innlogging: det er bare for
demonstrasjon, og skal aldri være slått på i drift.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, render_template, request
from markupsafe import Markup, escape

from dokumenter.infrastruktur.smtpsink import les_mappe

bp = Blueprint("demopost", __name__, url_prefix="/demo")
_LENKE = re.compile(r"https?://[^\s<>\"']+")
LOOPBACK = ("127.0.0.1", "::1")


@bp.before_request
def bare_fra_denne_maskinen() -> None:
    if request.remote_addr not in LOOPBACK:
        abort(404)


def med_lenker(tekst: str) -> Markup:
    """Teksten escapet, med nettadressene som klikkbare lenker (invitasjoner, signering)."""
    deler, start = [], 0
    for m in _LENKE.finditer(tekst):
        url = m.group(0)
        deler += [escape(tekst[start : m.start()]), Markup('<a href="{0}">{0}</a>').format(url)]
        start = m.end()
    deler.append(escape(tekst[start:]))
    return Markup("").join(deler)


@bp.route("/epost")
def epost():
    mappe = current_app.config["DEMO_EPOSTMAPPE"]
    return render_template(
        "demopost.html", meldinger=les_mappe(mappe), mappe=mappe, med_lenker=med_lenker
    )
