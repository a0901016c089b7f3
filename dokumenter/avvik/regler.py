"""Avvikenes regler: statuser, kategorier, når et avvik kan meldes, hvem som handler, og hva
hver av dem kan gjøre med et avvik nå."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dokumenter.brukere.roller import PARTNER, SKRIVEROLLER
from dokumenter.felles import etiketter, frister
from dokumenter.models import Avvik

STATUSER = etiketter.AVVIKSSTATUS
KATEGORIER = etiketter.AVVIKSKATEGORI
# Avtalens § 9: gjentatte eller alvorlige avvik tas opp mellom partenes ledere.
ALVORLIGHETER = etiketter.ALVORLIGHET
# Avtalens § 9: skjemaet sendes senest fem virkedager etter at avviket ble oppdaget.
SEND_INNEN_VIRKEDAGER = 5
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

    @property
    def kan_skrive(self) -> bool:
        """Partnerbrukere handler for parten; ansatte må ha skrivetilgang."""
        return self.side == "part" or self.rolle in SKRIVEROLLER


def er_forfalt(a: Avvik, idag: date | None = None) -> bool:
    """Sendt, og svarfristen er ute."""
    return a.status == "sendt" and a.svarfrist is not None and a.svarfrist < (idag or date.today())


def virkedager_siden_oppdaget(a: Avvik, idag: date | None = None) -> int | None:
    """Virkedager fra avviket ble oppdaget til i dag (None for avvik uten oppdagelsesdato)."""
    if a.oppdaget is None:
        return None
    return frister.virkedager_mellom(a.oppdaget, idag or date.today())


def sendes_for_sent(a: Avvik, idag: date | None = None) -> bool:
    """Sendes skjemaet nå, er det mer enn fem virkedager etter at avviket ble oppdaget."""
    dager = virkedager_siden_oppdaget(a, idag)
    return dager is not None and dager > SEND_INNEN_VIRKEDAGER


def synlig_for(a: Avvik, melder: Melder) -> bool:
    """Partnere ser bare egne avtalers avvik, og ikke kommunens utkast som ikke er sendt."""
    if melder.side != "part":
        return True
    return a.avtale.part_id == melder.part_id and not (
        a.status == "aapen" and a.meldt_av_side == "kommune"
    )


def handlinger(a: Avvik, melder: Melder, idag: date | None = None) -> dict[str, bool]:
    """Hva brukeren kan gjøre med avviket nå (brukstilfellene kontrollerer det samme)."""
    skriv = melder.kan_skrive
    return {
        "send": skriv and a.status == "aapen" and a.meldt_av_side == melder.side,
        "svar": skriv and a.status == "sendt" and a.meldt_av_side != melder.side,
        "lukk": skriv
        and melder.side == "kommune"
        and (a.status == "besvart" or er_forfalt(a, idag)),
    }
