"""Samarbeidsavtaler: liste, utkast, nye versjoner, status, ansvar, nedlasting og signering."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

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
from flask_wtf.file import FileField
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from dokumenter.avtaler import hendelser as avtaler_hendelser
from dokumenter.avtaler import lesing, produksjon, sammenligning, signering, skriving
from dokumenter.avtaler.livslop import aktiv_runde, manuelle_overganger
from dokumenter.avvik import lesing as avvik_lesing
from dokumenter.avvik import regler
from dokumenter.brukere.roller import ROLLER, SKRIVEROLLER, kan_skrive
from dokumenter.evaluering import lesing as evaluering_lesing
from dokumenter.evaluering import regler as evaluering_regler
from dokumenter.felles import feil, frister
from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.infrastruktur.maler import Mal
from dokumenter.models import (
    Ansvarsoverforing,
    Avtale,
    AvtaleVersjon,
    Bruker,
    Hendelse,
    Kommentar,
    Part,
    Signatar,
    Signeringsrunde,
    SignertKopi,
)
from dokumenter.planer import lesing as planer
from dokumenter.signering import runder
from dokumenter.signering.runder import FRIST_DAGER, PAMINNELSE_DAGER, SIDER, Signatarvalg
from web import signeringsskjema as sig
from web.avvik import melder
from web.skjema import valg, vis_feil
from web.tilgang import bare_ansatte, fra, skrivetilgang, tj

bp = bare_ansatte(Blueprint("avtaler", __name__, url_prefix="/avtaler"))

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
    # Valgene er de lovlige neste stegene fra avtalens status; brukstilfellet kontrollerer.
    status = SelectField("Ny status", validate_choice=False)
    begrunnelse = TextAreaField(
        "Begrunnelse",
        description="Påkrevd for «Ikke inngått» og «Avsluttet».",
        render_kw={"maxlength": 2000, "rows": 2},
    )
    avsluttet_dato = StringField(
        "Avsluttet dato",
        description="Bare for «Avsluttet». Tomt felt betyr i dag.",
        render_kw={"type": "date"},
    )


def statusskjema(status: str, **kw: object) -> Statusskjema:
    skjema = Statusskjema(**kw)
    skjema.status.choices = valg([(s, skriving.STATUSER[s]) for s in manuelle_overganger(status)])
    return skjema


ANTALL_SIGNATARRADER = 4
SENDES_TIL_SIGNERING = ("utkast", "til_gjennomgang", "til_revisjon")
OPPLASTING_MULIG = ("utkast", "til_gjennomgang", "til_signering", "til_revisjon")


class Signatarrad(Form):
    person = SelectField("Person", validate_choice=False)
    rolle = StringField(
        "Rolle", description="For eksempel «Kommunalsjef».", render_kw={"maxlength": 200}
    )


class Signeringsskjema(FlaskForm):
    rader = FieldList(
        FormField(Signatarrad),
        min_entries=ANTALL_SIGNATARRADER,
        max_entries=ANTALL_SIGNATARRADER,
    )
    frist_dager = StringField(
        "Frist (dager)",
        default=str(FRIST_DAGER),
        description="Avtalen blir «Ikke inngått» hvis ikke alle har signert innen fristen.",
        render_kw={"type": "number", "min": 1, "max": 365, "inputmode": "numeric"},
    )
    paminnelse_dager = StringField(
        "Påminnelse etter (dager)",
        default=str(PAMINNELSE_DAGER),
        description="Den som står for tur, får en påminnelse på e-post så ofte.",
        render_kw={"type": "number", "min": 1, "max": 60, "inputmode": "numeric"},
    )


def signeringsskjema(avtale_id: int, innsendt: bool) -> Signeringsskjema:
    """Skjemaet med kandidatene (kommunens signerere og partens portalbrukere) i hver rad;
    `innsendt` leser verdiene fra forespørselen, ellers foreslås en rekkefølge."""
    kandidater = signering.kandidater(tj(), avtale_id)
    choices = [SelectChoice("", "Ingen")] + [
        SelectChoice(f"{side}:{b.id}", b.navn, optgroup=SIDER[side])
        for side in ("kommune", "part")
        for b in kandidater[side]
    ]
    skjema = Signeringsskjema() if innsendt else Signeringsskjema(formdata=None)
    for rad in skjema.rader:
        rad.person.choices = choices
    if not innsendt:
        # Forslag: deg selv først for kommunen, så partens eneste portalbruker.
        if any(b.id == current_user.id for b in kandidater["kommune"]):
            skjema.rader[0].person.data = f"kommune:{current_user.id}"
        if len(kandidater["part"]) == 1:
            skjema.rader[1].person.data = f"part:{kandidater['part'][0].id}"
    skjema.har_partbrukere = bool(kandidater["part"])
    return skjema


def _heltall(felt: StringField) -> int | None:
    verdi = (felt.data or "").strip()
    if verdi.isascii() and verdi.isdigit() and len(verdi) < 6:
        return int(verdi)
    felt.errors = [*felt.errors, "Skriv et helt tall."]
    return None


class Opplastingsskjema(FlaskForm):
    fil = FileField(
        "Skannet signert kopi (PDF)",
        description="Den våtsignerte avtalen skannet som én PDF, høyst 20 MB. Avtalen blir "
        "«Inngått», og en pågående signeringsrunde trekkes.",
        render_kw={"accept": ".pdf,application/pdf"},
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
        if status in skriving.STATUSER:
            sporring = sporring.where(Avtale.status == status)
        avtaler = s.scalars(sporring).all()
    return render_template("avtaler/liste.html", avtaler=avtaler, valgt_status=status)


@bp.route("/ny", methods=["GET", "POST"])
@skrivetilgang
def ny():  # noqa: ANN201
    mal = tj().mal(produksjon.MAL)
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
            avtale = skriving.opprett_utkast(
                tj(),
                skjema.part_id.data,
                _feltverdier(skjema, mal),
                current_user.id,
                skjema.grunn.data or "",
                fra=fra(),
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
        except Arkivfeil as e:
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
            .where(Bruker.aktiv, Bruker.rolle.in_(SKRIVEROLLER))
            .order_by(Bruker.navn)
        ).all()
    return [(r.id, f"{r.navn} ({ROLLER[r.rolle].lower()})") for r in rader]


@dataclass
class Signeringsdata:
    runde: Signeringsrunde | None  # den siste runden, uansett status
    neste: Signatar | None  # den som står for tur i en aktiv runde
    kommentarer: list[Kommentar]
    kopier: list[SignertKopi]


def _signeringsdata(avtale_id: int) -> Signeringsdata:
    with tj().sesjoner() as s:
        runde = s.scalar(
            select(Signeringsrunde)
            .where(Signeringsrunde.avtale_id == avtale_id)
            .options(selectinload(Signeringsrunde.signatarer).selectinload(Signatar.bruker))
            .order_by(Signeringsrunde.id.desc())
            .limit(1)
        )
        kommentarer = s.scalars(
            select(Kommentar)
            .where(Kommentar.avtale_id == avtale_id)
            .options(selectinload(Kommentar.bruker))
            .order_by(Kommentar.id)
        ).all()
        kopier = signering.signerte_kopier(s, avtale_id)
    neste = runder.neste_signatar(runde) if runde and runde.status == "aktiv" else None
    return Signeringsdata(runde, neste, list(kommentarer), kopier)


def _vis(
    avtale_id: int,
    signeringsskjema_: Signeringsskjema | None = None,
    opplastingsskjema: Opplastingsskjema | None = None,
    http_status: int = 200,
):  # noqa: ANN202
    avtale = _hent(avtale_id)
    versjon = avtale.siste_versjon
    docx = versjon.dokument("docx") if versjon else None
    try:
        tekst = lesing.forhandsvisning(tj(), docx.sha256) if docx else []
    except Arkivfeil as e:
        tekst = []
        flash(str(e), "feil")
    skriv = kan_skrive(current_user)
    ansvarsskjema = Ansvarsskjema()
    ansvarsskjema.til.choices = valg(_ansvarlige())
    if not (skriv and avtale.status in SENDES_TIL_SIGNERING):
        signeringsskjema_ = None
    elif signeringsskjema_ is None:
        signeringsskjema_ = signeringsskjema(avtale_id, innsendt=False)
    with tj().sesjoner() as s:
        brukernavn = dict(s.execute(select(Bruker.id, Bruker.navn)).all())
    hendelser = [
        (
            h,
            avtaler_hendelser.HENDELSESTYPER.get(h.type, h.type),
            avtaler_hendelser.beskriv_hendelse(h, brukernavn),
        )
        for h in reversed(avtale.hendelser)
    ]
    idag = date.today()
    return render_template(
        "avtaler/vis.html",
        avtale=avtale,
        hendelser=hendelser,
        versjon=versjon,
        tekst=tekst,
        statusskjema=statusskjema(avtale.status, formdata=None),
        ansvarsskjema=ansvarsskjema,
        signeringsskjema=signeringsskjema_,
        opplastingsskjema=opplastingsskjema or Opplastingsskjema(formdata=None),
        kan_skrive=skriv,
        kan_laste_opp=skriv and avtale.status in OPPLASTING_MULIG,
        sign=_signeringsdata(avtale_id),
        SIGNATARSTATUS=sig.SIGNATARSTATUS,
        RUNDESTATUS=sig.RUNDESTATUS,
        SIDER=SIDER,
        avvik=avvik_lesing.for_avtale(tj(), avtale_id, melder()),
        kan_melde_avvik=skriv and avtale.status in regler.KAN_MELDE_AVVIK,
        evalueringer=evaluering_lesing.for_avtale(tj(), avtale_id),
        antall_planer=planer.antall_for_avtale(tj(), avtale_id),
        # Som forsiden: bare inngåtte avtaler har en løpende evalueringsfrist (datoen blir
        # stående når status endres for hånd).
        evalueringsfrist=(
            frister.vurder(avtale.neste_evaluering, idag)
            if avtale.neste_evaluering and avtale.status in evaluering_regler.KAN_EVALUERES
            else None
        ),
        kan_evaluere=skriv and avtale.status in evaluering_regler.KAN_EVALUERES,
        idag=idag,
        AVVIKSSTATUSER=regler.STATUSER,
        KATEGORIER=regler.KATEGORIER,
        BESLUTNINGER=evaluering_regler.BESLUTNINGER,
    ), http_status


@bp.route("/<int:avtale_id>")
@login_required
def vis(avtale_id: int):  # noqa: ANN201
    return _vis(avtale_id)


@bp.route("/<int:avtale_id>/endre", methods=["GET", "POST"])
@skrivetilgang
def endre(avtale_id: int):  # noqa: ANN201
    avtale = _hent(avtale_id)
    mal = tj().mal(produksjon.MAL)
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
            v = skriving.lagre_versjon(
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
        except feil.Konflikt as e:
            flash(str(e), "feil")
            if e.apnet and e.gjeldende:
                konflikt = sammenligning.sammenlign_versjoner(tj(), avtale_id, e.apnet, e.gjeldende)
            # Neste lagring bygger bevisst på den nyeste versjonen; skjemaet beholder dine verdier.
            skjema.versjon.data = e.gjeldende
        except Arkivfeil as e:
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
        resultat = sammenligning.sammenlign_versjoner(tj(), avtale_id, fra, til)
    except feil.IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    return render_template("avtaler/sammenlign.html", avtale=avtale, s=resultat)


@bp.route("/<int:avtale_id>/sammenlign.docx")
@login_required
def sammenlign_docx(avtale_id: int):  # noqa: ANN201
    try:
        resultat = sammenligning.sammenlign_versjoner(
            tj(), avtale_id, _versjonsnummer("fra", 0), _versjonsnummer("til", 0)
        )
    except feil.IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    navn = f"Endringer {resultat.part} v{resultat.fra.nummer} til v{resultat.til.nummer}.docx"
    return send_file(
        io.BytesIO(sammenligning.sammenligning_som_docx(resultat)),
        mimetype=produksjon.FORMATER["docx"][1],
        as_attachment=True,
        download_name=navn,
    )


def _avtalestatus(avtale_id: int) -> str:
    with tj().sesjoner() as s:
        status = s.scalar(select(Avtale.status).where(Avtale.id == avtale_id))
    if status is None:
        abort(404)
    return status


@bp.route("/<int:avtale_id>/status", methods=["POST"])
@skrivetilgang
def status(avtale_id: int):  # noqa: ANN201
    skjema = statusskjema(_avtalestatus(avtale_id))
    if skjema.validate_on_submit() and skjema.status.data:
        dato = None
        tekst = (skjema.avsluttet_dato.data or "").strip()
        if skjema.status.data == "avsluttet" and tekst:
            try:
                dato = date.fromisoformat(tekst)
            except ValueError:
                flash("Skriv datoen som åååå-mm-dd.", "feil")
                return redirect(url_for("avtaler.vis", avtale_id=avtale_id))
        try:
            skriving.sett_status(
                tj(),
                avtale_id,
                skjema.status.data,
                current_user.id,
                skjema.begrunnelse.data,
                fra=fra(),
                avsluttet_dato=dato,
            )
            flash(f"Status er satt til «{skriving.STATUSER[skjema.status.data]}».", "ok")
        except Valideringsfeil as e:
            for m in e.feil.values():
                flash(m, "feil")
        except feil.IkkeFunnet:
            abort(404)
    else:
        flash("Velg en gyldig status.", "feil")
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/<int:avtale_id>/signering", methods=["POST"])
@skrivetilgang
def send_til_signering(avtale_id: int):  # noqa: ANN201
    """Start en signeringsrunde: signererne i radenes rekkefølge; tomme rader hoppes over."""
    try:
        skjema = signeringsskjema(avtale_id, innsendt=True)
    except feil.IkkeFunnet:
        abort(404)
    if not skjema.validate_on_submit():
        flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
        return redirect(url_for("avtaler.vis", avtale_id=avtale_id))
    frist, paminnelse = _heltall(skjema.frist_dager), _heltall(skjema.paminnelse_dager)
    valgt: list[Signatarvalg] = []
    for rad in skjema.rader:
        side, _, bruker_id = (rad.person.data or "").partition(":")
        if side in SIDER and bruker_id.isascii() and bruker_id.isdigit():
            valgt.append(Signatarvalg(int(bruker_id), side, rad.rolle.data or ""))
        elif rad.person.data:
            rad.person.errors = ["Velg en person fra listen."]
    if frist is None or paminnelse is None or any(r.person.errors for r in skjema.rader):
        flash("Skjemaet har feil. Rett opp feltene som er merket.", "feil")
        return _vis(avtale_id, signeringsskjema_=skjema, http_status=400)
    try:
        _, epostfeil = signering.start_runde(
            tj(),
            avtale_id,
            valgt,
            current_user.id,
            frist_dager=frist,
            paminnelse_dager=paminnelse,
            fra=fra(),
        )
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return _vis(avtale_id, signeringsskjema_=skjema, http_status=400)
    except feil.IkkeFunnet:
        abort(404)
    flash("Avtalen er sendt til signering. Den første signereren har fått e-post.", "ok")
    for f in epostfeil:
        flash(f"E-post ble ikke sendt: {f}", "feil")
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/<int:avtale_id>/signert-kopi", methods=["POST"])
@skrivetilgang
def last_opp_signert(avtale_id: int):  # noqa: ANN201
    """En skannet, våtsignert PDF: avtalen blir «inngått» (se signering.last_opp_signert)."""
    skjema = Opplastingsskjema()
    if not skjema.validate_on_submit():
        flash("Skjemaet er ugyldig. Last siden på nytt.", "feil")
        return redirect(url_for("avtaler.vis", avtale_id=avtale_id))
    fil = skjema.fil.data
    data = fil.read() if fil else b""
    try:
        kopi = signering.last_opp_signert(tj(), avtale_id, data, current_user.id, fra=fra())
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return _vis(avtale_id, opplastingsskjema=skjema, http_status=400)
    except feil.IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        flash(str(e), "feil")
        return _vis(avtale_id, opplastingsskjema=skjema, http_status=500)
    flash(f"Den signerte kopien er lagret (SHA-256 {kopi.sha256[:12]}…). Avtalen er inngått.", "ok")
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/signert/<int:kopi_id>")
@login_required
def last_ned_signert(kopi_id: int):  # noqa: ANN201
    try:
        filnavn, data = signering.les_signert_kopi(tj(), kopi_id, current_user.id, fra=fra())
    except feil.IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filnavn
    )


def _signeringsside(
    avtale_id: int,
    kodeskjema: sig.Kodeskjema | None = None,
    avslagsskjema: sig.Avslagsskjema | None = None,
    http_status: int = 200,
):  # noqa: ANN202
    avtale = _hent(avtale_id)
    versjon = avtale.siste_versjon
    docx = versjon.dokument("docx") if versjon else None
    try:
        tekst = lesing.forhandsvisning(tj(), docx.sha256) if docx else []
    except Arkivfeil as e:
        tekst = []
        flash(str(e), "feil")
    with tj().sesjoner() as s:
        runde = aktiv_runde(s, avtale_id)
        signatarer = (
            [(x.bruker.navn, x.side, x.rolle, x.status, x.signert) for x in runde.signatarer]
            if runde
            else []
        )
        neste = runder.neste_signatar(runde) if runde else None
        min_tur = neste is not None and neste.bruker_id == current_user.id
        pdf = versjon.dokument("pdf") if runde and versjon else None
    return render_template(
        "avtaler/signer.html",
        avtale=avtale,
        tekst=tekst,
        pdf=pdf,
        runde=runde,
        signatarer=signatarer,
        min_tur=min_tur,
        kodeskjema=kodeskjema or sig.Kodeskjema(formdata=None),
        avslagsskjema=avslagsskjema or sig.Avslagsskjema(formdata=None),
        SIGNATARSTATUS=sig.SIGNATARSTATUS,
        SIDER=SIDER,
    ), http_status


@bp.route("/<int:avtale_id>/signer", methods=["GET", "POST"])
@login_required
def signer(avtale_id: int):  # noqa: ANN201
    if request.method == "GET":
        return _signeringsside(avtale_id)
    skjema = sig.Kodeskjema()
    if sig.signer(avtale_id, skjema) is None:
        return _signeringsside(avtale_id, kodeskjema=skjema, http_status=400)
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/<int:avtale_id>/signer/kode", methods=["POST"])
@login_required
def send_kode(avtale_id: int):  # noqa: ANN201
    sig.send_kode(avtale_id)
    return redirect(url_for("avtaler.signer", avtale_id=avtale_id))


@bp.route("/<int:avtale_id>/signer/avsla", methods=["POST"])
@login_required
def avsla(avtale_id: int):  # noqa: ANN201
    skjema = sig.Avslagsskjema()
    if not sig.avvis(avtale_id, skjema):
        return _signeringsside(avtale_id, avslagsskjema=skjema, http_status=400)
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/<int:avtale_id>/ansvar", methods=["POST"])
@skrivetilgang
def ansvar(avtale_id: int):  # noqa: ANN201
    skjema = Ansvarsskjema()
    skjema.til.choices = valg(_ansvarlige())
    if skjema.validate_on_submit():
        try:
            skriving.overfor_ansvar(
                tj(), avtale_id, skjema.til.data, current_user.id, skjema.merknad.data, fra=fra()
            )
            flash("Ansvaret er overført.", "ok")
        except Valideringsfeil as e:
            for m in e.feil.values():
                flash(m, "feil")
        except feil.IkkeFunnet:
            abort(404)
    else:
        flash("Velg hvem som skal overta ansvaret.", "feil")
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/dokument/<int:dokument_id>")
@login_required
def last_ned(dokument_id: int):  # noqa: ANN201
    try:
        dok, filnavn, data = lesing.les_dokument(tj(), dokument_id, current_user.id, fra())
    except feil.IkkeFunnet:
        abort(404)
    except Arkivfeil as e:
        return render_template("feil.html", tittel="Arkivfeil", melding=str(e)), 500
    return send_file(
        io.BytesIO(data),
        mimetype=produksjon.FORMATER[dok.format][1],
        as_attachment=True,
        download_name=filnavn,
        etag=dok.sha256,
    )
