"""Vedlegg bak et PDF/A-dokument: sidene fra én eller flere PDF/A-filer legges etter sidene i
hoveddokumentet, og katalogen (XMP-metadata med PDF/A-merkingen og OutputIntents) tas fra
hoveddokumentet, som når signatursiden legges bak den signerte kopien. Alle filene er laget
av den samme LibreOffice-eksporten (PDF/A-2b, innebygde skrifter)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from dokumenter.felles.feil import Arkivfeil


def legg_ved(pdf: bytes, *vedlegg: bytes) -> bytes:
    """`pdf` med sidene fra hvert vedlegg etter seg."""
    if not vedlegg:
        return pdf
    try:
        skriver = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf), strict=False))
        for data in vedlegg:
            for side in PdfReader(io.BytesIO(data), strict=False).pages:
                skriver.add_page(side)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise Arkivfeil(
            f"Vedlegget kunne ikke legges bak avtalen ({type(e).__name__}). Lag avtalen på nytt."
        ) from None
    ut = io.BytesIO()
    skriver.write(ut)
    return ut.getvalue()
