"""Overgangen fra institusjon til bolig for ansatte: siden for én plan, og én POST per
handling (datoer, kontakter, overlapp, møter, oppgaver, boligutfall, kartlegging og
overgangsskjemaet), tilbake til siden med en melding.

Tilgangen er planens (`dokumenter.overgang` spør `planer`): uten grunnlag gir hver rute 404
med samme tekst som for en plan som ikke finnes; lesere får 403 på endringene.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.overgang import kartlegging, lesing, oppgaver, skriving, utfall
from dokumenter.overgang import skjema as overgangsskjema
from dokumenter.overgang.regler import (
    BEHOVSNIVAER,
    FASER,
    KATEGORIER,
    KONTAKTROLLER,
    MOTEFREKVENSER,
    MOTETYPER,
    OPPFOLGINGSNIVAER,
    OPPGAVESTATUSER,
    PUNKTER,
    UTFALL_LOSLADT,
    UTFALL_SENERE,
)
from dokumenter.planer import innsynslogg
from web.planskjema import KOLONNESKILLE, fra_skjema, som_skjemaverdi
from web.tilgang import bare_ansatte, fra, tj

bp = bare_ansatte(Blueprint("overgang", __name__, url_prefix="/planer/<int:plan_id>/overgang"))

ETIKETTER = {
    "tilbud_dato": "Bolig tilbudt eller tildelt",
    "visning_dato": "Visning",
    "kontrakt_dato": "Kontrakt signert",
    "innflytting_dato": "Innflytting",
    "forventet_losladt": "Forventet løslatelse eller utskrivning",
    "neste_samarbeidsmote": "Neste samarbeidsmøte",
    "motefrekvens_maneder": "Samarbeidsmøter",
    "overlapp_fra": "Overlapp fra",
    "overlapp_til": "Overlapp til",
    "overlapp_betaler": "Hvem betaler overlappen",
    "oppfolgingsniva": "Oppfølgingsnivå",
    "ansvarlig_id": "Ansvarlig",
    "arsak": "Årsak",
    "underkategori": "Underkategori",
    "behovsniva": "Behovsnivå",
    "gyldig_fra": "Gjelder fra",
    **{f"{rolle}_id": navn for rolle, navn in KONTAKTROLLER.items()},
}


@bp.after_request
def ikke_lagre(svar):
    """Som plansidene: ikke i nettleserens eller mellomtjeneres buffer."""
    svar.headers["Cache-Control"] = "no-store"
    return svar


def _vakt(plan_id: int) -> None:
    """Tilgangen først: 404 uten grunnlag, 403 for den som bare kan lese."""
    innsynslogg.sjekk_tilgang(tj(), plan_id, current_user.id, fra(), endre=True)


def _handling(plan_id: int, utfor, ok, anker: str):
    try:
        resultat = utfor()
    except Valideringsfeil as e:
        for navn, melding in e.feil.items():
            etikett = ETIKETTER.get(navn, navn.replace("_", " ").capitalize())
            flash(f"{etikett}: {melding}", "feil")
    except Arkivfeil as e:
        flash(f"Ikke lagret: {e}", "feil")
    else:
        flash(ok(resultat) if callable(ok) else ok, "info")
    return redirect(url_for("overgang.vis", plan_id=plan_id) + f"#{anker}")


def _skjema(*navn: str) -> dict:
    """Feltene som er med i skjemaet (tomme felt betyr «ingen verdi»)."""
    return {n: request.form.get(n, "") for n in navn if n in request.form}


def _med_epostfeil(melding: str):
    def tekst(feil: list[str]) -> str:
        return melding + (" E-post ble ikke sendt: " + " ".join(feil) if feil else "")

    return tekst


@bp.route("")
def vis(plan_id: int):
    side = lesing.les(tj(), plan_id, current_user.id, fra())
    return render_template(
        "overgang/vis.html",
        s=side,
        i_dag=date.today().isoformat(),
        FASER=FASER,
        MOTEFREKVENSER=MOTEFREKVENSER,
        MOTETYPER=MOTETYPER,
        OPPFOLGINGSNIVAER=OPPFOLGINGSNIVAER,
        OPPGAVESTATUSER=OPPGAVESTATUSER,
        PUNKTER=PUNKTER,
        UTFALL_LOSLADT=UTFALL_LOSLADT,
        UTFALL_SENERE=UTFALL_SENERE,
        KATEGORIER=KATEGORIER,
        BEHOVSNIVAER=BEHOVSNIVAER,
    )


@bp.route("/start", methods=["POST"])
def start(plan_id: int):
    _vakt(plan_id)
    return _handling(
        plan_id,
        lambda: skriving.start(tj(), plan_id, current_user.id, fra()),
        "Overgangen er startet med rutinens minsteliste over oppgaver.",
        "faser",
    )


@bp.route("/datoer", methods=["POST"])
def datoer(plan_id: int):
    _vakt(plan_id)
    data = _skjema(
        "motefrekvens_maneder",
        "neste_samarbeidsmote",
        "forventet_losladt",
        "tilbud_dato",
        "bolig",
        "visning_dato",
        "kontrakt_dato",
        "innflytting_dato",
    )
    return _handling(
        plan_id,
        lambda: skriving.oppdater(tj(), plan_id, data, current_user.id, fra()),
        _med_epostfeil("Datoene er lagret."),
        "datoer",
    )


@bp.route("/kontakter", methods=["POST"])
def kontakter(plan_id: int):
    _vakt(plan_id)
    data = _skjema(*(f"{rolle}_id" for rolle in KONTAKTROLLER))
    return _handling(
        plan_id,
        lambda: skriving.oppdater(tj(), plan_id, data, current_user.id, fra()),
        _med_epostfeil("Kontaktene er lagret."),
        "kontakter",
    )


@bp.route("/overlapp", methods=["POST"])
def overlapp(plan_id: int):
    _vakt(plan_id)
    data = _skjema("overlapp_fra", "overlapp_til", "overlapp_betaler")
    return _handling(
        plan_id,
        lambda: skriving.oppdater(tj(), plan_id, data, current_user.id, fra()),
        _med_epostfeil("Overlappen i institusjonsplassen er lagret."),
        "overlapp",
    )


@bp.route("/moter", methods=["POST"])
def mote(plan_id: int):
    _vakt(plan_id)
    data = _skjema("type", "dato", "deltakere", "oppfolgingsniva", "merknad")
    return _handling(
        plan_id,
        lambda: skriving.registrer_mote(tj(), plan_id, data, current_user.id, fra()),
        "Møtet er registrert.",
        "moter",
    )


@bp.route("/oppgaver", methods=["POST"])
def ny_oppgave(plan_id: int):
    _vakt(plan_id)
    data = _skjema("tittel", "frist", "ansvarlig_id", "ansvarlig_tekst")
    return _handling(
        plan_id,
        lambda: oppgaver.legg_til(tj(), plan_id, data, current_user.id, fra()),
        "Oppgaven er lagt til.",
        "oppgaver",
    )


@bp.route("/oppgaver/<int:oppgave_id>", methods=["POST"])
def endre_oppgave(plan_id: int, oppgave_id: int):
    _vakt(plan_id)
    data = _skjema("tittel", "frist", "ansvarlig_id", "ansvarlig_tekst")
    return _handling(
        plan_id,
        lambda: oppgaver.endre(tj(), plan_id, oppgave_id, data, current_user.id, fra()),
        "Oppgaven er endret.",
        "oppgaver",
    )


@bp.route("/oppgaver/<int:oppgave_id>/status", methods=["POST"])
def oppgavestatus(plan_id: int, oppgave_id: int):
    _vakt(plan_id)
    status = request.form.get("status", "")
    return _handling(
        plan_id,
        lambda: oppgaver.sett_status(tj(), plan_id, oppgave_id, status, current_user.id, fra()),
        lambda tittel: f"«{tittel}» er {OPPGAVESTATUSER.get(status, status).lower()}.",
        "oppgaver",
    )


@bp.route("/utfall", methods=["POST"])
def registrer_utfall(plan_id: int):
    _vakt(plan_id)
    data = _skjema("punkt", "dato", "utfall", "arsak")
    return _handling(
        plan_id,
        lambda: utfall.registrer(tj(), plan_id, data, current_user.id, fra()),
        "Boligutfallet er registrert.",
        "utfall",
    )


@bp.route("/kartlegging", methods=["POST"])
def kartlegg(plan_id: int):
    _vakt(plan_id)
    kategori, _, underkategori = request.form.get("kategori", "").partition(":")
    data = {
        "kategori": kategori,
        "underkategori": underkategori,
        "behovsniva": request.form.get("behovsniva", ""),
        "gyldig_fra": request.form.get("gyldig_fra", ""),
    }
    return _handling(
        plan_id,
        lambda: kartlegging.registrer(tj(), plan_id, data, current_user.id, fra()),
        "Kartleggingen er registrert.",
        "kartlegging",
    )


@bp.route("/skjema", methods=["GET", "POST"])
def skjema(plan_id: int):
    """Overgangsskjemaet: fyll ut det personen skal ha med seg, og lag en ny versjon."""
    _vakt(plan_id)
    felt = overgangsskjema.innholdsfelt(tj())
    feil: dict[str, str] = {}
    if request.method == "POST":
        verdier = {f.navn: request.form.get(f.navn, "") for f in felt}
        try:
            nummer = overgangsskjema.lag(
                tj(), plan_id, fra_skjema(verdier, felt), current_user.id, fra()
            )
        except Valideringsfeil as e:
            feil = e.feil
            flash("Skjemaet er ikke laget. Rett feltene som er merket.", "feil")
        except Arkivfeil as e:
            flash(f"Skjemaet er ikke laget: {e}", "feil")
        else:
            flash(f"Overgangsskjemaet (versjon {nummer}) er laget som PDF/A og DOCX.", "info")
            return redirect(url_for("overgang.vis", plan_id=plan_id) + "#skjema")
    else:
        forrige = overgangsskjema.siste_innhold(tj(), plan_id, current_user.id, fra())
        verdier = {f.navn: som_skjemaverdi(f, forrige.get(f.navn)) for f in felt}
    return render_template(
        "overgang/skjema.html",
        plan_id=plan_id,
        felt=felt,
        verdier=verdier,
        feil=feil,
        skille=KOLONNESKILLE,
    )


@bp.route("/skjema/skannet", methods=["POST"])
def last_opp_skjema(plan_id: int):
    _vakt(plan_id)
    fil = request.files.get("fil")
    data = fil.read() if fil else b""
    return _handling(
        plan_id,
        lambda: overgangsskjema.last_opp_signert(tj(), plan_id, data, current_user.id, fra()),
        "Det signerte overgangsskjemaet (skannet) er lagret.",
        "skjema",
    )
