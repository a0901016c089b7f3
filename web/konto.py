"""Egen konto: hver bruker (ansatt eller partner) kan bytte sitt eget passord (det nåværende
må oppgis; de andre øktene avsluttes, og byttet står i kontologgen), bytte e-postadresse (med
en lenke til den nye adressen) og se sine varsler. Her er også engangslenkene for nytt passord
og ny e-postadresse (åpne sider: nøkkelen i lenken er tilgangen)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dokumenter.brukere import administrasjon, kontoer
from dokumenter.brukere.passord import MAKS_PASSORDLENGDE, MIN_PASSORDLENGDE
from dokumenter.felles.feil import ForMangeForsok, Valideringsfeil
from dokumenter.varsler import lesing as varsellesing
from dokumenter.varsler.utsending import HENDELSER
from web import oktlager
from web.skjema import vis_feil
from web.svar import epostfeil
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


# --- Egen e-postadresse og egne varsler (felles for ansatte og portalen) ---------------------


class Epostskjema(FlaskForm):
    epost = StringField(
        "Ny e-postadresse",
        description="Vi sender en lenke dit; adressen byttes når du åpner lenken.",
        validators=[DataRequired("Skriv den nye e-postadressen."), Length(max=254)],
        render_kw={"autocomplete": "email", "type": "email"},
    )


def epostside(tilbake: str):
    skjema = Epostskjema()
    status = 200
    if skjema.validate_on_submit():
        try:
            feil = administrasjon.be_om_ny_epost(tj(), current_user.id, skjema.epost.data, fra())
        except Valideringsfeil as e:
            vis_feil(skjema, e)
            status = 400
        else:
            if feil:
                epostfeil(feil)
            else:
                flash(
                    f"Vi har sendt en lenke til {skjema.epost.data.strip().lower()}. Åpne den "
                    "for å bekrefte adressen; til da gjelder den gamle.",
                    "ok",
                )
            return redirect(url_for(tilbake))
    elif request.method == "POST":
        status = 400
    return render_template("konto/epost.html", skjema=skjema), status


def varselside():
    with tj().sesjoner() as s:
        varsler = [
            (v.tidspunkt, HENDELSER.get(v.hendelse, v.hendelse), v.adresse, v.status, v.feil)
            for v in varsellesing.for_bruker(s, current_user.id)
        ]
    return render_template("konto/varsler.html", varsler=varsler)


@bp.route("/epost", methods=["GET", "POST"])
def epost():
    return epostside("oversikt.forside")


@bp.route("/varsler")
def varsler():
    return varselside()


# --- Engangslenkene (nytt passord, ny e-postadresse); åpne, nøkkelen er tilgangen -------------

lenker = Blueprint("kontolenke", __name__, url_prefix="/konto/lenke")


class Nyttpassordskjema(FlaskForm):
    passord = PasswordField(
        "Nytt passord",
        description=NYTT_PASSORD,
        validators=[DataRequired("Skriv et nytt passord."), Length(max=MAKS_PASSORDLENGDE)],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSORDLENGDE},
    )
    gjenta = PasswordField(
        "Gjenta passordet",
        validators=[DataRequired("Skriv passordet en gang til."), Length(max=MAKS_PASSORDLENGDE)],
        render_kw={"autocomplete": "new-password"},
    )


def lenkeside(nokkel: str, innlogging: str):
    """Engangslenken: sett nytt passord, eller bekreft ny e-postadresse (med en knapp, så en
    e-postskanner som åpner lenken ikke bekrefter)."""
    nokkel = nokkel[:200]
    info = administrasjon.lenke(tj(), nokkel)
    if info is None:
        return _ugyldig_lenke()
    skjema = Nyttpassordskjema() if info.formal == "passord" else FlaskForm()
    if skjema.validate_on_submit():
        try:
            if info.formal == "passord":
                administrasjon.sett_passord(
                    tj(), nokkel, skjema.passord.data, skjema.gjenta.data, fra()
                )
                flash("Passordet er satt. Logg inn med det nye passordet.", "ok")
            else:
                ny = administrasjon.bekreft_epost(tj(), nokkel, fra())
                flash(f"E-postadressen er nå {ny}.", "ok")
        except Valideringsfeil as e:
            if "nokkel" in e.feil:
                return _ugyldig_lenke(e.feil["nokkel"])
            vis_feil(skjema, e)
        else:
            return redirect(url_for(innlogging))
    svar = render_template("konto/lenke.html", skjema=skjema, info=info)
    return svar, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _ugyldig_lenke(melding: str = administrasjon.UGYLDIG_LENKE):
    svar = render_template("feil.html", tittel="Lenken gjelder ikke lenger", melding=melding)
    return svar, 410, {"Cache-Control": "no-store"}


@lenker.route("/<nokkel>", methods=["GET", "POST"])
def vis(nokkel: str):
    return lenkeside(nokkel, "auth.logg_inn")
