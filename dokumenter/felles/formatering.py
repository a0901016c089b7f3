"""Norsk (nb-NO) formatering av datoer, tidspunkter, tall og organisasjonsnumre."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "nb_NO"
TIDSSONE = "Europe/Oslo"


def dato_lang(d: date) -> str:
    """1. juni 2007"""
    return format_date(d, "d. MMMM y", locale=LOCALE)


def datotekst(iso: str) -> str:
    """En lagret ISO-dato («2026-06-01») som lang norsk dato; annet vises som det er."""
    try:
        return dato_lang(date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso)


def dato_kort(d: date) -> str:
    """14.04.2008"""
    return format_date(d, "dd.MM.y", locale=LOCALE)


def tidspunkt(t: datetime) -> str:
    """14.04.2008 kl. 13:05, i norsk tid."""
    return format_datetime(t, "dd.MM.y 'kl.' HH:mm", tzinfo=TIDSSONE, locale=LOCALE)


def tall(n: int | float) -> str:
    return format_decimal(n, locale=LOCALE)


def orgnr(nummer: str) -> str:
    """974760673 -> 974 760 673"""
    return f"{nummer[:3]} {nummer[3:6]} {nummer[6:]}" if len(nummer) == 9 else nummer
