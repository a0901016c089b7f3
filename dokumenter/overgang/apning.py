"""Det brukstilfellene i overgangen deler: å åpne planen og overgangen med brukerens grunnlag,
lese datoer og tekst fra skjemaene, og hvem som kan stå som kontakt eller ansvarlig."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.validering import les_dato, rens_tekst
from dokumenter.models import Bruker, Overgang, Plan
from dokumenter.planer.innsynslogg import apne_med_tilgang
from dokumenter.planer.tilgang import Grunnlag, grunnlag

INGEN_OVERGANG = "Planen har ingen overgang ennå. Start overgangen fra plansiden."


def apne(
    s: Session, plan_id: int, bruker_id: int, fra: str, endre: bool = False
) -> tuple[Plan, Overgang, Grunnlag]:
    """Planen med brukerens grunnlag (planens tilgang) og overgangen; IkkeFunnet uten."""
    plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre)
    o = s.scalar(select(Overgang).where(Overgang.plan_id == plan_id))
    if o is None:
        raise IkkeFunnet(INGEN_OVERGANG)
    return plan, o, g


def dato(data: dict, felt: str, etikett: str, paakrevd: bool = False) -> date | None:
    raa = data.get(felt)
    if raa in (None, ""):
        if paakrevd:
            raise Valideringsfeil({felt: f"Skriv {etikett} (dd.mm.åååå)."})
        return None
    try:
        d = les_dato(raa)
    except (ValueError, TypeError):
        raise Valideringsfeil({felt: f"Skriv {etikett} som dd.mm.åååå."}) from None
    if not date(2000, 1, 1) <= d <= date(2200, 12, 31):
        raise Valideringsfeil({felt: f"{etikett.capitalize()} er utenfor gyldig område."})
    return d


def tekst(data: dict, felt: str, maks: int, flerlinjet: bool = False) -> str:
    verdi = rens_tekst(data.get(felt), flerlinjet=flerlinjet)
    if len(verdi) > maks:
        raise Valideringsfeil({felt: f"Teksten kan ha høyst {maks} tegn."})
    return verdi


def ikke_fram_i_tid(d: date | None, felt: str, hva: str) -> None:
    if d is not None and d > date.today():
        raise Valideringsfeil({felt: f"{hva} kan ikke være fram i tid."})


def medlem_av_planen(s: Session, plan: Plan, bruker_id: object, felt: str) -> int | None:
    """En kontakt eller ansvarlig er koordinatoren eller i ansvarsgruppen, og har tilgang til
    planen nå (en partnerbruker bare med samtykke). Tomt felt: None."""
    if bruker_id in (None, "", 0, "0"):
        return None
    try:
        bid = int(bruker_id)
    except (TypeError, ValueError):
        raise Valideringsfeil({felt: "Velg en person fra listen."}) from None
    if bid != plan.koordinator_id and bid not in {m.bruker_id for m in plan.medlemmer}:
        raise Valideringsfeil({felt: "Velg koordinatoren eller en i ansvarsgruppen."})
    bruker = s.get(Bruker, bid)
    if grunnlag(s, plan, bruker) is None:
        raise Valideringsfeil(
            {felt: f"{bruker.navn} har ikke tilgang til planen (deaktivert eller uten samtykke)."}
        )
    return bid
