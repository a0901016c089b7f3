"""Arkivet for ansatte: administratorenes side for arkivuttrekk (startet i bakgrunnen, med
framdrift og nedlasting som TAR) og meldinger til sak/arkiv som står fast, og skjerming av en
avtales sak eller et avvik (ansatte med skrivetilgang)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from dokumenter.felles.validering import les_dato
from dokumenter.noark import jobber, kodeverk, utboks
from dokumenter.noark.skjerming import sett_skjerming
from web.signeringsskjema import Knappeskjema
from web.skjema import valg
from web.svar import UGYLDIG_SKJEMA, som_melding
from web.tilgang import bare_admin, bare_ansatte, fra, skrivetilgang, tj

bp = bare_ansatte(Blueprint("arkiv", __name__))


class Uttrekksskjema(FlaskForm):
    fra = StringField(
        "Fra journaldato",
        validators=[Optional(), Length(max=10)],
        description="dd.mm.åååå; tomt: fra begynnelsen",
    )
    til = StringField(
        "Til journaldato",
        validators=[Optional(), Length(max=10)],
        description="dd.mm.åååå; tomt: til i dag",
    )
    arkivdel = SelectField(
        "Arkivdel",
        choices=valg([("", "Alle arkivdelene"), *kodeverk.ARKIVDELER.items()]),
        validate_choice=True,
    )


class Skjermingsskjema(FlaskForm):
    # Eget navn: avtalesiden har også avslagets «grunn» (én id per side).
    skjermingsgrunn = TextAreaField(
        "Begrunnelse",
        validators=[Length(max=1000)],
        description="Hvorfor skjermingen settes eller oppheves (logges).",
    )


def _dato(tekst: str | None):
    tekst = (tekst or "").strip()
    return les_dato(tekst) if tekst else None


@bp.route("/arkiv/")
@bare_admin
def side():
    return render_template(
        "arkiv/side.html",
        skjema=Uttrekksskjema(formdata=None),
        jobber=jobber.jobber(tj()),
        vist_status=jobber.vist_status,
        STATUSER=jobber.STATUSER,
        fastlaaste=utboks.fastlaaste(tj()),
        knappeskjema=Knappeskjema(formdata=None),
    )


@bp.route("/arkiv/uttrekk", methods=["POST"])
@bare_admin
def start_uttrekk():
    skjema = Uttrekksskjema()
    if not skjema.validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
        return redirect(url_for("arkiv.side"))
    try:
        fra_, til = _dato(skjema.fra.data), _dato(skjema.til.data)
    except (ValueError, TypeError):
        flash("Skriv datoene som dd.mm.åååå.", "feil")
        return redirect(url_for("arkiv.side"))
    with som_melding():
        jobb_id = jobber.start(
            tj(),
            current_user.id,
            fra_,
            til,
            skjema.arkivdel.data or "",
            bakgrunn=current_app.config.get("BAKGRUNN"),  # tester kan kjøre jobben med en gang
        )
        return redirect(url_for("arkiv.jobb", jobb_id=jobb_id))
    return redirect(url_for("arkiv.side"))


@bp.route("/arkiv/uttrekk/<int:jobb_id>")
@bare_admin
def jobb(jobb_id: int):
    j = jobber.hent(tj(), jobb_id, current_user.id)
    status = jobber.vist_status(j)
    return render_template(
        "arkiv/jobb.html",
        jobb=j,
        status=status,
        STATUSER=jobber.STATUSER,
        oppdater=status in ("venter", "kjorer"),
    )


@bp.route("/arkiv/uttrekk/<int:jobb_id>.tar")
@bare_admin
def last_ned(jobb_id: int):
    sti = jobber.tar_fil(tj(), jobb_id, current_user.id)
    svar = send_file(sti, mimetype="application/x-tar", as_attachment=True, download_name=sti.name)
    svar.headers["Cache-Control"] = "no-store"
    return svar


@bp.route("/arkiv/utboks/<int:melding_id>/send-igjen", methods=["POST"])
@bare_admin
def send_igjen(melding_id: int):
    if not Knappeskjema().validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
    else:
        with som_melding():
            utboks.send_paa_nytt(tj(), melding_id, current_user.id)
            flash("Meldingen sendes på nytt ved neste kjøring av send-utboks.", "ok")
    return redirect(url_for("arkiv.side"))


def _skjerm(til: str, **mal: int):
    skjema = Skjermingsskjema()
    skjermet = request.form.get("skjermet") == "1"
    if not skjema.validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
    else:
        with som_melding():
            grunn = skjema.skjermingsgrunn.data or ""
            sett_skjerming(tj(), current_user.id, skjermet, grunn, fra=fra(), **mal)
            flash("Skjermingen er satt." if skjermet else "Skjermingen er opphevet.", "ok")
    return redirect(url_for(til, **mal))


@bp.route("/avtaler/<int:avtale_id>/skjerming", methods=["POST"])
@skrivetilgang
def skjerm_avtale(avtale_id: int):
    return _skjerm("avtaler.vis", avtale_id=avtale_id)


@bp.route("/avvik/<int:avvik_id>/skjerming", methods=["POST"])
@skrivetilgang
def skjerm_avvik(avvik_id: int):
    return _skjerm("avvik.vis", avvik_id=avvik_id)
