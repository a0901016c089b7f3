"""Forsiden for en ansatt: avtaleoversikten og nøkkeltallene, evalueringsfristene, de
forfalte oppgavene i overgangene brukeren koordinerer eller har ansvaret for, og § 10-tallene
(personene avtalene omfattet og boligen deres) for de siste tolv månedene, skjermet.

Alt er tall fra SQL eller de første radene av en liste (LIMIT): oversikten per sektor viser
antall parter per kolonne og de første radene, evalueringsfristene de første
`EVALUERINGER_PA_FORSIDEN` med en lenke til resten, så siden koster det samme med 10 som med
10 000 avtaler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dokumenter.avtaler.oversikt import Nokkeltall, Sektor, nokkeltall, oversikt
from dokumenter.evaluering.paminnelser import FRISTLISTE, frister_side
from dokumenter.felles.frister import FORFALT, SNART
from dokumenter.felles.sidevisning import Side
from dokumenter.overgang.lesing import ForfaltOppgave, mine_forfalte_oppgaver
from dokumenter.overgang.statistikk import Paragraf10, paragraf10
from dokumenter.tjenester import Tjenester

EVALUERINGER_PA_FORSIDEN = 10


@dataclass
class Forside:
    sektorer: list[Sektor]
    tall: Nokkeltall
    evalueringer_forfalte: Side
    evalueringer_snart: Side
    forfalte_oppgaver: list[ForfaltOppgave]
    paragraf10: Paragraf10


def forside(tj: Tjenester, bruker_id: int, fra: str = "", idag: date | None = None) -> Forside:
    idag = idag or date.today()
    forste = FRISTLISTE.utvalg({}).med(per_side=EVALUERINGER_PA_FORSIDEN)
    return Forside(
        sektorer=oversikt(tj),
        tall=nokkeltall(tj, idag),
        evalueringer_forfalte=frister_side(tj, FORFALT, idag, forste),
        evalueringer_snart=frister_side(tj, SNART, idag, forste),
        forfalte_oppgaver=mine_forfalte_oppgaver(tj, bruker_id, fra, idag),
        paragraf10=paragraf10(tj, None, idag - timedelta(days=364), idag),
    )
