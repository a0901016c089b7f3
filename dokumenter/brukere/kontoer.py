"""Ansattbrukere med roller; passord hashes med argon2."""

from __future__ import annotations

import re

from sqlalchemy import select

from dokumenter.brukere.passord import MIN_PASSORDLENGDE
from dokumenter.brukere.roller import PARTNER, ROLLER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.validering import epost_feil, lengde_feil, rens_tekst
from dokumenter.models import Bruker
from dokumenter.tjenester import Tjenester


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
            passord_hash=tj.passord.hash(passord),
        )
        s.add(bruker)
    return bruker


def opprett_partnerbruker(
    tj: Tjenester, part_id: int, navn: str, epost: str, passord: str
) -> Bruker:
    """Partnerbruker med passord direkte (demo og drift); ellers brukes invitasjonen."""
    epost = rens_tekst(epost).lower()
    if m := epost_feil(epost):
        raise Valideringsfeil({"epost": m})
    if len(passord) < MIN_PASSORDLENGDE:
        raise Valideringsfeil({"passord": f"Passordet må ha minst {MIN_PASSORDLENGDE} tegn."})
    with tj.transaksjon() as s:
        if s.scalar(select(Bruker).where(Bruker.brukernavn == epost)):
            raise Valideringsfeil({"epost": f"E-postadressen {epost} er allerede i bruk."})
        bruker = Bruker(
            brukernavn=epost,
            navn=rens_tekst(navn)[:200],
            epost=epost,
            rolle=PARTNER,
            part_id=part_id,
            passord_hash=tj.passord.hash(passord),
        )
        s.add(bruker)
    return bruker
