"""Produksjon av avtalens dokumenter: mønsteravtalen fylt ut for en part (DOCX) og
konvertert til PDF/A med avviksskjemaet som vedlegg 2 (avtalens § 9 sier at skjemaet er
vedlegg til avtalen), og registrering av malfilen som ble brukt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from arkiv.lager import LagretFil
from dokumenter.infrastruktur.maler import Mal
from dokumenter.infrastruktur.render import PartData, kontekst, render_docx
from dokumenter.infrastruktur.vedlegg import legg_ved
from dokumenter.models import (
    Malfil,
    Part,
)
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.tjenester import Tjenester

MAL = "samarbeidsavtale"

FORMATER = {
    "docx": (
        "produksjonsformat",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": ("arkivformat", "application/pdf"),
}


def part_data(part: Part) -> PartData:
    return PartData(
        navn=part.navn,
        type=part.type,
        type_navn=PARTSTYPER[part.type].i_tekst,
        orgnr=part.orgnr,
        adresse=part.adresse,
        kontaktpersoner=tuple(
            SimpleNamespace(navn=k.navn, rolle=k.rolle, epost=k.epost, telefon=k.telefon)
            for k in part.kontaktpersoner
        ),
    )


@dataclass(frozen=True)
class Produsert:
    variant: str
    mal: LagretFil
    filer: dict[str, LagretFil]  # format -> fil
    tekst: str = ""  # teksten i DOCX-en, for søket (lagres med versjonen)


def produser(
    tj: Tjenester, mal: Mal, part: Part, verdier: dict[str, Any]
) -> tuple[str, bytes, bytes, bytes]:
    """(variant, malfil, DOCX, PDF/A) for en part; ingenting lagres. PDF/A-en har det tomme
    avviksskjemaet for avtalen som vedlegg 2 bak avtalen; DOCX-en er avtaleteksten alene."""
    variant = mal.variant_for(part.type)
    malfil = mal.fil.read_bytes()
    dele = part_data(part)
    ctx = kontekst(mal, dele, verdier, variant, date.today())
    docx = render_docx(mal, ctx, malfil, tittel=f"Samarbeidsavtale – {part.navn}")
    pdf = legg_ved(tj.konverterer.til_pdfa(docx), avviksskjema_vedlegg(tj, dele, verdier))
    return variant.navn, malfil, docx, pdf


VEDLEGG_AVVIK = "avviksskjema"


def avviksskjema_vedlegg(tj: Tjenester, part: PartData, verdier: dict[str, Any]) -> bytes:
    """Det tomme avviksskjemaet for avtalen (PDF/A): kommunen, parten og datoen avtalen gjelder
    fra er fylt ut; resten fylles ut når et avvik meldes."""
    mal = tj.mal(VEDLEGG_AVVIK)
    felt = {
        "kommune_navn": verdier.get("kommune_navn") or "",
        "part_navn": part.navn,
        "avtale_dato": str(verdier.get("gyldig_fra") or ""),
        "blankett": "ja",
    }
    idag = date.today()
    # Skjemaet er likt for hver versjon av samme avtale, så konvertereren gjør det én gang per
    # dag; bufferen hører til konvertereren (en annen konverterer lager sine egne).
    nokkel = (str(mal.fil), mal.fil.stat().st_mtime_ns, mal.versjon, repr(part), repr(felt), idag)
    buffer = _buffer(tj.konverterer)
    if (pdf := buffer.get(nokkel)) is None:
        ctx = kontekst(mal, part, felt, mal.variant_for(part.type), idag)
        pdf = tj.konverterer.til_pdfa(render_docx(mal, ctx))
        if len(buffer) >= VEDLEGG_I_BUFFER:
            buffer.pop(next(iter(buffer)))
        buffer[nokkel] = pdf
    return pdf


VEDLEGG_I_BUFFER = 64  # tomme avviksskjemaer (PDF/A) per konverterer


def _buffer(konverterer: object) -> dict[tuple, bytes]:
    try:
        return vars(konverterer).setdefault("_avviksskjemaer", {})
    except TypeError:  # ingen __dict__: ingen buffer
        return {}


def registrer_mal(s: Session, mal: Mal, fil: LagretFil) -> None:
    if s.get(Malfil, fil.sha256) is None:
        s.add(
            Malfil(
                sha256=fil.sha256,
                navn=mal.navn,
                versjon=mal.versjon,
                manifest=mal.manifest_tekst,
                storrelse=fil.storrelse,
            )
        )
        s.flush()
