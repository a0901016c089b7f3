"""Ansattbrukere med roller; passord hashes med argon2."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from dokumenter.epost import Epost
from dokumenter.models import Bruker, Innloggingsforsok, Invitasjon, Kontaktperson, naa
from dokumenter.tjenester import Tjenester
from dokumenter.validering import Valideringsfeil, epost_feil, lengde_feil, rens_tekst

ROLLER = {
    "admin": "Administrator",
    "saksbehandler": "Saksbehandler",
    "lesetilgang": "Lesetilgang",
}
ANSATTROLLER = tuple(ROLLER)
PARTNER = "partner"  # kontaktperson hos en institusjon; ser bare egen institusjon i portalen
INVITASJON_GYLDIG = timedelta(days=7)
# Begrensning av gjetting: mislykkede forsøk per brukernavn og per IP-adresse i et tidsvindu.
VINDU = timedelta(minutes=15)
MAKS_FEIL_PER_BRUKER = 5
MAKS_FEIL_PER_IP = 30
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


class ForMangeForsok(Exception):
    def __init__(self) -> None:
        minutter = int(VINDU.total_seconds() // 60)
        super().__init__(f"For mange mislykkede forsøk. Vent {minutter} minutter og prøv igjen.")


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
            raise ForMangeForsok()
    with tj.transaksjon() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.brukernavn == navn))
        try:
            _hasher.verify(bruker.passord_hash if bruker else _DUMMY_HASH, passord)
            ok = bruker is not None and bruker.aktiv
        except (VerificationError, InvalidHashError):
            ok = False
        if ok and _hasher.check_needs_rehash(bruker.passord_hash):
            bruker.passord_hash = _hasher.hash(passord)
    if not ok:
        registrer_feil(tj, *(n for n in nokler if not n.endswith(":")))
        return None
    return bruker


def er_ansatt(bruker: object) -> bool:
    return getattr(bruker, "rolle", None) in ANSATTROLLER


def kan_skrive(bruker: Bruker) -> bool:
    return bruker.rolle in SKRIVEROLLER


# --- Partnerbrukere og invitasjoner ------------------------------------------------------


def _nokkel_hash(nokkel: str) -> str:
    return hashlib.sha256(nokkel.encode()).hexdigest()


def inviter_partner(
    tj: Tjenester,
    kontaktperson_id: int,
    bruker_id: int,
    nettadresse: str,
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
    lenke = f"{nettadresse.rstrip('/')}/portal/invitasjon/{nokkel}"
    feil = tj.send_epost(
        Epost(
            til=epost,
            emne=f"Invitasjon til avtaleportalen for {part}",
            tekst=(
                f"Hei {bruker.navn},\n\nDu er invitert til kommunens avtaleportal som "
                f"kontaktperson for {part}. Der kan du lese, kommentere og signere "
                f"samarbeidsavtaler og laste ned signerte kopier.\n\n"
                f"Sett passordet ditt her (lenken virker én gang, i "
                f"{INVITASJON_GYLDIG.days} dager):\n{lenke}\n"
            ),
        )
    )
    return bruker, feil


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
            passord_hash=_hasher.hash(passord),
        )
        s.add(bruker)
    return bruker


def invitasjon(tj: Tjenester, nokkel: str) -> Bruker | None:
    """Brukeren en gyldig (ubrukt, ikke utløpt) invitasjonsnøkkel gjelder, ellers None."""
    with tj.sesjoner() as s:
        inv = s.scalar(select(Invitasjon).where(Invitasjon.nokkel_hash == _nokkel_hash(nokkel)))
        if inv is None or inv.brukt is not None or som_utc(inv.utloper) < naa():
            return None
        return inv.bruker


def bruk_invitasjon(tj: Tjenester, nokkel: str, passord: str, gjenta: str) -> Bruker:
    """Sett passordet og aktiver kontoen; nøkkelen kan ikke brukes igjen."""
    if len(passord) < MIN_PASSORDLENGDE:
        raise Valideringsfeil({"passord": f"Passordet må ha minst {MIN_PASSORDLENGDE} tegn."})
    if len(passord) > 200:
        raise Valideringsfeil({"passord": "Passordet kan ha høyst 200 tegn."})
    if passord != gjenta:
        raise Valideringsfeil({"gjenta": "Passordene er ikke like."})
    with tj.transaksjon() as s:
        inv = s.scalar(select(Invitasjon).where(Invitasjon.nokkel_hash == _nokkel_hash(nokkel)))
        if inv is None or inv.brukt is not None or som_utc(inv.utloper) < naa():
            raise Valideringsfeil(
                {"nokkel": "Lenken er brukt eller utløpt. Be kommunen om en ny invitasjon."}
            )
        inv.brukt = naa()
        bruker = inv.bruker
        bruker.passord_hash = _hasher.hash(passord)
        bruker.aktiv = True
    return bruker


def som_utc(t: datetime) -> datetime:
    """SQLite gir tidspunkter uten tidssone tilbake; de er lagret i UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)
