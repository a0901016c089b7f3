"""Den årlige evalueringen for ansatte: skjemaet (forhåndsutfylt med avvikene i perioden),
møteinnkallingen (.ics) og nedlasting av rapportene."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField

from dokumenter.avtaler import visning
from dokumenter.avtaler.produksjon import FORMATER
from dokumenter.avvik.regler import KATEGORIER
from dokumenter.avvik.regler import STATUSER as AVVIKSSTATUSER
from dokumenter.evaluering import kalender, lesing, paminnelser, skriving
from dokumenter.evaluering.regler import BESLUTNINGER, KAN_EVALUERES, MAKS_TEKST
from dokumenter.felles import smatall
from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.felles.formatering import dato_lang
from dokumenter.felles.frister import FORFALT, SNART, VARSEL_DAGER
from dokumenter.models import Evaluering
from web.sidevisning import utvalg
from web.skjema import valg, vis_feil
from web.svar import fil, kjente, uforanderlig_fil
from web.tilgang import bare_ansatte, fra, skrivetilgang, tj

# Ingen url_prefix: skjemaet og innkallingen hører til avtalesiden.
bp = bare_ansatte(Blueprint("evaluering", __name__))
ICS = "text/calendar; charset=utf-8"


def _tekst(etikett: str, rader: int = 3, **kw: object) -> TextAreaField:
    return TextAreaField(etikett, render_kw={"maxlength": MAKS_TEKST, "rows": rader}, **kw)


class Evalueringsskjema(FlaskForm):
    dato = StringField("Dato for evalueringsmøtet", render_kw={"type": "date"})
    deltakere_kommune = _tekst(
        "Deltakere fra kommunen", 2, description="Navn og rolle, én per linje."
    )
    deltakere_part = _tekst("Deltakere fra parten", 2, description="Navn og rolle, én per linje.")
    fungert = _tekst("Hva har fungert?")
    ikke_fungert = _tekst("Hva har ikke fungert?")
    beslutning = RadioField(
        "Beslutning", choices=valg(list(BESLUTNINGER.items())), validate_choice=False
    )
    neste_evaluering = StringField(
        "Neste evaluering",
        description="Tomt felt: ett år etter møtet, eller i avtalens evalueringsmåned.",
        render_kw={"type": "date"},
    )
    begrunnelse = _tekst("Begrunnelse for oppsigelsen", description="Påkrevd når avtalen sies opp.")
    avsluttet_dato = StringField(
        "Avsluttet dato", description="Tomt felt: datoen for møtet.", render_kw={"type": "date"}
    )

    def data_til_brukstilfellet(self) -> dict:
        return {f.name: f.data for f in self if f.name != "csrf_token"}


def _utfall(ev: Evaluering) -> str:
    """Hva beslutningen gjorde med avtalen, til meldingen etter lagring."""
    if ev.beslutning == "viderefores":
        return f"Avtalen videreføres. Neste evaluering: {dato_lang(ev.neste_evaluering)}."
    if ev.beslutning == "revideres":
        versjon = visning.hode(tj(), ev.avtale_id).gjeldende_versjon
        return f"Avtalen er satt til revisjon, og versjon {versjon} er laget som nytt utkast."
    return "Avtalen er sagt opp og avsluttet."


@bp.route("/avtaler/<int:avtale_id>/evaluering/ny", methods=["GET", "POST"])
@skrivetilgang
def ny(avtale_id: int):
    avtale = visning.hode(tj(), avtale_id)
    kan_evalueres = avtale.status in KAN_EVALUERES
    skjema = Evalueringsskjema()
    http_status = 200
    if kan_evalueres and skjema.validate_on_submit():
        try:
            ev = skriving.evaluer(
                tj(), avtale_id, skjema.data_til_brukstilfellet(), current_user.id, fra()
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
            http_status = 400
        except Arkivfeil as e:
            flash(str(e), "feil")
            http_status = 500
        else:
            flash(f"Evalueringen er registrert. {_utfall(ev)}", "ok")
            if ev.utkast_feil:
                flash(ev.utkast_feil, "feil")
            return redirect(url_for("avtaler.vis", avtale_id=avtale_id))
    elif request.method == "POST":
        http_status = 400
        if kan_evalueres:
            flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
    else:
        skjema.dato.data = date.today().isoformat()  # registreres vanligvis rett etter møtet
    forslag = skriving.forslag(tj(), avtale_id) if kan_evalueres else None
    return render_template(
        "evaluering/ny.html",
        avtale=avtale,
        skjema=skjema,
        kan_evalueres=kan_evalueres,
        forslag=forslag,
        KATEGORIER=KATEGORIER,
        AVVIKSSTATUSER=AVVIKSSTATUSER,
        SMATALL_REGEL=smatall.REGEL,
    ), http_status


@bp.route("/evalueringer/frister")
@login_required
def frister():
    """Alle evalueringer som er forfalt (eller forfaller snart), én side om gangen."""
    hvilke = SNART if request.args.get("frist") == SNART else FORFALT
    return render_template(
        "evaluering/frister.html",
        frister=paminnelser.frister_side(tj(), hvilke, utvalg=utvalg(paminnelser.FRISTLISTE)),
        hvilke=hvilke,
        VARSEL_DAGER=VARSEL_DAGER,
    )


@bp.route("/avtaler/<int:avtale_id>/evaluering.ics")
@login_required
def mote_ics(avtale_id: int):
    filnavn, data = kalender.mote_ics(tj(), avtale_id)
    return fil(data, filnavn, ICS)


@bp.route("/evaluering/<int:evaluering_id>.<fmt>")
@login_required
def rapport(evaluering_id: int, fmt: str):
    filnavn, data = lesing.les_rapport(
        tj(), evaluering_id, fmt, current_user.id, fra(), kjente=kjente()
    )
    return uforanderlig_fil(data, filnavn, FORMATER[fmt][1])
