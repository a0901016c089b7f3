"""Innlogging: passordet sjekkes, og mislykkede forsøk begrenses per brukernavn og per
IP-adresse (tabellen innloggingsforsok, så det virker på tvers av prosesser)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dokumenter.felles.feil import ForMangeForsok
from dokumenter.felles.tid import naa
from dokumenter.models import Bruker, Innloggingsforsok
from dokumenter.tjenester import Tjenester

# Begrensning av gjetting: mislykkede forsøk per brukernavn og per IP-adresse i et tidsvindu.
VINDU = timedelta(minutes=15)
MAKS_FEIL_PER_BRUKER = 5
MAKS_FEIL_PER_IP = 30
# Brukes når brukernavnet ikke finnes, så svartiden ikke avslører hvilke navn som finnes.


def for_mange_forsok() -> ForMangeForsok:
    minutter = int(VINDU.total_seconds() // 60)
    return ForMangeForsok(f"For mange mislykkede forsøk. Vent {minutter} minutter og prøv igjen.")


def for_mange_feil(s: Session, nokkel: str, maks: int) -> bool:
    fra = naa() - VINDU
    antall = s.scalar(
        select(func.count())
        .select_from(Innloggingsforsok)
        .where(Innloggingsforsok.nokkel == nokkel, Innloggingsforsok.tidspunkt >= fra)
    )
    return (antall or 0) >= maks


def registrer_feil(tj: Tjenester, *nokler: str) -> None:
    with tj.transaksjon() as s:
        for nokkel in nokler:
            s.add(Innloggingsforsok(nokkel=nokkel[:200]))
        # Rydd gamle forsøk av og til (de har ingen verdi etter vinduet).
        s.execute(delete(Innloggingsforsok).where(Innloggingsforsok.tidspunkt < naa() - 4 * VINDU))


def autentiser(tj: Tjenester, brukernavn: str, passord: str, ip: str = "") -> Bruker | None:
    """Returner brukeren hvis brukernavn og passord stemmer og kontoen er aktiv.

    Etter for mange mislykkede forsøk (per brukernavn eller IP) kastes ForMangeForsok, også
    med riktig passord, så gjetting ikke lønner seg."""
    navn = brukernavn.strip().lower()[:254]
    nokler = (f"innlogging:{navn}", f"innlogging-ip:{ip}")
    with tj.sesjoner() as s:
        if for_mange_feil(s, nokler[0], MAKS_FEIL_PER_BRUKER) or (
            ip and for_mange_feil(s, nokler[1], MAKS_FEIL_PER_IP)
        ):
            raise for_mange_forsok()
    with tj.transaksjon() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.brukernavn == navn))
        riktig = tj.passord.stemmer(bruker.passord_hash if bruker else tj.passord.attrapp, passord)
        ok = riktig and bruker is not None and bruker.aktiv
        if ok and tj.passord.trenger_ny_hash(bruker.passord_hash):
            bruker.passord_hash = tj.passord.hash(passord)
    if not ok:
        registrer_feil(tj, *(n for n in nokler if not n.endswith(":")))
        return None
    return bruker
