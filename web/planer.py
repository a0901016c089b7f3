"""Individuelle planer for ansatte: liste, ny plan, innhold, nedlasting, ansvarsgruppe,
samtykker, tilganger, signering, avslutning og innsynslogg.

Tilgangen avgjøres bare av `dokumenter.planer` (via `planer.tilgang`): uten grunnlag gir hver
rute 404 med samme tekst som for en plan som ikke finnes, uansett rolle (også admin).
Modulen (over 400 linjer) har én rute per handling på plansiden; hver er noen få linjer, og
de deler skjemahjelperne øverst.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.infrastruktur.maler import Felt
from dokumenter.noark import lesing as arkivlesing
from dokumenter.planer import ansvarsgruppe, avslutning, innsynslogg, lagring, lesing, samtykke
from dokumenter.planer import signering as plansignering
from dokumenter.signering.runder import Signatarvalg
from web import planskjema
from web.planskjema import KOLONNESKILLE, fra_skjema, som_skjemaverdi
from web.sidevisning import utvalg
from web.svar import epostfeil, fil
from web.tilgang import bare_ansatte, fra, skrivetilgang, tj

bp = bare_ansatte(Blueprint("planer", __name__, url_prefix="/planer"))


@bp.after_request
def ikke_lagre(svar):
    """Planene skal ikke ligge i nettleserens eller mellomtjeneres buffer."""
    svar.headers["Cache-Control"] = "no-store"
    return svar


# --- Skjemaet for innholdet (bygd fra malens manifest) --------------------------------------


def skjemafelt() -> list[Felt]:
    return lagring.innholdsfelt(tj())


def flash_feil(e: Valideringsfeil) -> None:
    etiketter = {f.navn: f.etikett for f in skjemafelt()}
    for navn, melding in e.feil.items():
        flash(f"{etiketter.get(navn, navn.replace('_', ' ').capitalize())}: {melding}", "feil")


def _bruker_id() -> int:
    return current_user.id


# --- Liste og ny plan -------------------------------------------------------------------------


@bp.route("/")
def liste():
    planer = lesing.liste(tj(), _bruker_id(), fra(), utvalg(lesing.PLANLISTE))
    return render_template("planer/liste.html", planer=planer)


@bp.route("/ny", methods=["GET", "POST"])
@skrivetilgang
def ny():
    valg = lesing.valg(tj())
    feil: dict[str, str] = {}
    f = request.form
    # «Vis avtaler for valgt institusjon» (uten JavaScript): bare vis skjemaet igjen.
    if request.method == "POST" and "vis_avtaler" not in f:
        try:
            part_id = int(f.get("part_id") or 0)
            avtale_id = int(f["avtale_id"]) if f.get("avtale_id") else None
        except ValueError:
            abort(400)
        try:
            plan_id = lagring.opprett(
                tj(),
                f.get("navn", ""),
                f.get("fodselsdato", ""),
                part_id,
                _bruker_id(),
                avtale_id=avtale_id,
                fra=fra(),
            )
        except Valideringsfeil as e:
            feil = e.feil
        else:
            flash("Planen er opprettet. Fyll ut innholdet.", "info")
            return redirect(url_for("planer.endre", plan_id=plan_id))
    return render_template(
        "planer/ny.html",
        parter=valg.parter,
        avtaler=planskjema.avtalevalg(valg.avtaler, f.get("part_id", "")),
        alle_avtaler=valg.avtaler,
        feil=feil,
        verdier=f,
    )


# --- Vise, endre og laste ned -----------------------------------------------------------------


@bp.route("/<int:plan_id>")
def vis(plan_id: int):
    p = lesing.les(tj(), plan_id, _bruker_id(), fra())
    valg = lesing.valg(tj())
    return render_template(
        "planer/vis.html",
        p=p,
        felt=skjemafelt(),
        ansatte=valg.ansatte,
        partnere=valg.partnere,
        parter=valg.parter,
        skrivere=valg.skrivere,
        signerere=plansignering.signerere(tj(), plan_id),
        signering_pauset=plansignering.pauset(tj(), plan_id),
        min_tur=plansignering.min_tur(tj(), plan_id, _bruker_id()),
        i_dag=date.today().isoformat(),
        arkiv=arkivlesing.for_plan(tj(), plan_id),  # etter tilgangssjekken i lesing.les
    )


@bp.route("/<int:plan_id>/endre", methods=["GET", "POST"])
def endre(plan_id: int):
    p = lesing.les(tj(), plan_id, _bruker_id(), fra())
    if not p.grunnlag.kan_endre:
        abort(403)
    felt = skjemafelt()
    tekstfelt = [f for f in felt if f.navn not in planskjema.RADFELT]
    verdier: dict[str, Any] = {f.navn: som_skjemaverdi(f, p.feltverdier.get(f.navn)) for f in felt}
    for navn in planskjema.RADFELT:
        verdier[navn] = planskjema.til_skjema(p.feltverdier.get(navn))
    if not p.feltverdier:  # første versjon: koordinatoren og en rimelig planperiode
        verdier.update(koordinator_navn=p.koordinator, antall_kopier="1")
    feil: dict[str, str] = {}
    token = request.form.get("token") or secrets.token_urlsafe(24)
    if request.method == "POST":
        verdier = {f.navn: request.form.get(f.navn, "") for f in tekstfelt}
        flere = request.form.get("flere_rader", "")
        for navn in planskjema.RADFELT:
            sendt = planskjema.rader_fra_skjema(request.form, navn)
            ekstra = planskjema.EKSTRA_RADER if flere == navn else 0
            verdier[navn] = planskjema.til_skjema(sendt, ekstra)
        if flere:  # «Flere rader» uten JavaScript: vis skjemaet igjen, ingenting lagres
            return _endreskjema(p, felt, verdier, feil, token)
        if (lagret := lagring.lagret_med_token(tj(), plan_id, token)) is not None:
            flash(f"Versjon {lagret} var allerede lagret.", "info")  # svaret gikk tapt sist
            return redirect(url_for("planer.vis", plan_id=plan_id))
        innhold = fra_skjema(verdier, tekstfelt)
        innhold.update({navn: verdier[navn] for navn in planskjema.RADFELT})
        try:
            apnet = int(request.form.get("apnet_versjon", "-1"))
            lagring.lagre_versjon(
                tj(),
                plan_id,
                innhold,
                _bruker_id(),
                apnet,
                grunn=request.form.get("grunn", ""),
                fra=fra(),
                token=token,
            )
        except ValueError:
            abort(400)
        except Valideringsfeil as e:
            feil = e.feil
            flash("Planen er ikke lagret. Rett feltene som er merket.", "feil")
        except Arkivfeil as e:
            flash(f"Planen er ikke lagret: {e}", "feil")
        else:
            flash("Ny versjon er lagret, og PDF/A og DOCX er laget.", "info")
            return redirect(url_for("planer.vis", plan_id=plan_id))
    return _endreskjema(p, felt, verdier, feil, token)


def _endreskjema(p, felt: list[Felt], verdier: dict, feil: dict[str, str], token: str):
    return render_template(
        "planer/endre.html",
        p=p,
        felt=felt,
        verdier=verdier,
        feil=feil,
        skille=KOLONNESKILLE,
        token=token,
        radfelt=planskjema.RADFELT,
        radstatuser=planskjema.RADSTATUSER,
        datofelt=planskjema.datofelt,
    )


@bp.route("/<int:plan_id>/dokument/<int:dokument_id>")
def last_ned(plan_id: int, dokument_id: int):
    return send_plandokument(plan_id, dokument_id)


def send_plandokument(plan_id: int, dokument_id: int):
    """Felles for ansatte og portalen: tilgangen sjekkes i brukstilfellet."""
    navn, mime, data = lesing.last_ned(tj(), plan_id, dokument_id, _bruker_id(), fra())
    return fil(data, navn, mime, privat=True)


# --- Endringer: én POST per handling, tilbake til planen med melding ---------------------------


def _handling(plan_id: int, utfor, ok: str, anker: str = ""):
    try:
        resultat = utfor()
    except Valideringsfeil as e:
        flash_feil(e)
    except Arkivfeil as e:
        flash(f"Ikke lagret: {e}", "feil")
    else:
        if isinstance(resultat, samtykke.Trukket):
            resultat, feil = resultat.mistet, resultat.epostfeil
        else:
            feil = resultat if isinstance(resultat, list) else []
        flash(ok(resultat) if callable(ok) else ok, "info")
        epostfeil(feil)
    return redirect(url_for("planer.vis", plan_id=plan_id) + (f"#{anker}" if anker else ""))


def _vakt(plan_id: int) -> None:
    """Tilgangen først, så en bruker uten tilgang får 404 (og lesere 403) uansett skjema."""
    innsynslogg.sjekk_tilgang(tj(), plan_id, _bruker_id(), fra(), endre=True)


def _heltall(navn: str) -> int:
    try:
        return int(request.form.get(navn) or "")
    except ValueError:
        abort(400)


@bp.route("/<int:plan_id>/medlemmer", methods=["POST"])
def legg_til_medlem(plan_id: int):
    _vakt(plan_id)
    f = request.form
    bruker = _heltall("bruker_id")
    return _handling(
        plan_id,
        lambda: ansvarsgruppe.legg_til_medlem(
            tj(), plan_id, bruker, f.get("tjeneste", ""), f.get("rolle", ""), _bruker_id(), fra()
        ),
        "Medlemmet er lagt til i ansvarsgruppen.",
        "ansvarsgruppe",
    )


@bp.route("/<int:plan_id>/medlemmer/<int:medlem_id>/fjern", methods=["POST"])
def fjern_medlem(plan_id: int, medlem_id: int):
    _vakt(plan_id)
    return _handling(
        plan_id,
        lambda: ansvarsgruppe.fjern_medlem(tj(), plan_id, medlem_id, _bruker_id(), fra()),
        "Medlemmet er fjernet fra ansvarsgruppen og har ikke lenger tilgang.",
        "ansvarsgruppe",
    )


@bp.route("/<int:plan_id>/samtykker", methods=["POST"])
def registrer_samtykke(plan_id: int):
    _vakt(plan_id)
    part = _heltall("part_id")
    f = request.form
    innhold = {n: f.get(n, "") for n in ("omfang", "formal", "form", "vitne")}
    return _handling(
        plan_id,
        lambda: samtykke.registrer_samtykke(
            tj(), plan_id, part, f.get("gitt", ""), _bruker_id(), fra(), **innhold
        ),
        "Samtykket er registrert.",
        "samtykker",
    )


@bp.route("/<int:plan_id>/samtykker/<int:samtykke_id>/skannet", methods=["POST"])
def last_opp_samtykke(plan_id: int, samtykke_id: int):
    _vakt(plan_id)
    fil = request.files.get("fil")
    data = fil.read() if fil else b""
    return _handling(
        plan_id,
        lambda: samtykke.last_opp_samtykke(tj(), plan_id, samtykke_id, data, _bruker_id(), fra()),
        "Det skriftlige samtykket (skannet) er lagret.",
        "samtykker",
    )


@bp.route("/<int:plan_id>/samtykker/<int:part_id>/trekk", methods=["POST"])
def trekk_samtykke(plan_id: int, part_id: int):
    _vakt(plan_id)

    def melding(mistet: list[str]) -> str:
        if not mistet:
            return "Samtykket er trukket."
        return "Samtykket er trukket. Mistet tilgang med en gang: " + ", ".join(mistet) + "."

    return _handling(
        plan_id,
        lambda: samtykke.trekk_samtykke(tj(), plan_id, part_id, _bruker_id(), fra()),
        melding,
        "samtykker",
    )


@bp.route("/<int:plan_id>/tilganger", methods=["POST"])
def gi_tilgang(plan_id: int):
    _vakt(plan_id)
    f = request.form
    bruker = _heltall("bruker_id")
    return _handling(
        plan_id,
        lambda: ansvarsgruppe.gi_tilgang(
            tj(), plan_id, bruker, f.get("grunn", ""), _bruker_id(), f.get("utloper", ""), fra()
        ),
        "Tilgangen er gitt og logget med begrunnelsen.",
        "tilganger",
    )


@bp.route("/<int:plan_id>/tilganger/<int:tilgang_id>/trekk", methods=["POST"])
def trekk_tilgang(plan_id: int, tilgang_id: int):
    _vakt(plan_id)
    return _handling(
        plan_id,
        lambda: ansvarsgruppe.trekk_tilgang(tj(), plan_id, tilgang_id, _bruker_id(), fra()),
        "Tilgangen er trukket.",
        "tilganger",
    )


@bp.route("/<int:plan_id>/koordinator", methods=["POST"])
def overfor_koordinator(plan_id: int):
    _vakt(plan_id)
    ny = _heltall("bruker_id")
    grunn = request.form.get("grunn", "")
    return _handling(
        plan_id,
        lambda: ansvarsgruppe.overfor_koordinator(tj(), plan_id, ny, grunn, _bruker_id(), fra()),
        lambda navn: f"{navn} er nå koordinator for planen.",
    )


@bp.route("/<int:plan_id>/avslutt", methods=["POST"])
def avslutt(plan_id: int):
    _vakt(plan_id)
    f = request.form
    return _handling(
        plan_id,
        lambda: avslutning.avslutt(
            tj(), plan_id, f.get("grunn", ""), _bruker_id(), f.get("dato"), fra()
        ),
        lambda slettes: f"Planen er avsluttet. Den slettes {slettes.strftime('%d.%m.%Y')}.",
    )


@bp.route("/<int:plan_id>/signering", methods=["POST"])
def send_til_signering(plan_id: int):
    _vakt(plan_id)
    valg = []
    for i in range(1, 13):
        verdi = request.form.get(f"signerer_{i}", "")
        if not verdi:
            continue
        side, _, bruker = verdi.partition(":")
        if not bruker.isdigit():
            abort(400)
        valg.append(Signatarvalg(int(bruker), side, request.form.get(f"rolle_{i}", "")))

    def melding(feil: list[str]) -> str:
        ok = "" if feil else " Den første signereren har fått e-post."
        return "Planen er sendt til signering." + ok

    return _handling(
        plan_id,
        lambda: plansignering.start_runde(tj(), plan_id, valg, _bruker_id(), fra=fra()),
        melding,
        "signering",
    )


@bp.route("/<int:plan_id>/signering/gjenoppta", methods=["POST"])
def gjenoppta_signering(plan_id: int):
    """Åpne en runde som er satt på pause etter for mange feil engangskoder (logget)."""
    _vakt(plan_id)
    return _handling(
        plan_id,
        lambda: plansignering.gjenoppta_runde(tj(), plan_id, _bruker_id(), fra()),
        "Signeringen er åpnet igjen. Signereren ber om en ny engangskode.",
        "signerere-tittel",
    )


@bp.route("/<int:plan_id>/kode", methods=["POST"])
def send_kode(plan_id: int):
    return kode_for(plan_id, "planer.vis")


@bp.route("/<int:plan_id>/signer", methods=["POST"])
def signer(plan_id: int):
    return signer_for(plan_id, "planer.vis")


def kode_for(plan_id: int, tilbake: str):
    """Felles for ansatte og portalen."""
    try:
        feil = plansignering.send_kode(tj(), plan_id, _bruker_id(), fra())
    except Valideringsfeil as e:
        flash_feil(e)
    else:
        if feil:
            flash(f"Koden ble ikke sendt: {feil}", "feil")
        else:
            flash("Engangskoden er sendt til e-postadressen din. Den gjelder i 10 minutter.")
    return redirect(url_for(tilbake, plan_id=plan_id) + "#signer")


def signer_for(plan_id: int, tilbake: str):
    try:
        status, _ = plansignering.signer(
            tj(),
            plan_id,
            _bruker_id(),
            request.form.get("kode", ""),
            request.remote_addr or "",
            fra(),
        )
    except Valideringsfeil as e:
        flash_feil(e)
        return redirect(url_for(tilbake, plan_id=plan_id) + "#signer")
    if status == "fullfort":
        flash("Du har signert. Alle har nå signert, og den forseglede kopien er klar.", "info")
    else:
        flash("Du har signert. Den neste får beskjed på e-post.", "info")
    return redirect(url_for(tilbake, plan_id=plan_id))


@bp.route("/<int:plan_id>/skannet", methods=["POST"])
def last_opp_signert(plan_id: int):
    _vakt(plan_id)
    fil = request.files.get("fil")
    data = fil.read() if fil else b""
    return _handling(
        plan_id,
        lambda: plansignering.last_opp_signert(tj(), plan_id, data, _bruker_id(), fra()),
        "Den skannede, signerte planen er lagret.",
        "signering",
    )


@bp.route("/<int:plan_id>/innsyn")
def innsyn(plan_id: int):
    """Innsynsloggen til personen: hvem som har sett og endret planen. Utskriftsvennlig."""
    innsyn = innsynslogg.innsynslogg(tj(), plan_id, _bruker_id(), fra())
    return render_template("planer/innsyn.html", i=innsyn, i_dag=date.today())
