"""Feil fra generering og arkiv som en bruker skal se som en norsk melding, ikke en 500."""

from __future__ import annotations

from arkiv.lager import LagerFeil
from dokumenter.infrastruktur.konvertering import KonverteringsFeil
from dokumenter.infrastruktur.maler import MalFeil

ARKIVFEIL = (KonverteringsFeil, LagerFeil, MalFeil)
