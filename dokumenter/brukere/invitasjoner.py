"""Invitasjoner til partnerportalen: en engangslenke (bare SHA-256 av nøkkelen lagres) som
lar kontaktpersonen sette sitt eget passord."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from dokumenter.brukere import kontologg, okter
from dokumenter.brukere.passord import sjekk_nytt_passord
from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.felles.validering import epost_feil
from dokumenter.models import Bruker, Invitasjon, Kontaktperson
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

INVITASJON_GYLDIG = timedelta(days=7)


# --- Partnerbrukere og invitasjoner ------------------------------------------------------


def _nokkel_hash(nokkel: str) -> str:
    return hashlib.sha256(nokkel.encode()).hexdigest()


def inviter_partner(
    tj: Tjenester,
    kontaktperson_id: int,
    bruker_id: int,
    fra: str = "",
) -> tuple[Bruker, str | None]:
    """Opprett (eller forny) en partnerbruker for en kontaktperson og send en engangslenke
    for å sette passord. Returnerer brukeren og en eventuell e-postfeil (norsk)."""
    nokkel = secrets.token_urlsafe(32)
    with tj.transaksjon() as s:
        kp = s.get(Kontaktperson, kontaktperson_id)
        if kp is None:
            raise Valideringsfeil({"kontaktperson": "Kontaktpersonen finnes ikke."})
        epost = kp.epost.strip().lower()
        if not epost or epost_feil(epost):
            raise Valideringsfeil(
                {"kontaktperson": f"{kp.navn} har ingen gyldig e-postadresse å invitere til."}
            )
        bruker = s.scalar(select(Bruker).where(Bruker.brukernavn == epost))
        if bruker is not None and (bruker.rolle != PARTNER or bruker.part_id != kp.part_id):
            raise Valideringsfeil(
                {"kontaktperson": f"E-postadressen {epost} brukes allerede av en annen konto."}
            )
        if bruker is None:
            bruker = Bruker(
                brukernavn=epost,
                navn=kp.navn,
                epost=epost,
                rolle=PARTNER,
                part_id=kp.part_id,
                passord_hash="!",  # ingen innlogging før invitasjonen er brukt
                aktiv=False,
            )
            s.add(bruker)
            s.flush()
        # En ny invitasjon gjør eldre, ubrukte lenker ugyldige.
        s.execute(
            update(Invitasjon)
            .where(Invitasjon.bruker_id == bruker.id, Invitasjon.brukt.is_(None))
            .values(brukt=naa())
        )
        s.add(
            Invitasjon(
                bruker_id=bruker.id,
                nokkel_hash=_nokkel_hash(nokkel),
                utloper=naa() + INVITASJON_GYLDIG,
                opprettet_av_id=bruker_id,
            )
        )
        part = kp.part.navn
        mottaker = Mottaker.bruker(bruker)
    lenke = tj.lenker.invitasjon(nokkel)
    feil = utsending.send(
        tj,
        [
            Melding(
                mottaker=mottaker,
                hendelse="invitasjon",
                objekt_type="bruker",
                objekt_id=mottaker.bruker_id,
                emne=f"Invitasjon til avtaleportalen for {part}",
                tekst=(
                    f"Hei {bruker.navn},\n\nDu er invitert til kommunens avtaleportal som "
                    f"kontaktperson for {part}. Der kan du lese, kommentere og signere "
                    f"samarbeidsavtaler og laste ned signerte kopier.\n\n"
                    f"Sett passordet ditt her (lenken virker én gang, i "
                    f"{INVITASJON_GYLDIG.days} dager):\n{lenke}\n"
                ),
            )
        ],
        utlost_av=bruker_id,
    )
    return bruker, feil[0] if feil else None


def invitasjon(tj: Tjenester, nokkel: str) -> Bruker | None:
    """Brukeren en gyldig (ubrukt, ikke utløpt) invitasjonsnøkkel gjelder, ellers None."""
    with tj.sesjoner() as s:
        inv = s.scalar(select(Invitasjon).where(Invitasjon.nokkel_hash == _nokkel_hash(nokkel)))
        if inv is None or inv.brukt is not None or som_utc(inv.utloper) < naa():
            return None
        return inv.bruker


def bruk_invitasjon(tj: Tjenester, nokkel: str, passord: str, gjenta: str) -> Bruker:
    """Sett passordet og aktiver kontoen; nøkkelen kan ikke brukes igjen. Økter kontoen måtte
    ha fra før (et tidligere passord), avsluttes."""
    bruker = invitasjon(tj, nokkel)
    if bruker is not None:
        sjekk_nytt_passord(passord, gjenta, (bruker.navn, bruker.brukernavn, bruker.epost))
    with tj.transaksjon() as s:
        inv = s.scalar(select(Invitasjon).where(Invitasjon.nokkel_hash == _nokkel_hash(nokkel)))
        if inv is None or inv.brukt is not None or som_utc(inv.utloper) < naa():
            raise Valideringsfeil(
                {"nokkel": "Lenken er brukt eller utløpt. Be kommunen om en ny invitasjon."}
            )
        inv.brukt = naa()
        bruker = inv.bruker
        bruker.passord_hash = tj.passord.hash(passord)
        bruker.aktiv = True
        antall = okter.avslutt_alle(s, bruker.id)
        kontologg.logg(s, bruker.id, "passord_byttet", bruker.id, fra="invitasjon", okter=antall)
    return bruker
