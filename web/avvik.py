"""Avvik for ansatte: liste, melding mot en inngått avtale, sending, svar, lukking og
nedlasting av avviksskjemaene. Skjemaene her brukes også av partnerportalen.

Tilgangen avgjøres av brukstilfellene i `dokumenter.avvik` (via `Melder`); lesetilgang ser
avvikene, men får 403 på alt som endrer. Personreferansen vises bare når brukstilfellet
returnerer den (ansatte med skrivetilgang).
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectField, StringField, TextAreaField

from dokumenter.avtaler.produksjon import FORMATER
from dokumenter.avvik import lesing, regler, skriving
from dokumenter.avvik.regler import KATEGORIER, MAKS_TEKST, Melder
from dokumenter.brukere.roller import kan_skrive
from dokumenter.felles.feil import Arkivfeil, IkkeFunnet, Valideringsfeil
from dokumenter.models import Avtale, Avvik
from web.signeringsskjema import Knappeskjema
from web.skjema import valg, vis_feil
from web.tilgang import bare_ansatte, fra, skrivetilgang, tj

# Ingen url_prefix: meldingen hører til avtalesiden (/avtaler/<id>/avvik/ny).
bp = bare_ansatte(Blueprint("avvik", __name__))

PERSONHINT = (
    "Ikke skriv navn eller andre personopplysninger her. Beskriv hendelsen uten å "
    "identifisere personen."
)
FRITEKST = ("hva_skjedde", "konsekvens", "strakstiltak")
FORFALT = "forfalt"  # filter i listen: sendt, og svarfristen er ute
IKKE_LUKKET = "ikke_lukket"  # filter i listen: alt som ikke er lukket (forsidens «åpne avvik»)
# Listen: det som venter på noen først.
REKKEFOLGE = {FORFALT: 0, "aapen": 1, "sendt": 2, "besvart": 3, "lukket": 4}


class Avviksskjema(FlaskForm):
    paragraf = StringField(
        "Paragraf i avtalen",
        description="Hvilket punkt i avtalen som ikke ble fulgt, for eksempel «§ 4 Varsling».",
        render_kw={"maxlength": 100},
    )
    kategori = SelectField(
        "Kategori",
        choices=valg([("", "Velg kategori …"), *KATEGORIER.items()]),
        validate_choice=False,
    )
    hendelsesdato = StringField("Dato for hendelsen", render_kw={"type": "date"})
    hva_skjedde = TextAreaField(
        "Hva skjedde?", description=PERSONHINT, render_kw={"maxlength": MAKS_TEKST, "rows": 4}
    )
    konsekvens = TextAreaField(
        "Konsekvens", description=PERSONHINT, render_kw={"maxlength": MAKS_TEKST, "rows": 3}
    )
    strakstiltak = TextAreaField(
        "Strakstiltak", description=PERSONHINT, render_kw={"maxlength": MAKS_TEKST, "rows": 3}
    )
    person_ref = StringField(
        "Personreferanse (valgfri, personopplysning)",
        description=(
            "For eksempel et saksnummer i fagsystemet. Vises bare for kommunens saksbehandlere; "
            "står aldri i avviksskjemaet, i søket eller i e-post."
        ),
        render_kw={"maxlength": 200, "autocomplete": "off"},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Hendelsen kan ikke være fram i tid (brukstilfellet sjekker det også).
        self.hendelsesdato.render_kw = {"type": "date", "max": date.today().isoformat()}

    def data_til_brukstilfellet(self) -> dict:
        navn = ("paragraf", "kategori", "hendelsesdato", *FRITEKST, "person_ref")
        return {n: self[n].data for n in navn if n in self}


class Svarskjema(FlaskForm):
    forklaring = TextAreaField(
        "Forklaring",
        description=f"Hvorfor skjedde avviket? {PERSONHINT}",
        render_kw={"maxlength": MAKS_TEKST, "rows": 4},
    )
    tiltak = TextAreaField(
        "Tiltak",
        description="Hva gjøres for at det ikke skal skje igjen?",
        render_kw={"maxlength": MAKS_TEKST, "rows": 3},
    )


class Lukkeskjema(FlaskForm):
    merknad = TextAreaField(
        "Merknad om oppfølgingen",
        description="Hvordan avviket er fulgt opp. Kommer med i det siste avviksskjemaet.",
        render_kw={"maxlength": MAKS_TEKST, "rows": 3},
    )


def melder() -> Melder:
    return Melder(current_user.id, current_user.rolle, current_user.part_id)


def flash_advarsler(skjema: Avviksskjema) -> None:
    """Hint om personopplysninger i fritekstfeltene; avviket er lagret uansett."""
    for navn in FRITEKST:
        for tekst in skriving.advarsler(skjema[navn].data or ""):
            flash(f"«{skjema[navn].label.text}»: {tekst}", "advarsel")


def flash_epostfeil(feil: list[str]) -> None:
    for f in feil:
        flash(f"E-post ble ikke sendt: {f}", "feil")


def flash_feil(e: Valideringsfeil) -> None:
    for m in e.feil.values():
        flash(m, "feil")


def forfalt(a: Avvik, idag: date | None = None) -> bool:
    return a.status == "sendt" and a.svarfrist is not None and a.svarfrist < (idag or date.today())


def skjemafil(filnavn: str, data: bytes, fmt: str):  # noqa: ANN201
    return send_file(
        io.BytesIO(data), mimetype=FORMATER[fmt][1], as_attachment=True, download_name=filnavn
    )


# --- Liste --------------------------------------------------------------------------------


@bp.route("/avvik/")
@login_required
def liste():  # noqa: ANN201
    valgt = request.args.get("status", "")
    idag = date.today()
    with tj().sesjoner() as s:
        sporring = select(Avvik).options(selectinload(Avvik.avtale).selectinload(Avtale.part))
        if valgt == FORFALT:
            sporring = sporring.where(Avvik.status == "sendt", Avvik.svarfrist < idag)
        elif valgt == IKKE_LUKKET:
            sporring = sporring.where(Avvik.status != "lukket")
        elif valgt in regler.STATUSER:
            sporring = sporring.where(Avvik.status == valgt)
        rader = s.scalars(sporring.order_by(Avvik.id.desc())).all()
    rader = sorted(rader, key=lambda a: REKKEFOLGE[FORFALT if forfalt(a, idag) else a.status])
    return render_template(
        "avvik/liste.html",
        avvik=[(a, forfalt(a, idag)) for a in rader],
        valgt_status=valgt,
        FILTER={
            IKKE_LUKKET: "Ikke lukket",
            FORFALT: "Forfalt (svarfristen er ute)",
            **regler.STATUSER,
        },
        STATUSER=regler.STATUSER,
        KATEGORIER=KATEGORIER,
    )


# --- Melding --------------------------------------------------------------------------------


def _avtale(avtale_id: int) -> Avtale:
    with tj().sesjoner() as s:
        avtale = s.get(Avtale, avtale_id, options=[selectinload(Avtale.part)])
    if avtale is None:
        abort(404)
    return avtale


@bp.route("/avtaler/<int:avtale_id>/avvik/ny", methods=["GET", "POST"])
@skrivetilgang
def ny(avtale_id: int):  # noqa: ANN201
    avtale = _avtale(avtale_id)
    skjema = Avviksskjema()
    kan_melde = avtale.status in regler.KAN_MELDE_AVVIK
    http_status = 200
    if kan_melde and skjema.validate_on_submit():
        try:
            a = skriving.registrer(
                tj(), avtale_id, skjema.data_til_brukstilfellet(), melder(), fra()
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
            http_status = 400
        except IkkeFunnet:
            abort(404)
        else:
            flash(f"Avvik {a.nummer} er registrert. Send det til parten når det er klart.", "ok")
            flash_advarsler(skjema)
            return redirect(url_for("avvik.vis", avvik_id=a.id))
    elif request.method == "POST":
        http_status = 400
        if kan_melde:
            flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
    return render_template(
        "avvik/ny.html",
        skjema=skjema,
        avtale_navn=avtale.part.navn,
        kan_melde=kan_melde,
        avbryt=url_for("avtaler.vis", avtale_id=avtale_id),
    ), http_status


# --- Ett avvik ------------------------------------------------------------------------------


def _hent(avvik_id: int) -> Avvik:
    try:
        return lesing.hent(tj(), avvik_id, melder())
    except IkkeFunnet:
        abort(404)


def handlinger(a: Avvik, side: str, skriv: bool) -> dict[str, bool]:
    """Hvilke skjemaer siden skal vise for brukeren (brukstilfellet kontrollerer igjen)."""
    return {
        "send": skriv and a.status == "aapen" and a.meldt_av_side == side,
        "svar": skriv and a.status == "sendt" and a.meldt_av_side != side,
        "lukk": skriv
        and side == "kommune"
        and (a.status == "besvart" or (a.status == "sendt" and forfalt(a))),
    }


def _vis(
    avvik_id: int,
    svarskjema: Svarskjema | None = None,
    lukkeskjema: Lukkeskjema | None = None,
    http_status: int = 200,
):  # noqa: ANN202
    a = _hent(avvik_id)
    return render_template(
        "avvik/vis.html",
        a=a,
        forfalt=forfalt(a),
        kan=handlinger(a, "kommune", kan_skrive(current_user)),
        knappeskjema=Knappeskjema(formdata=None),
        svarskjema=svarskjema or Svarskjema(formdata=None),
        lukkeskjema=lukkeskjema or Lukkeskjema(formdata=None),
        STATUSER=regler.STATUSER,
        KATEGORIER=KATEGORIER,
    ), http_status


@bp.route("/avvik/<int:avvik_id>")
@login_required
def vis(avvik_id: int):  # noqa: ANN201
    return _vis(avvik_id)


@bp.route("/avvik/<int:avvik_id>/send", methods=["POST"])
@skrivetilgang
def send(avvik_id: int):  # noqa: ANN201
    _hent(avvik_id)
    if not Knappeskjema().validate_on_submit():
        flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
        return redirect(url_for("avvik.vis", avvik_id=avvik_id))
    try:
        feil = skriving.send(tj(), avvik_id, melder(), fra())
    except Valideringsfeil as e:
        flash_feil(e)
    except IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        flash(str(e), "feil")
    else:
        flash("Avviket er sendt. Avviksskjemaet er laget, og parten har fått e-post.", "ok")
        flash_epostfeil(feil)
    return redirect(url_for("avvik.vis", avvik_id=avvik_id))


@bp.route("/avvik/<int:avvik_id>/svar", methods=["POST"])
@skrivetilgang
def besvar(avvik_id: int):  # noqa: ANN201
    _hent(avvik_id)
    skjema = Svarskjema()
    if not skjema.validate_on_submit():
        flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
        return _vis(avvik_id, svarskjema=skjema, http_status=400)
    try:
        feil = skriving.besvar(
            tj(),
            avvik_id,
            skjema.forklaring.data,
            skjema.tiltak.data,
            melder(),
            fra(),
        )
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return _vis(avvik_id, svarskjema=skjema, http_status=400)
    except IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        flash(str(e), "feil")
        return _vis(avvik_id, svarskjema=skjema, http_status=500)
    flash("Svaret er registrert, og parten har fått e-post.", "ok")
    flash_epostfeil(feil)
    return redirect(url_for("avvik.vis", avvik_id=avvik_id))


@bp.route("/avvik/<int:avvik_id>/lukk", methods=["POST"])
@skrivetilgang
def lukk(avvik_id: int):  # noqa: ANN201
    _hent(avvik_id)
    skjema = Lukkeskjema()
    if not skjema.validate_on_submit():
        flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
        return _vis(avvik_id, lukkeskjema=skjema, http_status=400)
    try:
        skriving.lukk(tj(), avvik_id, skjema.merknad.data, melder(), fra())
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return _vis(avvik_id, lukkeskjema=skjema, http_status=400)
    except IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        flash(str(e), "feil")
        return _vis(avvik_id, lukkeskjema=skjema, http_status=500)
    flash("Avviket er lukket.", "ok")
    return redirect(url_for("avvik.vis", avvik_id=avvik_id))


@bp.route("/avvik/skjema/<int:skjema_id>.<fmt>")
@login_required
def skjema(skjema_id: int, fmt: str):  # noqa: ANN201
    try:
        filnavn, data = lesing.les_skjema(tj(), skjema_id, fmt, melder(), fra())
    except IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    return skjemafil(filnavn, data, fmt)
