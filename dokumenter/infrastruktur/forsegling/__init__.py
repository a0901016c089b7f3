"""Signert kopi av en avtale eller plan: PDF/A + signaturside + revisjonsspor, forseglet med
kommunens sertifikat (PAdES B-B), og kontroll av en slik kopi.

- `segl` – kommunens nøkkel og sertifikat, og selve forseglingen;
- `signaturside` – signatursiden og revisjonssporet (DOCX) og signaturene som metadata;
- `kontroll` – er en forseglet kopi uendret og gyldig.
"""

from dokumenter.infrastruktur.forsegling.kontroll import Verifikasjon, verifiser
from dokumenter.infrastruktur.forsegling.segl import (
    FELTNAVN,
    META_SHA256,
    META_SIGNATURER,
    Segl,
    SeglFeil,
    lag_demo_segl,
    lag_signert_kopi,
)
from dokumenter.infrastruktur.forsegling.signaturside import (
    Signatur,
    Sporhendelse,
    lag_metadata,
    signaturside_docx,
)

__all__ = [
    "FELTNAVN",
    "META_SHA256",
    "META_SIGNATURER",
    "Segl",
    "SeglFeil",
    "Signatur",
    "Sporhendelse",
    "Verifikasjon",
    "lag_demo_segl",
    "lag_metadata",
    "lag_signert_kopi",
    "signaturside_docx",
    "verifiser",
]
