"""Evalueringsfristene (forfalt og snart) og påminnelser til den ansvarlige (for cron)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.evaluering.regler import KAN_EVALUERES
from dokumenter.felles import formatering, frister
from dokumenter.felles.tid import naa, som_utc
from dokumenter.infrastruktur.epost import Epost
from dokumenter.models import Avtale
from dokumenter.tjenester import Tjenester

PAMINNELSE_DAGER = 14


# --- Frister, påminnelser og kalender --------------------------------------------------------


def frister_oversikt(tj: Tjenester, idag: date | None = None):
    """(forfalte, snart): lister av (avtale_id, part, dato, dager) for inngåtte avtaler."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        rader = s.execute(
            select(Avtale.id, Avtale.neste_evaluering, Avtale.part_id).where(
                Avtale.status.in_(KAN_EVALUERES), Avtale.neste_evaluering.is_not(None)
            )
        ).all()
        navn = {
            a.id: a.part.navn
            for a in s.scalars(
                select(Avtale)
                .where(Avtale.id.in_([r[0] for r in rader]))
                .options(selectinload(Avtale.part))
            )
        }
    forfalte, snart = frister.forfalte_og_snart(((r[0], r[1]) for r in rader), idag)
    return (
        [(a, navn[a], d, n) for a, d, n in forfalte],
        [(a, navn[a], d, n) for a, d, n in snart],
    )


def send_paminnelser(tj: Tjenester, idag: date | None = None) -> tuple[int, list[str]]:
    """E-post til den ansvarlige for evalueringer som er forfalt eller innen 60 dager, høyst
    hver 14. dag per avtale, med møteinnkallingen (.ics-lenke)."""
    forfalte, snart = frister_oversikt(tj, idag)
    antall, feil = 0, []
    for avtale_id, part, dato, dager in forfalte + snart:
        with tj.transaksjon() as s:
            avtale = s.get(Avtale, avtale_id)
            sist = avtale.evaluering_paminnet
            if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINNELSE_DAGER):
                continue
            avtale.evaluering_paminnet = naa()
            til = avtale.ansvarlig.epost
        if not til:
            feil.append(f"Ansvarlig for avtalen med {part} har ingen e-postadresse.")
            continue
        tilstand = f"forfalt for {-dager} dager siden" if dager < 0 else f"om {dager} dager"
        lenke = tj.lenker.avtale(avtale_id)
        f = tj.send_epost(
            Epost(
                til=til,
                emne=f"Evaluering av avtalen med {part}: {formatering.dato_lang(dato)}",
                tekst=(
                    f"Den årlige evalueringen av samarbeidsavtalen med {part} er {tilstand} "
                    f"({formatering.dato_lang(dato)}). Møteinnkalling (.ics) og "
                    f"evalueringsskjema:\n{lenke}\n"
                ),
            )
        )
        antall += 1
        if f:
            feil.append(f)
    return antall, feil
