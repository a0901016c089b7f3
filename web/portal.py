"""Partnerportalen: kontaktpersoner hos en institusjon leser, kommenterer og signerer egne
avtaler og laster ned signerte kopier.

Alt slås opp med `current_user.part_id`; det brukstilfellene svarer IkkeFunnet på (andre
parters avtaler og filer) blir 404. Ansattes interne opplysninger vises aldri her.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, TextAreaField
from wtforms.validators import DataRequired, Length

from dokumenter.avtaler import portal as uc
from dokumenter.avtaler import signering
from dokumenter.avtaler.livslop import PARTEN_SER
from dokumenter.avtaler.portal import MAKS_KOMMENTAR, PartnerAvtale
from dokumenter.avvik import lesing as avvikslesing
from dokumenter.avvik.regler import KAN_MELDE_AVVIK, KATEGORIER
from dokumenter.avvik.regler import STATUSER as AVVIKSSTATUSER
from dokumenter.brukere.invitasjoner import bruk_invitasjon, invitasjon
from dokumenter.brukere.passord import MAKS_PASSORDLENGDE, MIN_PASSORDLENGDE
from dokumenter.brukere.roller import er_ansatt
from dokumenter.felles.feil import Arkivfeil, IkkeFunnet, Valideringsfeil
from web import avvikssider, konto
from web import signeringsskjema as sig
from web.auth import Innloggingsskjema, logg_ut_overalt, prov_innlogging, trygg_neste
from web.avvikssider import PORTALEN
from web.avviksskjema import melder
from web.sidevisning import utvalg
from web.skjema import vis_feil
from web.svar import kjente, uforanderlig_fil
from web.tilgang import er_partner, fra, krev_partner, tj

bp = Blueprint("portal", __name__, url_prefix="/portal")
APNE_SIDER = {"portal.logg_inn", "portal.invitasjon", "portal.kontolenke"}
KOPITYPER = {"forseglet": "Signert elektronisk (forseglet av kommunen)", "skannet": "Skannet"}


@bp.before_request
def bare_partnere():
    if request.endpoint in APNE_SIDER:
        return None
    return krev_partner()


class Kommentarskjema(FlaskForm):
    tekst = TextAreaField(
        "Kommentar til kommunen",
        description="Kommunen ser kommentaren sammen med versjonen du har lest.",
        validators=[DataRequired("Skriv en kommentar."), Length(max=MAKS_KOMMENTAR)],
        render_kw={"maxlength": MAKS_KOMMENTAR, "rows": 4},
    )


class Passordskjema(FlaskForm):
    passord = PasswordField(
        "Nytt passord",
        description=konto.NYTT_PASSORD,
        validators=[DataRequired("Skriv et passord."), Length(max=MAKS_PASSORDLENGDE)],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSORDLENGDE},
    )
    gjenta = PasswordField(
        "Gjenta passordet",
        validators=[DataRequired("Skriv passordet en gang til."), Length(max=MAKS_PASSORDLENGDE)],
        render_kw={"autocomplete": "new-password"},
    )


def _avtale(avtale_id: int) -> PartnerAvtale:
    return uc.avtale_for_partner(tj(), avtale_id, current_user.part_id, current_user.id)


def _tekst(avtale: PartnerAvtale) -> list[tuple[str, str]]:
    if avtale.status not in PARTEN_SER:
        return []
    try:
        return uc.forhandsvisning(tj(), avtale.id, current_user.part_id)
    except IkkeFunnet:
        return []
    except Arkivfeil as e:
        flash(str(e), "feil")
        return []


# --- Innlogging og invitasjon ---------------------------------------------------------------


@bp.route("/logg-inn", methods=["GET", "POST"])
def logg_inn():
    if request.method == "GET" and er_partner(current_user):
        return redirect(url_for("portal.oversikt"))
    skjema = Innloggingsskjema()
    skjema.brukernavn.label.text = "E-postadresse"
    status = 200
    if request.method == "GET" and request.args.get("bruker"):
        skjema.brukernavn.data = request.args["bruker"][:254]
    if skjema.validate_on_submit():
        bruker, status = prov_innlogging(skjema)
        if bruker is not None:
            if er_ansatt(bruker):
                return redirect(url_for("oversikt.forside"))
            neste = request.args.get("next")
            standard = url_for("portal.oversikt")
            neste = trygg_neste(neste, standard) if neste and neste.startswith("/portal") else None
            return redirect(neste or standard)
    return render_template("portal/logg_inn.html", skjema=skjema), status


@bp.route("/logg-ut", methods=["POST"])
def logg_ut():
    logg_ut_overalt()
    return redirect(url_for("portal.logg_inn"))


@bp.route("/konto/passord", methods=["GET", "POST"])
def passord():
    return konto.passordside("portal.oversikt")


@bp.route("/konto/epost", methods=["GET", "POST"])
def epost():
    return konto.epostside("portal.oversikt")


@bp.route("/konto/varsler")
def varsler():
    return konto.varselside()


@bp.route("/konto/lenke/<nokkel>", methods=["GET", "POST"])
def kontolenke(nokkel: str):
    return konto.lenkeside(nokkel, "portal.logg_inn")


@bp.route("/invitasjon/<nokkel>", methods=["GET", "POST"], endpoint="invitasjon")
def invitasjon_side(nokkel: str):
    bruker = invitasjon(tj(), nokkel[:200])
    if bruker is None:
        return _ugyldig_invitasjon()
    skjema = Passordskjema()
    if skjema.validate_on_submit():
        try:
            bruker = bruk_invitasjon(tj(), nokkel[:200], skjema.passord.data, skjema.gjenta.data)
        except Valideringsfeil as e:
            if "nokkel" in e.feil:  # brukt eller utløpt i mellomtiden
                return _ugyldig_invitasjon()
            vis_feil(skjema, e)
        else:
            flash("Passordet er satt. Logg inn med e-postadressen din og det nye passordet.", "ok")
            return redirect(url_for("portal.logg_inn", bruker=bruker.brukernavn))
    svar = render_template("portal/invitasjon.html", skjema=skjema, navn=bruker.navn)
    return svar, 200, {"Cache-Control": "no-store"}


def _ugyldig_invitasjon():
    melding = (
        "Lenken er allerede brukt eller har utløpt. Har du satt passord, kan du logge inn. "
        "Ellers kan du be kontaktpersonen din i kommunen om en ny invitasjon."
    )
    svar = render_template("feil.html", tittel="Invitasjonen gjelder ikke lenger", melding=melding)
    return svar, 410, {"Cache-Control": "no-store"}


# --- Avtalene ---------------------------------------------------------------------------------


@bp.route("/")
def oversikt():
    """Én liste per tilstand: en avtale står bare ett sted (en avtale som revideres og signeres
    på nytt, står under «Til signering» selv om den har signerte kopier fra før)."""
    avtaler = uc.avtaler_for_partner(tj(), current_user.part_id, current_user.id)
    aktive = ("til_gjennomgang", "til_signering")
    return render_template(
        "portal/oversikt.html",
        til_gjennomgang=[a for a in avtaler if a.status == "til_gjennomgang"],
        til_signering=[a for a in avtaler if a.status == "til_signering"],
        signerte=[a for a in avtaler if a.kopier and a.status not in aktive],
    )


def _avtaleside(
    avtale_id: int, kommentarskjema: Kommentarskjema | None = None, http_status: int = 200
):
    avtale = _avtale(avtale_id)
    avvik = avvikslesing.for_avtale(
        tj(), avtale_id, melder(), utvalg(avvikslesing.AVTALENS_AVVIK, "a")
    )
    return render_template(
        "portal/avtale.html",
        avtale=avtale,
        tekst=_tekst(avtale),
        kommentarskjema=kommentarskjema or Kommentarskjema(formdata=None),
        SIGNATARSTATUS=sig.SIGNATARSTATUS,
        KOPITYPER=KOPITYPER,
        avvik=avvik,
        kan_melde_avvik=avtale.status in KAN_MELDE_AVVIK,
        AVVIKSSTATUSER=AVVIKSSTATUSER,
        KATEGORIER=KATEGORIER,
        idag=date.today(),
    ), http_status


@bp.route("/avtaler/<int:avtale_id>")
def avtale(avtale_id: int):
    return _avtaleside(avtale_id)


@bp.route("/avtaler/<int:avtale_id>/kommentar", methods=["POST"])
def kommenter(avtale_id: int):
    _avtale(avtale_id)
    skjema = Kommentarskjema()
    if not skjema.validate_on_submit():
        return _avtaleside(avtale_id, skjema, 400)
    try:
        feil = uc.kommenter(
            tj(), avtale_id, current_user.part_id, current_user.id, skjema.tekst.data, fra=fra()
        )
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return _avtaleside(avtale_id, skjema, 400)
    flash("Kommentaren er sendt til kommunen.", "ok")
    if feil:  # den som kommenterte, ser bare at kommunen ikke fikk e-post; detaljene står der
        flash("Kommunen fikk ikke e-post om kommentaren, men den står på avtalen.", "info")
    return redirect(url_for("portal.avtale", avtale_id=avtale_id))


# --- Signering --------------------------------------------------------------------------------


def _signeringsside(
    avtale_id: int,
    kodeskjema: sig.Kodeskjema | None = None,
    avslagsskjema: sig.Avslagsskjema | None = None,
    http_status: int = 200,
):
    avtale = _avtale(avtale_id)
    return render_template(
        "portal/signer.html",
        avtale=avtale,
        tekst=_tekst(avtale),
        kodeskjema=kodeskjema or sig.Kodeskjema(formdata=None),
        avslagsskjema=avslagsskjema or sig.Avslagsskjema(formdata=None),
        SIGNATARSTATUS=sig.SIGNATARSTATUS,
    ), http_status


@bp.route("/avtaler/<int:avtale_id>/signer", methods=["GET", "POST"])
def signer(avtale_id: int):
    if request.method == "GET":
        return _signeringsside(avtale_id)
    _avtale(avtale_id)  # 404 for andres avtaler før noe annet
    skjema = sig.Kodeskjema()
    if sig.signer(avtale_id, skjema) is None:
        return _signeringsside(avtale_id, kodeskjema=skjema, http_status=400)
    return redirect(url_for("portal.avtale", avtale_id=avtale_id))


@bp.route("/avtaler/<int:avtale_id>/signer/kode", methods=["POST"])
def send_kode(avtale_id: int):
    _avtale(avtale_id)
    sig.send_kode(avtale_id)
    return redirect(url_for("portal.signer", avtale_id=avtale_id))


@bp.route("/avtaler/<int:avtale_id>/signer/avsla", methods=["POST"])
def avsla(avtale_id: int):
    _avtale(avtale_id)
    skjema = sig.Avslagsskjema()
    if not sig.avvis(avtale_id, skjema):
        return _signeringsside(avtale_id, avslagsskjema=skjema, http_status=400)
    return redirect(url_for("portal.avtale", avtale_id=avtale_id))


# --- Nedlasting -------------------------------------------------------------------------------


@bp.route("/dokument/<int:dokument_id>")
def dokument(dokument_id: int):
    filnavn, data = uc.les_pdf(
        tj(), dokument_id, current_user.part_id, current_user.id, fra=fra(), kjente=kjente()
    )
    return uforanderlig_fil(data, filnavn, "application/pdf")


@bp.route("/signert/<int:kopi_id>")
def signert(kopi_id: int):
    filnavn, data = signering.les_signert_kopi(
        tj(), kopi_id, current_user.id, part_id=current_user.part_id, fra=fra(), kjente=kjente()
    )
    return uforanderlig_fil(data, filnavn, "application/pdf")


# --- Avvik (visningene er felles med ansattsidene: web/avvikssider.py) ----------------------


@bp.route("/avvik/<int:avvik_id>", endpoint="avvik")
def vis_avvik(avvik_id: int):
    return avvikssider.side(PORTALEN, avvik_id)


@bp.route("/avvik/<int:avvik_id>/svar", methods=["POST"])
def besvar_avvik(avvik_id: int):
    return avvikssider.besvar(PORTALEN, avvik_id)


@bp.route("/avvik/<int:avvik_id>/send", methods=["POST"])
def send_avvik(avvik_id: int):
    """Send et avvik som ble lagret, men ikke sendt (for eksempel fordi arkivet var nede)."""
    return avvikssider.send_knapp(PORTALEN, avvik_id)


@bp.route("/avvik/skjema/<int:skjema_id>.<fmt>")
def avviksskjema(skjema_id: int, fmt: str):
    return avvikssider.skjemafil(skjema_id, fmt)


@bp.route("/avtaler/<int:avtale_id>/avvik/ny", methods=["GET", "POST"])
def nytt_avvik(avtale_id: int):
    """Parten melder et avvik; det sendes til kommunen med en gang."""
    avtale = _avtale(avtale_id)
    navn = avtale.tittel.removeprefix("Samarbeidsavtale med ")
    return avvikssider.ny(PORTALEN, avtale_id, navn, avtale.status, portal=True)
