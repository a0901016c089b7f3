"""Kartleggingen av personen: kategori og underkategori for vanskeligstilte på boligmarkedet
og behovsnivået 1–4, som en datert historikk (nye rader, aldri endringer). Oversikten teller
den siste kartleggingen før en dato, og bevegelsen mellom nivåene over en periode."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.models import Kartlegging
from dokumenter.overgang import apning
from dokumenter.overgang.regler import BEHOVSNIVAER, KATEGORIER, kategorinavn
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.regler import krev_apen
from dokumenter.tjenester import Tjenester


def _rens(data: dict[str, Any]) -> tuple[date, str, str, int]:
    kategori = str(data.get("kategori") or "")
    if kategori not in KATEGORIER:
        raise Valideringsfeil({"kategori": "Velg personens boligsituasjon (kategori)."})
    underkategori = str(data.get("underkategori") or "")
    if underkategori not in KATEGORIER[kategori][1]:
        raise Valideringsfeil(
            {"underkategori": f"Velg en underkategori under «{kategorinavn(kategori)}»."}
        )
    try:
        niva = int(data.get("behovsniva") or 0)
    except (TypeError, ValueError):
        niva = 0
    if niva not in BEHOVSNIVAER:
        raise Valideringsfeil({"behovsniva": "Velg behovsnivå 1–4."})
    gyldig_fra = apning.dato(data, "gyldig_fra", "datoen kartleggingen gjelder fra", True)
    apning.ikke_fram_i_tid(gyldig_fra, "gyldig_fra", "Kartleggingen")
    return gyldig_fra, kategori, underkategori, niva


@logger_nektet
def registrer(
    tj: Tjenester, plan_id: int, data: dict[str, Any], bruker_id: int, fra: str = ""
) -> None:
    """Ny kartlegging fra en dato. Den erstatter ikke de forrige: historikken står."""
    gyldig_fra, kategori, underkategori, niva = _rens(data)
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        s.add(
            Kartlegging(
                plan_id=plan_id,
                gyldig_fra=gyldig_fra,
                kategori=kategori,
                underkategori=underkategori,
                behovsniva=niva,
                registrert_av_id=bruker_id,
            )
        )
        logg(
            s,
            plan_id,
            "kartlagt",
            bruker_id,
            g,
            fra,
            kategori=kategorinavn(kategori),
            niva=niva,
            dato=gyldig_fra.isoformat(),
        )


def historikk(s: Session, plan_id: int) -> list[Kartlegging]:
    """Planens kartlegginger, nyeste først (kalleren har sjekket tilgangen)."""
    return list(
        s.scalars(
            select(Kartlegging)
            .where(Kartlegging.plan_id == plan_id)
            .order_by(Kartlegging.gyldig_fra.desc(), Kartlegging.id.desc())
        )
    )
