"""Forsiden for en ansatt: avtaleoversikten og nøkkeltallene, evalueringsfristene, de
forfalte oppgavene i overgangene brukeren koordinerer eller har ansvaret for, og § 10-tallene
(personene avtalene omfattet og boligen deres) for de siste tolv månedene, skjermet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dokumenter.avtaler.oversikt import Nokkeltall, Rad, nokkeltall, oversikt
from dokumenter.evaluering.paminnelser import frister_oversikt
from dokumenter.overgang.lesing import ForfaltOppgave, mine_forfalte_oppgaver
from dokumenter.overgang.statistikk import Paragraf10, paragraf10
from dokumenter.tjenester import Tjenester


@dataclass
class Forside:
    grupper: dict[str, list[Rad]]
    tall: Nokkeltall
    evalueringer_forfalte: list
    evalueringer_snart: list
    forfalte_oppgaver: list[ForfaltOppgave]
    paragraf10: Paragraf10


def forside(tj: Tjenester, bruker_id: int, fra: str = "", idag: date | None = None) -> Forside:
    idag = idag or date.today()
    forfalte, snart = frister_oversikt(tj, idag)
    return Forside(
        grupper=oversikt(tj),
        tall=nokkeltall(tj, idag),
        evalueringer_forfalte=forfalte,
        evalueringer_snart=snart,
        forfalte_oppgaver=mine_forfalte_oppgaver(tj, bruker_id, fra, idag),
        paragraf10=paragraf10(tj, None, idag - timedelta(days=364), idag),
    )
