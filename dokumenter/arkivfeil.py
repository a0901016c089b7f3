"""Feil fra generering og arkiv som en bruker skal se som en norsk melding, ikke en 500."""

from arkiv.lager import LagerFeil
from dokumenter.konvertering import KonverteringsFeil
from dokumenter.maler import MalFeil

ARKIVFEIL = (KonverteringsFeil, LagerFeil, MalFeil)
