"""Samarbeidsavtaler: liste, utkast, nye versjoner, status, ansvar, nedlasting og signering.

Skjemaene står i `web/avtaleskjema.py`, reglene i brukstilfellene og lesemodellene
(`dokumenter.sider.avtaleside`); feil blir svar i `web/feil.py`.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from dokumenter.avtaler import lesing, produksjon, sammenligning, signering, skriving, visning
from dokumenter.avtaler.livslop import STATUSER
from dokumenter.avvik.regler import KATEGORIER
from dokumenter.avvik.regler import STATUSER as AVVIKSSTATUSER
from dokumenter.brukere.visning import skrivere
from dokumenter.evaluering.regler import BESLUTNINGER
from dokumenter.felles.feil import Arkivfeil, Konflikt, Valideringsfeil
from dokumenter.parter import visning as parter
from dokumenter.sider.avtaleside import Sideutvalg, avtaleside
from dokumenter.signering.runder import SIDER
from dokumenter.varsler import lesing as varsellesing
from web import avtaleskjema as skjemaer
from web import signeringsskjema as sig
from web.arkiv import Skjermingsskjema
from web.sidevisning import utvalg
from web.skjema import valg, vis_feil
from web.svar import UGYLDIG_SKJEMA, epostfeil, fil, kjente, som_melding, uforanderlig_fil
from web.tilgang import bare_ansatte, fra, skrivetilgang, tj

bp = bare_ansatte(Blueprint("avtaler", __name__, url_prefix="/avtaler"))


def _til_avtalen(avtale_id: int):
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id))


@bp.route("/")
@login_required
def liste():
    a = request.args
    ansvarlig = a.get("ansvarlig", "")
    filter_ = visning.Avtalefilter(
        status=a.get("status", ""),
        partstype=a.get("partstype", ""),
        ansvarlig_id=int(ansvarlig) if ansvarlig.isdigit() and len(ansvarlig) < 10 else None,
        tekst=a.get("q", "")[:100],
    )
    return render_template(
        "avtaler/liste.html",
        avtaler=visning.liste(tj(), filter_, utvalg(visning.AVTALELISTE)),
        filter=filter_,
        ansvarlige=skrivere(tj()),
    )


@bp.route("/ny", methods=["GET", "POST"])
@skrivetilgang
def ny():
    mal = tj().mal(produksjon.MAL)
    partvalg = parter.valg(tj())
    if not partvalg:
        flash("Registrer en avtalepart før du lager en avtale.", "info")
        return redirect(url_for("parter.ny"))
    skjema = skjemaer.avtaleskjema(mal, velg_part=True)(data=mal.standardverdier())
    skjema.part_id.choices = valg([(0, "Velg avtalepart …"), *partvalg])
    if request.method == "GET" and request.args.get("part", "").isdigit():
        skjema.part_id.data = int(request.args["part"])
    skjemaer.sett_token(skjema)
    if skjema.validate_on_submit():
        if (lagret := skriving.lagret_med_token(tj(), skjema.token.data)) is not None:
            flash("Utkastet var allerede laget.", "ok")
            return _til_avtalen(lagret.avtale_id)
        try:
            if skjema.part_id.data not in dict(partvalg):
                skjema.part_id.errors = ["Velg en avtalepart."]
                mal.valider(skjemaer.feltverdier(skjema, mal))  # vis feltfeilene samtidig
                raise Valideringsfeil({})
            avtale = skriving.opprett_utkast(
                tj(),
                skjema.part_id.data,
                skjemaer.feltverdier(skjema, mal),
                current_user.id,
                skjema.grunn.data or "",
                fra=fra(),
                token=skjema.token.data,
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
        except Arkivfeil as e:  # skjemaet vises igjen med det brukeren skrev
            flash(str(e), "feil")
        else:
            flash("Utkastet er laget. Last ned DOCX eller PDF/A nedenfor.", "ok")
            return _til_avtalen(avtale.id)
    return render_template("avtaler/skjema.html", skjema=skjema, mal=mal, avtale=None)


def _vis(
    avtale_id: int,
    signeringsskjema: skjemaer.Signeringsskjema | None = None,
    opplastingsskjema: skjemaer.Opplastingsskjema | None = None,
    http_status: int = 200,
):
    side = avtaleside(
        tj(), avtale_id, current_user.id, utvalg=Sideutvalg.fra_parametre(request.args)
    )
    if side.tekstfeil:
        flash(side.tekstfeil, "feil")
    ansvarsskjema = skjemaer.Ansvarsskjema()
    ansvarsskjema.til.choices = valg(skrivere(tj()))
    if not side.kan["sende_til_signering"]:
        signeringsskjema = None
    elif signeringsskjema is None:
        kandidater = signering.kandidater(tj(), avtale_id)
        signeringsskjema = skjemaer.signeringsskjema(kandidater, current_user.id, innsendt=False)
    return render_template(
        "avtaler/vis.html",
        side=side,
        avtale=side.avtale,
        statusskjema=skjemaer.statusskjema(side.avtale.status, formdata=None),
        skjermingsskjema=Skjermingsskjema(formdata=None),
        ansvarsskjema=ansvarsskjema,
        signeringsskjema=signeringsskjema,
        opplastingsskjema=opplastingsskjema or skjemaer.Opplastingsskjema(formdata=None),
        SIGNATARSTATUS=sig.SIGNATARSTATUS,
        RUNDESTATUS=sig.RUNDESTATUS,
        SIDER=SIDER,
        varselfeil=varsellesing.feil_for_objekt(tj(), "avtale", avtale_id),
        idag=date.today(),
        AVVIKSSTATUSER=AVVIKSSTATUSER,
        KATEGORIER=KATEGORIER,
        BESLUTNINGER=BESLUTNINGER,
    ), http_status


@bp.route("/<int:avtale_id>")
@login_required
def vis(avtale_id: int):
    return _vis(avtale_id)


@bp.route("/<int:avtale_id>/endre", methods=["GET", "POST"])
@skrivetilgang
def endre(avtale_id: int):
    avtale = visning.hode(tj(), avtale_id)
    mal = tj().mal(produksjon.MAL)
    gjeldende = avtale.gjeldende.feltverdier if avtale.gjeldende else {}
    skjema = skjemaer.avtaleskjema(mal, velg_part=False)(
        data={**mal.standardverdier(), **gjeldende, "versjon": avtale.gjeldende_versjon}
    )
    konflikt = None
    skjemaer.sett_token(skjema)
    if skjema.validate_on_submit():
        lagret = skriving.lagret_med_token(tj(), skjema.token.data)
        if lagret is not None and lagret.avtale_id == avtale_id:  # svaret gikk tapt sist
            flash(f"Versjon {lagret.nummer} var allerede lagret.", "ok")
            return _til_avtalen(avtale_id)
        try:
            forventet = int(skjema.versjon.data)
        except (TypeError, ValueError):
            forventet = -1
        try:
            v = skriving.lagre_versjon(
                tj(),
                avtale_id,
                skjemaer.feltverdier(skjema, mal),
                current_user.id,
                skjema.grunn.data or "",
                forventet_versjon=forventet,
                fra=fra(),
                token=skjema.token.data,
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
        except Konflikt as e:
            flash(str(e), "feil")
            if e.apnet and e.gjeldende:
                konflikt = sammenligning.sammenlign_versjoner(tj(), avtale_id, e.apnet, e.gjeldende)
            # Neste lagring bygger bevisst på den nyeste versjonen; skjemaet beholder dine verdier.
            skjema.versjon.data = e.gjeldende
        except Arkivfeil as e:
            flash(str(e), "feil")
        else:
            flash(f"Versjon {v.nummer} er lagret.", "ok")
            return _til_avtalen(avtale_id)
    return render_template(
        "avtaler/skjema.html", skjema=skjema, mal=mal, avtale=avtale, konflikt=konflikt
    )


def _versjonsnummer(navn: str, standard: int) -> int:
    verdi = request.args.get(navn, "")
    return int(verdi) if verdi.isdigit() else standard


@bp.route("/<int:avtale_id>/sammenlign")
@login_required
def sammenlign(avtale_id: int):
    avtale = visning.hode(tj(), avtale_id)
    til = _versjonsnummer("til", avtale.gjeldende_versjon)
    fra_ = _versjonsnummer("fra", max(1, til - 1))
    resultat = sammenligning.sammenlign_versjoner(tj(), avtale_id, fra_, til)
    return render_template("avtaler/sammenlign.html", avtale=avtale, s=resultat)


@bp.route("/<int:avtale_id>/sammenlign.docx")
@login_required
def sammenlign_docx(avtale_id: int):
    r = sammenligning.sammenlign_versjoner(
        tj(), avtale_id, _versjonsnummer("fra", 0), _versjonsnummer("til", 0)
    )
    navn = f"Endringer {r.part} v{r.fra.nummer} til v{r.til.nummer}.docx"
    return fil(sammenligning.sammenligning_som_docx(r), navn, produksjon.FORMATER["docx"][1])


@bp.route("/<int:avtale_id>/status", methods=["POST"])
@skrivetilgang
def status(avtale_id: int):
    skjema = skjemaer.statusskjema(visning.status(tj(), avtale_id))
    if not (skjema.validate_on_submit() and skjema.status.data):
        flash("Velg en gyldig status.", "feil")
        return _til_avtalen(avtale_id)
    dato = None
    tekst = (skjema.avsluttet_dato.data or "").strip()
    if skjema.status.data == "avsluttet" and tekst:
        try:
            dato = date.fromisoformat(tekst)
        except ValueError:
            flash("Skriv datoen som åååå-mm-dd.", "feil")
            return _til_avtalen(avtale_id)
    with som_melding():
        feil = skriving.sett_status(
            tj(),
            avtale_id,
            skjema.status.data,
            current_user.id,
            skjema.begrunnelse.data,
            fra=fra(),
            avsluttet_dato=dato,
        )
        flash(f"Status er satt til «{STATUSER[skjema.status.data]}».", "ok")
        if skjema.status.data == "til_gjennomgang" and not feil:
            flash("Partens brukere i portalen har fått e-post.", "ok")
        epostfeil(feil)
    return _til_avtalen(avtale_id)


@bp.route("/<int:avtale_id>/signering", methods=["POST"])
@skrivetilgang
def send_til_signering(avtale_id: int):
    """Start en signeringsrunde: signererne i radenes rekkefølge; tomme rader hoppes over."""
    kandidater = signering.kandidater(tj(), avtale_id)
    skjema = skjemaer.signeringsskjema(kandidater, current_user.id, innsendt=True)
    if not skjema.validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
        return _til_avtalen(avtale_id)
    frist = skjemaer.heltall(skjema.frist_dager)
    paminnelse = skjemaer.heltall(skjema.paminnelse_dager)
    valgt = skjemaer.signatarvalg(skjema)
    if frist is None or paminnelse is None or valgt is None:
        flash("Skjemaet har feil. Rett opp feltene som er merket.", "feil")
        return _vis(avtale_id, signeringsskjema=skjema, http_status=400)
    try:
        _, feil = signering.start_runde(
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
        return _vis(avtale_id, signeringsskjema=skjema, http_status=400)
    if feil:
        flash("Avtalen er sendt til signering.", "ok")
    else:
        flash("Avtalen er sendt til signering. Den første signereren har fått e-post.", "ok")
    epostfeil(feil)
    return _til_avtalen(avtale_id)


@bp.route("/<int:avtale_id>/signering/gjenoppta", methods=["POST"])
@skrivetilgang
def gjenoppta_signering(avtale_id: int):
    """Åpne en runde som er satt på pause etter for mange feil engangskoder (logget)."""
    if not sig.Knappeskjema().validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
    else:
        with som_melding():
            signering.gjenoppta_runde(tj(), avtale_id, current_user.id, fra=fra())
            flash("Signeringen er åpnet igjen. Signereren ber om en ny engangskode.", "ok")
    return redirect(url_for("avtaler.vis", avtale_id=avtale_id) + "#signering")


@bp.route("/<int:avtale_id>/signert-kopi", methods=["POST"])
@skrivetilgang
def last_opp_signert(avtale_id: int):
    """En skannet, våtsignert PDF: avtalen blir «inngått» (se signering.last_opp_signert)."""
    skjema = skjemaer.Opplastingsskjema()
    if not skjema.validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
        return _til_avtalen(avtale_id)
    data = skjema.fil.data.read() if skjema.fil.data else b""
    try:
        kopi = signering.last_opp_signert(tj(), avtale_id, data, current_user.id, fra=fra())
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return _vis(avtale_id, opplastingsskjema=skjema, http_status=400)
    except Arkivfeil as e:
        flash(str(e), "feil")
        return _vis(avtale_id, opplastingsskjema=skjema, http_status=500)
    flash(f"Den signerte kopien er lagret (SHA-256 {kopi.sha256[:12]}…). Avtalen er inngått.", "ok")
    return _til_avtalen(avtale_id)


@bp.route("/signert/<int:kopi_id>")
@login_required
def last_ned_signert(kopi_id: int):
    filnavn, data = signering.les_signert_kopi(
        tj(), kopi_id, current_user.id, fra=fra(), kjente=kjente()
    )
    return uforanderlig_fil(data, filnavn, "application/pdf")


def _signeringsside(
    avtale_id: int,
    kodeskjema: sig.Kodeskjema | None = None,
    avslagsskjema: sig.Avslagsskjema | None = None,
    http_status: int = 200,
):
    side = visning.signeringsside(tj(), avtale_id, current_user.id)
    if side.tekstfeil:
        flash(side.tekstfeil, "feil")
    return render_template(
        "avtaler/signer.html",
        side=side,
        avtale=side.avtale,
        kodeskjema=kodeskjema or sig.Kodeskjema(formdata=None),
        avslagsskjema=avslagsskjema or sig.Avslagsskjema(formdata=None),
        SIGNATARSTATUS=sig.SIGNATARSTATUS,
        SIDER=SIDER,
    ), http_status


@bp.route("/<int:avtale_id>/signer", methods=["GET", "POST"])
@login_required
def signer(avtale_id: int):
    if request.method == "GET":
        return _signeringsside(avtale_id)
    skjema = sig.Kodeskjema()
    if sig.signer(avtale_id, skjema) is None:
        return _signeringsside(avtale_id, kodeskjema=skjema, http_status=400)
    return _til_avtalen(avtale_id)


@bp.route("/<int:avtale_id>/signer/kode", methods=["POST"])
@login_required
def send_kode(avtale_id: int):
    sig.send_kode(avtale_id)
    return redirect(url_for("avtaler.signer", avtale_id=avtale_id))


@bp.route("/<int:avtale_id>/signer/avsla", methods=["POST"])
@login_required
def avsla(avtale_id: int):
    skjema = sig.Avslagsskjema()
    if not sig.avvis(avtale_id, skjema):
        return _signeringsside(avtale_id, avslagsskjema=skjema, http_status=400)
    return _til_avtalen(avtale_id)


@bp.route("/<int:avtale_id>/ansvar", methods=["POST"])
@skrivetilgang
def ansvar(avtale_id: int):
    skjema = skjemaer.Ansvarsskjema()
    skjema.til.choices = valg(skrivere(tj()))
    if not skjema.validate_on_submit():
        flash("Velg hvem som skal overta ansvaret.", "feil")
        return _til_avtalen(avtale_id)
    with som_melding():
        skriving.overfor_ansvar(
            tj(), avtale_id, skjema.til.data, current_user.id, skjema.merknad.data, fra=fra()
        )
        flash("Ansvaret er overført.", "ok")
    return _til_avtalen(avtale_id)


@bp.route("/dokument/<int:dokument_id>")
@login_required
def last_ned(dokument_id: int):
    dok, filnavn, data = lesing.les_dokument(tj(), dokument_id, current_user.id, fra(), kjente())
    return uforanderlig_fil(data, filnavn, produksjon.FORMATER[dok.format][1])
