"""Individuelle planer i partnerportalen: en partnerbruker i ansvarsgruppen ser planen, laster
ned og signerer, så lenge personen har samtykket til deling med institusjonen. Uten det gir
hver rute 404, som for en plan som ikke finnes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from dokumenter.planer import lesing as uc
from dokumenter.planer import signering as plansignering
from web.planer import kode_for, send_plandokument, signer_for, skjemafelt
from web.sidevisning import utvalg
from web.tilgang import fra, krev_partner, tj

bp = Blueprint("planportal", __name__, url_prefix="/portal/planer")
bp.before_request(krev_partner)


@bp.after_request
def ikke_lagre(svar):
    """Planene skal ikke ligge i nettleserens eller mellomtjeneres buffer."""
    svar.headers["Cache-Control"] = "no-store"
    return svar


def _bruker_id() -> int:
    return current_user.id


@bp.route("/")
def liste():
    planer = uc.liste(tj(), _bruker_id(), fra(), utvalg(uc.PLANLISTE))
    return render_template("portal/planer.html", planer=planer)


@bp.route("/<int:plan_id>")
def vis(plan_id: int):
    p = uc.les(tj(), plan_id, _bruker_id(), fra())
    return render_template(
        "portal/plan.html",
        p=p,
        felt=skjemafelt(),
        signerere=plansignering.signerere(tj(), plan_id),
        signering_pauset=plansignering.pauset(tj(), plan_id),
        min_tur=plansignering.min_tur(tj(), plan_id, _bruker_id()),
    )


@bp.route("/<int:plan_id>/dokument/<int:dokument_id>")
def last_ned(plan_id: int, dokument_id: int):
    return send_plandokument(plan_id, dokument_id)


@bp.route("/<int:plan_id>/kode", methods=["POST"])
def send_kode(plan_id: int):
    return kode_for(plan_id, "planportal.vis")


@bp.route("/<int:plan_id>/signer", methods=["POST"])
def signer(plan_id: int):
    return signer_for(plan_id, "planportal.vis")
