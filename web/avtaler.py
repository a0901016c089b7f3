"""Samarbeidsavtaler: liste, utkast, nye versjoner, status, ansvar og nedlasting."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from dokumenter import avtaler as uc
from dokumenter.arkivfeil import ARKIVFEIL
from dokumenter.brukere import ROLLER, kan_skrive
from dokumenter.maler import Mal
from dokumenter.models import Ansvarsoverforing, Avtale, AvtaleVersjon, Bruker, Hendelse, Part
from dokumenter.validering import Valideringsfeil
from web.skjema import valg, vis_feil
from web.tilgang import fra, skrivetilgang, tj

bp = Blueprint("avtaler", __name__, url_prefix="/avtaler")

_INPUTTYPE = {"heltall": "number", "dato": "date", "epost": "email", "telefon": "tel"}


def avtaleskjema(mal: Mal, velg_part: bool) -> type[FlaskForm]:
    """Et skjema med ett felt per felt i malens manifest."""
    attrs: dict = {}
    if velg_part:
        attrs["part_id"] = SelectField("Avtalepart", coerce=int, validate_choice=False)
    for f in mal.felt:
        kw = {"maxlength": f.lengdegrense} if f.type in ("tekst", "langtekst") else {}
        if f.type in _INPUTTYPE:
            kw["type"] = _INPUTTYPE[f.type]
        if f.type == "heltall":
            kw.update({k: v for k, v in (("min", f.min), ("max", f.max)) if v is not None})
        if f.paakrevd:
            kw["required"] = True
        felttype = TextAreaField if f.type == "langtekst" else StringField
        attrs[f.navn] = felttype(f.etikett, description=f.hjelp, render_kw=kw)
    attrs["grunn"] = StringField(
        "Kort begrunnelse for endringen",
        description="For eksempel «Endret varslingsfrist etter møte med Bodø fengsel».",
        render_kw={"maxlength": 500},
    )
    attrs["versjon"] = HiddenField()
    return type("Avtaleskjema", (FlaskForm,), attrs)


class Statusskjema(FlaskForm):
    status = SelectField("Ny status", choices=valg(list(uc.STATUSER.items())))
    begrunnelse = TextAreaField(
        "Begrunnelse",
        description="Påkrevd for «Ikke inngått» og «Avsluttet».",
        render_kw={"maxlength": 2000, "rows": 2},
    )


class Ansvarsskjema(FlaskForm):
    til = SelectField("Ny ansvarlig", coerce=int, validate_choice=False)
    merknad = StringField("Merknad", render_kw={"maxlength": 500})


def _feltverdier(skjema: FlaskForm, mal: Mal) -> dict:
    return {f.navn: skjema[f.navn].data for f in mal.felt}


@bp.route("/")
@login_required
def liste():  # noqa: ANN201
    status = request.args.get("status", "")
    with tj().sesjoner() as s:
        sporring = (
            select(Avtale)
            .options(selectinload(Avtale.part), selectinload(Avtale.ansvarlig))
            .order_by(Avtale.endret.desc())
        )
        if status in uc.STATUSER:
            sporring = sporring.where(Avtale.status == status)
        avtaler = s.scalars(sporring).all()
    return render_template("avtaler/liste.html", avtaler=avtaler, valgt_status=status)


@bp.route("/ny", methods=["GET", "POST"])
@skrivetilgang
def ny():  # noqa: ANN201
    mal = tj().mal(uc.MAL)
    with tj().sesjoner() as s:
        parter = s.execute(select(Part.id, Part.navn).order_by(Part.navn)).all()
    if not parter:
        flash("Registrer en avtalepart før du lager en avtale.", "info")
        return redirect(url_for("parter.ny"))
    skjema = avtaleskjema(mal, velg_part=True)(data=mal.standardverdier())
    skjema.part_id.choices = valg([(0, "Velg avtalepart …")] + [(p.id, p.navn) for p in parter])
    if request.method == "GET" and request.args.get("part", "").isdigit():
        skjema.part_id.data = int(request.args["part"])
    if skjema.validate_on_submit():
        try:
            if skjema.part_id.data not in {p.id for p in parter}:
                skjema.part_id.errors = ["Velg en avtalepart."]
                mal.valider(_feltverdier(skjema, mal))  # vis feltfeilene samtidig
                raise Valideringsfeil({})
            avtale = uc.opprett_utkast(
                tj(),
                skjema.part_id.data,
                _feltverdier(skjema, mal),
                current_user.id,
                skjema.grunn.data or "",
                fra=fra(),
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
        except ARKIVFEIL as e:
            flash(str(e), "feil")
        else:
            flash("Utkastet er laget. Last ned DOCX eller PDF/A nedenfor.", "ok")
            return redirect(url_for("avtaler.vis", avtale_id=avtale.id))
    return render_template("avtaler/skjema.html", skjema=skjema, mal=mal, avtale=None)


def _hent(avtale_id: int) -> Avtale:
    with tj().sesjoner() as s:
        avtale = s.get(
            Avtale,
            avtale_id,
            options=[
                selectinload(Avtale.part).selectinload(Part.kontaktpersoner),
                selectinload(Avtale.ansvarlig),
                selectinload(Avtale.versjoner).selectinload(AvtaleVersjon.dokumenter),
                selectinload(Avtale.versjoner).selectinload(AvtaleVersjon.opprettet_av),
                selectinload(Avtale.ansvarshistorikk).selectinload(Ansvarsoverforing.fra),
                selectinload(Avtale.ansvarshistorikk).selectinload(Ansvarsoverforing.til),
                selectinload(Avtale.ansvarshistorikk).selectinload(Ansvarsoverforing.utfort_av),
                selectinload(Avtale.hendelser).selectinload(Hendelse.bruker),
            ],
        )
        if avtale is None:
            abort(404)
    return avtale


def _ansvarlige() -> list[tuple[int, str]]:
    with tj().sesjoner() as s:
        rader = s.execute(
            select(Bruker.id, Bruker.navn, Bruker.rolle)
            .where(Bruker.aktiv, Bruker.rolle != "lesetilgang")
            .order_by(Bruker.navn)
        ).all()
    return [(r.id, f"{r.navn} ({ROLLER[r.rolle].lower()})") for r in rader]


@bp.route("/<int:avtale_id>")
@login_required
def vis(avtale_id: int):  # noqa: ANN201
    avtale = _hent(avtale_id)
    versjon = avtale.siste_versjon
    docx = versjon.dokument("docx") if versjon else None
    try:
        tekst = uc.forhandsvisning(tj(), docx.sha256) if docx else []
    except ARKIVFEIL as e:
        tekst = []
        flash(str(e), "feil")
    statusskjema = Statusskjema(status=avtale.status)
    ansvarsskjema = Ansvarsskjema()
    ansvarsskjema.til.choices = valg(_ansvarlige())
    with tj().sesjoner() as s:
        brukernavn = dict(s.execute(select(Bruker.id, Bruker.navn)).all())
    hendelser = [
        (h, uc.HENDELSESTYPER.get(h.type, h.type), uc.beskriv_hendelse(h, brukernavn))
        for h in reversed(avtale.hendelser)
    ]
    return render_template(
        "avtaler/vis.html",
        avtale=avtale,
        hendelser=hendelser,
        versjon=versjon,
        tekst=tekst,
        statusskjema=statusskjema,
        ansvarsskjema=ansvarsskjema,
        kan_skrive=kan_skrive(current_user),
    )


@bp.route("/<int:avtale_id>/endre", methods=["GET", "POST"])
@skrivetilgang
def endre(avtale_id: int):  # noqa: ANN201
    avtale = _hent(avtale_id)
    mal = tj().mal(uc.MAL)
    gjeldende = avtale.siste_versjon.feltverdier if avtale.siste_versjon else {}
    skjema = avtaleskjema(mal, velg_part=False)(
        data={**mal.standardverdier(), **gjeldende, "versjon": avtale.gjeldende_versjon}
    )
    konflikt = None
    if skjema.validate_on_submit():
        try:
            forventet = int(skjema.versjon.data)
        except (TypeError, ValueError):
            forventet = -1
        try:
            v = uc.lagre_versjon(
                tj(),
                avtale_id,
                _feltverdier(skjema, mal),
                current_user.id,
                skjema.grunn.data or "",
                forventet_versjon=forventet,
                fra=fra(),
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
        except uc.Konflikt as e:
            flash(str(e), "feil")
            if e.apnet and e.gjeldende:
                konflikt = uc.sammenlign_versjoner(tj(), avtale_id, e.apnet, e.gjeldende)
            # Neste lagring bygger bevisst på den nyeste versjonen; skjemaet beholder dine verdier.
            skjema.versjon.data = e.gjeldende
        except ARKIVFEIL as e:
            flash(str(e), "feil")
        else:
            flash(f"Versjon {v.nummer} er lagret.", "ok")
            return redirect(url_for("avtaler.vis", avtale_id=avtale_id))
    return render_template(
        "avtaler/skjema.html", skjema=skjema, mal=mal, avtale=avtale, konflikt=konflikt
    )


def _versjonsnummer(navn: str, standard: int) -> int:
    verdi = request.args.get(navn, "")
    return int(verdi) if verdi.isdigit() else standard


@bp.route("/<int:avtale_id>/sammenlign")
@login_required
def sammenlign(avtale_id: int):  # noqa: ANN201
    avtale = _hent(avtale_id)
    til = _versjonsnummer("til", avtale.gjeldende_versjon)
    fra = _versjonsnummer("fra", max(1, til - 1))
    try:
        resultat = uc.sammenlign_versjoner(tj(), avtale_id, fra, til)
    except uc.IkkeFunnet:
        abort(404)
    except ARKIVFEIL as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    return render_template("avtaler/sammenlign.html", avtale=avtale, s=resultat)


@bp.route("/<int:avtale_id>/sammenlign.docx")
@login_required
def sammenlign_docx(avtale_id: int):  # noqa: ANN201
    try:
        resultat = uc.sammenlign_versjoner(
            tj(), avtale_id, _versjonsnummer("fra", 0), _versjonsnummer("til", 0)
        )
    except uc.IkkeFunnet:
        abort(404)
    except ARKIVFEIL as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    navn = f"Endringer {resultat.part} v{resultat.fra.nummer} til v{resultat.til.nummer}.docx"
    return send_file(
        io.BytesIO(uc.sammenligning_som_docx(resultat)),
        mimetype=uc.FORMATER["docx"][1],
        as_attachment=True,
        download_name=navn,
    )


@bp.route("/<int:avtale_id>/status", methods=["POST"])
@skrivetilgang
def status(avtale_id: int):  # noqa: ANN201
    skjema = Statusskjema()
    if skjema.validate_on_submit():
        try:
            uc.sett_status(
                tj(),
                avtale_id,
                skjema.status.data,
                current_user.id,
                skjema.begrunnelse.data,
                fra=fra(),
            )
            flash(f"Status er satt til «{uc.STATUSER[skjema.status.data]}».", "ok")
        except Valideringsfeil as e:
            for m in e.feil.values():
                flash(m, "feil")
        except uc.IkkeFunnet:
            abort(404)
    else:
        flash("Velg en gyldig status.", "feil")
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/<int:avtale_id>/ansvar", methods=["POST"])
@skrivetilgang
def ansvar(avtale_id: int):  # noqa: ANN201
    skjema = Ansvarsskjema()
    skjema.til.choices = valg(_ansvarlige())
    if skjema.validate_on_submit():
        try:
            uc.overfor_ansvar(
                tj(), avtale_id, skjema.til.data, current_user.id, skjema.merknad.data, fra=fra()
            )
            flash("Ansvaret er overført.", "ok")
        except Valideringsfeil as e:
            for m in e.feil.values():
                flash(m, "feil")
        except uc.IkkeFunnet:
            abort(404)
    else:
        flash("Velg hvem som skal overta ansvaret.", "feil")
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/dokument/<int:dokument_id>")
@login_required
def last_ned(dokument_id: int):  # noqa: ANN201
    try:
        dok, filnavn, data = uc.les_dokument(tj(), dokument_id, current_user.id, fra())
    except uc.IkkeFunnet:
        abort(404)
    except ARKIVFEIL as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    return send_file(
        io.BytesIO(data),
        mimetype=uc.FORMATER[dok.format][1],
        as_attachment=True,
        download_name=filnavn,
        etag=dok.sha256,
    )
