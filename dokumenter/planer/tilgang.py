"""Hvem som kan åpne en individuell plan, og på hvilket grunnlag. Denne modulen er den eneste
som avgjør det; alle lister, søk, nedlastinger og endringer spør her.

- Koordinatoren og ansatte i ansvarsgruppen: lese og endre (ansatte med skriverolle).
- Partnerbrukere i ansvarsgruppen: lese, og signere når det er deres tur, men bare så lenge
  personen har et gjeldende samtykke til deling med deres institusjon.
- Ansatte med en eksplisitt tilgang (begrunnet, ev. med sluttdato): bare lese.
- Alle andre, også administratorer uten tilgang: ingenting, og planen «finnes ikke».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from dokumenter.brukere.roller import ANSATTROLLER, PARTNER, SKRIVEROLLER
from dokumenter.models import Ansvarsgruppemedlem, Bruker, Plan, Plantilgang, Samtykke

SYNLIGE_STATUSER = ("utkast", "til_signering", "aktiv", "avsluttet")


@dataclass(frozen=True)
class Grunnlag:
    """Hvorfor brukeren kan åpne planen; skrives i innsynsloggen ved hver handling."""

    type: str  # koordinator | medlem | tilgang
    beskrivelse: str
    kan_endre: bool

    def __str__(self) -> str:
        return self.beskrivelse


def gjeldende_samtykke(s: Session, plan_id: int, part_id: int) -> Samtykke | None:
    return s.scalar(
        select(Samtykke)
        .where(Samtykke.plan_id == plan_id, Samtykke.part_id == part_id, Samtykke.trukket.is_(None))
        .order_by(Samtykke.id.desc())
        .limit(1)
    )


def grunnlag(s: Session, plan: Plan | None, bruker: Bruker | None) -> Grunnlag | None:
    """Brukerens grunnlag for å åpne planen, eller None."""
    if plan is None or bruker is None or not bruker.aktiv or plan.status not in SYNLIGE_STATUSER:
        return None
    skriver = bruker.rolle in SKRIVEROLLER
    if bruker.rolle in ANSATTROLLER and plan.koordinator_id == bruker.id:
        return Grunnlag("koordinator", "Koordinator for planen", skriver)
    medlem = s.scalar(
        select(Ansvarsgruppemedlem).where(
            Ansvarsgruppemedlem.plan_id == plan.id, Ansvarsgruppemedlem.bruker_id == bruker.id
        )
    )
    if medlem is not None:
        if bruker.rolle == PARTNER:
            samtykke = gjeldende_samtykke(s, plan.id, bruker.part_id) if bruker.part_id else None
            if samtykke is None:
                return None
            return Grunnlag(
                "medlem",
                f"Medlem av ansvarsgruppen ({medlem.tjeneste}); samtykke #{samtykke.id} gitt "
                f"{samtykke.gitt.strftime('%d.%m.%Y')}",
                False,
            )
        if bruker.rolle in ANSATTROLLER:
            return Grunnlag("medlem", f"Medlem av ansvarsgruppen ({medlem.tjeneste})", skriver)
    if bruker.rolle in ANSATTROLLER:
        tilgang = gjeldende_tilgang(s, plan.id, bruker.id)
        if tilgang is not None:
            return Grunnlag("tilgang", f"Tilgang #{tilgang.id}: {tilgang.grunn}", False)
    return None


def gjeldende_tilgang(s: Session, plan_id: int, bruker_id: int) -> Plantilgang | None:
    return s.scalar(
        select(Plantilgang)
        .where(
            Plantilgang.plan_id == plan_id,
            Plantilgang.bruker_id == bruker_id,
            Plantilgang.trukket.is_(None),
            or_(Plantilgang.utloper.is_(None), Plantilgang.utloper >= date.today()),
        )
        .order_by(Plantilgang.id.desc())
        .limit(1)
    )


def synlige_plan_ider(s: Session, bruker: Bruker | None) -> list[int]:
    """Id-ene til alle planer brukeren kan åpne (for lister og søk), i én spørring."""
    if bruker is None or not bruker.aktiv:
        return []
    medlem = exists().where(
        Ansvarsgruppemedlem.plan_id == Plan.id, Ansvarsgruppemedlem.bruker_id == bruker.id
    )
    if bruker.rolle == PARTNER:
        if bruker.part_id is None:
            return []
        samtykke = exists().where(
            Samtykke.plan_id == Plan.id,
            Samtykke.part_id == bruker.part_id,
            Samtykke.trukket.is_(None),
        )
        vilkar = medlem & samtykke
    elif bruker.rolle in ANSATTROLLER:
        tilgang = exists().where(
            Plantilgang.plan_id == Plan.id,
            Plantilgang.bruker_id == bruker.id,
            Plantilgang.trukket.is_(None),
            or_(Plantilgang.utloper.is_(None), Plantilgang.utloper >= date.today()),
        )
        vilkar = (Plan.koordinator_id == bruker.id) | medlem | tilgang
    else:
        return []
    return list(
        s.scalars(
            select(Plan.id).where(vilkar, Plan.status.in_(SYNLIGE_STATUSER)).order_by(Plan.id)
        )
    )
