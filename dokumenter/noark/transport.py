"""Levering av meldingene i utboksen til kommunens sak/arkiv-system: ett grensesnitt
(`Transport`), to implementasjoner.

- `Mappetransport` (standard): hver melding blir en mappe `<utboks>/<meldings-id>/` med
  `arkivmelding.xml`, `melding.json` og filene, for et integrasjonspunkt å hente.
  Mappen skrives under et midlertidig navn og får sitt navn i ett atomisk steg, så en
  halvskrevet melding aldri ser ferdig ut. Integrasjonen flytter en hentet melding til
  `<utboks>/hentet/` (eller lar den ligge) og legger kvitteringen i `<utboks>/kvitteringer/
  <meldings-id>.xml`. En melding som alt ligger der (eller i `hentet/`), skrives ikke igjen.
- `FiksIoTransport` (DOKUMENTER_ARKIV_TRANSPORT=fiks-io): sier tydelig at den trenger en
  Fiks IO-konto fra KS og ikke sender noe i denne installasjonen; feilmeldingen beskriver hva
  som ville blitt sendt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from arkiv.lager import LagerFeil, feilpunkt
from dokumenter.felles.innstillinger import FiksIoOppsett
from dokumenter.tjenester import Tjenester

HENTET = "hentet"
KVITTERINGER = "kvitteringer"
SKRIVES = ".skrives-"


class TransportFeil(Exception):
    """Meldingen kunne ikke leveres nå; den prøves igjen ved neste kjøring."""


@dataclass(frozen=True)
class Utgaende:
    meldings_id: str
    meldingstype: str
    xml: str
    filer: list[dict]


class Transport(Protocol):
    navn: str

    def levert(self, meldings_id: str) -> bool:
        """Er meldingen alt levert (en tidligere kjøring som stoppet før databasen visste det)?"""

    def send(self, melding: Utgaende) -> None:
        """Lever meldingen, eller kast TransportFeil."""

    def kvitteringer(self) -> Iterator[Path]:
        """Kvitteringsfilene som venter."""

    def behandlet(self, fil: Path, godtatt: bool) -> None:
        """Flytt en kvittering ut av køen (behandlet/ eller avvist/)."""


def fsync_mappe(mappe: Path) -> None:
    """Mappens innhold (et nytt navn) på disk."""
    fd = os.open(mappe, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Mappetransport:
    navn = "mappe"

    def __init__(self, tj: Tjenester, rot: Path) -> None:
        self.tj, self.rot = tj, rot
        (rot / KVITTERINGER).mkdir(parents=True, exist_ok=True)

    def rydd(self) -> None:
        """Fjern halvskrevne meldinger fra en kjøring som ble stoppet (kalles under låsen)."""
        for mappe in self.rot.glob(f"{SKRIVES}*"):
            shutil.rmtree(mappe, ignore_errors=True)

    def levert(self, meldings_id: str) -> bool:
        return (self.rot / meldings_id).is_dir() or (self.rot / HENTET / meldings_id).is_dir()

    def send(self, melding: Utgaende) -> None:
        if self.levert(melding.meldings_id):
            return
        arbeid = self.rot / f"{SKRIVES}{melding.meldings_id}"
        shutil.rmtree(arbeid, ignore_errors=True)
        arbeid.mkdir()
        try:
            self._skriv(arbeid / "arkivmelding.xml", melding.xml.encode("utf-8"))
            feilpunkt("utboks_skriver")
            for fil in melding.filer:
                self._skriv(arbeid / fil["referanseDokumentfil"], self._innhold(fil))
            beskrivelse = {
                "meldingsId": melding.meldings_id,
                "meldingstype": melding.meldingstype,
                "payload": "arkivmelding.xml",
                "filer": [f["referanseDokumentfil"] for f in melding.filer],
            }
            self._skriv(
                arbeid / "melding.json",
                json.dumps(beskrivelse, ensure_ascii=False, indent=2).encode("utf-8"),
            )
            fsync_mappe(arbeid)
            arbeid.rename(self.rot / melding.meldings_id)
            fsync_mappe(self.rot)
            feilpunkt("utboks_levert")
        except OSError as e:
            shutil.rmtree(arbeid, ignore_errors=True)
            raise TransportFeil(f"Kunne ikke skrive til utboksen {self.rot}: {e}") from e

    def _innhold(self, fil: dict) -> bytes:
        try:
            data = self.tj.lager.les(fil["lager_sha256"])
        except (LagerFeil, FileNotFoundError) as e:
            raise TransportFeil(f"Filen {fil['referanseDokumentfil']} kan ikke leses: {e}") from e
        if fil.get("kryptert"):
            data = self.tj.chiffer.dekrypter(data)
        if hashlib.sha256(data).hexdigest() != fil["sjekksum"]:
            raise TransportFeil(f"Filen {fil['referanseDokumentfil']} har feil sjekksum.")
        return data

    @staticmethod
    def _skriv(sti: Path, data: bytes) -> None:
        with sti.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    def kvitteringer(self) -> Iterator[Path]:
        yield from sorted((self.rot / KVITTERINGER).glob("*.xml"))

    def behandlet(self, fil: Path, godtatt: bool) -> None:
        maal = self.rot / KVITTERINGER / ("behandlet" if godtatt else "avvist")
        maal.mkdir(exist_ok=True)
        fil.rename(maal / fil.name)


class FiksIoTransport:
    """Fiks IO: meldingene går kryptert til sak/arkiv-systemets konto hos KS. Det krever en
    Fiks IO-konto og en integrasjon med passord og privat nøkkel fra KS' forvaltningsportal;
    denne installasjonen sender ikke, men sier hva som ville blitt sendt."""

    navn = "fiks-io"

    def __init__(self, oppsett: FiksIoOppsett) -> None:
        self.oppsett = oppsett

    def levert(self, meldings_id: str) -> bool:
        return False

    def send(self, melding: Utgaende) -> None:
        o = self.oppsett
        raise TransportFeil(
            "Fiks IO sender ikke fra denne installasjonen: det krever en Fiks IO-konto og "
            "integrasjon fra KS (DOKUMENTER_FIKS_IO_KONTO_ID, _INTEGRASJON_ID, "
            "_INTEGRASJON_PASSORD, _PRIVATNOKKEL) og KS' klient for Fiks IO, som ikke er en del "
            f"av systemet. Meldingen ville gått fra konto {o.konto_id} til {o.mottaker_konto_id} "
            f"som {melding.meldingstype} (meldings-id {melding.meldings_id}): arkivmelding.xml "
            f"og {len(melding.filer)} filer i en kryptert ASiC-E-pakke; kvitteringen "
            f"({melding.meldingstype}.kvittering) ville kommet tilbake på kontoen."
        )

    def kvitteringer(self) -> Iterator[Path]:
        return iter(())

    def behandlet(self, fil: Path, godtatt: bool) -> None:
        pass


def lag_transport(tj: Tjenester) -> Transport:
    oppsett = tj.innstillinger.arkivoppsett
    if oppsett.transport == "fiks-io" and oppsett.fiks_io is not None:
        return FiksIoTransport(oppsett.fiks_io)
    return Mappetransport(tj, tj.innstillinger.utboks)
