"""Signering med engangskode, felles for ansattsiden og partnerportalen: skjemaene og de
tynne kallene til brukstilfellene (meldingene vises som flash eller ved feltet)."""

from __future__ import annotations

from flask import flash, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from dokumenter.avtaler import signering
from dokumenter.felles import etiketter
from dokumenter.felles.feil import Arkivfeil, Oppsettsfeil, Valideringsfeil
from dokumenter.signering.koder import KODE_GYLDIG
from web.svar import UGYLDIG_SKJEMA, epostfeil, som_melding
from web.tilgang import fra, tj

SIGNATARSTATUS = etiketter.SIGNATARSTATUS
RUNDESTATUS = etiketter.RUNDESTATUS


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


def _ved_feltet(skjema: FlaskForm, felt: str, e: Valideringsfeil, hva: str) -> None:
    """Feilen for `felt` vises ved feltet, resten som meldinger."""
    if felt in e.feil:
        skjema[felt].errors = [e.feil[felt]]
        flash(f"{hva} ble ikke registrert. Se feilen ved feltet.", "feil")
    for navn, melding in e.feil.items():
        if navn != felt:
            flash(melding, "feil")


def send_kode(avtale_id: int) -> None:
    """«Send engangskode»: meldingen vises som flash."""
    if not Knappeskjema().validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
        return
    with som_melding():
        feil = signering.send_kode(tj(), avtale_id, current_user.id, fra=fra())
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
        _ved_feltet(skjema, "kode", e, "Signaturen")
        return None
    except (Arkivfeil, Oppsettsfeil) as e:
        # Signaturen er lagret; den signerte kopien lages på nytt av påminnelsesjobben.
        flash(f"Signaturen er registrert, men den signerte kopien kunne ikke lages: {e}", "feil")
        return "aktiv"
    if status == "fullfort":
        flash("Du har signert. Alle har nå signert, og avtalen er inngått.", "ok")
    else:
        flash("Du har signert. Neste signerer har fått beskjed på e-post.", "ok")
    epostfeil(feil)
    return status


def avvis(avtale_id: int, skjema: Avslagsskjema) -> bool:
    """«Avslå»: True når avslaget er registrert, ellers False med feilen ved feltet."""
    if not skjema.validate_on_submit():
        flash("Avslaget ble ikke registrert. Se feilen ved begrunnelsen.", "feil")
        return False
    try:
        feil = signering.avvis(tj(), avtale_id, current_user.id, skjema.grunn.data, fra=fra())
    except Valideringsfeil as e:
        _ved_feltet(skjema, "grunn", e, "Avslaget")
        return False
    flash("Du har avslått å signere. Den ansvarlige i kommunen har fått beskjed.", "ok")
    epostfeil(feil)
    return True
