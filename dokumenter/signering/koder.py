"""Engangskoder for signering: sendes på e-post, lagres som argon2-hash, med grenser for
forsøk og antall koder."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.infrastruktur.epost import Epost
from dokumenter.models import Engangskode, Signatar
from dokumenter.tjenester import Tjenester

KODE_GYLDIG = timedelta(minutes=10)
KODE_MAKS_FORSOK = 5
KODER_PER_KVARTER = 3


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
    nylig = s.scalar(
        select(func.count())
        .select_from(Engangskode)
        .where(
            Engangskode.signatar_id == sig.id,
            Engangskode.opprettet >= naa() - timedelta(minutes=15),
        )
    )
    if (nylig or 0) >= KODER_PER_KVARTER:
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


def kodepost(til: str, hva: str, kode: str) -> Epost:
    minutter = int(KODE_GYLDIG.total_seconds() // 60)
    return Epost(
        til=til,
        emne="Engangskode for signering",  # koden står bare i teksten, ikke i varsler
        tekst=(
            f"Koden din for å signere {hva} er {kode}.\n"
            f"Den gjelder i {minutter} minutter og kan brukes én gang.\n"
            "Har du ikke bedt om den, kan du se bort fra denne e-posten."
        ),
    )


def sjekk_kode(tj: Tjenester, s: Session, sig: Signatar, kode: str, ip: str) -> str | None:
    """Bekreft koden. Riktig: signereren er signert (returnerer None). Feil: forsøket telles,
    og meldingen returneres (kalleren committer forsøket før feilen meldes)."""
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
        igjen = KODE_MAKS_FORSOK - gyldig.forsok
        return f"Feil kode. {igjen} forsøk igjen." if igjen else "Feil kode. Be om en ny."
    gyldig.brukt = naa()
    sig.status, sig.signert, sig.ip = "signert", naa(), ip[:64]
    return None
