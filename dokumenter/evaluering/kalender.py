"""Møteinnkalling og kalenderabonnement (.ics) for evalueringene; abonnementet bruker en
hemmelig nøkkel per bruker (bare SHA-256 lagres)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import time
from email.utils import parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dokumenter.brukere.roller import PARTNER
from dokumenter.evaluering.regler import KAN_EVALUERES
from dokumenter.felles.feil import IkkeFunnet, Oppsettsfeil
from dokumenter.felles.validering import epost_feil
from dokumenter.infrastruktur import kalender
from dokumenter.models import Avtale, Bruker
from dokumenter.tjenester import Tjenester

MOTESTART = time(10, 0)


def _avsender(tj: Tjenester) -> str:
    """Kommunens avsenderadresse for e-post (uten navn); tom når e-post ikke er satt opp eller
    adressen ikke er en gyldig e-postadresse (standarden dokumenter@localhost)."""
    adresse = parseaddr(tj.smtp.avsender)[1] if tj.smtp else ""
    return "" if epost_feil(adresse) else adresse


def _mote(s: Session, avtale: Avtale, avsender: str) -> kalender.Evalueringsmote:
    """Møtet for avtalens neste evaluering. Arrangør er den ansvarlige, eller kommunens
    avsenderadresse (innstillingene) når den ansvarlige ikke har e-post."""
    partnere = s.scalars(
        select(Bruker).where(
            Bruker.rolle == PARTNER, Bruker.part_id == avtale.part_id, Bruker.aktiv
        )
    )
    deltakere = [b.epost for b in partnere if b.epost]
    return kalender.Evalueringsmote(
        uid=f"evaluering-avtale-{avtale.id}-{avtale.neste_evaluering.isoformat()}@dokumenter",
        tittel=f"Evaluering: samarbeidsavtale med {avtale.part.navn}",
        dato=avtale.neste_evaluering,
        start=MOTESTART,
        beskrivelse=(
            "Årlig evaluering av samarbeidsavtalen: hva har fungert, hva har ikke fungert, "
            "avvikene i perioden, og om avtalen skal videreføres, revideres eller sies opp."
        ),
        arrangor_epost=avtale.ansvarlig.epost or avsender,
        arrangor_navn=avtale.ansvarlig.navn if avtale.ansvarlig.epost else "",
        deltakere=tuple(deltakere),
    )


def mote_ics(tj: Tjenester, avtale_id: int) -> tuple[str, bytes]:
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id, options=[selectinload(Avtale.part)])
        if avtale is None or avtale.neste_evaluering is None or avtale.status != "inngaatt":
            raise IkkeFunnet("Avtalen har ingen planlagt evaluering.")
        mote = _mote(s, avtale, _avsender(tj))
        if not mote.arrangor_epost:
            raise Oppsettsfeil(
                "Møteinnkallingen trenger en arrangør: den ansvarlige har ingen e-postadresse, "
                "og kommunens avsenderadresse for e-post (DOKUMENTER_SMTP_AVSENDER) er ikke satt."
            )
        navn = f"Evaluering {avtale.part.navn} {avtale.neste_evaluering.isoformat()}.ics"
    return navn, kalender.mote_ics(mote)


def _hash(nokkel: str) -> str:
    return hashlib.sha256(nokkel.encode()).hexdigest()


def ny_kalendernokkel(tj: Tjenester, bruker_id: int) -> str:
    """Ny hemmelig nøkkel for brukerens kalenderabonnement; den gamle slutter å virke."""
    nokkel = secrets.token_urlsafe(24)
    with tj.transaksjon() as s:
        s.get(Bruker, bruker_id).kalender_nokkel_hash = _hash(nokkel)
    return nokkel


def kalender_feed(tj: Tjenester, nokkel: str) -> bytes | None:
    """Kommende evalueringer for avtalene brukeren er ansvarlig for (alle for admin)."""
    with tj.sesjoner() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.kalender_nokkel_hash == _hash(nokkel)))
        if bruker is None or not bruker.aktiv or bruker.rolle == PARTNER:
            return None
        q = select(Avtale).where(
            Avtale.status.in_(KAN_EVALUERES), Avtale.neste_evaluering.is_not(None)
        )
        if bruker.rolle != "admin":
            q = q.where(Avtale.ansvarlig_id == bruker.id)
        moter = [
            _mote(s, a, _avsender(tj)) for a in s.scalars(q.options(selectinload(Avtale.part)))
        ]
        navn = f"Evalueringer – {bruker.navn}"
    return kalender.feed_ics(moter, navn)
