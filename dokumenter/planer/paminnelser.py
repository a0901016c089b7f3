"""Påminnelser til koordinatoren når en plan skal revideres (for cron)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from dokumenter.felles import formatering
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import (
    Plan,
)
from dokumenter.planer.innsynslogg import logg
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

# --- Revisjon: påminnelser til koordinatoren --------------------------------------------------

PAMINN_DAGER_FOR = 30  # påminn når revisjonsdatoen er innen så mange dager (eller passert)
PAMINN_HVER = 14  # høyst så ofte per plan


def send_paminnelser(tj: Tjenester, idag: date | None = None) -> tuple[int, list[str]]:
    """E-post til koordinatoren når planens revisjonsdato nærmer seg eller er passert, høyst
    hver 14. dag per plan. E-posten nevner bare plannummeret, aldri personen. En påminnelse
    teller (og logges) bare når e-posten faktisk gikk; ellers prøver jobben igjen neste gang."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        ider = s.scalars(
            select(Plan.id).where(
                Plan.status.in_(("utkast", "til_signering", "aktiv")),
                Plan.neste_evaluering <= idag + timedelta(days=PAMINN_DAGER_FOR),
            )
        ).all()
    antall, feil = 0, []
    for plan_id in ider:
        with tj.sesjoner() as s:
            plan = s.get(Plan, plan_id)
            sist = plan.evaluering_paminnet
            if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINN_HVER):
                continue
            mottaker, nummer, dato = (
                Mottaker.bruker(plan.koordinator),
                plan.nummer,
                plan.neste_evaluering,
            )
        dager = (dato - idag).days
        tilstand = f"passert for {-dager} dager siden" if dager < 0 else f"om {dager} dager"
        melding = Melding(
            mottaker=mottaker,
            hendelse="plan_revisjon",
            objekt_type="plan",
            objekt_id=plan_id,
            emne=f"Revisjon av individuell plan {nummer}",
            tekst=(
                f"Individuell plan {nummer} skal revideres {formatering.dato_lang(dato)} "
                f"({tilstand}). Kall inn ansvarsgruppen og lagre en ny versjon:\n"
                f"{tj.lenker.plan(plan_id)}\n"
            ),
        )
        utfall = utsending.send_med_utfall(tj, [melding])
        feil += utfall.feil
        if utfall.noen_sendt:
            with tj.transaksjon() as s:
                s.get(Plan, plan_id).evaluering_paminnet = naa()
                logg(s, plan_id, "evaluering_paminnet", None, "Systemet", "systemet")
            antall += 1
    return antall, feil
