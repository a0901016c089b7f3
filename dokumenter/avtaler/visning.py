"""Oppslag for sidene om avtaler som bare trenger avtalen selv: listen, skjemaet for en ny
versjon og signeringssiden. (Avtalesiden, som også viser avvik og evalueringer, er
`sider.avtaleside`.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.avtaler import lesing
from dokumenter.avtaler.livslop import STATUSER
from dokumenter.avtaler.signering import AVTALE
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.infrastruktur.sidevis import hent_side
from dokumenter.models import Avtale, AvtaleVersjon, Bruker, Dokument, Part, Signeringsrunde
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.signering import motor
from dokumenter.signering.runder import neste_signatar
from dokumenter.tjenester import Tjenester


@dataclass(frozen=True)
class Avtalerad:
    """En rad i avtalelisten."""

    id: int
    part: str
    part_id: int
    partstype: str
    status: str
    versjon: int
    ansvarlig: str
    endret: datetime


AVTALELISTE = Sortering(
    {"part": False, "status": False, "versjon": True, "ansvarlig": False, "endret": True},
    standard="endret",
)


@dataclass(frozen=True)
class Avtalefilter:
    """Avgrensningen av avtalelisten: status, partstype, ansvarlig og del av partens navn."""

    status: str = ""
    partstype: str = ""
    ansvarlig_id: int | None = None
    tekst: str = ""


def liste(
    tj: Tjenester, filter_: Avtalefilter | None = None, utvalg: Utvalg | None = None
) -> Side[Avtalerad]:
    """Én side av avtalelisten, sist endret først om ikke annet er valgt. Ukjente verdier i
    filteret avgrenser ikke."""
    filter_ = filter_ or Avtalefilter()
    utvalg = utvalg or AVTALELISTE.utvalg({})
    sporring = (
        select(
            Avtale.id,
            Part.navn,
            Part.id,
            Part.type,
            Avtale.status,
            Avtale.gjeldende_versjon,
            Bruker.navn,
            Avtale.endret,
        )
        .join(Part, Avtale.part_id == Part.id)
        .join(Bruker, Avtale.ansvarlig_id == Bruker.id)
    )
    if filter_.status in STATUSER:
        sporring = sporring.where(Avtale.status == filter_.status)
    if filter_.partstype in PARTSTYPER:
        sporring = sporring.where(Part.type == filter_.partstype)
    if filter_.ansvarlig_id:
        sporring = sporring.where(Avtale.ansvarlig_id == filter_.ansvarlig_id)
    if filter_.tekst.strip():
        sporring = sporring.where(Part.navn.ilike(f"%{_uten_joker(filter_.tekst.strip())}%"))
    kolonner = {
        "part": [Part.navn],
        "status": [Avtale.status],
        "versjon": [Avtale.gjeldende_versjon],
        "ansvarlig": [Bruker.navn],
        "endret": [Avtale.endret],
    }
    with tj.sesjoner() as s:
        return hent_side(s, sporring, utvalg, kolonner, Avtale.id, lambda r: Avtalerad(*r))


def _uten_joker(tekst: str) -> str:
    """Søketeksten uten LIKE-jokertegn (% og _ betyr seg selv i et navnesøk)."""
    return tekst[:100].replace("%", "").replace("_", "")


def status(tj: Tjenester, avtale_id: int) -> str:
    with tj.sesjoner() as s:
        verdi = s.scalar(select(Avtale.status).where(Avtale.id == avtale_id))
    if verdi is None:
        raise IkkeFunnet("Avtalen finnes ikke.")
    return verdi


def hode(tj: Tjenester, avtale_id: int) -> Avtale:
    """Avtalen med parten (og kontaktpersonene) og gjeldende versjon med dokumentene, uten
    de andre versjonene (til skjemaene, sammenligningen og signeringssiden)."""
    with tj.sesjoner() as s:
        avtale = s.get(
            Avtale,
            avtale_id,
            options=[
                selectinload(Avtale.part).selectinload(Part.kontaktpersoner),
                selectinload(Avtale.gjeldende).selectinload(AvtaleVersjon.dokumenter),
            ],
        )
    if avtale is None:
        raise IkkeFunnet("Avtalen finnes ikke.")
    return avtale


@dataclass
class Signeringsside:
    avtale: Avtale
    tekst: list[tuple[str, str]]
    tekstfeil: str
    runde: Signeringsrunde | None  # den aktive runden
    pdf: Dokument | None  # det som signeres
    min_tur: bool
    # (navn, side, rolle, status, signert)
    signatarer: list[tuple[str, str, str, str, datetime | None]] = field(default_factory=list)


def signeringsside(tj: Tjenester, avtale_id: int, bruker_id: int) -> Signeringsside:
    avtale = hode(tj, avtale_id)
    versjon = avtale.gjeldende
    tekst, tekstfeil = lesing.gjeldende_tekst(tj, versjon)
    with tj.sesjoner() as s:
        runde = motor.gjeldende_runde(s, AVTALE, avtale_id)
        signatarer = [
            (x.bruker.navn, x.side, x.rolle, x.status, x.signert)
            for x in (runde.signatarer if runde else [])
        ]
        neste = neste_signatar(runde) if runde and runde.status == "aktiv" else None
    return Signeringsside(
        avtale=avtale,
        tekst=tekst,
        tekstfeil=tekstfeil,
        runde=runde,
        pdf=versjon.dokument("pdf") if runde and versjon else None,
        min_tur=neste is not None and neste.bruker_id == bruker_id,
        signatarer=signatarer,
    )
