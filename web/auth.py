"""Innlogging og utlogging for ansatte (partnere logger inn i portalen, se web/portal.py), og
kalenderabonnementet, der den hemmelige nøkkelen i adressen er legitimasjonen."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dokumenter.brukere.innlogging import ForMangeForsok, autentiser
from dokumenter.evaluering.kalender import kalender_feed
from dokumenter.models import Bruker
from web.okt import Innlogget
from web.tilgang import er_partner, start_okt, tj

bp = Blueprint("auth", __name__)
MAKS_KALENDERNOKKEL = 200


class Innloggingsskjema(FlaskForm):
    brukernavn = StringField(
        "Brukernavn",
        validators=[DataRequired("Skriv brukernavnet."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    passord = PasswordField(
        "Passord",
        validators=[DataRequired("Skriv passordet."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


def trygg_neste(neste: str | None, standard: str) -> str:
    """Bare en sti på dette nettstedet (aldri //annet.example eller \\-triks)."""
    if neste and neste.startswith("/") and not urlsplit(neste).netloc and "\\" not in neste:
        return neste
    return standard


def prov_innlogging(skjema: Innloggingsskjema) -> tuple[Bruker | None, int]:
    """Sjekk brukernavn og passord og logg inn. Gir (brukeren, HTTP-status for skjemasiden);
    feil vises som meldinger. Begrensningen på gjetting gir 429."""
    try:
        bruker = autentiser(
            tj(), skjema.brukernavn.data, skjema.passord.data, ip=request.remote_addr or ""
        )
    except ForMangeForsok as e:
        flash(str(e), "feil")
        return None, 429
    if bruker is None:
        flash("Feil brukernavn eller passord.", "feil")
        return None, 200
    session.clear()  # ny økt ved innlogging (mot «session fixation»)
    login_user(Innlogget.fra(bruker))
    start_okt(bruker)
    return bruker, 200


@bp.route("/logg-inn", methods=["GET", "POST"])
def logg_inn():
    skjema = Innloggingsskjema()
    status = 200
    if skjema.validate_on_submit():
        bruker, status = prov_innlogging(skjema)
        if bruker is not None:
            if er_partner(bruker):
                flash("Du er logget inn i avtaleportalen for samarbeidspartnere.", "info")
                return redirect(url_for("portal.oversikt"))
            neste = trygg_neste(request.args.get("next"), url_for("oversikt.forside"))
            return redirect(neste)
    return render_template("logg_inn.html", skjema=skjema), status


@bp.route("/logg-ut", methods=["POST"])
@login_required
def logg_ut():
    logout_user()
    session.clear()
    flash("Du er logget ut.", "info")
    return redirect(url_for("auth.logg_inn"))


@bp.route("/kalender/<nokkel>.ics")
def kalender(nokkel: str) -> Response:
    """Kommende evalueringsmøter som iCalendar-feed. Åpen rute: kalenderprogrammer logger ikke
    inn, så nøkkelen er hele legitimasjonen. Ukjent eller gammel nøkkel gir 404."""
    data = kalender_feed(tj(), nokkel) if len(nokkel) <= MAKS_KALENDERNOKKEL else None
    if data is None:
        abort(404)
    return Response(
        data,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="evalueringer.ics"',
            # Adressen er en hemmelighet; svaret skal ikke ligge igjen i delte mellomlagre.
            "Cache-Control": "private, no-store",
        },
    )
