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
from dokumenter.models import Avtale, AvtaleVersjon, Dokument, Part, Signeringsrunde
from dokumenter.signering import motor
from dokumenter.signering.runder import neste_signatar
from dokumenter.tjenester import Tjenester


def liste(tj: Tjenester, status: str = "") -> list[Avtale]:
    """Avtalene, sist endret først; `status` avgrenser (ukjent status: alle)."""
    with tj.sesjoner() as s:
        sporring = (
            select(Avtale)
            .options(selectinload(Avtale.part), selectinload(Avtale.ansvarlig))
            .order_by(Avtale.endret.desc())
        )
        if status in STATUSER:
            sporring = sporring.where(Avtale.status == status)
        return list(s.scalars(sporring))


def status(tj: Tjenester, avtale_id: int) -> str:
    with tj.sesjoner() as s:
        verdi = s.scalar(select(Avtale.status).where(Avtale.id == avtale_id))
    if verdi is None:
        raise IkkeFunnet("Avtalen finnes ikke.")
    return verdi


def med_versjoner(tj: Tjenester, avtale_id: int) -> Avtale:
    """Avtalen med parten og versjonene (til skjemaet for en ny versjon og sammenligningen)."""
    with tj.sesjoner() as s:
        avtale = s.get(
            Avtale,
            avtale_id,
            options=[
                selectinload(Avtale.part).selectinload(Part.kontaktpersoner),
                selectinload(Avtale.versjoner).selectinload(AvtaleVersjon.dokumenter),
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
    avtale = med_versjoner(tj, avtale_id)
    versjon = avtale.siste_versjon
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
