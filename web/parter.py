"""Avtaleparter: liste, registrering, endring og invitasjon av kontaktpersoner til portalen."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField

from dokumenter.brukere.invitasjoner import inviter_partner
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.parter import visning
from dokumenter.parter.skriving import endre_part, opprett_part
from dokumenter.parter.typer import PARTSTYPER, SEKTORER
from web.sidevisning import utvalg
from web.signeringsskjema import Knappeskjema
from web.skjema import valg, vis_feil
from web.svar import UGYLDIG_SKJEMA, som_melding
from web.tilgang import bare_ansatte, fra, skrivetilgang, tj

bp = bare_ansatte(Blueprint("parter", __name__, url_prefix="/parter"))
TOMME_KONTAKTRADER = 2


class Kontaktskjema(Form):
    navn = StringField("Navn")
    rolle = StringField("Rolle")
    epost = StringField("E-post", render_kw={"type": "email", "autocomplete": "off"})
    telefon = StringField("Telefon", render_kw={"type": "tel"})


class Partskjema(FlaskForm):
    navn = StringField("Navn", render_kw={"required": True, "maxlength": 200})
    type = SelectField(
        "Type",
        choices=valg([("", "Velg type …")] + [(k, t.etikett) for k, t in PARTSTYPER.items()]),
    )
    orgnr = StringField(
        "Organisasjonsnummer",
        description="9 siffer, for eksempel 974 760 673.",
        render_kw={"inputmode": "numeric", "required": True},
    )
    adresse = StringField("Adresse", render_kw={"maxlength": 300})
    kontaktpersoner = FieldList(FormField(Kontaktskjema), min_entries=1)


def _data(skjema: Partskjema) -> dict:
    return {
        "navn": skjema.navn.data,
        "type": skjema.type.data,
        "orgnr": skjema.orgnr.data,
        "adresse": skjema.adresse.data,
        "kontaktpersoner": [k.data for k in skjema.kontaktpersoner],
    }


@bp.route("/")
@login_required
def liste():
    sektor, tekst = request.args.get("sektor", ""), request.args.get("q", "")[:100]
    return render_template(
        "parter/liste.html",
        parter=visning.liste(tj(), sektor, tekst, utvalg(visning.PARTSLISTE)),
        sektorer=SEKTORER,
        valgt_sektor=sektor,
        tekst=tekst,
    )


@bp.route("/ny", methods=["GET", "POST"])
@skrivetilgang
def ny():
    skjema = Partskjema()
    if skjema.validate_on_submit():
        try:
            part = opprett_part(tj(), _data(skjema), current_user.id)
        except Valideringsfeil as e:
            vis_feil(skjema, e)
        else:
            flash(f"Parten «{part.navn}» er registrert.", "ok")
            return redirect(url_for("parter.vis", part_id=part.id))
    _fyll_tomme_rader(skjema)
    return render_template("parter/skjema.html", skjema=skjema, part=None)


@bp.route("/<int:part_id>")
@login_required
def vis(part_id: int):
    side = visning.partside(tj(), part_id)
    return render_template(
        "parter/vis.html",
        part=side.part,
        portal=side.portal,
        inviterskjema=Knappeskjema(formdata=None),
    )


@bp.route("/<int:part_id>/kontakt/<int:kontakt_id>/inviter", methods=["POST"])
@skrivetilgang
def inviter(part_id: int, kontakt_id: int):
    """Opprett (eller forny) portaltilgang for en kontaktperson og send invitasjonen."""
    navn = visning.kontaktperson(tj(), part_id, kontakt_id).navn
    if not Knappeskjema().validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
        return redirect(url_for("parter.vis", part_id=part_id))
    with som_melding():
        bruker, epostfeil = inviter_partner(tj(), kontakt_id, current_user.id, fra=fra())
        if epostfeil:
            flash(f"Tilgangen for {navn} er klar, men e-posten ble ikke sendt: {epostfeil}", "feil")
        else:
            flash(f"Invitasjonen til portalen er sendt til {bruker.epost}.", "ok")
    return redirect(url_for("parter.vis", part_id=part_id))


@bp.route("/<int:part_id>/endre", methods=["GET", "POST"])
@skrivetilgang
def endre(part_id: int):
    part = visning.hent(tj(), part_id)
    skjema = Partskjema(obj=part)
    if skjema.validate_on_submit():
        try:
            endre_part(tj(), part_id, _data(skjema), current_user.id)
        except Valideringsfeil as e:
            vis_feil(skjema, e)
        else:
            flash("Endringene er lagret.", "ok")
            return redirect(url_for("parter.vis", part_id=part_id))
    _fyll_tomme_rader(skjema)
    return render_template("parter/skjema.html", skjema=skjema, part=part)


def _fyll_tomme_rader(skjema: Partskjema) -> None:
    tomme = sum(1 for k in skjema.kontaktpersoner if not any(k.data.values()))
    for _ in range(max(0, TOMME_KONTAKTRADER - tomme)):
        skjema.kontaktpersoner.append_entry()
