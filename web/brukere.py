"""Brukeradministrasjon for administratorer: kontoene, ny ansatt, endre navn, e-post, telefon
og rolle, deaktivere og aktivere, og sende en engangslenke for nytt passord
(`dokumenter.brukere.administrasjon`, `kontoer`)."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length

from dokumenter.brukere import administrasjon, kontoer
from dokumenter.brukere.roller import PARTNER, ROLLER, SKRIVEROLLER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.overforing import ansvar as overforing
from web.skjema import vis_feil
from web.svar import epostfeil, som_melding
from web.tilgang import bare_admin, bare_ansatte, fra, tj

bp = bare_ansatte(Blueprint("brukere", __name__, url_prefix="/brukere"))


class Kontoskjema(FlaskForm):
    brukernavn = StringField(
        "Brukernavn",
        description="2–64 tegn: a–z, 0–9, punktum, - og _.",
        validators=[Length(max=64)],
    )
    navn = StringField("Navn", validators=[Length(max=200)])
    epost = StringField(
        "E-postadresse",
        description="Trengs for varsler, signering og lenken for å sette passord.",
        validators=[Length(max=254)],
    )
    telefon = StringField("Telefon", validators=[Length(max=40)])
    rolle = SelectField("Rolle", choices=[SelectChoice(k, v) for k, v in ROLLER.items()])


@bp.route("/")
@bare_admin
def liste():
    kontoer_ = administrasjon.liste(tj(), current_user.id, partnere=True)
    return render_template("brukere/liste.html", kontoer=kontoer_)


@bp.route("/ny", methods=["GET", "POST"])
@bare_admin
def ny():
    """En ny ansatt får en lenke på e-post for å sette sitt eget passord."""
    skjema = Kontoskjema()
    status = 200
    if skjema.validate_on_submit():
        if not (skjema.epost.data or "").strip():
            skjema.epost.errors = ["Den nye brukeren trenger e-post for å sette passord."]
            return render_template("brukere/skjema.html", skjema=skjema, konto=None), 400
        try:
            b = kontoer.opprett_bruker(
                tj(),
                skjema.brukernavn.data or "",
                skjema.navn.data or "",
                skjema.rolle.data or "",
                secrets.token_urlsafe(32),  # ingen kjenner det; brukeren setter sitt eget
                skjema.epost.data or "",
                skjema.telefon.data or "",
                opprettet_av=current_user.id,
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
            status = 400
        else:
            feil = administrasjon.send_nytt_passord(tj(), current_user.id, b.id, fra())
            flash(f"{b.navn} er opprettet.", "ok")
            if feil:
                epostfeil(feil)
            else:
                flash(f"Lenken for å sette passord er sendt til {b.epost}.", "ok")
            return redirect(url_for("brukere.liste"))
    elif skjema.is_submitted():
        status = 400
    return render_template("brukere/skjema.html", skjema=skjema, konto=None), status


@bp.route("/<int:bruker_id>", methods=["GET", "POST"])
@bare_admin
def endre(bruker_id: int):
    konto = administrasjon.hent(tj(), current_user.id, bruker_id)
    skjema = Kontoskjema(data=konto.__dict__ if request.method == "GET" else None)
    if konto.rolle == PARTNER:
        skjema.rolle.choices = [SelectChoice(PARTNER, "Partnerbruker")]
    status = 200
    if skjema.validate_on_submit():
        try:
            administrasjon.endre(
                tj(),
                current_user.id,
                bruker_id,
                skjema.navn.data or "",
                skjema.epost.data or "",
                skjema.telefon.data or "",
                skjema.rolle.data or "",
                fra(),
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
            status = 400
        else:
            flash(f"Endringene for {skjema.navn.data} er lagret.", "ok")
            return redirect(url_for("brukere.endre", bruker_id=bruker_id))
    elif skjema.is_submitted():
        status = 400
    return render_template("brukere/skjema.html", skjema=skjema, konto=konto), status


def _handling(bruker_id: int, utfor, ok: str):
    with som_melding():
        feil = utfor()
        flash(ok, "ok")
        if feil:
            epostfeil(feil)
    return redirect(url_for("brukere.endre", bruker_id=bruker_id))


@bp.route("/<int:bruker_id>/deaktiver", methods=["POST"])
@bare_admin
def deaktiver(bruker_id: int):
    return _handling(
        bruker_id,
        lambda: kontoer.deaktiver(tj(), current_user.id, bruker_id, fra()),
        "Kontoen er deaktivert, og brukeren er logget ut overalt.",
    )


@bp.route("/<int:bruker_id>/aktiver", methods=["POST"])
@bare_admin
def aktiver(bruker_id: int):
    return _handling(
        bruker_id,
        lambda: kontoer.aktiver(tj(), current_user.id, bruker_id, fra()),
        "Kontoen er aktivert igjen.",
    )


@bp.route("/<int:bruker_id>/nytt-passord", methods=["POST"])
@bare_admin
def nytt_passord(bruker_id: int):
    return _handling(
        bruker_id,
        lambda: administrasjon.send_nytt_passord(tj(), current_user.id, bruker_id, fra()),
        "Lenken for å sette nytt passord er sendt (hvis ikke, står feilen under).",
    )


# --- Overføring av ansvar når noen slutter ----------------------------------------------------


@bp.route("/<int:bruker_id>/overfor", methods=["GET", "POST"])
@bare_admin
def overfor(bruker_id: int):
    """Vis alt brukeren har ansvar for, og flytt det til etterfølgere i ett steg (og deaktiver
    kontoen i samme steg om det er valgt)."""
    b = overforing.beholdning(tj(), current_user.id, bruker_id)
    kandidater = [
        k for k in administrasjon.liste(tj(), current_user.id)
        if k.aktiv and k.id != bruker_id and k.rolle in SKRIVEROLLER
    ]  # fmt: skip
    status = 200
    if request.method == "POST":
        f = request.form
        til = {slag: _heltall(f.get(slag) or f.get("alle")) for slag in overforing.SLAG}
        try:
            feil = overforing.overfor(
                tj(),
                current_user.id,
                bruker_id,
                til,
                f.get("grunn", ""),
                deaktiver=bool(f.get("deaktiver")),
                fra=fra(),
            )
        except Valideringsfeil as e:
            for melding in e.feil.values():
                flash(melding, "feil")
            status = 400
        else:
            flash(f"Ansvaret etter {b.navn} er overført.", "ok")
            if f.get("deaktiver"):
                flash(f"Kontoen til {b.navn} er deaktivert.", "ok")
            epostfeil(feil)
            return redirect(url_for("brukere.endre", bruker_id=bruker_id))
    svar = render_template(
        "brukere/overfor.html",
        b=b,
        kandidater=kandidater,
        SLAG=overforing.SLAG,
        skjema=request.form,
    )
    return svar, status


def _heltall(verdi: str | None) -> int | None:
    return int(verdi) if verdi and verdi.isascii() and verdi.isdigit() and len(verdi) < 10 else None
