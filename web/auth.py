"""Innlogging og utlogging for ansatte."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dokumenter.brukere import autentiser
from web import Innlogget
from web.tilgang import tj

bp = Blueprint("auth", __name__)


class Innloggingsskjema(FlaskForm):
    brukernavn = StringField(
        "Brukernavn", validators=[DataRequired("Skriv brukernavnet."), Length(max=64)]
    )
    passord = PasswordField(
        "Passord", validators=[DataRequired("Skriv passordet."), Length(max=200)]
    )


def _trygg_neste(neste: str | None) -> str:
    if neste and neste.startswith("/") and not urlsplit(neste).netloc and "\\" not in neste:
        return neste
    return url_for("oversikt.forside")


@bp.route("/logg-inn", methods=["GET", "POST"])
def logg_inn():  # noqa: ANN201
    skjema = Innloggingsskjema()
    if skjema.validate_on_submit():
        bruker = autentiser(tj(), skjema.brukernavn.data, skjema.passord.data)
        if bruker is None:
            flash("Feil brukernavn eller passord.", "feil")
        else:
            session.clear()
            session.permanent = True
            login_user(Innlogget.fra(bruker))
            return redirect(_trygg_neste(request.args.get("next")))
    return render_template("logg_inn.html", skjema=skjema)


@bp.route("/logg-ut", methods=["POST"])
@login_required
def logg_ut():  # noqa: ANN201
    logout_user()
    session.clear()
    flash("Du er logget ut.", "info")
    return redirect(url_for("auth.logg_inn"))
