"""Personens samtykke til deling med en navngitt institusjon; uten gjeldende samtykke har
institusjonens brukere ingen tilgang."""

from __future__ import annotations

from datetime import date

from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.felles.validering import les_dato
from dokumenter.models import (
    Part,
    Samtykke,
)
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.regler import krev_apen
from dokumenter.planer.signering import trekk_runde_uten_tilgang
from dokumenter.planer.tilgang import gjeldende_samtykke
from dokumenter.sok import indeksering as sok
from dokumenter.tjenester import Tjenester


@logger_nektet
def registrer_samtykke(
    tj: Tjenester, plan_id: int, part_id: int, gitt: object, bruker_id: int, fra: str = ""
) -> None:
    """Personen samtykker til at taushetsbelagte opplysninger deles med parten."""
    try:
        dato = les_dato(gitt)
    except (ValueError, TypeError):
        raise Valideringsfeil({"gitt": "Skriv datoen samtykket ble gitt (dd.mm.åååå)."}) from None
    if dato > date.today():
        raise Valideringsfeil({"gitt": "Samtykket kan ikke være gitt fram i tid."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        part = s.get(Part, part_id)
        if part is None:
            raise Valideringsfeil({"part_id": "Velg en part."})
        if gjeldende_samtykke(s, plan_id, part_id) is not None:
            raise Valideringsfeil({"part_id": f"Det er allerede samtykke for {part.navn}."})
        plan.samtykker.append(Samtykke(part_id=part_id, gitt=dato, registrert_av_id=bruker_id))
        logg(s, plan_id, "samtykke_gitt", bruker_id, g, fra, part=part.navn, gitt=dato.isoformat())


@logger_nektet
def trekk_samtykke(
    tj: Tjenester, plan_id: int, part_id: int, bruker_id: int, fra: str = ""
) -> list[str]:
    """Personen trekker samtykket for en part: partens brukere mister tilgangen med en gang.
    Returnerer navnene på dem som mistet tilgangen (de står også i loggen)."""
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        samtykke = gjeldende_samtykke(s, plan_id, part_id)
        if samtykke is None:
            raise Valideringsfeil({"part_id": "Det er ikke noe gjeldende samtykke for parten."})
        for sam in plan.samtykker:  # alle gjeldende, om det skulle være flere
            if sam.part_id == part_id and sam.trukket is None:
                sam.trukket, sam.trukket_av_id = naa(), bruker_id
        mistet = sorted(
            m.bruker.navn
            for m in plan.medlemmer
            if m.bruker.rolle == PARTNER and m.bruker.part_id == part_id
        )
        logg(
            s,
            plan_id,
            "samtykke_trukket",
            bruker_id,
            g,
            fra,
            part=samtykke.part.navn,
            mistet_tilgang=mistet,
        )
        trekk_runde_uten_tilgang(s, plan, bruker_id, g, fra)
    sok.oppdater_plan(tj, plan_id)
    return mistet
