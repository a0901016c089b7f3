"""Søk i arkivet: hva som indekseres for hver versjon av en avtale, et avvik, en evaluering
eller en plan, oppdatering etter endringer og gjenoppbygging.

Indeksen er avledet: alt den inneholder, kommer fra databasen og dokumentene i arkivet, så
`dokumenter arkiv reindekser` kan alltid bygge den på nytt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from arkiv.sok.analyse import Leksikon
from arkiv.sok.indeks import Indeksdokument, IndeksFeil
from dokumenter.infrastruktur.sammenligning import avsnitt_fra_docx
from dokumenter.models import Avtale, AvtaleVersjon, Avvik, Evaluering, Plan
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.sok.skjema import domenefelt
from dokumenter.tjenester import Tjenester

logger = logging.getLogger(__name__)


def _dokumenter_for_avtale(tj: Tjenester, s: Session, avtale: Avtale) -> Iterator[Indeksdokument]:
    type_ = PARTSTYPER[avtale.part.type]
    for v in avtale.versjoner:
        docx = v.dokument("docx")
        tekst = "\n".join(t for _, t in avsnitt_fra_docx(tj.lager.les(docx.sha256))) if docx else ""
        yield Indeksdokument(
            id=f"avtale:{avtale.id}:{v.nummer}",
            art="avtale",
            objekt_id=avtale.id,
            versjon=v.nummer,
            gjeldende=v.nummer == avtale.gjeldende_versjon,
            tittel=f"Samarbeidsavtale med {avtale.part.navn}",
            tekst=tekst,
            dato=v.opprettet,
            felt=domenefelt(
                part=avtale.part.navn,
                partstype=avtale.part.type,
                sektor=type_.sektor,
                status=avtale.status,
                ansvarlig=avtale.ansvarlig.navn,
                dato=v.opprettet,
            ),
        )


def _last_avtale(s: Session, avtale_id: int) -> Avtale | None:
    return s.get(
        Avtale,
        avtale_id,
        options=[
            selectinload(Avtale.part),
            selectinload(Avtale.ansvarlig),
            selectinload(Avtale.versjoner).selectinload(AvtaleVersjon.dokumenter),
        ],
    )


def oppdater_avtale(tj: Tjenester, avtale_id: int) -> bool:
    """Oppdater indeksen for én avtale. Feil logges og merker indeksen foreldet; aldri unntak,
    for versjonen er allerede lagret. Returnerer True ved suksess."""

    def hent() -> list[Indeksdokument]:
        with tj.sesjoner() as s:
            avtale = _last_avtale(s, avtale_id)
            return list(_dokumenter_for_avtale(tj, s, avtale)) if avtale else []

    return _oppdater(tj, "avtale", avtale_id, hent)


def oppdater_avvik(tj: Tjenester, avvik_id: int) -> bool:
    """Som `oppdater_avtale`, for ett avvik (uten personreferansen)."""

    def hent() -> list[Indeksdokument]:
        with tj.sesjoner() as s:
            avvik = _last_avvik(s, avvik_id)
            return [_dokument_for_avvik(avvik)] if avvik else []

    return _oppdater(tj, "avvik", avvik_id, hent)


def oppdater_evaluering(tj: Tjenester, evaluering_id: int) -> bool:
    """Som `oppdater_avtale`, for én evalueringsrapport."""

    def hent() -> list[Indeksdokument]:
        with tj.sesjoner() as s:
            ev = s.get(Evaluering, evaluering_id, options=[selectinload(Evaluering.avtale)])
            return [_dokument_for_evaluering(ev)] if ev else []

    return _oppdater(tj, "evaluering", evaluering_id, hent)


def oppdater_plan(tj: Tjenester, plan_id: int) -> bool:
    """Som `oppdater_avtale`, for en individuell plan (bare i planens egen tilgangsgruppe)."""

    def hent() -> list[Indeksdokument]:
        with tj.sesjoner() as s:
            plan = s.get(Plan, plan_id)
            return list(_dokumenter_for_plan(plan)) if plan else []

    return _oppdater(tj, "plan", plan_id, hent)


def _dokumenter_for_plan(plan: Plan | None) -> Iterator[Indeksdokument]:
    """Innholdet i hver versjon, uten personens navn og fødselsdato (de står bare kryptert)."""
    if plan is None or plan.status == "slettes":  # slettet underveis
        return
    for v in plan.versjoner:
        deler: list[str] = []
        for navn, verdi in sorted(v.feltverdier.items()):
            if navn in ("person_navn", "person_fodselsdato") or verdi in (None, ""):
                continue
            if isinstance(verdi, list):
                deler += [" – ".join(str(c) for c in rad.values() if c) for rad in verdi]
            else:
                deler.append(str(verdi))
        yield Indeksdokument(
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
            ordkilde=False,  # ingen ord fra en plan i ordlisten (den blir stående etter sletting)
        )


def _dokument_for_evaluering(ev: Evaluering) -> Indeksdokument:
    part = ev.avtale.part
    deler = [
        ev.deltakere_kommune,
        ev.deltakere_part,
        ev.fungert,
        ev.ikke_fungert,
        ev.begrunnelse,
        f"Beslutning: {ev.beslutning}",
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


def _oppdater(tj: Tjenester, art: str, objekt_id: int, hent: Callable) -> bool:
    try:
        tj.indeks.erstatt_objekt(art, objekt_id, hent)
    except Exception as e:
        logger.exception("Kunne ikke oppdatere søkeindeksen for %s %s", art, objekt_id)
        grunn = str(e) if isinstance(e, IndeksFeil) else f"{type(e).__name__}: {e}"
        try:
            tj.indeks.merk_foreldet(f"{art.capitalize()} {objekt_id}: {grunn}")
        except OSError:
            logger.exception("Kunne heller ikke merke indeksen som foreldet")
        return False
    return True


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


def antall_versjoner(tj: Tjenester) -> int:
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(AvtaleVersjon)) or 0


def reindekser(tj: Tjenester, fremdrift: Callable[[int], None] | None = None) -> int:
    """Bygg indeksen på nytt fra databasen og arkivet alene. Tekstene leses to ganger: først
    for ordlisten som deler sammensatte ord, så for indeksen. `fremdrift` får 1 per versjon
    per runde (2 × antall versjoner i alt). Returnerer antall versjoner."""

    def alle() -> Iterator[Indeksdokument]:
        with tj.sesjoner() as s:
            ider = s.scalars(select(Avtale.id).order_by(Avtale.id)).all()
            avvik_ider = s.scalars(select(Avvik.id).order_by(Avvik.id)).all()
            evaluering_ider = s.scalars(select(Evaluering.id).order_by(Evaluering.id)).all()
            plan_ider = s.scalars(select(Plan.id).order_by(Plan.id)).all()
        for avtale_id in ider:
            with tj.sesjoner() as s:
                avtale = _last_avtale(s, avtale_id)
                for dok in _dokumenter_for_avtale(tj, s, avtale):
                    if fremdrift:
                        fremdrift(1)
                    yield dok
        for avvik_id in avvik_ider:
            with tj.sesjoner() as s:
                yield _dokument_for_avvik(_last_avvik(s, avvik_id))
        for evaluering_id in evaluering_ider:
            with tj.sesjoner() as s:
                yield _dokument_for_evaluering(s.get(Evaluering, evaluering_id))
        for plan_id in plan_ider:
            with tj.sesjoner() as s:
                yield from _dokumenter_for_plan(s.get(Plan, plan_id))

    # Ordlisten (delord) lagres i indeksens skjema; planenes tekster holdes utenfor, så ingen
    # ord fra en plan blir stående der etter at planen er slettet.
    leksikon = Leksikon.fra_tekster(d.tekst for d in alle() if d.art != "plan")
    return tj.indeks.bygg_pa_nytt(alle(), leksikon=leksikon)
