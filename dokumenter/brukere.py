"""Ansattbrukere med roller; passord hashes med argon2."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from dokumenter.models import Bruker
from dokumenter.tjenester import Tjenester
from dokumenter.validering import Valideringsfeil, epost_feil, lengde_feil, rens_tekst

ROLLER = {
    "admin": "Administrator",
    "saksbehandler": "Saksbehandler",
    "lesetilgang": "Lesetilgang",
}
SKRIVEROLLER = ("admin", "saksbehandler")
MIN_PASSORDLENGDE = 10

_hasher = PasswordHasher()
# Brukes når brukernavnet ikke finnes, så svartiden ikke avslører hvilke navn som finnes.
_DUMMY_HASH = _hasher.hash("ikke-et-ekte-passord")


def opprett_bruker(
    tj: Tjenester, brukernavn: str, navn: str, rolle: str, passord: str, epost: str = ""
) -> Bruker:
    brukernavn = rens_tekst(brukernavn).lower()
    navn = rens_tekst(navn)
    epost = rens_tekst(epost)
    feil: dict[str, str] = {}
    if not re.fullmatch(r"[a-z0-9._-]{2,64}", brukernavn):
        feil["brukernavn"] = "Brukernavnet må ha 2–64 tegn: a–z, 0–9, punktum, - og _."
    if not navn:
        feil["navn"] = "Navn må fylles ut."
    elif m := lengde_feil(navn, 200):
        feil["navn"] = m
    if rolle not in ROLLER:
        feil["rolle"] = f"Ukjent rolle. Velg en av: {', '.join(ROLLER)}."
    if len(passord) < MIN_PASSORDLENGDE:
        feil["passord"] = f"Passordet må ha minst {MIN_PASSORDLENGDE} tegn."
    if epost and (m := epost_feil(epost) or lengde_feil(epost, 254)):
        feil["epost"] = m
    with tj.transaksjon() as s:
        if not feil and s.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn)):
            feil["brukernavn"] = f"Brukernavnet «{brukernavn}» er allerede i bruk."
        if feil:
            raise Valideringsfeil(feil)
        bruker = Bruker(
            brukernavn=brukernavn,
            navn=navn,
            epost=epost,
            rolle=rolle,
            passord_hash=_hasher.hash(passord),
        )
        s.add(bruker)
    return bruker


def autentiser(tj: Tjenester, brukernavn: str, passord: str) -> Bruker | None:
    """Returner brukeren hvis brukernavn og passord stemmer og kontoen er aktiv."""
    with tj.transaksjon() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn.strip().lower()))
        try:
            _hasher.verify(bruker.passord_hash if bruker else _DUMMY_HASH, passord)
        except (VerificationError, InvalidHashError):
            return None
        if bruker is None or not bruker.aktiv:
            return None
        if _hasher.check_needs_rehash(bruker.passord_hash):
            bruker.passord_hash = _hasher.hash(passord)
        return bruker


def kan_skrive(bruker: Bruker) -> bool:
    return bruker.rolle in SKRIVEROLLER
