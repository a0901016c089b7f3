"""Oversikten over vanskeligstilte på boligmarkedet for ansatte: tabellene, diagrammet over
bevegelsen mellom behovsnivåene og CSV med de samme (skjermede) tallene. Bare opptellinger
(`dokumenter.overgang.oversikt`); ingen plan nevnes."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request

from dokumenter.felles import smatall
from dokumenter.infrastruktur import diagram
from dokumenter.overgang.oversikt import oversikt
from dokumenter.overgang.regler import BEHOVSNIVAER
from web.svar import fil
from web.tilgang import bare_ansatte, tj

bp = bare_ansatte(Blueprint("statistikk", __name__, url_prefix="/oversikt"))
DIAGRAMTITTEL = "Bevegelse mellom behovsnivåene i perioden"


def _maned(navn: str) -> date | None:
    """«2026-03» (input type=month) eller tomt."""
    tekst = request.args.get(navn, "")
    if not tekst:
        return None
    try:
        aar, maned = (int(x) for x in tekst.split("-")[:2])
        return date(aar, maned, 1)
    except ValueError:
        abort(400)


def _oversikt():
    part = request.args.get("part_id", "")
    if part and not part.isdigit():
        abort(400)
    return oversikt(tj(), _maned("fra"), _maned("til"), int(part) if part else None)


def _rader(o) -> list[tuple[str, int | None, str]]:
    return [(navn, t.verdi, t.tekst) for navn, t in o.bevegelse_sum]


@bp.route("/vanskeligstilte")
def side():
    o = _oversikt()
    return render_template(
        "statistikk.html",
        o=o,
        diagram_alt=diagram.alt_tekst_personer(_rader(o), DIAGRAMTITTEL),
        SMATALL_REGEL=smatall.REGEL,
        BEHOVSNIVAER=BEHOVSNIVAER,
    )


@bp.route("/vanskeligstilte.csv")
def som_csv():
    o = _oversikt()
    data = o.csv().encode("utf-8-sig")  # BOM, så Excel leser æ, ø og å
    return fil(data, f"Vanskeligstilte {o.fra}–{o.til}.csv", "text/csv; charset=utf-8")


@bp.route("/vanskeligstilte.png")
def bevegelse_png() -> Response:
    png = diagram.personer(_rader(_oversikt()), DIAGRAMTITTEL)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, no-cache"})
