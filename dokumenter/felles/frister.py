"""Frister: neste årlige evaluering av samarbeidsavtaler, varsling og svarfrister for avvik,
og virkedager (uten helg og norske helligdager, fra pakken `holidays`).

Rene funksjoner uten database; alle datoer er kalenderdatoer (norsk tid) uten klokkeslett.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import holidays
from dateutil.relativedelta import relativedelta

T = TypeVar("T")


# Evalueringer som forfaller innen så mange dager, vises som «snart» i oversikten.
VARSEL_DAGER = 60
# Med fast evalueringsmåned må det gå minst så mange dager fra utgangsdatoen til evalueringen.
MINSTE_DAGER_FAST_MANED = 90

FORFALT = "forfalt"
SNART = "snart"
SENERE = "senere"


MANEDER = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip


def maned_fra_navn(navn: str | None) -> int | None:
    """«desember» → 12 (avtalens felt for evalueringsmåned); ukjent eller tomt → None."""
    tekst = (navn or "").strip().lower()
    return MANEDER.index(tekst) + 1 if tekst in MANEDER else None


def neste_evaluering(fra: date, fast_maned: int | None = None) -> date:
    """Datoen for neste årlige evaluering, regnet fra signering eller forrige evaluering.

    Uten fast måned: samme dato ett år senere. 29. februar blir 28. februar når neste år ikke
    er skuddår (relativedelta), og 28. februar blir aldri flyttet til 29. februar.

    Med fast måned (1–12): den 1. i den måneden, første gang det er minst 90 dager etter `fra`
    (en avtale signert i slutten av februar med fast måned mars evalueres i mars neste år).
    """
    if fast_maned is None:
        return fra + relativedelta(years=1)
    if isinstance(fast_maned, bool) or not isinstance(fast_maned, int) or not 1 <= fast_maned <= 12:
        raise ValueError(
            f"Ugyldig evalueringsmåned: {fast_maned!r} (må være et tall fra 1 til 12)."
        )
    kandidat = date(fra.year, fast_maned, 1)
    while (kandidat - fra).days < MINSTE_DAGER_FAST_MANED:
        kandidat = date(kandidat.year + 1, fast_maned, 1)
    return kandidat


@dataclass(frozen=True)
class Fristvurdering:
    """Hvor en frist står i forhold til i dag."""

    status: str  # "forfalt" | "snart" | "senere"
    dager: int  # dager til fristen (negativt når den er passert)


def vurder(frist: date, idag: date, varsel_dager: int = VARSEL_DAGER) -> Fristvurdering:
    """«forfalt» når fristen er passert, «snart» fra i dag til og med `varsel_dager` dager
    frem, ellers «senere»."""
    dager = (frist - idag).days
    if dager < 0:
        return Fristvurdering(FORFALT, dager)
    if dager <= varsel_dager:
        return Fristvurdering(SNART, dager)
    return Fristvurdering(SENERE, dager)


def svarfrist(sendt: date, dager: int) -> date:
    """Svarfrist for et avvik: `sendt` + `dager`. Faller fristen på en lørdag eller søndag,
    flyttes den til mandagen etter. Helligdager tas ikke hensyn til."""
    if dager < 0:
        raise ValueError(f"Antall dager til svarfrist kan ikke være negativt ({dager}).")
    frist = sendt + timedelta(days=dager)
    if frist.weekday() >= 5:  # lørdag (5) eller søndag (6)
        frist += timedelta(days=7 - frist.weekday())
    return frist


def forfalte_og_snart(
    frister: Iterable[tuple[T, date | None]],
    idag: date,
    varsel_dager: int = VARSEL_DAGER,
) -> tuple[list[tuple[T, date, int]], list[tuple[T, date, int]]]:
    """Del (objekt, frist) i forfalte (eldste først) og snart forfallende (nærmeste først),
    hver som (objekt, frist, dager til frist). Frister som er senere eller mangler (None),
    utelates. Like frister beholder rekkefølgen fra inndataene."""
    forfalte: list[tuple[T, date, int]] = []
    snart: list[tuple[T, date, int]] = []
    for objekt, frist in frister:
        if frist is None:
            continue
        vurdering = vurder(frist, idag, varsel_dager)
        if vurdering.status == FORFALT:
            forfalte.append((objekt, frist, vurdering.dager))
        elif vurdering.status == SNART:
            snart.append((objekt, frist, vurdering.dager))
    forfalte.sort(key=lambda rad: rad[1])
    snart.sort(key=lambda rad: rad[1])
    return forfalte, snart


# --- Virkedager -----------------------------------------------------------------------------


@functools.cache
def _helligdager(aar: int) -> frozenset[date]:
    """Norske offentlige helligdager (1. og 17. mai, jul, påske, Kristi himmelfart og pinse)."""
    return frozenset(holidays.country_holidays("NO", years=aar))


def er_virkedag(d: date) -> bool:
    """Mandag–fredag, og ikke en norsk helligdag."""
    return d.weekday() < 5 and d not in _helligdager(d.year)


def virkedager_mellom(fra: date, til: date) -> int:
    """Virkedager etter `fra` til og med `til` (0 når `til` ikke er etter `fra`). Oppdaget en
    fredag og sendt mandagen etter er én virkedag senere; skjærtorsdag til tirsdag etter
    påske er én (tirsdagen)."""
    if til <= fra:
        return 0
    return sum(1 for n in range(1, (til - fra).days + 1) if er_virkedag(fra + timedelta(days=n)))


def legg_til_virkedager(fra: date, antall: int) -> date:
    """Datoen `antall` virkedager etter `fra` (fristen for noe som skal skje innen så mange
    virkedager)."""
    if antall < 0:
        raise ValueError(f"Antall virkedager kan ikke være negativt ({antall}).")
    d = fra
    while antall:
        d += timedelta(days=1)
        if er_virkedag(d):
            antall -= 1
    return d
