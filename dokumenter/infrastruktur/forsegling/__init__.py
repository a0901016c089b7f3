"""Signert kopi av en avtale eller plan: PDF/A + signaturside + revisjonsspor, forseglet med
kommunens sertifikat (PAdES B-B), og kontroll av en slik kopi.

- `segl` – kommunens nøkkel og sertifikat, og selve forseglingen;
- `signaturside` – signatursiden og revisjonssporet (DOCX) og signaturene som metadata;
- `kontroll` – er en forseglet kopi uendret og gyldig.

Navnene kan hentes fra pakken (`from dokumenter.infrastruktur.forsegling import verifiser`);
delmodulen lastes først da, så `dokumenter signatur verifiser` ikke laster forseglingen og
python-docx.
"""

from __future__ import annotations

import importlib

_HVOR = {
    "Verifikasjon": "kontroll",
    "verifiser": "kontroll",
    "FELTNAVN": "felles",
    "META_SHA256": "felles",
    "META_SIGNATURER": "felles",
    "Segl": "segl",
    "SeglFeil": "segl",
    "lag_demo_segl": "segl",
    "lag_signert_kopi": "segl",
    "Signatur": "signaturside",
    "Sporhendelse": "signaturside",
    "lag_metadata": "signaturside",
    "signaturside_docx": "signaturside",
}
__all__ = sorted(_HVOR)


def __getattr__(navn: str) -> object:
    if navn not in _HVOR:
        raise AttributeError(f"module {__name__!r} has no attribute {navn!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HVOR[navn]}"), navn)
