"""Lesing av individuelle planer: listen, én plan med innhold og versjoner, og nedlasting
(dekryptert). Alt logges i innsynsloggen."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from dokumenter.avtaler.livslop import STATUSER as AVTALESTATUSER
from dokumenter.brukere.roller import ANSATTROLLER, PARTNER, SKRIVEROLLER
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.infrastruktur.sidevis import hent_side
from dokumenter.models import (
    Ansvarsgruppemedlem,
    Avtale,
    Bruker,
    Part,
    Plan,
    Plandokument,
    Plantilgang,
    Samtykke,
)
from dokumenter.planer import rader
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logg_visninger, logger_nektet
from dokumenter.planer.regler import (
    AVTALER_SOM_KAN_KNYTTES,
    FILTYPER,
    IKKE_FUNNET,
    PLANFILER,
    Person,
    feltverdier,
    person,
)
from dokumenter.planer.tilgang import Grunnlag, synlige_plan_ider
from dokumenter.tjenester import Tjenester


@dataclass
class Planrad:
    id: int
    nummer: str
    navn: str
    institusjon: str
    status: str
    koordinator: str
    neste_evaluering: date | None


@dataclass
class Planvisning:
    id: int
    nummer: str
    person: Person
    status: str
    institusjon: str
    part_id: int
    avtale_id: int | None
    koordinator: str
    koordinator_id: int
    grunnlag: Grunnlag
    versjon: int
    feltverdier: dict[str, Any]
    neste_evaluering: date | None
    avsluttet_dato: date | None
    avsluttet_grunn: str
    slettes_etter: date | None
    versjoner: list[tuple[int, datetime, str]] = field(default_factory=list)
    dokumenter: list[Plandokument] = field(default_factory=list)
    medlemmer: list[Ansvarsgruppemedlem] = field(default_factory=list)
    samtykker: list[Samtykke] = field(default_factory=list)
    tilganger: list[Plantilgang] = field(default_factory=list)  # bare for dem som kan endre

    @property
    def visningsverdier(self) -> dict[str, Any]:
        """Innholdet slik plansiden viser det: radenes datoer som dd.mm.åååå, statusen som
        tekst (`feltverdier` har ISO-datoene og statusnøklene skjemaet trenger)."""
        return rader.til_visning(self.feltverdier)


# --- Lese ------------------------------------------------------------------------------------


PLANLISTE = Sortering(
    dict.fromkeys(("nummer", "institusjon", "status", "koordinator", "revisjon"), False),
    standard="nummer",
)


def liste(
    tj: Tjenester, bruker_id: int, fra: str = "", utvalg: Utvalg | None = None
) -> Side[Planrad]:
    """Én side av planene brukeren kan åpne; ingen andre nevnes. Listen viser navnet, så
    planene på siden logges (én gang per plan, bruker og dag). Navnet er kryptert og kan
    ikke sorteres på; det dekrypteres bare for planene på siden."""
    utvalg = utvalg or PLANLISTE.utvalg({})
    with tj.sesjoner() as s:
        ider = synlige_plan_ider(s, s.get(Bruker, bruker_id))
        sporring = (
            select(Plan, Part.navn, Bruker.navn)
            .join(Part, Plan.part_id == Part.id)
            .join(Bruker, Plan.koordinator_id == Bruker.id)
            .where(Plan.id.in_(ider))
        )
        kolonner = {
            "nummer": [Plan.id],
            "institusjon": [Part.navn],
            "status": [Plan.status],
            "koordinator": [Bruker.navn],
            "revisjon": [Plan.neste_evaluering],
        }
        side = hent_side(
            s,
            sporring,
            utvalg,
            kolonner,
            Plan.id,
            lambda r: Planrad(
                id=r[0].id,
                nummer=r[0].nummer,
                navn=person(tj, r[0]).navn,
                institusjon=r[1],
                status=r[0].status,
                koordinator=r[2],
                neste_evaluering=r[0].neste_evaluering,
            ),
            totalt=len(ider),
        )
    logg_visninger(tj, bruker_id, [p.id for p in side.rader], "listet", fra)
    return side


@logger_nektet
def les(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> Planvisning:
    """Planen slik brukeren kan se den; lesingen logges med grunnlaget."""
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra)
        versjon = next((v for v in plan.versjoner if v.nummer == plan.gjeldende_versjon), None)
        visning = Planvisning(
            id=plan.id,
            nummer=plan.nummer,
            person=person(tj, plan),
            status=plan.status,
            institusjon=plan.part.navn,
            part_id=plan.part_id,
            avtale_id=plan.avtale_id,
            koordinator=plan.koordinator.navn,
            koordinator_id=plan.koordinator_id,
            grunnlag=g,
            versjon=plan.gjeldende_versjon,
            feltverdier=feltverdier(tj, versjon) if versjon else {},
            neste_evaluering=plan.neste_evaluering,
            avsluttet_dato=plan.avsluttet_dato,
            avsluttet_grunn=plan.avsluttet_grunn,
            slettes_etter=plan.slettes_etter,
            versjoner=[(v.nummer, v.opprettet, v.grunn) for v in plan.versjoner],
            dokumenter=[d for d in plan.dokumenter if d.type in PLANFILER],
            medlemmer=list(plan.medlemmer),
            samtykker=list(plan.samtykker),
            tilganger=list(plan.tilganger) if g.kan_endre else [],
        )
        for m in visning.medlemmer:
            _ = m.bruker.navn
        for sam in visning.samtykker:
            _ = sam.part.navn
        for t in visning.tilganger:
            _ = t.bruker.navn
        logg(s, plan_id, "lest", bruker_id, g, fra, versjon=plan.gjeldende_versjon)
    return visning


@logger_nektet
def last_ned(
    tj: Tjenester, plan_id: int, dokument_id: int, bruker_id: int, fra: str = ""
) -> tuple[str, str, bytes]:
    """(filnavn, MIME-type, innhold) for en planfil, dekryptert og sjekket mot SHA-256."""
    with tj.transaksjon() as s:
        dok = s.get(Plandokument, dokument_id)
        if dok is None or dok.plan_id != plan_id:
            raise IkkeFunnet(IKKE_FUNNET)
        plan, _, g = apne_med_tilgang(s, dok.plan_id, bruker_id, fra)
        data = tj.chiffer.dekrypter(tj.lager.les(dok.sha256))
        if hashlib.sha256(data).hexdigest() != dok.innhold_sha256:
            raise Valideringsfeil({"fil": "Filen i arkivet stemmer ikke med sin SHA-256."})
        logg(
            s,
            plan.id,
            "lastet_ned",
            bruker_id,
            g,
            fra,
            versjon=dok.versjon_nummer,
            type=dok.type,
            sha256=dok.innhold_sha256,
        )
        endelse, mime = FILTYPER[dok.type]
        return f"{_filnavn(plan.nummer, dok)}.{endelse}", mime, data


def _filnavn(nummer: str, dok: Plandokument) -> str:
    v = dok.versjon_nummer
    return {
        "forseglet": f"Individuell plan {nummer} v{v} signert",
        "skannet": f"Individuell plan {nummer} v{v} signert (skannet)",
        "skjema_docx": f"Overgangsskjema {nummer} v{v}",
        "skjema_pdf": f"Overgangsskjema {nummer} v{v}",
        "skjema_skannet": f"Overgangsskjema {nummer} v{v} signert (skannet)",
        "samtykke_skannet": f"Samtykke {nummer} (skannet)",
    }.get(dok.type, f"Individuell plan {nummer} v{v}")


def antall_for_avtale(tj: Tjenester, avtale_id: int) -> int:
    """Hvor mange planer som er laget under avtalen: et tall, aldri hvem."""
    with tj.sesjoner() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(Plan)
                .where(Plan.avtale_id == avtale_id, Plan.status != "slettes")
            )
            or 0
        )


# --- Valglistene på plansidene ------------------------------------------------------------------


@dataclass
class Valg:
    """Det skjemaene på plansidene velger blant."""

    parter: list[Part]
    # (avtale-id, part-id, part, status) for avtalene planen kan knyttes til
    avtaler: list[tuple[int, int, str, str]]
    ansatte: list[Bruker]
    partnere: list[tuple[Bruker, str]]  # (partnerbruker, institusjon)

    @property
    def skrivere(self) -> list[Bruker]:
        return [b for b in self.ansatte if b.rolle in SKRIVEROLLER]


def valg(tj: Tjenester) -> Valg:
    with tj.sesjoner() as s:
        avtaler = s.scalars(
            select(Avtale)
            .where(Avtale.status.in_(AVTALER_SOM_KAN_KNYTTES))
            .options(selectinload(Avtale.part))
            .order_by(Avtale.id)
        ).all()
        partnere = s.scalars(
            select(Bruker)
            .where(Bruker.rolle == PARTNER, Bruker.aktiv)
            .options(selectinload(Bruker.part))
            .order_by(Bruker.navn)
        ).all()
        return Valg(
            parter=list(s.scalars(select(Part).order_by(Part.navn))),
            avtaler=[(a.id, a.part_id, a.part.navn, AVTALESTATUSER[a.status]) for a in avtaler],
            ansatte=list(
                s.scalars(
                    select(Bruker)
                    .where(Bruker.rolle.in_(ANSATTROLLER), Bruker.aktiv)
                    .order_by(Bruker.navn)
                )
            ),
            partnere=[(b, b.part.navn if b.part else "") for b in partnere],
        )
