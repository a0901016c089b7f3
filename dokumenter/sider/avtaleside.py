"""Det avtalesiden viser for en ansatt: avtalen med versjoner og historikk, forhåndsvisning,
signering, avvik, evalueringer, antall planer og saken i arkivet, og hva brukeren kan gjøre
(reglene her, ikke i malen)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dokumenter.avtaler import hendelser, lesing
from dokumenter.avtaler.livslop import KAN_ENDRES, KAN_SENDES_TIL_SIGNERING, manuelle_overganger
from dokumenter.avtaler.signering import AVTALE, signerte_kopier
from dokumenter.avvik import lesing as avvikslesing
from dokumenter.avvik.lesing import AVTALENS_AVVIK
from dokumenter.avvik.regler import KAN_MELDE_AVVIK, Melder
from dokumenter.brukere.roller import kan_skrive
from dokumenter.evaluering import lesing as evalueringslesing
from dokumenter.evaluering.regler import KAN_EVALUERES
from dokumenter.felles import frister
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.infrastruktur.sidevis import hent_side
from dokumenter.models import (
    Ansvarsoverforing,
    Avtale,
    AvtaleVersjon,
    Avvik,
    Bruker,
    Evaluering,
    Hendelse,
    Kommentar,
    Part,
    Signatar,
    Signeringsrunde,
    SignertKopi,
)
from dokumenter.noark import lesing as arkivlesing
from dokumenter.noark.lesing import Arkivsak
from dokumenter.planer.lesing import antall_for_avtale
from dokumenter.signering import motor
from dokumenter.signering.runder import neste_signatar
from dokumenter.tjenester import Tjenester


@dataclass
class Signeringsdata:
    runde: Signeringsrunde | None  # den siste runden, uansett status
    neste: Signatar | None  # den som står for tur i en aktiv runde
    kommentarer: list[Kommentar]
    kopier: list[SignertKopi]


VERSJONER = Sortering({"nummer": True}, standard="nummer", per_side=20)
HENDELSER = Sortering({"tid": True}, standard="tid", per_side=50)


@dataclass
class Avtaleside:
    avtale: Avtale
    versjon: AvtaleVersjon | None
    tekst: list[tuple[str, str]]  # forhåndsvisningen av gjeldende versjon
    tekstfeil: str  # arkivet kunne ikke lese DOCX-en (siden vises likevel)
    versjoner: Side[AvtaleVersjon]  # nyeste først
    hendelser: Side[tuple[Hendelse, str, str]]  # (hendelse, typenavn, beskrivelse), nyeste først
    signering: Signeringsdata
    avvik: Side[Avvik]
    evalueringer: list[Evaluering]
    antall_planer: int
    evalueringsfrist: frister.Fristvurdering | None
    overganger: list[str]  # statusene brukeren kan velge selv
    arkiv: Arkivsak | None  # saken i Noark-arkivet: saksnummer, skjerming, journalposter
    kan: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Sideutvalg:
    """Hvilken side av versjonene, revisjonsloggen og avvikene som vises."""

    versjoner: Utvalg = field(default_factory=lambda: VERSJONER.utvalg({}, "v"))
    hendelser: Utvalg = field(default_factory=lambda: HENDELSER.utvalg({}, "h"))
    avvik: Utvalg = field(default_factory=lambda: AVTALENS_AVVIK.utvalg({}, "a"))

    @classmethod
    def fra_parametre(cls, parametre: Mapping[str, str]) -> Sideutvalg:
        return cls(
            VERSJONER.utvalg(parametre, "v"),
            HENDELSER.utvalg(parametre, "h"),
            AVTALENS_AVVIK.utvalg(parametre, "a"),
        )


def avtaleside(
    tj: Tjenester,
    avtale_id: int,
    bruker_id: int,
    idag: date | None = None,
    utvalg: Sideutvalg | None = None,
) -> Avtaleside:
    idag = idag or date.today()
    utvalg = utvalg or Sideutvalg()
    with tj.sesjoner() as s:
        bruker = s.get(Bruker, bruker_id)
        avtale = _hent(s, avtale_id)
        versjoner = hent_side(
            s,
            select(AvtaleVersjon)
            .where(AvtaleVersjon.avtale_id == avtale_id)
            .options(
                selectinload(AvtaleVersjon.dokumenter), selectinload(AvtaleVersjon.opprettet_av)
            ),
            utvalg.versjoner,
            {"nummer": [AvtaleVersjon.nummer]},
            AvtaleVersjon.id,
            lambda r: r[0],
            totalt=avtale.gjeldende_versjon,
        )
        hendelser = _hendelser(s, avtale_id, utvalg.hendelser)
        runde = motor.signerere_i_siste_runde(s, AVTALE, avtale_id)
        kommentarer = s.scalars(
            select(Kommentar)
            .where(Kommentar.avtale_id == avtale_id)
            .options(selectinload(Kommentar.bruker))
            .order_by(Kommentar.id)
        ).all()
        signering = Signeringsdata(
            runde,
            neste_signatar(runde) if runde and runde.status == "aktiv" else None,
            list(kommentarer),
            signerte_kopier(s, avtale_id),
        )
    versjon = avtale.gjeldende
    tekst, tekstfeil = lesing.gjeldende_tekst(tj, versjon)
    skriv = kan_skrive(bruker)
    return Avtaleside(
        avtale=avtale,
        versjon=versjon,
        tekst=tekst,
        tekstfeil=tekstfeil,
        versjoner=versjoner,
        hendelser=hendelser,
        signering=signering,
        avvik=avvikslesing.for_avtale(tj, avtale_id, Melder(bruker.id, bruker.rolle), utvalg.avvik),
        evalueringer=evalueringslesing.for_avtale(tj, avtale_id),
        antall_planer=antall_for_avtale(tj, avtale_id),
        # Bare inngåtte avtaler har en løpende evalueringsfrist (datoen blir stående når status
        # endres for hånd).
        evalueringsfrist=(
            frister.vurder(avtale.neste_evaluering, idag)
            if avtale.neste_evaluering and avtale.status in KAN_EVALUERES
            else None
        ),
        overganger=manuelle_overganger(avtale.status) if skriv else [],
        arkiv=arkivlesing.for_avtale(tj, avtale_id),
        kan={
            "skrive": skriv,
            "sende_til_signering": skriv and avtale.status in KAN_SENDES_TIL_SIGNERING,
            "laste_opp": skriv and avtale.status in KAN_ENDRES,
            "melde_avvik": skriv and avtale.status in KAN_MELDE_AVVIK,
            "evaluere": skriv and avtale.status in KAN_EVALUERES,
            "skjerme": skriv,
        },
    )


def _hendelser(s: Session, avtale_id: int, utvalg: Utvalg) -> Side[tuple[Hendelse, str, str]]:
    """Én side av revisjonsloggen i klartekst; navnene i ansvarsoverføringene slås opp for
    hele siden på én gang."""
    side = hent_side(
        s,
        select(Hendelse)
        .where(Hendelse.avtale_id == avtale_id)
        .options(selectinload(Hendelse.bruker)),
        utvalg,
        {"tid": [Hendelse.id]},
        Hendelse.id,
        lambda r: r[0],
    )
    ider = {
        d.get(k)
        for h in side.rader
        if h.type == "ansvar_overfort"
        for d in [h.detaljer or {}]
        for k in ("fra_bruker", "til_bruker")
    } - {None}
    navn = dict(s.execute(select(Bruker.id, Bruker.navn).where(Bruker.id.in_(ider))).all())
    return Side(
        [
            (h, hendelser.HENDELSESTYPER.get(h.type, h.type), hendelser.beskriv_hendelse(h, navn))
            for h in side.rader
        ],
        side.totalt,
        side.utvalg,
    )


def _hent(s: Session, avtale_id: int) -> Avtale:
    """Avtalen med det siden viser om den, uten alle versjonene og hele loggen."""
    avtale = s.get(
        Avtale,
        avtale_id,
        options=[
            selectinload(Avtale.part).selectinload(Part.kontaktpersoner),
            selectinload(Avtale.ansvarlig),
            selectinload(Avtale.gjeldende).selectinload(AvtaleVersjon.dokumenter),
            selectinload(Avtale.gjeldende).selectinload(AvtaleVersjon.opprettet_av),
            selectinload(Avtale.ansvarshistorikk).selectinload(Ansvarsoverforing.fra),
            selectinload(Avtale.ansvarshistorikk).selectinload(Ansvarsoverforing.til),
            selectinload(Avtale.ansvarshistorikk).selectinload(Ansvarsoverforing.utfort_av),
        ],
    )
    if avtale is None:
        raise IkkeFunnet("Avtalen finnes ikke.")
    return avtale
