"""Felles for testene av malene: utfylling som i brukstilfellene, teksten i et utfylt dokument
og endringer i en kopi av en mal."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document

from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur.maler import Mal
from dokumenter.infrastruktur.render import PartData, kontekst, render_docx

MALMAPPE = REPO_ROT / "maler"
# Hver mal i maler/, ett manifest per mal; testene som gjelder alle maler, kjøres for hver.
MANIFESTER = sorted(MALMAPPE.glob("*.toml"))
PART = PartData("Bodø fengsel", "fengsel", "Fengsel", "974760673", "Storgata 1, Bodø")


def fyll_ut(mal: Mal, verdier: dict, dato: date) -> bytes:
    """Som brukstilfellet: valider mot manifestet, bygg konteksten og fyll malen."""
    rene = mal.valider(verdier)
    ctx = kontekst(mal, PART, rene, mal.variant_for(PART.type), dato)
    return render_docx(mal, ctx)


def avsnitt(data: bytes) -> list[str]:
    """Teksten i dokumentet, ett avsnitt per element: brødtekst, tabellceller og bunntekst."""
    doc = Document(io.BytesIO(data))
    deler = [p.text for p in doc.paragraphs]
    deler += [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    deler += [p.text for s in doc.sections for p in s.footer.paragraphs]
    return deler


def tekst(data: bytes) -> str:
    return "\n".join(avsnitt(data))


def endre_tekst(mappe: Path, mal: str, gammel: str, ny: str, alle: bool = False) -> None:
    """Erstatt tekst i løpene i `mal`.docx i `mappe`: første forekomst, eller alle."""
    sti = mappe / f"{mal}.docx"
    doc = Document(str(sti))
    deler = list(doc.paragraphs)
    deler += [p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    funnet = False
    for p in deler:
        for r in p.runs:
            if gammel in r.text and (alle or not funnet):
                r.text = r.text.replace(gammel, ny, -1 if alle else 1)
                funnet = True
    assert funnet, f"fant ikke {gammel!r} i malen"
    doc.save(str(sti))
