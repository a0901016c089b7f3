"""Hva hver arkivhendelse blir til i arkivet: journalposttype, tittel, korrespondansepart og
dokumentene (`BYGGERE`). Titlene nevner avtalens part og planens nummer, aldri en person.

    til_gjennomgang  avtalen sendt til parten                 U
    til_signering    avtalen (eller planen) til signering      U (planen: N uten partnere)
    signert_kopi     forseglet eller skannet signert kopi      I
    avviksskjema     sendt / besvart av den ene parten         U eller I; lukket: X
    evaluering       evalueringsrapporten                      N
    planversjon      en ny versjon av planen                   X
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles.tid import som_utc
from dokumenter.models import (
    Avtale,
    AvtaleVersjon,
    Avvik,
    Avviksskjema,
    Bruker,
    Dokumentobjekt,
    Evaluering,
    Part,
    Plan,
    Plandokument,
    PlanVersjon,
    Saksmappe,
    Signeringsrunde,
    SignertKopi,
)
from dokumenter.noark import kodeverk as kv
from dokumenter.tjenester import Arkivhendelse, Tjenester


@dataclass(frozen=True)
class Nyfil:
    """En fil slik den arkiveres: nøkkelen i fillageret og filen slik den avleveres."""

    filtype: str  # docx|pdf
    variantformat: tuple[str, str]
    format: tuple[str, str]
    lager_sha256: str
    sjekksum: str
    storrelse: int
    kryptert: bool = False
    konvertert: bool = False  # PDF/A laget fra DOCX-en i samme dokument


@dataclass(frozen=True)
class Nydok:
    tittel: str
    dokumenttype: str
    filer: tuple[Nyfil, ...]


@dataclass
class Nypost:
    """Det en hendelse blir til i arkivet."""

    arkivdel: str
    type: str  # U|I|N|X
    hendelse: str
    tittel: str
    forste_del: str  # det som står igjen av tittelen i offentlig journal når den er skjermet
    korrespondansepart: str
    dokumentets_dato: date
    kontaktperson: str = ""
    avvik_id: int | None = None
    dokumenter: list[Nydok] = field(default_factory=list)
    kilde: str | None = None  # «avtale/signert_kopi:12» (settes av registreringen)


def ny_system_id() -> str:
    return str(uuid.uuid4())


def brukernavn(s: Session, bruker_id: int | None) -> str:
    if bruker_id is None:
        return kv.SYSTEMET
    return s.scalar(select(Bruker.navn).where(Bruker.id == bruker_id)) or kv.SYSTEMET


def _kontakt(part: Part) -> str:
    return part.kontaktpersoner[0].navn if part.kontaktpersoner else ""


def _produsert(docx: tuple[str, int] | None, pdf: tuple[str, int] | None) -> tuple[Nyfil, ...]:
    """DOCX (produksjonsformat) og PDF/A-2b laget av den (arkivformat), ukrypterte."""
    filer = []
    if docx:
        filer.append(Nyfil("docx", kv.PRODUKSJONSFORMAT, kv.DOCX, docx[0], docx[0], docx[1]))
    if pdf:
        filer.append(
            Nyfil("pdf", kv.ARKIVFORMAT, kv.PDFA_2B, pdf[0], pdf[0], pdf[1], konvertert=True)
        )
    return tuple(filer)


def _pdf(data: bytes | None, forseglet: bool) -> tuple[tuple[str, str], tuple[str, str]]:
    """(variantformat, format) for en signert kopi: den forseglede er PDF/A-2b; en skannet
    kopi er det den er (bare PDF/A er arkivformat)."""
    if forseglet or data is None:
        return kv.ARKIVFORMAT, (kv.PDFA_2B[0], "PDF/A-2b, forseglet med kommunens segl (PAdES)")
    kode, beskrivelse, er_pdfa = kv.pdf_format(data)
    return (kv.ARKIVFORMAT if er_pdfa else kv.PRODUKSJONSFORMAT), (kode, beskrivelse)


# --- Avtalene ------------------------------------------------------------------------------


def _avtaleversjon(s: Session, avtale_id: int, nummer: int) -> AvtaleVersjon:
    return s.scalar(
        select(AvtaleVersjon).where(
            AvtaleVersjon.avtale_id == avtale_id, AvtaleVersjon.nummer == nummer
        )
    )


def _avtale_sendt(avtale: Avtale, versjon: AvtaleVersjon, hva: str, hendelse: str) -> Nypost:
    part = avtale.part
    navn = f"Samarbeidsavtale med {part.navn}, versjon {versjon.nummer}"
    docx, pdf = versjon.dokument("docx"), versjon.dokument("pdf")
    filer = _produsert(
        (docx.sha256, docx.storrelse) if docx else None,
        (pdf.sha256, pdf.storrelse) if pdf else None,
    )
    return Nypost(
        kv.SAMARBEIDSAVTALER,
        "U",
        hendelse,
        f"{navn}, {hva}",
        "Samarbeidsavtale",
        part.navn,
        som_utc(versjon.opprettet).date(),
        _kontakt(part),
        dokumenter=[Nydok(navn, "Avtale", filer)],
    )


def til_gjennomgang(tj: Tjenester, s: Session, mappe: Saksmappe, h: Arkivhendelse) -> Nypost:
    avtale = s.get(Avtale, h.sak_id)
    versjon = _avtaleversjon(s, avtale.id, avtale.gjeldende_versjon)
    return _avtale_sendt(avtale, versjon, "sendt til gjennomgang", h.type)


def til_signering(tj: Tjenester, s: Session, mappe: Saksmappe, h: Arkivhendelse) -> Nypost:
    runde = s.get(Signeringsrunde, h.kilde_id)
    if h.art == "avtale":
        avtale = s.get(Avtale, h.sak_id)
        versjon = _avtaleversjon(s, avtale.id, runde.versjon_nummer)
        return _avtale_sendt(avtale, versjon, "sendt til signering", h.type)
    plan = s.get(Plan, h.sak_id)
    til_partner = any(sig.side == "part" for sig in runde.signatarer)
    navn = f"Individuell plan {plan.nummer}, versjon {runde.versjon_nummer}"
    return Nypost(
        kv.INDIVIDUELLE_PLANER,
        "U" if til_partner else "N",
        h.type,
        f"{navn}, sendt til signering",
        "Individuell plan",
        plan.part.navn if til_partner else brukernavn(s, h.bruker_id),
        date.today(),
        dokumenter=[Nydok(navn, "Plan", _planfiler(tj, s, plan.id, runde.versjon_nummer))],
    )


def signert_kopi(tj: Tjenester, s: Session, mappe: Saksmappe, h: Arkivhendelse) -> Nypost:
    innhold = h.innhold[0] if h.innhold else None
    if h.art == "avtale":
        kopi = s.get(SignertKopi, h.kilde_id)
        part = kopi.avtale.part
        navn = f"Samarbeidsavtale med {part.navn}, versjon {kopi.versjon_nummer}"
        forseglet = kopi.type == "forseglet"
        variant, fmt = _pdf(innhold, forseglet)
        fil = Nyfil("pdf", variant, fmt, kopi.sha256, kopi.sha256, kopi.storrelse)
        arkivdel, forste, dokumenttype, kontakt = (
            kv.SAMARBEIDSAVTALER,
            "Samarbeidsavtale",
            "Avtale",
            _kontakt(part),
        )
    else:
        pd = s.get(Plandokument, h.kilde_id)
        part = s.get(Plan, h.sak_id).part
        if h.art == "overgangsskjema":  # dokumenter.overgang: skannet, signert på papir
            navn = (
                f"Overgangsskjema for individuell plan {mappe.plan_nummer}, nr. {pd.versjon_nummer}"
            )
        else:
            navn = f"Individuell plan {mappe.plan_nummer}, versjon {pd.versjon_nummer}"
        forseglet = pd.type == "forseglet"
        variant, fmt = _pdf(innhold, forseglet)
        storrelse = len(innhold) if innhold is not None else pd.storrelse
        fil = Nyfil("pdf", variant, fmt, pd.sha256, pd.innhold_sha256, storrelse, kryptert=True)
        arkivdel, forste, dokumenttype, kontakt = (
            kv.INDIVIDUELLE_PLANER,
            "Individuell plan",
            "Plan",
            "",
        )
    art = "forseglet kopi" if forseglet else "skannet kopi"
    return Nypost(
        arkivdel,
        "I",
        h.type,
        f"{navn}, signert ({art})",
        forste,
        part.navn,
        date.today(),
        kontakt,
        dokumenter=[Nydok(f"{navn}, signert", dokumenttype, (fil,))],
    )


# --- Avvik og evalueringer -------------------------------------------------------------------

_ANLEDNING = {"sendt": "sendt", "besvart": "besvart", "lukket": "lukket"}


def avviksskjema(tj: Tjenester, s: Session, mappe: Saksmappe, h: Arkivhendelse) -> Nypost:
    skjema = s.get(Avviksskjema, h.kilde_id)
    avvik = s.get(Avvik, skjema.avvik_id)
    part = avvik.avtale.part
    fra_kommunen = avvik.meldt_av_side == "kommune"
    if skjema.anledning == "sendt":
        type_ = "U" if fra_kommunen else "I"
    elif skjema.anledning == "besvart":
        type_ = "I" if fra_kommunen else "U"
    else:
        type_ = "X"
    navn = f"Avviksskjema {avvik.nummer}, samarbeidsavtalen med {part.navn}"
    intern = type_ == "X"
    # En partnerbruker som sendte eller svarte, er kontaktpersonen hos parten.
    kontakt = brukernavn(s, h.bruker_id) if type_ == "I" and h.bruker_id else _kontakt(part)
    return Nypost(
        kv.AVVIK_OG_EVALUERINGER,
        type_,
        h.type,
        f"{navn}, {_ANLEDNING.get(skjema.anledning, skjema.anledning)}",
        "Avviksskjema",
        brukernavn(s, h.bruker_id) if intern else part.navn,
        som_utc(skjema.opprettet).date(),
        "" if intern else kontakt,
        avvik_id=avvik.id,
        dokumenter=[
            Nydok(
                navn,
                "Avviksskjema",
                _produsert(
                    (skjema.docx_sha256, skjema.docx_storrelse),
                    (skjema.pdf_sha256, skjema.pdf_storrelse),
                ),
            )
        ],
    )


def evaluering(tj: Tjenester, s: Session, mappe: Saksmappe, h: Arkivhendelse) -> Nypost:
    ev = s.get(Evaluering, h.kilde_id)
    avtale = ev.avtale
    navn = (
        f"Evalueringsrapport {ev.dato.strftime('%d.%m.%Y')}, samarbeidsavtalen med "
        f"{avtale.part.navn}"
    )
    return Nypost(
        kv.AVVIK_OG_EVALUERINGER,
        "N",
        h.type,
        navn,
        "Evalueringsrapport",
        avtale.ansvarlig.navn,
        ev.dato,
        dokumenter=[
            Nydok(
                navn,
                "Evalueringsrapport",
                _produsert((ev.docx_sha256, ev.docx_storrelse), (ev.pdf_sha256, ev.pdf_storrelse)),
            )
        ],
    )


# --- Planene ---------------------------------------------------------------------------------


def planversjon(tj: Tjenester, s: Session, mappe: Saksmappe, h: Arkivhendelse) -> Nypost:
    pv = s.get(PlanVersjon, h.kilde_id)
    s.flush()
    rader = _plandokumenter(s, pv.plan_id, pv.nummer)
    navn = f"Individuell plan {mappe.plan_nummer}, versjon {pv.nummer}"
    filer = []
    for i, (type_, pd) in enumerate(rader):
        data = h.innhold[i] if i < len(h.innhold) else None
        storrelse = len(data) if data is not None else pd.storrelse
        sjekksum = hashlib.sha256(data).hexdigest() if data is not None else pd.innhold_sha256
        if type_ == "docx":
            filer.append(
                Nyfil("docx", kv.PRODUKSJONSFORMAT, kv.DOCX, pd.sha256, sjekksum, storrelse, True)
            )
        else:
            filer.append(
                Nyfil("pdf", kv.ARKIVFORMAT, kv.PDFA_2B, pd.sha256, sjekksum, storrelse, True, True)
            )
    return Nypost(
        kv.INDIVIDUELLE_PLANER,
        "X",
        h.type,
        navn,
        "Individuell plan",
        brukernavn(s, h.bruker_id),
        som_utc(pv.opprettet).date() if pv.opprettet else date.today(),
        dokumenter=[Nydok(navn, "Plan", tuple(filer))],
    )


def _plandokumenter(s: Session, plan_id: int, versjon: int) -> list[tuple[str, Plandokument]]:
    """Versjonens DOCX og PDF/A (den siste av hver), i den rekkefølgen."""
    rader = s.scalars(
        select(Plandokument)
        .where(
            Plandokument.plan_id == plan_id,
            Plandokument.versjon_nummer == versjon,
            Plandokument.type.in_(("docx", "pdf")),
        )
        .order_by(Plandokument.id)
    ).all()
    siste = {pd.type: pd for pd in rader}
    return [(t, siste[t]) for t in ("docx", "pdf") if t in siste]


def _planfiler(tj: Tjenester, s: Session, plan_id: int, versjon: int) -> tuple[Nyfil, ...]:
    """Filene for en planversjon som alt er arkivert: fra dokumentobjektene den fikk da, eller
    (planer fra før arkivet kom) lest og dekryptert fra lageret."""
    filer = []
    for type_, pd in _plandokumenter(s, plan_id, versjon):
        kjent = s.scalar(
            select(Dokumentobjekt).where(Dokumentobjekt.lager_sha256 == pd.sha256).limit(1)
        )
        if kjent is not None:
            sjekksum, storrelse = kjent.sjekksum, kjent.filstoerrelse
        else:
            data = tj.chiffer.dekrypter(tj.lager.les(pd.sha256))
            sjekksum, storrelse = hashlib.sha256(data).hexdigest(), len(data)
        pdf = type_ == "pdf"
        filer.append(
            Nyfil(
                type_,
                kv.ARKIVFORMAT if pdf else kv.PRODUKSJONSFORMAT,
                kv.PDFA_2B if pdf else kv.DOCX,
                pd.sha256,
                sjekksum,
                storrelse,
                kryptert=True,
                konvertert=pdf,
            )
        )
    return tuple(filer)


BYGGERE: dict[str, Callable[[Tjenester, Session, Saksmappe, Arkivhendelse], Nypost]] = {
    "til_gjennomgang": til_gjennomgang,
    "til_signering": til_signering,
    "signert_kopi": signert_kopi,
    "avviksskjema": avviksskjema,
    "evaluering": evaluering,
    "planversjon": planversjon,
}
