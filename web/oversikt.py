"""Forsiden: nøkkeltall (avtaler, avvik, evalueringer), brukerens forfalte oppgaver i
overgangene, § 10-tallene for siste 12 måneder, diagrammet over avvik per part, oversikten
over parter og avtalestatus per sektor, og lenken til kalenderabonnementet."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for
from flask_login import current_user, login_required

from dokumenter.avtaler.oversikt import KOLONNER, diagram_avvik_per_part
from dokumenter.evaluering.kalender import ny_kalendernokkel
from dokumenter.felles import smatall
from dokumenter.felles.frister import VARSEL_DAGER
from dokumenter.infrastruktur import diagram
from dokumenter.sider.forside import forside as forsiden
from web.signeringsskjema import Knappeskjema
from web.tilgang import bare_ansatte, fra, tj

bp = bare_ansatte(Blueprint("oversikt", __name__))
DIAGRAMTITTEL = "Avvik per part"


@bp.route("/")
@login_required
def forside():
    f = forsiden(tj(), current_user.id, fra())
    return render_template(
        "oversikt.html",
        grupper=f.grupper,
        kolonner=KOLONNER,
        tall=f.tall,
        evalueringer_forfalte=f.evalueringer_forfalte,
        evalueringer_snart=f.evalueringer_snart,
        forfalte_oppgaver=f.forfalte_oppgaver,
        paragraf10=f.paragraf10,
        SMATALL_REGEL=smatall.REGEL,
        # Samme tekst som diagram_avvik_per_part gir bildet, uten å tegne det to ganger.
        diagram_alt=diagram.alt_tekst(f.tall.avvik_per_part_12mnd, DIAGRAMTITTEL),
        kalenderskjema=Knappeskjema(formdata=None),
        VARSEL_DAGER=VARSEL_DAGER,
    )


@bp.route("/oversikt/avvik-per-part.png")
@login_required
def avvik_per_part() -> Response:
    png, _alt = diagram_avvik_per_part(tj())
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, no-cache"})


@bp.route("/kalenderlenke", methods=["POST"])
@login_required
def ny_kalenderlenke():
    """Lag en ny hemmelig feed-adresse og vis den én gang (den gamle slutter å virke)."""
    if not Knappeskjema().validate_on_submit():
        return render_template(
            "feil.html", tittel="Ugyldig skjema", melding="Last siden på nytt og prøv igjen."
        ), 400
    nokkel = ny_kalendernokkel(tj(), current_user.id)
    adresse = url_for("auth.kalender", nokkel=nokkel, _external=True)
    oppgaver = url_for("auth.oppgavekalender", nokkel=nokkel, _external=True)
    svar = render_template("kalenderlenke.html", adresse=adresse, oppgaver=oppgaver)
    return svar, 200, {"Cache-Control": "no-store"}
