"""Brukerkontoer: opprette ansatte og partnerbrukere, bytte eget passord, og (for
administratorer) ny rolle, deaktivering og aktivering.

Passordet, rollen og om kontoen er aktiv, er det en økt bygger på: når noe av det endres,
avsluttes brukerens økter i samme transaksjon (`okter.avslutt_alle`), og endringen står i
kontologgen. Passord hashes med argon2 (`tj.passord`) og må følge `brukere.passord`.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dokumenter.brukere import innlogging, kontologg, okter
from dokumenter.brukere.ansvar import ansvar
from dokumenter.brukere.passord import MAKS_PASSORDLENGDE, passordfeil, sjekk_nytt_passord
from dokumenter.brukere.roller import PARTNER, ROLLER
from dokumenter.felles.feil import IkkeFunnet, IngenTilgang, Valideringsfeil
from dokumenter.felles.validering import epost_feil, lengde_feil, rens_tekst, telefon_feil
from dokumenter.models import Bruker
from dokumenter.tjenester import Tjenester


def opprett_bruker(
    tj: Tjenester,
    brukernavn: str,
    navn: str,
    rolle: str,
    passord: str,
    epost: str = "",
    telefon: str = "",
    opprettet_av: int | None = None,
) -> Bruker:
    """En ny ansatt. Oppretter en administrator (`opprettet_av`), sjekkes rollen og loggføres
    det; uten er det drift (kommandolinjen, demoen)."""
    brukernavn = rens_tekst(brukernavn).lower()
    navn = rens_tekst(navn)
    epost = rens_tekst(epost).lower()
    telefon = rens_tekst(telefon)
    feil: dict[str, str] = {}
    if telefon and (m := telefon_feil(telefon) or lengde_feil(telefon, 40)):
        feil["telefon"] = m
    if not re.fullmatch(r"[a-z0-9._-]{2,64}", brukernavn):
        feil["brukernavn"] = "Brukernavnet må ha 2–64 tegn: a–z, 0–9, punktum, - og _."
    if not navn:
        feil["navn"] = "Navn må fylles ut."
    elif m := lengde_feil(navn, 200):
        feil["navn"] = m
    if rolle not in ROLLER:
        feil["rolle"] = f"Ukjent rolle. Velg en av: {', '.join(ROLLER)}."
    if m := passordfeil(passord, navn, brukernavn, epost):
        feil["passord"] = m
    if epost and (m := epost_feil(epost) or lengde_feil(epost, 254)):
        feil["epost"] = m
    with tj.transaksjon() as s:
        if opprettet_av is not None:
            admin = s.get(Bruker, opprettet_av)
            if admin is None or not admin.aktiv or admin.rolle != "admin":
                raise IngenTilgang("Bare administratorer kan opprette brukere.")
        if not feil and s.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn)):
            feil["brukernavn"] = f"Brukernavnet «{brukernavn}» er allerede i bruk."
        if (
            epost
            and "epost" not in feil
            and s.scalar(select(Bruker.id).where(func.lower(Bruker.epost) == epost))
        ):
            feil["epost"] = f"E-postadressen {epost} brukes allerede av en annen konto."
        if feil:
            raise Valideringsfeil(feil)
        bruker = Bruker(
            brukernavn=brukernavn,
            navn=navn,
            epost=epost,
            telefon=telefon,
            rolle=rolle,
            passord_hash=tj.passord.hash(passord),
        )
        s.add(bruker)
        s.flush()
        kontologg.logg(s, bruker.id, "opprettet", opprettet_av, rolle=rolle)
    return bruker


def opprett_partnerbruker(
    tj: Tjenester, part_id: int, navn: str, epost: str, passord: str
) -> Bruker:
    """Partnerbruker med passord direkte (demo og drift); ellers brukes invitasjonen."""
    epost = rens_tekst(epost).lower()
    if m := epost_feil(epost):
        raise Valideringsfeil({"epost": m})
    sjekk_nytt_passord(passord, None, (navn, epost))
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


# --- Eget passord -----------------------------------------------------------------------------


def bytt_passord(
    tj: Tjenester,
    bruker_id: int,
    naavaerende: str,
    nytt: str,
    gjenta: str,
    behold_okt: int | None = None,
    ip: str = "",
    fra: str = "",
) -> None:
    """Brukeren bytter sitt eget passord. Det nåværende passordet må stemme (feil telles som
    en mislykket innlogging); alle andre økter enn `behold_okt` (den brukeren står i)
    avsluttes, og byttet logges."""
    with tj.sesjoner() as s:
        bruker = s.get(Bruker, bruker_id)
        if bruker is None or not bruker.aktiv:
            raise IngenTilgang("Kontoen er ikke aktiv.")
        navn, brukernavn, epost, gammel_hash = (
            bruker.navn,
            bruker.brukernavn,
            bruker.epost,
            bruker.passord_hash,
        )
        innlogging.sjekk_grenser(s, brukernavn, ip, bruker_id)
    if len(naavaerende) > MAKS_PASSORDLENGDE or not tj.passord.stemmer(gammel_hash, naavaerende):
        innlogging.registrer_feil(tj, brukernavn, ip)
        raise Valideringsfeil({"naavaerende": "Det nåværende passordet er feil."})
    if nytt == naavaerende:
        raise Valideringsfeil({"passord": "Det nye passordet må være et annet enn det gamle."})
    sjekk_nytt_passord(nytt, gjenta, (navn, brukernavn, epost))
    ny_hash = tj.passord.hash(nytt)
    with tj.transaksjon() as s:
        bruker = s.get(Bruker, bruker_id)
        bruker.passord_hash = ny_hash
        antall = okter.avslutt_alle(s, bruker_id, unntatt=behold_okt)
        kontologg.logg(s, bruker_id, "passord_byttet", bruker_id, ip=ip, fra=fra, okter=antall)


# --- Administratorens endringer ---------------------------------------------------------------


EGEN_KONTO = "Du kan ikke endre rollen din eller deaktivere deg selv. Be en annen administrator."


def _konto(s: Session, admin_id: int | None, bruker_id: int) -> Bruker:
    """Kontoen som skal endres, når den som endrer er en aktiv administrator (ikke seg selv:
    da kunne den siste administratoren stenge alle ute). `admin_id` None er drift
    (kommandolinjen)."""
    admin = s.get(Bruker, admin_id) if admin_id is not None else None
    if admin_id is not None and (admin is None or not admin.aktiv or admin.rolle != "admin"):
        raise IngenTilgang("Bare administratorer kan endre brukerkontoer.")
    bruker = s.get(Bruker, bruker_id)
    if bruker is None:
        raise IkkeFunnet("Brukeren finnes ikke.")
    if bruker.id == admin_id:
        raise Valideringsfeil({"bruker": EGEN_KONTO})
    return bruker


def endre_rolle(
    tj: Tjenester, admin_id: int | None, bruker_id: int, rolle: str, fra: str = ""
) -> None:
    """Gi en ansatt en annen rolle. Brukerens økter avsluttes (hen logger inn på nytt med den
    nye rollen)."""
    if rolle not in ROLLER:
        raise Valideringsfeil({"rolle": f"Ukjent rolle. Velg en av: {', '.join(ROLLER)}."})
    with tj.transaksjon() as s:
        bruker = _konto(s, admin_id, bruker_id)
        if bruker.rolle == PARTNER:
            raise Valideringsfeil({"rolle": "En partnerbruker kan ikke få en rolle som ansatt."})
        if bruker.rolle == rolle:
            return
        gammel, bruker.rolle = bruker.rolle, rolle
        antall = okter.avslutt_alle(s, bruker_id)
        detaljer = {"fra_rolle": gammel, "til_rolle": rolle, "okter": antall}
        kontologg.logg(s, bruker_id, "rolle_endret", admin_id, fra=fra, **detaljer)


def deaktiver(tj: Tjenester, admin_id: int | None, bruker_id: int, fra: str = "") -> None:
    """Steng kontoen: ingen innlogging, og alle økter avsluttes straks. Nektes så lenge
    brukeren har ansvar som ville stått uten noen (`brukere.ansvar`; overfør det med
    `overforing.overfor`, som også kan deaktivere i samme steg)."""
    with tj.transaksjon() as s:
        bruker = _konto(s, admin_id, bruker_id)
        if not bruker.aktiv:
            return
        igjen = ansvar(s, bruker_id)
        if not igjen.tomt:
            tall = ", ".join(f"{n} {hva}" for hva, n in igjen.antall().items() if n)
            raise Valideringsfeil(
                {
                    "bruker": f"{bruker.navn} har fortsatt ansvar ({tall}). Overfør ansvaret "
                    "til en etterfølger først, eller i samme steg som deaktiveringen."
                }
            )
        bruker.aktiv = False
        antall = okter.avslutt_alle(s, bruker_id)
        kontologg.logg(s, bruker_id, "deaktivert", admin_id, fra=fra, okter=antall)


def aktiver(tj: Tjenester, admin_id: int | None, bruker_id: int, fra: str = "") -> None:
    """Åpne kontoen igjen. En partnerbruker som aldri har satt passord, trenger en ny
    invitasjon i stedet."""
    with tj.transaksjon() as s:
        bruker = _konto(s, admin_id, bruker_id)
        if bruker.aktiv:
            return
        if bruker.passord_hash == "!":
            raise Valideringsfeil(
                {"bruker": "Kontoen har ikke noe passord ennå. Send en ny invitasjon."}
            )
        bruker.aktiv = True
        kontologg.logg(s, bruker_id, "aktivert", admin_id, fra=fra)
