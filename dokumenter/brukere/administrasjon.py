"""Brukeradministrasjon: administratoren ser kontoene, endrer navn, e-post, telefon og rolle,
og sender en engangslenke for nytt passord; hver bruker bytter sin egen e-postadresse med en
lenke sendt til den nye adressen.

Engangslenkene (tabellen kontolenke) lagres bare som SHA-256 av nøkkelen, som invitasjonene;
en ny lenke av samme slag gjør eldre, ubrukte lenker ugyldige. Alt står i kontologgen. Et
brukstilfelle som avvises, endrer ingenting. Kommandolinjen handler som drift
(`admin_id=None`): den som har skallet på tjeneren, er allerede administrator.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dokumenter.brukere import kontologg, okter
from dokumenter.brukere.kontoer import EGEN_KONTO
from dokumenter.brukere.passord import sjekk_nytt_passord
from dokumenter.brukere.roller import PARTNER, ROLLER
from dokumenter.felles.feil import IkkeFunnet, IngenTilgang, Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.felles.validering import epost_feil, lengde_feil, rens_tekst, telefon_feil
from dokumenter.models import Bruker, Kontolenke
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

LENKE_GYLDIG = {"passord": timedelta(days=2), "epost": timedelta(days=2)}
UGYLDIG_LENKE = "Lenken er brukt, erstattet av en nyere eller utløpt. Be om en ny."


@dataclass(frozen=True)
class Konto:
    id: int
    brukernavn: str
    navn: str
    epost: str
    telefon: str
    rolle: str
    rolle_navn: str
    aktiv: bool
    part: str  # institusjonen for en partnerbruker, ellers ""


def _visning(b: Bruker) -> Konto:
    rolle_navn = ROLLER.get(b.rolle, "Partnerbruker")
    part = b.part.navn if b.rolle == PARTNER and b.part else ""
    return Konto(
        b.id,
        b.brukernavn,
        b.navn,
        b.epost or "",
        b.telefon or "",
        b.rolle,
        rolle_navn,
        b.aktiv,
        part,
    )


def krev_admin(s: Session, admin_id: int | None) -> None:
    """`admin_id` er en aktiv administrator (None: drift fra kommandolinjen)."""
    if admin_id is None:
        return
    admin = s.get(Bruker, admin_id)
    if admin is None or not admin.aktiv or admin.rolle != "admin":
        raise IngenTilgang("Bare administratorer kan administrere brukerkontoer.")


def _konto(s: Session, admin_id: int | None, bruker_id: int, egen: bool = False) -> Bruker:
    krev_admin(s, admin_id)
    bruker = s.get(Bruker, bruker_id)
    if bruker is None:
        raise IkkeFunnet("Brukeren finnes ikke.")
    if bruker.id == admin_id and not egen:
        raise Valideringsfeil({"bruker": EGEN_KONTO})
    return bruker


def liste(tj: Tjenester, admin_id: int | None, partnere: bool = False) -> list[Konto]:
    """De ansatte (og med `partnere` også partnerbrukerne), aktive først, sortert på navn."""
    with tj.sesjoner() as s:
        krev_admin(s, admin_id)
        sporring = select(Bruker).order_by(Bruker.aktiv.desc(), Bruker.navn, Bruker.id)
        if not partnere:
            sporring = sporring.where(Bruker.rolle != PARTNER)
        return [_visning(b) for b in s.scalars(sporring)]


def hent(tj: Tjenester, admin_id: int | None, bruker_id: int) -> Konto:
    with tj.sesjoner() as s:
        return _visning(_konto(s, admin_id, bruker_id, egen=True))


def finn(tj: Tjenester, brukernavn: str) -> int:
    """Id-en til brukeren med brukernavnet (kommandolinjen)."""
    with tj.sesjoner() as s:
        bruker_id = s.scalar(select(Bruker.id).where(Bruker.brukernavn == brukernavn.lower()))
    if bruker_id is None:
        raise IkkeFunnet(f"Ingen bruker heter «{brukernavn}».")
    return bruker_id


def _epost_i_bruk(s: Session, epost: str, unntatt: int) -> bool:
    return (
        s.scalar(
            select(Bruker.id).where(
                func.lower(Bruker.epost) == epost.lower(),
                Bruker.id != unntatt,
            )
        )
        is not None
    )


def _sjekk_epost(s: Session, epost: str, bruker_id: int) -> str | None:
    if m := epost_feil(epost) or lengde_feil(epost, 254):
        return m
    if _epost_i_bruk(s, epost, bruker_id):
        return f"E-postadressen {epost} brukes allerede av en annen konto."
    return None


def endre(
    tj: Tjenester,
    admin_id: int | None,
    bruker_id: int,
    navn: str,
    epost: str,
    telefon: str,
    rolle: str,
    fra: str = "",
) -> None:
    """Administratoren endrer navn, e-post, telefon og rolle. Ny rolle avslutter brukerens
    økter. Egen konto: navn, e-post og telefon, men ikke rollen."""
    navn, epost, telefon = rens_tekst(navn), rens_tekst(epost).lower(), rens_tekst(telefon)
    feil: dict[str, str] = {}
    if not navn:
        feil["navn"] = "Navn må fylles ut."
    elif m := lengde_feil(navn, 200):
        feil["navn"] = m
    if telefon and (m := telefon_feil(telefon) or lengde_feil(telefon, 40)):
        feil["telefon"] = m
    with tj.transaksjon() as s:
        bruker = _konto(s, admin_id, bruker_id, egen=True)
        if bruker.rolle == PARTNER:
            if rolle not in ("", PARTNER):
                feil["rolle"] = "En partnerbruker kan ikke få en rolle som ansatt."
            rolle = PARTNER
        elif rolle not in ROLLER:
            feil["rolle"] = f"Ukjent rolle. Velg en av: {', '.join(ROLLER)}."
        elif rolle != bruker.rolle and bruker.id == admin_id:
            feil["rolle"] = EGEN_KONTO
        if bruker.rolle == PARTNER and not epost:
            feil["epost"] = "En partnerbruker logger inn med e-postadressen; den må fylles ut."
        elif epost and (m := _sjekk_epost(s, epost, bruker_id)):
            feil["epost"] = m
        if feil:
            raise Valideringsfeil(feil)
        endret = {
            felt: {"fra": getattr(bruker, felt) or "", "til": ny}
            for felt, ny in (("navn", navn), ("epost", epost), ("telefon", telefon))
            if (getattr(bruker, felt) or "") != ny
        }
        if not endret and rolle == bruker.rolle:
            return
        bruker.navn, bruker.epost, bruker.telefon = navn, epost, telefon
        if bruker.rolle == PARTNER:
            bruker.brukernavn = epost  # partnerbrukeren logger inn med e-postadressen
        if endret:
            kontologg.logg(s, bruker_id, "konto_endret", admin_id, fra=fra, endret=endret)
        if rolle != bruker.rolle:
            gammel, bruker.rolle = bruker.rolle, rolle
            antall = okter.avslutt_alle(s, bruker_id)
            detaljer = {"fra_rolle": gammel, "til_rolle": rolle, "okter": antall}
            kontologg.logg(s, bruker_id, "rolle_endret", admin_id, fra=fra, **detaljer)


# --- Engangslenker ----------------------------------------------------------------------------


def _hash(nokkel: str) -> str:
    return hashlib.sha256(nokkel.encode()).hexdigest()


def _ny_lenke(
    s: Session, bruker_id: int, formal: str, opprettet_av: int | None, ny_epost: str = ""
) -> str:
    s.execute(  # en ny lenke gjør eldre, ubrukte lenker av samme slag ugyldige
        update(Kontolenke)
        .where(
            Kontolenke.bruker_id == bruker_id,
            Kontolenke.formal == formal,
            Kontolenke.brukt.is_(None),
        )
        .values(brukt=naa())
    )
    nokkel = secrets.token_urlsafe(32)
    s.add(
        Kontolenke(
            bruker_id=bruker_id,
            formal=formal,
            nokkel_hash=_hash(nokkel),
            ny_epost=ny_epost,
            utloper=naa() + LENKE_GYLDIG[formal],
            opprettet_av_id=opprettet_av,
        )
    )
    return nokkel


def _gyldig(s: Session, nokkel: str) -> Kontolenke | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,100}", nokkel or ""):
        return None
    lenke = s.scalar(select(Kontolenke).where(Kontolenke.nokkel_hash == _hash(nokkel)))
    if lenke is None or lenke.brukt is not None or som_utc(lenke.utloper) < naa():
        return None
    if not lenke.bruker.aktiv:
        return None
    return lenke


@dataclass(frozen=True)
class Lenkeinfo:
    formal: str  # "passord" | "epost"
    navn: str
    partner: bool
    ny_epost: str


def lenke(tj: Tjenester, nokkel: str) -> Lenkeinfo | None:
    """Hva en gyldig engangslenke gjelder, ellers None."""
    with tj.sesjoner() as s:
        k = _gyldig(s, nokkel)
        if k is None:
            return None
        return Lenkeinfo(k.formal, k.bruker.navn, k.bruker.rolle == PARTNER, k.ny_epost)


def send_nytt_passord(
    tj: Tjenester, admin_id: int | None, bruker_id: int, fra: str = ""
) -> str | None:
    """Administratoren sender en engangslenke for nytt passord til brukerens e-postadresse.
    Det gamle passordet virker til lenken er brukt. Gir en eventuell e-postfeil."""
    with tj.transaksjon() as s:
        bruker = _konto(s, admin_id, bruker_id)
        if not bruker.aktiv:
            raise Valideringsfeil({"bruker": "Kontoen er deaktivert. Aktiver den først."})
        if not (bruker.epost or "").strip():
            raise Valideringsfeil(
                {"epost": f"{bruker.navn} har ingen e-postadresse. Legg inn en først."}
            )
        nokkel = _ny_lenke(s, bruker_id, "passord", admin_id)
        kontologg.logg(s, bruker_id, "passordlenke_sendt", admin_id, fra=fra)
        mottaker, partner = Mottaker.bruker(bruker), bruker.rolle == PARTNER
    dager = LENKE_GYLDIG["passord"].days
    feil = utsending.send(
        tj,
        [
            Melding(
                mottaker=mottaker,
                hendelse="nytt_passord",
                objekt_type="bruker",
                objekt_id=bruker_id,
                emne="Sett nytt passord",
                tekst=(
                    f"Hei {mottaker.navn},\n\nEn administrator har bedt om at du setter et nytt "
                    f"passord. Lenken virker én gang, i {dager} dager:\n"
                    f"{tj.lenker.kontolenke(nokkel, partner)}\n\nHar du ikke ventet dette, "
                    "kan du se bort fra e-posten; passordet ditt er ikke endret.\n"
                ),
            )
        ],
        utlost_av=admin_id,
    )
    return feil[0] if feil else None


def sett_passord(tj: Tjenester, nokkel: str, passord: str, gjenta: str, fra: str = "") -> None:
    """Sett nytt passord med engangslenken; lenken kan ikke brukes igjen, og alle økter
    avsluttes."""
    with tj.sesjoner() as s:
        k = _gyldig(s, nokkel)
        if k is None or k.formal != "passord":
            raise Valideringsfeil({"nokkel": UGYLDIG_LENKE})
        b = k.bruker
        sjekk_nytt_passord(passord, gjenta, (b.navn, b.brukernavn, b.epost))
    ny_hash = tj.passord.hash(passord)
    with tj.transaksjon() as s:
        k = _gyldig(s, nokkel)
        if k is None or k.formal != "passord":  # brukt i mellomtiden
            raise Valideringsfeil({"nokkel": UGYLDIG_LENKE})
        k.brukt = naa()
        k.bruker.passord_hash = ny_hash
        antall = okter.avslutt_alle(s, k.bruker_id)
        kontologg.logg(
            s, k.bruker_id, "passord_byttet", k.bruker_id, fra=fra or "lenke", okter=antall
        )


# --- Egen e-postadresse -----------------------------------------------------------------------


def be_om_ny_epost(tj: Tjenester, bruker_id: int, ny_epost: str, fra: str = "") -> str | None:
    """Brukeren vil bytte e-postadresse: en lenke går til den nye adressen, og adressen byttes
    først når lenken brukes. Gir en eventuell e-postfeil."""
    ny_epost = rens_tekst(ny_epost).lower()
    with tj.transaksjon() as s:
        bruker = s.get(Bruker, bruker_id)
        if bruker is None or not bruker.aktiv:
            raise IngenTilgang("Kontoen er ikke aktiv.")
        if not ny_epost:
            raise Valideringsfeil({"epost": "Skriv den nye e-postadressen."})
        if ny_epost == (bruker.epost or "").lower():
            raise Valideringsfeil({"epost": "Det er adressen du har nå."})
        if m := _sjekk_epost(s, ny_epost, bruker_id):
            raise Valideringsfeil({"epost": m})
        nokkel = _ny_lenke(s, bruker_id, "epost", bruker_id, ny_epost)
        kontologg.logg(s, bruker_id, "epostlenke_sendt", bruker_id, fra=fra)
        mottaker = Mottaker(bruker_id, ny_epost, bruker.navn)
        partner = bruker.rolle == PARTNER
    feil = utsending.send(
        tj,
        [
            Melding(
                mottaker=mottaker,
                hendelse="bekreft_epost",
                objekt_type="bruker",
                objekt_id=bruker_id,
                emne="Bekreft den nye e-postadressen",
                tekst=(
                    f"Hei {mottaker.navn},\n\nBekreft at dette er din nye e-postadresse ved å "
                    f"åpne lenken (den virker én gang, i {LENKE_GYLDIG['epost'].days} dager):\n"
                    f"{tj.lenker.kontolenke(nokkel, partner)}\n"
                ),
            )
        ],
        utlost_av=bruker_id,
    )
    return feil[0] if feil else None


def bekreft_epost(tj: Tjenester, nokkel: str, fra: str = "") -> str:
    """Bytt til adressen lenken ble sendt til. Gir den nye adressen."""
    with tj.transaksjon() as s:
        k = _gyldig(s, nokkel)
        if k is None or k.formal != "epost":
            raise Valideringsfeil({"nokkel": UGYLDIG_LENKE})
        if _epost_i_bruk(s, k.ny_epost, k.bruker_id):
            raise Valideringsfeil(
                {"nokkel": f"E-postadressen {k.ny_epost} er tatt i bruk av en annen konto."}
            )
        k.brukt = naa()
        bruker = k.bruker
        gammel, bruker.epost = bruker.epost or "", k.ny_epost
        if bruker.rolle == PARTNER:
            bruker.brukernavn = k.ny_epost
        endret = {"epost": {"fra": gammel, "til": k.ny_epost}}
        kontologg.logg(s, bruker.id, "konto_endret", bruker.id, fra=fra or "lenke", endret=endret)
        return k.ny_epost
