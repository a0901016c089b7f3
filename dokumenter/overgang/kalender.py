"""Oppgavene i overgangene som kalenderabonnement (.ics), med den samme hemmelige nøkkelen
som evalueringsmøtene: én heldagshendelse på fristen for hver åpen oppgave i planer brukeren
koordinerer eller har ansvaret for, og kan åpne. Hendelsene nevner plannummeret og oppgaven,
aldri personen, og at planene ble hentet til kalenderen, står i innsynsloggen deres (én gang
per plan og døgn)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from dokumenter.brukere.roller import PARTNER
from dokumenter.infrastruktur import kalender
from dokumenter.models import Bruker
from dokumenter.overgang.lesing import er_min, mine_overganger
from dokumenter.planer.innsynslogg import logg_visninger
from dokumenter.tjenester import Tjenester


def oppgave_feed(tj: Tjenester, nokkel: str) -> bytes | None:
    """Feeden for brukeren med nøkkelen, eller None for en ukjent nøkkel."""
    nokkel_hash = hashlib.sha256(nokkel.encode()).hexdigest()
    with tj.sesjoner() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.kalender_nokkel_hash == nokkel_hash))
        if bruker is None or not bruker.aktiv or bruker.rolle == PARTNER:
            return None
        hendelser, planer = [], set()
        for o in mine_overganger(s, bruker.id):
            for x in o.oppgaver:
                if x.status != "apen" or x.frist is None or not er_min(o, x, bruker.id):
                    continue
                planer.add(o.plan_id)
                hendelser.append(
                    kalender.Evalueringsmote(
                        uid=f"overgangsoppgave-{x.id}@dokumenter",
                        tittel=f"{o.plan.nummer}: {x.tittel}",
                        dato=x.frist,
                        beskrivelse=(
                            f"Oppgave i overgangen fra institusjon til bolig for individuell "
                            f"plan {o.plan.nummer}.\n{tj.lenker.plan(o.plan_id)}"
                        ),
                    )
                )
        bruker_id, navn = bruker.id, bruker.navn
    logg_visninger(tj, bruker_id, sorted(planer), "oppgaver_i_kalender", "kalender")
    return kalender.feed_ics(hendelser, f"Oppgaver i overganger – {navn}")
