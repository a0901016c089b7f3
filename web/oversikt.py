"""Forsiden: nøkkeltall (avtaler, avvik, evalueringer), brukerens forfalte oppgaver i
overgangene, § 10-tallene for siste 12 måneder, diagrammet over avvik per part, oversikten
over parter og avtalestatus per sektor (de første radene, og én side av alle bak «vis
alle»), og lenken til kalenderabonnementet."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, render_template, request, url_for
from flask_login import current_user, login_required

from dokumenter.avtaler import oversikt as uc
from dokumenter.evaluering.kalender import ny_kalendernokkel
from dokumenter.felles import smatall
from dokumenter.felles.frister import VARSEL_DAGER
from dokumenter.infrastruktur import diagram
from dokumenter.parter.typer import SEKTORER
from dokumenter.sider.forside import forside as forsiden
from web.sidevisning import utvalg
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
        sektorer=f.sektorer,
        kolonner=uc.KOLONNER,
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


@bp.route("/oversikt/parter")
@login_required
def parter():
    """Alle parter (i én sektor, eventuelt i én kolonne), én side om gangen."""
    sektor, kolonne = request.args.get("sektor", ""), request.args.get("kolonne", "")
    return render_template(
        "oversikt_parter.html",
        rader=uc.parter_i_sektor(tj(), sektor, kolonne, utvalg(uc.PARTER_I_SEKTOR)),
        sektor=sektor if sektor in SEKTORER else "",
        kolonne=kolonne if kolonne in uc.KOLONNER else "",
        sektorer=SEKTORER,
        kolonner=uc.KOLONNER,
    )


@bp.route("/oversikt/avvik-per-part.png")
@login_required
def avvik_per_part() -> Response:
    """Diagrammet tegnes bare når tallene er endret: ETag er tallenes SHA-256."""
    per_part = uc.avvik_per_part_12mnd(tj())
    etag = hashlib.sha256(repr(sorted(per_part.items())).encode()).hexdigest()
    hoder = {"Cache-Control": "private, no-cache", "ETag": f'"{etag}"'}
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=hoder)
    return Response(uc.tegn_avvik_per_part(per_part), mimetype="image/png", headers=hoder)


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
