"""Egen konto: hver bruker (ansatt eller partner) kan bytte sitt eget passord. Det nåværende
passordet må oppgis; de andre øktene avsluttes, og byttet står i kontologgen
(`brukere.kontoer.bytt_passord`)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from dokumenter.brukere import kontoer
from dokumenter.brukere.passord import MAKS_PASSORDLENGDE, MIN_PASSORDLENGDE
from dokumenter.felles.feil import ForMangeForsok, Valideringsfeil
from web import oktlager
from web.skjema import vis_feil
from web.tilgang import bare_ansatte, fra, tj

bp = bare_ansatte(Blueprint("konto", __name__, url_prefix="/konto"))
NYTT_PASSORD = (
    f"Minst {MIN_PASSORDLENGDE} tegn. Tre eller fire tilfeldige ord med bindestrek eller "
    "mellomrom er både sterkt og lett å huske."
)


class Passordbytteskjema(FlaskForm):
    naavaerende = PasswordField(
        "Nåværende passord",
        validators=[DataRequired("Skriv passordet du har nå."), Length(max=MAKS_PASSORDLENGDE)],
        render_kw={"autocomplete": "current-password"},
    )
    passord = PasswordField(
        "Nytt passord",
        description=NYTT_PASSORD,
        validators=[DataRequired("Skriv et nytt passord."), Length(max=MAKS_PASSORDLENGDE)],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSORDLENGDE},
    )
    gjenta = PasswordField(
        "Gjenta det nye passordet",
        validators=[
            DataRequired("Skriv det nye passordet en gang til."),
            Length(max=MAKS_PASSORDLENGDE),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def passordside(tilbake: str):
    """Skjemaet og byttet, felles for ansatte og portalen; `tilbake` er siden etterpå."""
    skjema = Passordbytteskjema()
    status = 200
    if skjema.validate_on_submit():
        try:
            kontoer.bytt_passord(
                tj(),
                current_user.id,
                skjema.naavaerende.data,
                skjema.passord.data,
                skjema.gjenta.data,
                behold_okt=oktlager.okt_id(),
                ip=request.remote_addr or "",
                fra=fra(),
            )
        except ForMangeForsok as e:
            flash(str(e), "feil")
            status = 429
        except Valideringsfeil as e:
            vis_feil(skjema, e)
            status = 400
        else:
            flash("Passordet er byttet. Du er logget ut alle andre steder.", "ok")
            return redirect(url_for(tilbake))
    elif request.method == "POST":
        status = 400
    svar = render_template("konto/passord.html", skjema=skjema)
    return svar, status, {"Cache-Control": "no-store"}


@bp.route("/passord", methods=["GET", "POST"])
def passord():
    return passordside("oversikt.forside")
