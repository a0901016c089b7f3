"""Lesing av evalueringer og rapportfilene, med logg over nedlastinger."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.avtaler.lesing import les_og_logg
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.models import Evaluering
from dokumenter.tjenester import Tjenester

# --- Oppslag og filer ----------------------------------------------------------------------


def for_avtale(tj: Tjenester, avtale_id: int) -> list[Evaluering]:
    with tj.sesjoner() as s:
        return list(
            s.scalars(
                select(Evaluering)
                .where(Evaluering.avtale_id == avtale_id)
                .order_by(Evaluering.dato.desc(), Evaluering.id.desc())
            )
        )


def les_rapport(
    tj: Tjenester,
    evaluering_id: int,
    format: str,
    bruker_id: int,
    fra: str = "",
    kjente: Collection[str] = (),
) -> tuple[str, bytes | None]:
    """(filnavn, innhold) for rapporten; innholdet er None når klienten alt har filen."""
    if format not in ("pdf", "docx"):
        raise IkkeFunnet("Ukjent format.")
    with tj.sesjoner() as s:
        ev = s.get(Evaluering, evaluering_id, options=[selectinload(Evaluering.avtale)])
        if ev is None:
            raise IkkeFunnet("Evalueringen finnes ikke.")
        sha = ev.pdf_sha256 if format == "pdf" else ev.docx_sha256
        navn = f"Evalueringsrapport {ev.avtale.part.navn} {ev.dato.isoformat()}.{format}"
        avtale_id = ev.avtale_id
    if sha in kjente:
        return navn, None
    data = les_og_logg(tj, sha, avtale_id, bruker_id, fra, format=f"evalueringsrapport {format}")
    return navn, data
