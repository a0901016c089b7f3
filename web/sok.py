"""Søk i arkivet: søkesiden og JSON-endepunktet, med de samme parameterne."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from dokumenter.felles import etiketter
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.sider import sok as uc
from dokumenter.sok.skjema import FASETTER
from web.sidevisning import utvalg
from web.tilgang import bare_ansatte, fra, tj

bp = bare_ansatte(Blueprint("sok", __name__))

FASETTNAVN = {"partstype": "Partstype", "part": "Part", "status": "Status", "aar": "År"}
TREFFART = {
    "avtale": "Samarbeidsavtale",
    "plan": "Individuell plan",
    "avvik": "Avvik",
    "evaluering": "Evalueringsrapport",
}


def _parametre() -> dict:
    a = request.args
    side = a.get("side", "1")
    return {
        "sporring": a.get("q", "")[:500],
        "filtre": {f: a.get(f, "")[:200] for f in FASETTER if a.get(f)},
        "bare_gjeldende": a.get("alle_versjoner") != "1",
        "sorter_dato": a.get("sorter") == "dato",
        "side": int(side) if side.isdigit() and 0 < int(side) < 10_000 else 1,
    }


def _etikett(felt: str, verdi: str) -> str:
    if felt == "partstype" and verdi in PARTSTYPER:
        return PARTSTYPER[verdi].etikett
    if felt == "status":
        return etiketter.etikett("sokestatus", verdi)
    return verdi


def undertekst(t) -> str:
    """Linjen under treffets tittel: hva treffet er, status, partstype og dato. Et avvik og en
    evaluering har ingen versjoner; tittelen sier hvilket avvik det er."""
    status = t.felt["status"]
    deler = [TREFFART[t.art]]
    if t.art in ("avtale", "plan"):
        deler = [f"Versjon {t.versjon}" + ("" if t.gjeldende else " (tidligere versjon)")]
    deler.append(etiketter.etikett(etiketter.STATUS_FOR_ART[t.art], status))
    partstype = t.felt["partstype"]
    deler.append(PARTSTYPER[partstype].etikett if partstype in PARTSTYPER else partstype)
    return " · ".join(deler)


def treffadresse(t) -> str:
    """Hvor et treff lenker: objektets egen side."""
    if t.art == "avvik":
        return url_for("avvik.vis", avvik_id=t.objekt_id)
    if t.art == "plan":
        return url_for("planer.vis", plan_id=t.objekt_id)
    if t.art == "evaluering":
        return url_for("evaluering.rapport", evaluering_id=t.objekt_id, fmt="pdf")
    return url_for("avtaler.vis", avtale_id=t.objekt_id)


def _sok(p: dict):
    """Søket med brukerens tilgang; lesemodellen logger planene i treffene."""
    return uc.sok(tj(), rolle=current_user.rolle, bruker_id=current_user.id, fra=fra(), **p)


@bp.route("/sok")
@login_required
def side():
    p = _parametre()
    sokeside = (
        uc.sokeside(tj(), rolle=current_user.rolle, bruker_id=current_user.id, fra=fra(), **p)
        if request.args
        else None
    )
    return render_template(
        "sok.html",
        p=p,
        r=sokeside.resultat if sokeside else None,
        fasetter=sokeside.fasetter if sokeside else [],
        fasettnavn=FASETTNAVN,
        etikett=_etikett,
        treffadresse=treffadresse,
        undertekst=undertekst,
        indeksstatus=uc.indeksstatus(tj()),
    )


@bp.route("/sok/fasett/<felt>")
@login_required
def fasett(felt: str):
    """Alle verdiene av én fasett for søket, med antall treff, én side om gangen."""
    if felt not in FASETTER:
        abort(404)
    p = _parametre()
    del p["side"]
    verdier = uc.fasettverdier(
        tj(),
        felt,
        rolle=current_user.rolle,
        bruker_id=current_user.id,
        utvalg=utvalg(uc.FASETTVERDIER, "f"),
        fra=fra(),
        **p,
    )
    return render_template(
        "sok_fasett.html",
        p=p,
        felt=felt,
        verdier=verdier,
        fasettnavn=FASETTNAVN,
        etikett=_etikett,
    )


@bp.route("/api/sok")
@login_required
def api():
    p = _parametre()
    r = _sok(p)
    status = uc.indeksstatus(tj())
    return jsonify(
        {
            "sporring": p["sporring"],
            "melding": r.melding,
            "forslag": r.forslag,  # «Mente du»: en annen skrivemåte som gir treff, eller ""
            "totalt": r.totalt,
            "side": r.side,
            "sider": r.sider,
            "indeks_foreldet": status is not None,
            "indeks_melding": status or "",
            "treff": [
                {
                    "id": t.id,
                    "art": t.art,
                    "avtale_id": t.objekt_id,
                    "versjon": t.versjon,
                    "gjeldende": t.gjeldende,
                    "tittel": t.tittel,
                    "part": t.felt["part"],
                    "partstype": t.felt["partstype"],
                    "status": t.felt["status"],
                    "dato": t.dato.isoformat(),
                    "utdrag_html": t.utdrag,
                }
                for t in r.treff
            ],
            "fasetter": {
                f: [{"verdi": v, "antall": n} for v, n in r.fasetter[f]] for f in r.fasetter
            },
        }
    )
