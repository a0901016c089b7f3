"""Det forseglingen og kontrollen deler: navnet på signaturfeltet og metadatanøklene i den
forseglede filen, og korte feilmeldinger. Uten tunge importer, så kontrollen kan lastes alene."""

from __future__ import annotations

FELTNAVN = "Kommunesegl"
"""Navnet på det usynlige signaturfeltet forseglingen legges i."""

META_SIGNATURER = "/Dokumenter-Signaturer"
"""Egendefinert dokumentinfo: JSON-liste med én ordbok per signatur."""

META_SHA256 = "/Dokumenter-SHA256"
"""Egendefinert dokumentinfo: SHA-256 (hex) av PDF-en som ble signert."""


def kort(feil: object, tegn: int = 200) -> str:
    tekst = " ".join(str(feil).split()) or type(feil).__name__
    return tekst if len(tekst) <= tegn else tekst[: tegn - 1] + "…"
