"""Avvikenes regler: statuser, kategorier, når et avvik kan meldes, og hvem som handler."""

from __future__ import annotations

from dataclasses import dataclass

from dokumenter.brukere.roller import PARTNER

STATUSER = {"aapen": "Åpen", "sendt": "Sendt", "besvart": "Besvart", "lukket": "Lukket"}
KATEGORIER = {
    "varsling": "Varsling før løslatelse eller utskrivning",
    "bolig": "Bolig og botilbud",
    "oppfolging": "Oppfølging og tjenester",
    "informasjon": "Informasjonsutveksling og samtykke",
    "kontakt": "Kontaktpersoner og møter",
    "annet": "Annet",
}
KAN_MELDE_AVVIK = ("inngaatt", "til_revisjon")  # avvik gjelder en signert avtale
STANDARD_SVARFRIST_DAGER = 28
PAMINNELSE_DAGER = 7
MAKS_TEKST = 5000


@dataclass(frozen=True)
class Melder:
    """Den som handler: en ansatt (side «kommune») eller en partnerbruker (side «part»)."""

    id: int
    rolle: str
    part_id: int | None = None

    @property
    def side(self) -> str:
        return "part" if self.rolle == PARTNER else "kommune"
