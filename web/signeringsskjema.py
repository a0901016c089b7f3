"""Signering med engangskode, felles for ansattsiden og partnerportalen: skjemaene og de
tynne kallene til brukstilfellene (meldingene vises som flash eller ved feltet)."""

from __future__ import annotations

from flask import abort, flash, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from dokumenter.avtaler import signering
from dokumenter.felles.feil import Arkivfeil, IkkeFunnet, Oppsettsfeil, Valideringsfeil
from dokumenter.signering.koder import KODE_GYLDIG
from web.tilgang import fra, tj

SIGNATARSTATUS = {"venter": "Venter", "signert": "Signert", "avvist": "Avslått"}
RUNDESTATUS = {
    "aktiv": "Pågår",
    "fullfort": "Fullført",
    "avvist": "Avslått",
    "trukket": "Trukket",
    "utlopt": "Utløpt",
}


class Knappeskjema(FlaskForm):
    """Et skjema som bare er en knapp (CSRF-nøkkelen er hele innholdet)."""


class Kodeskjema(FlaskForm):
    kode = StringField(
        "Engangskode",
        description=(
            f"Sekssifret kode fra e-posten. Den gjelder i "
            f"{int(KODE_GYLDIG.total_seconds() // 60)} minutter."
        ),
        validators=[DataRequired("Skriv koden fra e-posten."), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 20},
    )


class Avslagsskjema(FlaskForm):
    grunn = TextAreaField(
        "Hvorfor vil du ikke signere?",
        description="Den ansvarlige i kommunen får begrunnelsen på e-post.",
        validators=[DataRequired("Skriv hvorfor du ikke vil signere."), Length(max=2000)],
        render_kw={"maxlength": 2000, "rows": 3},
    )


def _epostfeil(feil: list[str]) -> None:
    for f in feil:
        flash(f"E-post ble ikke sendt: {f}", "feil")


def send_kode(avtale_id: int) -> None:
    """«Send engangskode»: meldingen vises som flash."""
    if not Knappeskjema().validate_on_submit():
        flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
        return
    try:
        feil = signering.send_kode(tj(), avtale_id, current_user.id, fra=fra())
    except Valideringsfeil as e:
        for m in e.feil.values():
            flash(m, "feil")
        return
    except IkkeFunnet:
        abort(404)
    if feil:
        flash(f"Koden kunne ikke sendes: {feil}", "feil")
    else:
        flash("En engangskode er sendt til e-postadressen din. Skriv den inn nedenfor.", "ok")


def signer(avtale_id: int, skjema: Kodeskjema) -> str | None:
    """«Signer»: rundens status ("aktiv" | "fullfort") når signaturen er registrert, ellers
    None med feilen ved kodefeltet."""
    if not skjema.validate_on_submit():
        flash("Signaturen ble ikke registrert. Se feilen ved kodefeltet.", "feil")
        return None
    try:
        status, feil = signering.signer(
            tj(),
            avtale_id,
            current_user.id,
            skjema.kode.data,
            ip=request.remote_addr or "",
            fra=fra(),
        )
    except Valideringsfeil as e:
        if "kode" in e.feil:
            skjema.kode.errors = [e.feil["kode"]]
            flash("Signaturen ble ikke registrert. Se feilen ved kodefeltet.", "feil")
        for navn, m in e.feil.items():
            if navn != "kode":
                flash(m, "feil")
        return None
    except IkkeFunnet:
        abort(404)
    except (Arkivfeil, Oppsettsfeil) as e:
        # Signaturen er lagret; den signerte kopien lages på nytt av påminnelsesjobben.
        flash(f"Signaturen er registrert, men den signerte kopien kunne ikke lages: {e}", "feil")
        return "aktiv"
    if status == "fullfort":
        flash("Du har signert. Alle har nå signert, og avtalen er inngått.", "ok")
    else:
        flash("Du har signert. Neste signerer har fått beskjed på e-post.", "ok")
    _epostfeil(feil)
    return status


def avvis(avtale_id: int, skjema: Avslagsskjema) -> bool:
    """«Avslå»: True når avslaget er registrert, ellers False med feilen ved feltet."""
    if not skjema.validate_on_submit():
        flash("Avslaget ble ikke registrert. Se feilen ved begrunnelsen.", "feil")
        return False
    try:
        feil = signering.avvis(tj(), avtale_id, current_user.id, skjema.grunn.data, fra=fra())
    except Valideringsfeil as e:
        if "grunn" in e.feil:
            skjema.grunn.errors = [e.feil["grunn"]]
            flash("Avslaget ble ikke registrert. Se feilen ved begrunnelsen.", "feil")
        for navn, m in e.feil.items():
            if navn != "grunn":
                flash(m, "feil")
        return False
    except IkkeFunnet:
        abort(404)
    flash("Du har avslått å signere. Den ansvarlige i kommunen har fått beskjed.", "ok")
    _epostfeil(feil)
    return True
