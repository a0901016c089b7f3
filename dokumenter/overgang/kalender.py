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
from dokumenter.models import Bruker, Overgang, Overgangsoppgave, Plan
from dokumenter.overgang import oppgaver
from dokumenter.planer.innsynslogg import logg_visninger
from dokumenter.planer.tilgang import synlige_plan_ider
from dokumenter.tjenester import Tjenester


def oppgave_feed(tj: Tjenester, nokkel: str) -> bytes | None:
    """Feeden for brukeren med nøkkelen, eller None for en ukjent nøkkel."""
    nokkel_hash = hashlib.sha256(nokkel.encode()).hexdigest()
    with tj.sesjoner() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.kalender_nokkel_hash == nokkel_hash))
        if bruker is None or not bruker.aktiv or bruker.rolle == PARTNER:
            return None
        ider = synlige_plan_ider(s, bruker)
        rader = s.scalars(
            select(Overgangsoppgave)
            .join(Overgang, Overgangsoppgave.overgang_id == Overgang.id)
            .join(Plan, Overgang.plan_id == Plan.id)
            .where(
                Overgang.plan_id.in_(ider),
                Plan.status != "avsluttet",
                Overgangsoppgave.status == "apen",
                Overgangsoppgave.frist.is_not(None),
            )
            .order_by(Overgangsoppgave.frist, Overgangsoppgave.id)
        ).all()
        hendelser, planer = [], set()
        for x in rader:
            o = s.get(Overgang, x.overgang_id)
            ansvarlig = oppgaver.ansvarlig(o, x)
            if o.plan.koordinator_id != bruker.id and (
                ansvarlig is None or ansvarlig.id != bruker.id
            ):
                continue
            planer.add(o.plan_id)
            hendelser.append(
                kalender.Evalueringsmote(
                    uid=f"overgangsoppgave-{x.id}@dokumenter",
                    tittel=f"{o.plan.nummer}: {x.tittel}",
                    dato=x.frist,
                    beskrivelse=(
                        f"Oppgave i overgangen fra institusjon til bolig for individuell plan "
                        f"{o.plan.nummer}.\n{tj.lenker.plan(o.plan_id)}"
                    ),
                )
            )
        bruker_id, navn = bruker.id, bruker.navn
    logg_visninger(tj, bruker_id, sorted(planer), "oppgaver_i_kalender", "kalender")
    return kalender.feed_ics(hendelser, f"Oppgaver i overganger – {navn}")
