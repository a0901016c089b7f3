"""Demo-postkassen: e-posten appen har sendt til den lokale SMTP-sinken, for `make run`.

Registreres bare når DOKUMENTER_DEMO_EPOSTMAPPE er satt (se web/__main__.py). Ingen innlogging:
det er bare for demonstrasjon, og skal aldri være slått på i drift.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template
from markupsafe import Markup, escape

from dokumenter.infrastruktur.smtpsink import les_mappe

bp = Blueprint("demopost", __name__, url_prefix="/demo")
_LENKE = re.compile(r"https?://[^\s<>\"']+")


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
def epost():  # noqa: ANN201
    mappe = current_app.config["DEMO_EPOSTMAPPE"]
    return render_template(
        "demopost.html", meldinger=les_mappe(mappe), mappe=mappe, med_lenker=med_lenker
    )
