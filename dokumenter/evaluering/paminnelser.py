"""Evalueringsfristene (forfalt og snart) og påminnelser til den ansvarlige (for cron)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select

from dokumenter.evaluering.regler import KAN_EVALUERES
from dokumenter.felles import formatering, frister
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.felles.tid import naa, som_utc
from dokumenter.infrastruktur.sidevis import hent_side
from dokumenter.models import Avtale, Part
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

PAMINNELSE_DAGER = 14


# --- Frister, påminnelser og kalender --------------------------------------------------------


def frister_oversikt(tj: Tjenester, idag: date | None = None):
    """(forfalte, snart): lister av (avtale_id, part, dato, dager) for inngåtte avtaler.
    Bare avtalene med frist innen varselperioden leses."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        rader = s.execute(
            _med_frist(idag + timedelta(days=frister.VARSEL_DAGER)).order_by(Avtale.id)
        ).all()
    navn = {r[0]: r[2] for r in rader}
    forfalte, snart = frister.forfalte_og_snart(((r[0], r[1]) for r in rader), idag)
    return (
        [(a, navn[a], d, n) for a, d, n in forfalte],
        [(a, navn[a], d, n) for a, d, n in snart],
    )


def _med_frist(til: date, fra: date | None = None) -> Select[Any]:
    sporring = (
        select(Avtale.id, Avtale.neste_evaluering, Part.navn)
        .join(Part, Avtale.part_id == Part.id)
        .where(Avtale.status.in_(KAN_EVALUERES), Avtale.neste_evaluering <= til)
    )
    return sporring if fra is None else sporring.where(Avtale.neste_evaluering >= fra)


FRISTLISTE = Sortering({"dato": False, "part": False}, standard="dato", per_side=50)


def frister_side(
    tj: Tjenester, hvilke: str, idag: date | None = None, utvalg: Utvalg | None = None
) -> Side[tuple[int, str, date, int]]:
    """Én side av evalueringene som er forfalt (`hvilke` = "forfalt", eldste først) eller
    forfaller innen varselperioden ("snart", nærmeste først): (avtale_id, part, dato, dager)."""
    idag = idag or date.today()
    utvalg = utvalg or FRISTLISTE.utvalg({})
    if hvilke == frister.FORFALT:
        sporring = _med_frist(idag - timedelta(days=1))
    else:
        sporring = _med_frist(idag + timedelta(days=frister.VARSEL_DAGER), fra=idag)
    kolonner = {"dato": [Avtale.neste_evaluering], "part": [Part.navn]}
    with tj.sesjoner() as s:
        return hent_side(
            s,
            sporring,
            utvalg,
            kolonner,
            Avtale.id,
            lambda r: (r[0], r[2], r[1], (r[1] - idag).days),
        )


def send_paminnelser(tj: Tjenester, idag: date | None = None) -> tuple[int, list[str]]:
    """E-post til den ansvarlige for evalueringer som er forfalt eller innen 60 dager, høyst
    hver 14. dag per avtale, med møteinnkallingen (.ics-lenke). En påminnelse teller, og
    datoen noteres, bare når e-posten faktisk gikk; ellers prøver jobben igjen neste gang."""
    forfalte, snart = frister_oversikt(tj, idag)
    antall, feil = 0, []
    for avtale_id, part, dato, dager in forfalte + snart:
        with tj.sesjoner() as s:
            avtale = s.get(Avtale, avtale_id)
            sist = avtale.evaluering_paminnet
            if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINNELSE_DAGER):
                continue
            mottaker = Mottaker.bruker(avtale.ansvarlig)
        tilstand = f"forfalt for {-dager} dager siden" if dager < 0 else f"om {dager} dager"
        lenke = tj.lenker.avtale(avtale_id)
        melding = Melding(
            mottaker=mottaker,
            hendelse="evaluering_forfaller",
            objekt_type="avtale",
            objekt_id=avtale_id,
            emne=f"Evaluering av avtalen med {part}: {formatering.dato_lang(dato)}",
            tekst=(
                f"Den årlige evalueringen av samarbeidsavtalen med {part} er {tilstand} "
                f"({formatering.dato_lang(dato)}). Møteinnkalling (.ics) og "
                f"evalueringsskjema:\n{lenke}\n"
            ),
        )
        utfall = utsending.send_med_utfall(tj, [melding])
        feil += utfall.feil
        if utfall.noen_sendt:
            with tj.transaksjon() as s:
                s.get(Avtale, avtale_id).evaluering_paminnet = naa()
            antall += 1
    return antall, feil
