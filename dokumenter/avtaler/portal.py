"""Det en partnerbruker kan se og gjøre: bare egen institusjons avtaler, og av dem bare
det som er sendt til dem (gjennomgang, signering) og de signerte kopiene.

Alt slås opp med partens id fra den innloggede brukeren; en avtale eller fil som ikke er
deres gir IkkeFunnet (404), aldri et svar som røper at den finnes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from dokumenter.avtaler import lesing as avtaler
from dokumenter.avtaler import varsler
from dokumenter.avtaler.livslop import PARTEN_SER, STATUSER, logg
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.validering import rens_tekst
from dokumenter.models import (
    Avtale,
    AvtaleVersjon,
    Dokument,
    Kommentar,
    Signatar,
    Signeringsrunde,
    SignertKopi,
)
from dokumenter.signering.runder import neste_signatar
from dokumenter.tjenester import Tjenester

MAKS_KOMMENTAR = 5000


@dataclass(frozen=True)
class Kopi:
    id: int
    versjon: int
    type: str
    sha256: str
    opprettet: datetime


@dataclass(frozen=True)
class Kommentarvisning:
    navn: str
    versjon: int
    tekst: str
    opprettet: datetime


@dataclass
class PartnerAvtale:
    id: int
    tittel: str
    status: str
    status_navn: str
    versjon: int
    pdf_id: int | None  # gjeldende versjons PDF/A, bare når den er sendt til parten
    kan_kommentere: bool
    min_tur: bool  # brukeren står for tur til å signere
    signerere: list[tuple[str, str, str]] = field(default_factory=list)  # (navn, side, status)
    kopier: list[Kopi] = field(default_factory=list)
    kommentarer: list[Kommentarvisning] = field(default_factory=list)
    pauset: bool = False  # signeringen er satt på pause etter for mange feil koder


def _synlig(s: Session, avtale: Avtale, part_id: int) -> bool:
    if avtale.part_id != part_id:
        return False
    if avtale.status in PARTEN_SER:
        return True
    return bool(s.scalar(select(SignertKopi.id).where(SignertKopi.avtale_id == avtale.id)))


def _visninger(s: Session, avtaler: Sequence[Avtale], bruker_id: int) -> list[PartnerAvtale]:
    """Det parten ser av avtalene, med runder, kopier og kommentarer lest for alle avtalene
    på én gang (ikke én runde spørringer per avtale)."""
    ider = [a.id for a in avtaler]
    # Den aktive runden, ellers den siste fullførte (så parten ser hvem som signerte).
    runder: dict[int, Signeringsrunde] = {}
    for r in s.scalars(
        select(Signeringsrunde)
        .where(
            Signeringsrunde.avtale_id.in_(ider),
            Signeringsrunde.status.in_(("aktiv", "pauset", "fullfort")),
        )
        .options(selectinload(Signeringsrunde.signatarer).selectinload(Signatar.bruker))
        .order_by(Signeringsrunde.id)
    ):
        runder[r.avtale_id] = r
    kopier: dict[int, list[Kopi]] = defaultdict(list)
    for k in s.scalars(
        select(SignertKopi).where(SignertKopi.avtale_id.in_(ider)).order_by(SignertKopi.id)
    ):
        kopier[k.avtale_id].append(Kopi(k.id, k.versjon_nummer, k.type, k.sha256, k.opprettet))
    kommentarer: dict[int, list[Kommentar]] = defaultdict(list)
    for k in s.scalars(
        select(Kommentar)
        .where(Kommentar.avtale_id.in_(ider))
        .options(selectinload(Kommentar.bruker))
        .order_by(Kommentar.id)
    ):
        kommentarer[k.avtale_id].append(k)
    return [
        _visning(a, runder.get(a.id), kopier[a.id], kommentarer[a.id], bruker_id) for a in avtaler
    ]


def _visning(
    avtale: Avtale,
    runde: Signeringsrunde | None,
    kopier: list[Kopi],
    kommentarer: list[Kommentar],
    bruker_id: int,
) -> PartnerAvtale:
    sendt = avtale.status in PARTEN_SER
    versjon = avtale.gjeldende
    pdf = versjon.dokument("pdf") if sendt and versjon else None
    neste = neste_signatar(runde) if runde and runde.status == "aktiv" else None
    return PartnerAvtale(
        id=avtale.id,
        tittel=f"Samarbeidsavtale med {avtale.part.navn}",
        status=avtale.status,
        status_navn=STATUSER[avtale.status],
        versjon=avtale.gjeldende_versjon,
        pdf_id=pdf.id if pdf else None,
        kan_kommentere=avtale.status == "til_gjennomgang",
        min_tur=neste is not None and neste.bruker_id == bruker_id,
        pauset=runde is not None and runde.status == "pauset",
        signerere=[
            (sig.bruker.navn, "Kommunen" if sig.side == "kommune" else avtale.part.navn, sig.status)
            for sig in (runde.signatarer if runde else [])
        ],
        kopier=kopier,
        kommentarer=[
            Kommentarvisning(k.bruker.navn, k.versjon_nummer, k.tekst, k.opprettet)
            for k in kommentarer
            if sendt or k.bruker.part_id == avtale.part_id
        ],
    )


_LAST = (
    selectinload(Avtale.part),
    selectinload(Avtale.gjeldende).selectinload(AvtaleVersjon.dokumenter),
)


def avtaler_for_partner(tj: Tjenester, part_id: int, bruker_id: int) -> list[PartnerAvtale]:
    """Partens avtaler som er sendt til dem eller har en signert kopi."""
    with tj.sesjoner() as s:
        har_kopi = exists().where(SignertKopi.avtale_id == Avtale.id)
        alle = s.scalars(
            select(Avtale)
            .where(Avtale.part_id == part_id, or_(Avtale.status.in_(PARTEN_SER), har_kopi))
            .options(*_LAST)
            .order_by(Avtale.id)
        ).all()
        return _visninger(s, alle, bruker_id)


def avtale_for_partner(
    tj: Tjenester, avtale_id: int, part_id: int, bruker_id: int
) -> PartnerAvtale:
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id, options=_LAST)
        if avtale is None or not _synlig(s, avtale, part_id):
            raise IkkeFunnet("Avtalen finnes ikke.")
        return _visninger(s, [avtale], bruker_id)[0]


def forhandsvisning(tj: Tjenester, avtale_id: int, part_id: int) -> list[tuple[str, str]]:
    """Teksten i gjeldende versjon, når den er sendt til parten."""
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None or avtale.part_id != part_id or avtale.status not in PARTEN_SER:
            raise IkkeFunnet("Avtalen finnes ikke.")
        docx = avtale.gjeldende.dokument("docx")
        sha = docx.sha256
    return avtaler.forhandsvisning(tj, sha)


def les_pdf(
    tj: Tjenester,
    dokument_id: int,
    part_id: int,
    bruker_id: int,
    fra: str = "",
    kjente: Collection[str] = (),
) -> tuple[str, bytes | None]:
    """PDF/A-en av gjeldende versjon, bare mens den er sendt til parten (gjennomgang/signering)."""
    with tj.sesjoner() as s:
        dok = s.get(Dokument, dokument_id)
        versjon = dok.versjon if dok is not None and dok.format == "pdf" else None
        avtale = versjon.avtale if versjon is not None else None
        if (
            avtale is None
            or avtale.part_id != part_id
            or avtale.status not in PARTEN_SER
            or avtale.gjeldende_versjon != versjon.nummer
        ):
            raise IkkeFunnet("Dokumentet finnes ikke.")
    _, filnavn, data = avtaler.les_dokument(tj, dokument_id, bruker_id, fra, kjente)
    return filnavn, data


def kommenter(
    tj: Tjenester, avtale_id: int, part_id: int, bruker_id: int, tekst: str, fra: str = ""
) -> list[str]:
    """Partens kommentar til versjonen som er sendt til gjennomgang. Den ansvarlige i kommunen
    får e-post; gir e-postfeilene (for kommunens øyne: de står også på avtalesiden)."""
    tekst = rens_tekst(tekst, flerlinjet=True)
    if not tekst:
        raise Valideringsfeil({"tekst": "Skriv en kommentar."})
    if len(tekst) > MAKS_KOMMENTAR:
        raise Valideringsfeil({"tekst": f"Kommentaren kan ha høyst {MAKS_KOMMENTAR} tegn."})
    with tj.transaksjon() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None or avtale.part_id != part_id or avtale.status not in PARTEN_SER:
            raise IkkeFunnet("Avtalen finnes ikke.")
        if avtale.status != "til_gjennomgang":
            raise Valideringsfeil({"tekst": "Avtalen er ikke til gjennomgang nå."})
        s.add(
            Kommentar(
                avtale_id=avtale_id,
                versjon_nummer=avtale.gjeldende_versjon,
                bruker_id=bruker_id,
                tekst=tekst,
            )
        )
        logg(s, avtale_id, "kommentar", bruker_id, fra, versjon=avtale.gjeldende_versjon)
    return varsler.kommentert(tj, avtale_id, bruker_id)
