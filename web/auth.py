"""Innlogging og utlogging for ansatte (partnere logger inn i portalen, se web/portal.py), og
kalenderabonnementet, der den hemmelige nøkkelen i adressen er legitimasjonen."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

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
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dokumenter.brukere import innlogging
from dokumenter.evaluering.kalender import kalender_feed
from dokumenter.felles.feil import ForMangeForsok
from dokumenter.models import Bruker
from dokumenter.overgang.kalender import oppgave_feed
from web import oktlager
from web.okt import Innlogget
from web.tilgang import er_partner, fra, tj

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


MAKS_NESTE = 2000


def _trygg_sti(verdi: str) -> bool:
    """En relativ sti på dette nettstedet: nøyaktig én «/» først, ingen «//», ingen «\\», ingen
    ordning (https:, javascript:) og ingen kontrolltegn eller mellomrom (nettlesere fjerner
    tabulator og linjeskift, så «/<tabulator>/x» blir «//x»)."""
    if not verdi.startswith("/") or "//" in verdi or "\\" in verdi:
        return False
    if any(tegn.isspace() or unicodedata.category(tegn)[0] in "CZ" for tegn in verdi):
        return False
    deler = urlsplit(verdi)
    return not deler.scheme and not deler.netloc


def trygg_neste(neste: str | None, standard: str) -> str:
    """`neste` når den er en trygg sti på dette nettstedet, ellers `standard`. Både verdien og
    den dekodede verdien sjekkes (/%2F/x er //x for en nettleser som dekoder)."""
    if not neste or len(neste) > MAKS_NESTE:
        return standard
    verdi = neste
    for _ in range(3):  # dobbelt kodet (%252F) dekodes også
        if not _trygg_sti(verdi):
            return standard
        dekodet = unquote(verdi)
        if dekodet == verdi:
            return neste
        verdi = dekodet
    return standard


def prov_innlogging(skjema: Innloggingsskjema) -> tuple[Bruker | None, int]:
    """Sjekk brukernavn og passord og logg inn. Gir (brukeren, HTTP-status for skjemasiden);
    feil vises som meldinger. Begrensningen på gjetting gir 429."""
    try:
        bruker = innlogging.autentiser(
            tj(), skjema.brukernavn.data, skjema.passord.data, ip=request.remote_addr or ""
        )
    except ForMangeForsok as e:
        flash(str(e), "feil")
        return None, 429
    if bruker is None:
        flash("Feil brukernavn eller passord.", "feil")
        return None, 200
    session.clear()
    login_user(Innlogget.fra(bruker))
    oktlager.ny_nokkel()  # ny økt med ny nøkkel (mot «session fixation»)
    return bruker, 200


def logg_ut_overalt() -> None:
    """Avslutt alle brukerens økter (i alle nettlesere), og denne."""
    if current_user.is_authenticated:
        innlogging.logg_ut(tj(), current_user.id, ip=request.remote_addr or "", fra=fra())
    logout_user()
    session.clear()
    flash("Du er logget ut.", "info")


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
    logg_ut_overalt()
    return redirect(url_for("auth.logg_inn"))


@bp.route("/kalender/<nokkel>/oppgaver.ics")
def oppgavekalender(nokkel: str) -> Response:
    """Oppgavene i overgangene som iCalendar-feed, med samme hemmelige nøkkel som
    evalueringene. Ukjent eller gammel nøkkel gir 404."""
    data = oppgave_feed(tj(), nokkel) if len(nokkel) <= MAKS_KALENDERNOKKEL else None
    if data is None:
        abort(404)
    return Response(
        data,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="oppgaver.ics"',
            "Cache-Control": "private, no-store",
        },
    )


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
