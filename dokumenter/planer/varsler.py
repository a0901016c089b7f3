"""E-post når en plan deles med en institusjon eller samtykket til deling trekkes: til
partnerbrukerne det gjelder og til koordinatoren (ikke til den som gjorde det selv). E-posten
nevner bare plannummeret og institusjonen, aldri personen. Sendes etter commit."""

from __future__ import annotations

from sqlalchemy import select

from dokumenter.models import Bruker, Part, Plan
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker


def _hent(tj: Tjenester, plan_id: int, part_id: int, bruker_ider: list[int]):
    with tj.sesjoner() as s:
        plan = s.get(Plan, plan_id)
        part = s.get(Part, part_id)
        partnere = [
            Mottaker.bruker(b)
            for b in s.scalars(
                select(Bruker).where(Bruker.id.in_(bruker_ider), Bruker.aktiv).order_by(Bruker.id)
            )
        ]
        koordinator = plan.koordinator if plan.koordinator.aktiv else None
        return (
            plan.nummer,
            part.navn if part else "",
            partnere,
            Mottaker.bruker(koordinator) if koordinator else None,
        )


def delt(
    tj: Tjenester, plan_id: int, part_id: int, bruker_ider: list[int], utlost_av: int
) -> list[str]:
    """Planen er delt med partnerbrukerne `bruker_ider` hos parten (samtykke registrert, eller
    lagt til i ansvarsgruppen mens samtykket gjelder)."""
    if not bruker_ider:
        return []
    nummer, part, partnere, koordinator = _hent(tj, plan_id, part_id, bruker_ider)
    meldinger = [
        Melding(
            mottaker=m,
            hendelse="plan_delt",
            objekt_type="plan",
            objekt_id=plan_id,
            emne=f"Individuell plan {nummer} er delt med dere",
            tekst=(
                f"Hei {m.navn},\n\nIndividuell plan {nummer} er delt med {part}, og du er med "
                f"i ansvarsgruppen. Logg inn i portalen for å lese den:\n"
                f"{tj.lenker.plan(plan_id, partner=True)}\n"
            ),
        )
        for m in partnere
        if m.bruker_id != utlost_av
    ]
    if koordinator and koordinator.bruker_id != utlost_av:
        navn = ", ".join(m.navn for m in partnere)
        meldinger.append(
            Melding(
                mottaker=koordinator,
                hendelse="plan_delt",
                objekt_type="plan",
                objekt_id=plan_id,
                emne=f"Individuell plan {nummer} er delt med {part}",
                tekst=(
                    f"Individuell plan {nummer}, der du er koordinator, er nå delt med {part} "
                    f"({navn}):\n{tj.lenker.plan(plan_id)}\n"
                ),
            )
        )
    return utsending.send(tj, meldinger, utlost_av)


def samtykke_trukket(
    tj: Tjenester, plan_id: int, part_id: int, bruker_ider: list[int], utlost_av: int
) -> list[str]:
    """Samtykket til deling med parten er trukket: partnerbrukerne har mistet tilgangen (de får
    ingen lenke, for de kan ikke åpne planen), og koordinatoren får beskjed."""
    nummer, part, partnere, koordinator = _hent(tj, plan_id, part_id, bruker_ider)
    meldinger = [
        Melding(
            mottaker=m,
            hendelse="samtykke_trukket",
            objekt_type="plan",
            objekt_id=plan_id,
            emne=f"Individuell plan {nummer}: samtykket til deling er trukket",
            tekst=(
                f"Hei {m.navn},\n\nSamtykket til å dele individuell plan {nummer} med {part} "
                "er trukket. Du har derfor ikke lenger tilgang til planen. Har du kopier av "
                "opplysninger fra den, skal de ikke brukes videre.\n"
            ),
        )
        for m in partnere
        if m.bruker_id != utlost_av
    ]
    if koordinator and koordinator.bruker_id != utlost_av:
        meldinger.append(
            Melding(
                mottaker=koordinator,
                hendelse="samtykke_trukket",
                objekt_type="plan",
                objekt_id=plan_id,
                emne=f"Individuell plan {nummer}: samtykket for {part} er trukket",
                tekst=(
                    f"Samtykket til å dele individuell plan {nummer} med {part} er trukket, og "
                    f"{part} har ikke lenger tilgang:\n{tj.lenker.plan(plan_id)}\n"
                ),
            )
        )
    return utsending.send(tj, meldinger, utlost_av)
