"""Øktene på nettsidene, lagret i databasen (tabellen okt), så en utlogging eller en
tilbakekalling virker straks på alle noder som deler databasen.

Informasjonskapselen har bare en tilfeldig nøkkel (256 bit); databasen har SHA-256 av den.
Levetidene håndheves her, på tjenersiden (ASVS 3.3):

- ansatte: 8 timer uten bruk, høyst 12 timer fra innlogging;
- partnerbrukere: høyst 2 timer fra innlogging;
- anonyme økter (innloggingssiden, invitasjonen): 2 timer uten bruk, høyst 12 timer.

Utlogging, deaktivering, ny rolle og nytt passord avslutter alle brukerens økter
(`avslutt_alle`, i samme transaksjon som endringen). Utløpte rader slettes når de blir funnet,
og alle utløpte rader ryddes ved hver innlogging.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Bruker, Okt
from dokumenter.tjenester import Tjenester

# art -> (høyst så lenge uten bruk, høyst så lenge fra innlogging)
LEVETID = {
    "ansatt": (timedelta(hours=8), timedelta(hours=12)),
    "partner": (timedelta(hours=2), timedelta(hours=2)),
    "anonym": (timedelta(hours=2), timedelta(hours=12)),
}
LENGSTE_INAKTIVE = max(inaktiv for inaktiv, _ in LEVETID.values())
# sist_brukt skrives høyst så ofte (en skriving per aktiv økt i minuttet, ikke per side).
BEROR_HVERT = timedelta(minutes=1)
MAKS_NOKKEL = 100  # lengre verdier i informasjonskapselen er ikke våre


@dataclass(frozen=True)
class Kontobilde:
    """Den innloggede brukeren slik raden i bruker var da økten ble lest (samme oppslag)."""

    id: int
    brukernavn: str
    navn: str
    rolle: str
    part_id: int | None


@dataclass(frozen=True)
class Oktrad:
    """En gyldig økt slik nettsiden trenger den, med brukeren når hen er aktiv."""

    id: int
    bruker_id: int | None
    art: str
    data: str
    sist_brukt: datetime
    utloper: datetime
    bruker: Kontobilde | None = None

    @property
    def trenger_beroring(self) -> bool:
        return naa() - self.sist_brukt >= BEROR_HVERT


def nokkel_hash(nokkel: str) -> str:
    return hashlib.sha256(nokkel.encode()).hexdigest()


def utlopt(art: str, sist_brukt: datetime, utloper: datetime, tid: datetime) -> bool:
    inaktiv, _ = LEVETID.get(art, LEVETID["anonym"])
    return som_utc(utloper) <= tid or som_utc(sist_brukt) + inaktiv <= tid


def hent(tj: Tjenester, nokkel: str) -> Oktrad | None:
    """Økten nøkkelen gjelder, når den finnes og ikke er utløpt, med brukeren (ett oppslag for
    begge, så en side ikke trenger et til). En utløpt økt slettes."""
    if not nokkel or len(nokkel) > MAKS_NOKKEL:
        return None
    with tj.sesjoner() as s:
        funnet = s.execute(
            select(Okt, Bruker)
            .outerjoin(Bruker, Okt.bruker_id == Bruker.id)
            .where(Okt.nokkel_hash == nokkel_hash(nokkel))
        ).first()
        if funnet is None:
            return None
        rad, b = funnet
        if not utlopt(rad.art, rad.sist_brukt, rad.utloper, naa()):
            bilde = (
                Kontobilde(b.id, b.brukernavn, b.navn, b.rolle, b.part_id)
                if b is not None and b.aktiv
                else None
            )
            return Oktrad(
                rad.id,
                rad.bruker_id,
                rad.art,
                rad.data,
                som_utc(rad.sist_brukt),
                som_utc(rad.utloper),
                bilde,
            )
        okt_id = rad.id
    avslutt(tj, okt_id)
    return None


def opprett(tj: Tjenester, data: str, bruker_id: int | None) -> tuple[str, datetime]:
    """En ny økt med en ny nøkkel: første gang en anonym økt får data, og hver gang brukeren i
    økten byttes (innlogging, utlogging). Gir (nøkkelen til informasjonskapselen, når økten
    senest utløper). Ved innlogging ryddes alle utløpte økter."""
    nokkel = secrets.token_urlsafe(32)
    with tj.transaksjon() as s:
        art = "anonym"
        if bruker_id is not None:
            bruker = s.get(Bruker, bruker_id)
            if bruker is None or not bruker.aktiv:
                bruker_id = None
            else:
                art = "partner" if bruker.rolle == PARTNER else "ansatt"
                rydd(s)
        tid = naa()
        utloper = tid + LEVETID[art][1]
        s.add(
            Okt(
                nokkel_hash=nokkel_hash(nokkel),
                bruker_id=bruker_id,
                art=art,
                data=data,
                opprettet=tid,
                sist_brukt=tid,
                utloper=utloper,
            )
        )
    return nokkel, utloper


def lagre(tj: Tjenester, okt_id: int, data: str) -> None:
    """Nye data i en økt som finnes (en avsluttet økt får ikke liv igjen)."""
    with tj.transaksjon() as s:
        s.execute(update(Okt).where(Okt.id == okt_id).values(data=data, sist_brukt=naa()))


def beror(tj: Tjenester, okt_id: int) -> None:
    """Økten er i bruk (kalles høyst én gang i minuttet per økt, se BEROR_HVERT)."""
    with tj.transaksjon() as s:
        s.execute(update(Okt).where(Okt.id == okt_id).values(sist_brukt=naa()))


def avslutt(tj: Tjenester, okt_id: int) -> None:
    with tj.transaksjon() as s:
        s.execute(delete(Okt).where(Okt.id == okt_id))


def avslutt_alle(s: Session, bruker_id: int, unntatt: int | None = None) -> int:
    """Avslutt alle brukerens økter (unntatt én, når brukeren selv bytter passord). Kalles i
    samme transaksjon som endringen som krever det. Gir antall avsluttede økter."""
    vilkar = [Okt.bruker_id == bruker_id]
    if unntatt is not None:
        vilkar.append(Okt.id != unntatt)
    return s.execute(delete(Okt).where(*vilkar)).rowcount or 0


def rydd(s: Session) -> int:
    """Slett økter som er utløpt uansett art (absolutt, eller lenger uten bruk enn noen art
    tillater). Økter som er utløpt etter en kortere grense, slettes når de blir funnet."""
    tid = naa()
    return (
        s.execute(
            delete(Okt).where(or_(Okt.utloper <= tid, Okt.sist_brukt <= tid - LENGSTE_INAKTIVE))
        ).rowcount
        or 0
    )


def antall(tj: Tjenester, bruker_id: int) -> int:
    """Hvor mange økter brukeren har (til tester og drift)."""
    with tj.sesjoner() as s:
        return len(s.scalars(select(Okt.id).where(Okt.bruker_id == bruker_id)).all())
