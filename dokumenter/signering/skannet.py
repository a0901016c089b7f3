"""Kontroll av en opplastet, skannet PDF (størrelse, format, lesbar, antall sider)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from dokumenter.felles.feil import Valideringsfeil

MAKS_SKANNET = 20 * 1024 * 1024


def sjekk_skannet_pdf(pdf: bytes) -> int:
    """Sjekk en opplastet, skannet PDF (størrelse, format, lesbar, minst én side); gir antall
    sider. Felles for avtaler og individuelle planer."""
    if not pdf:
        raise Valideringsfeil({"fil": "Velg en PDF-fil."})
    if len(pdf) > MAKS_SKANNET:
        raise Valideringsfeil({"fil": f"Filen er for stor (maks {MAKS_SKANNET // 2**20} MB)."})
    if not pdf.startswith(b"%PDF-"):
        raise Valideringsfeil({"fil": "Filen er ikke en PDF."})
    try:
        sider = len(PdfReader(io.BytesIO(pdf)).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise Valideringsfeil(
            {"fil": f"PDF-filen er skadet og kan ikke leses ({type(e).__name__})."}
        ) from e
    if sider < 1:
        raise Valideringsfeil({"fil": "PDF-filen har ingen sider."})
    return sider
