"""Hva søket får fra hver art: versjonene av en avtale, et avvik og en evaluering (i
indeksen), og versjonene av en individuell plan (dekryptert for hvert søk, aldri i indeksen).

Indeksen er avledet: alt den inneholder, kommer fra databasen og dokumentene i arkivet.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

from arkiv.sok.indeks import Indeksdokument
from dokumenter.felles import etiketter
from dokumenter.models import Avtale, AvtaleVersjon, Avvik, Dokument, Evaluering, Plan
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.sok import tekster
from dokumenter.sok.skjema import domenefelt
from dokumenter.tjenester import Tjenester

INDEKSERTE_ARTER = ("avtale", "avvik", "evaluering")
PERSONFELT = ("person_navn", "person_fodselsdato")


def onskede(tj: Tjenester, s: Session, art: str, objekt_id: int) -> list[Indeksdokument]:
    """Dokumentene objektet skal ha i indeksen nå (tom: ingen, objektet er borte eller hører
    ikke hjemme der). Avtaleversjonenes tekst hentes først når skriveren trenger den."""
    if art == "avtale":
        return avtaledokumenter(tj, s, objekt_id)
    if art == "avvik":
        avvik = _last_avvik(s, objekt_id)
        return [_dokument_for_avvik(avvik)] if avvik else []
    if art == "evaluering":
        ev = s.get(Evaluering, objekt_id, options=[selectinload(Evaluering.avtale)])
        return [_dokument_for_evaluering(ev)] if ev else []
    return []  # planer og ukjente arter: ingenting i indeksen


def avtaledokumenter(
    tj: Tjenester, s: Session, avtale_id: int, tekst: dict[int, str] | None = None
) -> list[Indeksdokument]:
    """Ett dokument per versjon. Versjonene leses uten innhold (id, nummer, dato og DOCX-ens
    SHA-256); teksten kommer fra `tekst` (versjons-id -> tekst) eller `tekster.hent`."""
    avtale = s.get(
        Avtale, avtale_id, options=[selectinload(Avtale.part), selectinload(Avtale.ansvarlig)]
    )
    if avtale is None:
        return []
    type_ = PARTSTYPER[avtale.part.type]
    ut = []
    for versjon_id, nummer, opprettet, docx in _versjoner(s, avtale_id):
        ut.append(
            Indeksdokument(
                id=f"avtale:{avtale.id}:{nummer}",
                art="avtale",
                objekt_id=avtale.id,
                versjon=nummer,
                gjeldende=nummer == avtale.gjeldende_versjon,
                tittel=f"Samarbeidsavtale med {avtale.part.navn}",
                tekst=(tekst or {}).get(versjon_id, ""),
                dato=opprettet,
                felt=domenefelt(
                    part=avtale.part.navn,
                    partstype=avtale.part.type,
                    sektor=type_.sektor,
                    status=avtale.status,
                    ansvarlig=avtale.ansvarlig.navn,
                    dato=opprettet,
                ),
                hent_tekst=None
                if tekst is not None
                else functools.partial(tekster.hent, tj, versjon_id, docx),
                tekstnokkel=f"avtaleversjon:{versjon_id}",
            )
        )
    return ut


def _versjoner(s: Session, avtale_id: int) -> list[tuple[int, int, datetime, str | None]]:
    return list(
        s.execute(
            select(AvtaleVersjon.id, AvtaleVersjon.nummer, AvtaleVersjon.opprettet, Dokument.sha256)
            .outerjoin(
                Dokument, and_(Dokument.versjon_id == AvtaleVersjon.id, Dokument.format == "docx")
            )
            .where(AvtaleVersjon.avtale_id == avtale_id)
            .order_by(AvtaleVersjon.nummer)
        )
    )


def plandokumenter(tj: Tjenester, plan: Plan, bare_gjeldende: bool) -> list[Indeksdokument]:
    """Versjonene av planen slik søket ser dem (gjeldende, eller alle): innholdet dekryptert,
    uten personens navn og fødselsdato, i planens egen tilgangsgruppe. Bare for søk i minnet."""
    if plan.status == "slettes":
        return []
    ut = []
    for v in plan.versjoner:
        if bare_gjeldende and v.nummer != plan.gjeldende_versjon:
            continue
        deler: list[str] = []
        verdier = tj.chiffer.dekrypter_json(v.innhold_kryptert)
        for navn, verdi in sorted(verdier.items()):
            if navn in PERSONFELT or verdi in (None, ""):
                continue
            if isinstance(verdi, list):
                deler += [" – ".join(str(c) for c in rad.values() if c) for rad in verdi]
            else:
                deler.append(str(verdi))
        ut.append(
            Indeksdokument(
                id=f"plan:{plan.id}:{v.nummer}",
                art="plan",
                objekt_id=plan.id,
                versjon=v.nummer,
                gjeldende=v.nummer == plan.gjeldende_versjon,
                tittel=f"Individuell plan {plan.nummer}",
                tekst="\n".join(deler),
                dato=v.opprettet,
                felt=domenefelt(
                    part=plan.part.navn,
                    partstype=plan.part.type,
                    sektor=PARTSTYPER[plan.part.type].sektor,
                    status=plan.status,
                    ansvarlig=plan.koordinator.navn,
                    dato=v.opprettet,
                ),
                tilgang=(f"plan:{plan.id}",),
                ordkilde=False,  # ingen ord fra en plan i ordlisten
            )
        )
    return ut


def _dokument_for_evaluering(ev: Evaluering) -> Indeksdokument:
    part = ev.avtale.part
    deler = [
        ev.deltakere_kommune,
        ev.deltakere_part,
        ev.fungert,
        ev.ikke_fungert,
        ev.begrunnelse,
        f"Beslutning: {etiketter.BESLUTNING.get(ev.beslutning, ev.beslutning)}",
    ]
    dato = datetime.combine(ev.dato, time(12), tzinfo=UTC)
    return Indeksdokument(
        id=f"evaluering:{ev.id}:1",
        art="evaluering",
        objekt_id=ev.id,
        versjon=1,
        gjeldende=True,
        tittel=f"Evalueringsrapport {ev.dato.isoformat()} – {part.navn}",
        tekst="\n".join(d for d in deler if d),
        dato=dato,
        felt=domenefelt(
            part=part.navn,
            partstype=part.type,
            sektor=PARTSTYPER[part.type].sektor,
            status=ev.beslutning,
            ansvarlig="",
            dato=dato,
        ),
    )


def _last_avvik(s: Session, avvik_id: int) -> Avvik | None:
    return s.get(
        Avvik,
        avvik_id,
        options=[
            selectinload(Avvik.avtale).selectinload(Avtale.part),
            selectinload(Avvik.meldt_av),
        ],
    )


def _dokument_for_avvik(avvik: Avvik) -> Indeksdokument:
    """Uten personreferansen: den står aldri i indeksen."""
    part = avvik.avtale.part
    deler = [
        avvik.paragraf,
        avvik.hva_skjedde,
        avvik.konsekvens,
        avvik.strakstiltak,
        avvik.svar_forklaring,
        avvik.svar_tiltak,
        avvik.lukket_merknad,
    ]
    return Indeksdokument(
        id=f"avvik:{avvik.id}:1",
        art="avvik",
        objekt_id=avvik.id,
        versjon=1,
        gjeldende=True,
        tittel=f"Avvik {avvik.nummer} ({avvik.paragraf}) – {part.navn}",
        tekst="\n".join(d for d in deler if d),
        dato=avvik.meldt,
        felt=domenefelt(
            part=part.navn,
            partstype=part.type,
            sektor=PARTSTYPER[part.type].sektor,
            status=avvik.status,
            ansvarlig=avvik.meldt_av.navn,
            dato=avvik.meldt,
        ),
    )


def alle_dokumenter(
    tj: Tjenester, fremdrift: Callable[[int], None] | None = None
) -> Iterator[Indeksdokument]:
    """Alt indeksen skal ha, objekt for objekt (tekstene fra `versjonstekst`; de som mangler,
    hentes ut av DOCX-ene og lagres). `fremdrift` får 1 per avtaleversjon."""
    with tj.sesjoner() as s:
        ider = s.scalars(select(Avtale.id).order_by(Avtale.id)).all()
        avvik_ider = s.scalars(select(Avvik.id).order_by(Avvik.id)).all()
        evaluering_ider = s.scalars(select(Evaluering.id).order_by(Evaluering.id)).all()
    for avtale_id in ider:
        with tj.sesjoner() as s:
            docx = {v: sha for v, _, _, sha in _versjoner(s, avtale_id)}
            dokumenter = avtaledokumenter(tj, s, avtale_id, tekster.hent_mange(tj, docx))
        for dok in dokumenter:
            if fremdrift:
                fremdrift(1)
            yield dok
    for art, liste in (("avvik", avvik_ider), ("evaluering", evaluering_ider)):
        for objekt_id in liste:
            with tj.sesjoner() as s:
                yield from onskede(tj, s, art, objekt_id)
