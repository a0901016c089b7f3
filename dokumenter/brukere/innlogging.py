"""Innlogging og utlogging, med begrensning av gjetting som ikke kan brukes til å stenge
eieren ute (tabellen innloggingsforsok, så det virker på tvers av prosesser og noder):

1. Per brukernavn og adresse: etter 5 feil på 15 minutter avvises flere forsøk på det
   brukernavnet fra den adressen, også med riktig passord. Fra en annen adresse (eieren på
   kontoret mens noen prøver hjemmefra) går innloggingen som vanlig.
2. Per brukernavn, fra alle adresser: 50 feil i timen (gjetting fordelt på mange adresser).
3. Per adresse: feil på 30 ulike brukernavn i timen (én adresse som prøver mange kontoer med
   vanlige passord). Én bruker som skriver feil bak en felles adresse (NAT), teller som ett.

Grense 2 og 3 gjelder ikke en adresse kontoen har logget inn fra de siste 30 dagene
(kontologgen), så eieren kommer inn fra kjente steder selv når kontoen angripes fra mange
adresser. Et forsøk som avvises av en grense, prøver ikke passordet og telles ikke.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, distinct, func, select
from sqlalchemy.orm import Session

from dokumenter.brukere import kontologg, okter
from dokumenter.felles.feil import ForMangeForsok
from dokumenter.felles.tid import naa
from dokumenter.models import Bruker, Innloggingsforsok
from dokumenter.tjenester import Tjenester

VINDU = timedelta(minutes=15)
MAKS_FEIL_PER_BRUKER_OG_IP = 5
TIMEVINDU = timedelta(hours=1)
MAKS_FEIL_PER_BRUKER = 50
MAKS_BRUKERE_PER_IP = 30


def _telling(s: Session, *vilkar, fra: timedelta, hva=None) -> int:
    return (
        s.scalar(
            select(hva if hva is not None else func.count())
            .select_from(Innloggingsforsok)
            .where(*vilkar, Innloggingsforsok.tidspunkt >= naa() - fra)
        )
        or 0
    )


def sjekk_grenser(s: Session, brukernavn: str, ip: str, bruker_id: int | None) -> None:
    """ForMangeForsok når et nytt forsøk på `brukernavn` fra `ip` ikke skal prøves nå."""
    navn, ip = brukernavn[:254], ip[:64]
    if (
        _telling(
            s,
            Innloggingsforsok.brukernavn == navn,
            Innloggingsforsok.ip == ip,
            fra=VINDU,
        )
        >= MAKS_FEIL_PER_BRUKER_OG_IP
    ):
        minutter = int(VINDU.total_seconds() // 60)
        raise ForMangeForsok(
            f"For mange mislykkede forsøk. Vent {minutter} minutter og prøv igjen."
        )
    kontoen = _telling(s, Innloggingsforsok.brukernavn == navn, fra=TIMEVINDU)
    brukere = (
        _telling(
            s,
            Innloggingsforsok.ip == ip,
            fra=TIMEVINDU,
            hva=func.count(distinct(Innloggingsforsok.brukernavn)),
        )
        if ip
        else 0
    )
    if kontoen < MAKS_FEIL_PER_BRUKER and brukere < MAKS_BRUKERE_PER_IP:
        return
    if bruker_id is not None and kontologg.kjent_adresse(s, bruker_id, ip):
        return
    if kontoen >= MAKS_FEIL_PER_BRUKER:
        raise ForMangeForsok(
            "For mange mislykkede forsøk på denne kontoen. Vent en time, eller logg inn fra en "
            "maskin du har logget inn fra før."
        )
    raise ForMangeForsok(
        "For mange mislykkede innlogginger fra denne adressen. Vent en time og prøv igjen."
    )


def registrer_feil(tj: Tjenester, brukernavn: str, ip: str) -> None:
    with tj.transaksjon() as s:
        s.add(Innloggingsforsok(brukernavn=brukernavn[:254], ip=ip[:64], tidspunkt=naa()))
        # Rydd: forsøkene har ingen verdi etter det lengste vinduet.
        s.execute(
            delete(Innloggingsforsok).where(Innloggingsforsok.tidspunkt < naa() - 2 * TIMEVINDU)
        )


def autentiser(tj: Tjenester, brukernavn: str, passord: str, ip: str = "") -> Bruker | None:
    """Brukeren, når brukernavn og passord stemmer og kontoen er aktiv; ellers None (og
    forsøket telles). Kaster ForMangeForsok (uten å prøve passordet) når en grense er nådd."""
    navn = brukernavn.strip().lower()[:254]
    with tj.sesjoner() as s:
        bruker_id = s.scalar(select(Bruker.id).where(Bruker.brukernavn == navn))
        sjekk_grenser(s, navn, ip, bruker_id)
    with tj.transaksjon() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.brukernavn == navn))
        # Samme arbeid når brukernavnet ikke finnes, så svartiden ikke røper hvilke som gjør det.
        riktig = tj.passord.stemmer(bruker.passord_hash if bruker else tj.passord.attrapp, passord)
        ok = riktig and bruker is not None and bruker.aktiv
        if ok:
            if tj.passord.trenger_ny_hash(bruker.passord_hash):
                bruker.passord_hash = tj.passord.hash(passord)
            # Feilene fra denne adressen er glemt når eieren har kommet inn.
            s.execute(
                delete(Innloggingsforsok).where(
                    Innloggingsforsok.brukernavn == navn, Innloggingsforsok.ip == ip[:64]
                )
            )
            kontologg.logg(s, bruker.id, "innlogget", bruker.id, ip=ip, fra=f"web {ip}")
    if not ok:
        registrer_feil(tj, navn, ip)
        return None
    return bruker


def logg_ut(tj: Tjenester, bruker_id: int, ip: str = "", fra: str = "") -> int:
    """Avslutt alle brukerens økter (alle nettlesere og maskiner) og logg det. Gir antallet."""
    with tj.transaksjon() as s:
        antall = okter.avslutt_alle(s, bruker_id)
        kontologg.logg(s, bruker_id, "logget_ut", bruker_id, ip=ip, fra=fra, okter=antall)
    return antall
