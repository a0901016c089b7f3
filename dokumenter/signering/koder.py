"""Engangskoder for signering: sendes på e-post, lagres som argon2-hash, med grenser for
forsøk og antall koder.

Gjetting er begrenset tre steder: 5 forsøk per kode, høyst 3 koder i kvarteret og 10 i
døgnet per signerer, og etter 10 feil koder i en runde settes runden «pauset» (ubrukte koder
gjelder ikke lenger) til en ansatt med skrivetilgang åpner den igjen. Med 6 sifre er det
høyst 10 gjetninger per gjenåpning, mot rundt 1 440 i døgnet før."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Bruker, Engangskode, Signatar, Signeringsrunde
from dokumenter.tjenester import Tjenester
from dokumenter.varsler.utsending import Melding, Mottaker

KODE_GYLDIG = timedelta(minutes=10)
KODE_MAKS_FORSOK = 5
KODER_PER_KVARTER = 3
KODER_PER_DOGN = 10
FEIL_KODER_PER_RUNDE = 10  # så settes runden på pause
PAUSET = (
    "Signeringen er satt på pause fordi det er skrevet feil kode for mange ganger. Kommunen "
    "har fått beskjed og kan åpne den igjen."
)


def _koder_siden(s: Session, sig: Signatar, tid: timedelta) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(Engangskode)
            .where(Engangskode.signatar_id == sig.id, Engangskode.opprettet >= naa() - tid)
        )
        or 0
    )


def ny_kode(tj: Tjenester, s: Session, sig: Signatar) -> str:
    """Lag en engangskode for signereren (lagres som argon2-hash), høyst KODER_PER_KVARTER
    per kvarter. Felles for avtaler og individuelle planer."""
    if not sig.bruker.epost:
        raise Valideringsfeil(
            {
                "kode": "Du har ingen e-postadresse registrert, så koden kan ikke sendes. "
                "Be kommunen legge den inn."
            }
        )
    if _koder_siden(s, sig, timedelta(days=1)) >= KODER_PER_DOGN:
        raise Valideringsfeil(
            {
                "kode": f"Du har bedt om {KODER_PER_DOGN} koder det siste døgnet. Prøv igjen "
                "i morgen, eller kontakt kommunen."
            }
        )
    if _koder_siden(s, sig, timedelta(minutes=15)) >= KODER_PER_KVARTER:
        raise Valideringsfeil(
            {"kode": "Du har bedt om mange koder nå. Vent et kvarter, og bruk den siste."}
        )
    kode = f"{secrets.randbelow(1_000_000):06d}"
    s.add(
        Engangskode(
            signatar_id=sig.id, kode_hash=tj.passord.hash(kode), utloper=naa() + KODE_GYLDIG
        )
    )
    return kode


def kodepost(sig: Signatar, art: str, objekt_id: int, hva: str, kode: str) -> Melding:
    """E-posten med koden (koden står bare i teksten, og teksten lagres aldri)."""
    minutter = int(KODE_GYLDIG.total_seconds() // 60)
    return Melding(
        mottaker=Mottaker.bruker(sig.bruker),
        hendelse="engangskode",
        objekt_type=art,
        objekt_id=objekt_id,
        emne="Engangskode for signering",  # koden står bare i teksten, ikke i varsler
        tekst=(
            f"Koden din for å signere {hva} er {kode}.\n"
            f"Den gjelder i {minutter} minutter og kan brukes én gang.\n"
            "Har du ikke bedt om den, kan du se bort fra denne e-posten."
        ),
    )


def sjekk_kode(tj: Tjenester, s: Session, sig: Signatar, kode: str, ip: str) -> str | None:
    """Bekreft koden. Riktig: signereren er signert (returnerer None). Feil: forsøket telles,
    i koden og i runden, og meldingen returneres (kalleren committer forsøket før feilen
    meldes). Ved FEIL_KODER_PER_RUNDE settes runden «pauset» (se `pause`)."""
    kode = (kode or "").strip().replace(" ", "")
    gyldig = s.scalar(
        select(Engangskode)
        .where(Engangskode.signatar_id == sig.id, Engangskode.brukt.is_(None))
        .order_by(Engangskode.id.desc())
        .limit(1)
    )
    if gyldig is None or som_utc(gyldig.utloper) < naa():
        raise Valideringsfeil({"kode": "Koden er utløpt eller ikke sendt. Be om en ny kode."})
    if gyldig.forsok >= KODE_MAKS_FORSOK:
        raise Valideringsfeil({"kode": "For mange feil forsøk med denne koden. Be om en ny."})
    riktig = len(kode) == 6 and tj.passord.stemmer(gyldig.kode_hash, kode)
    if not riktig:
        gyldig.forsok += 1
        runde = sig.runde
        runde.feil_koder += 1
        if runde.feil_koder >= FEIL_KODER_PER_RUNDE:
            pause(s, runde)
            return f"Feil kode. {PAUSET}"
        igjen = KODE_MAKS_FORSOK - gyldig.forsok
        return f"Feil kode. {igjen} forsøk igjen." if igjen else "Feil kode. Be om en ny."
    gyldig.brukt = naa()
    sig.status, sig.signert, sig.ip = "signert", naa(), ip[:64]
    return None


def pause(s: Session, runde: Signeringsrunde) -> None:
    """Sett runden på pause: ingen kan signere, og ubrukte koder i runden gjelder ikke lenger."""
    runde.status = "pauset"
    s.execute(
        update(Engangskode)
        .where(
            Engangskode.brukt.is_(None),
            Engangskode.signatar_id.in_(select(Signatar.id).where(Signatar.runde_id == runde.id)),
        )
        .values(brukt=naa())
    )


def gjenoppta(runde: Signeringsrunde) -> None:
    """Runden kan signeres igjen, og telleren for feil koder starter på null."""
    runde.status, runde.feil_koder = "aktiv", 0


def pauseposter(
    mottakere: Iterable[Bruker | None],
    art: str,
    objekt_id: int,
    hva: str,
    hvem: str,
    lenke: str,
) -> list[Melding]:
    """E-posten til kommunen når en runde er satt på pause: `hva` er saken («samarbeidsavtalen
    med …», «individuell plan 2026-001»), `hvem` hos hvem koden ble skrevet feil."""
    unike = {b.id: b for b in mottakere if b is not None and b.aktiv}
    return [
        Melding(
            mottaker=Mottaker.bruker(b),
            hendelse="signering_pauset",
            objekt_type=art,
            objekt_id=objekt_id,
            emne=f"Signering satt på pause: {hva}",
            tekst=(
                f"Signeringen av {hva} er satt på pause fordi det er skrevet feil engangskode "
                f"{FEIL_KODER_PER_RUNDE} ganger{hvem}. Noen kan ha prøvd å gjette koden.\n\n"
                "Snakk med den som skal signere før du åpner signeringen igjen. Ubrukte koder "
                f"gjelder ikke lenger; signereren ber om en ny.\n{lenke}\n"
            ),
        )
        for b in sorted(unike.values(), key=lambda b: b.id)
    ]
