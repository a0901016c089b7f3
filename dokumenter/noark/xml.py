"""Felles for XML-en arkivet skriver og leser: navnerommene, skjemaene (lastet én gang per
tråd), tidspunkter og datoer på XML-form og små byggehjelpere for lxml."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path

from lxml import etree

from dokumenter.felles.tid import som_utc

SKJEMAMAPPE = Path(__file__).resolve().parent / "skjema"
NOARK5 = SKJEMAMAPPE / "noark5"
FIKS = SKJEMAMAPPE / "fiks-arkiv"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
N5 = "http://www.arkivverket.no/standarder/noark5"
NS = {
    "arkivstruktur": f"{N5}/arkivstruktur",
    "endringslogg": f"{N5}/endringslogg",
    "loependeJournal": f"{N5}/loependeJournal",
    "offentligJournal": f"{N5}/offentligJournal",
    "addml": "http://www.arkivverket.no/standarder/addml",
}
FIKS_AM = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
FIKS_KV = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1"
FIKS_MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
FIKS_OPPRETT = FIKS / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
FIKS_KVITTERING = FIKS / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering.xsd"

_lokalt = threading.local()


def skjema(fil: Path) -> etree.XMLSchema:
    """Skjemaet i `fil`, lest én gang per tråd (et XMLSchema-objekt deles ikke mellom tråder)."""
    bufret = _lokalt.__dict__.setdefault("skjemaer", {})
    if fil not in bufret:
        bufret[fil] = etree.XMLSchema(etree.parse(str(fil)))
    return bufret[fil]


def tid(t: datetime) -> str:
    """xs:dateTime i UTC, på hele sekunder: 2026-11-05T09:15:00Z."""
    t = som_utc(t).astimezone(UTC)  # PostgreSQL gir tidspunktet i øktens tidssone
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"


def dato(d: date) -> str:
    return d.isoformat()


def under(forelder: etree._Element, navn: str, tekst: object = None) -> etree._Element:
    """Et underelement i forelderens navnerom, med tekst når den er gitt."""
    ns = etree.QName(forelder).namespace
    el = etree.SubElement(forelder, f"{{{ns}}}{navn}" if ns else navn)
    if tekst is not None:
        el.text = str(tekst)
    return el


def med_type(el: etree._Element, typenavn: str) -> etree._Element:
    """xsi:type, for saksmappe og journalpost der skjemaet har mappe og registrering."""
    el.set(f"{{{XSI}}}type", typenavn)
    return el


# --- Tekst-XML for uttrekket -----------------------------------------------------------------
# Uttrekket skrives som tekst rett til fil, element for element (flat hukommelse uansett
# størrelse, og flere ganger raskere enn å bygge lxml-trær per journalpost). Alt som kommer
# fra databasen går gjennom `tekst`, og hver fil valideres mot skjemaet etterpå.

_ULOVLIG = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPESIELL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def tekst(verdi: object) -> str:
    """Teksten escapet for XML (og uten tegn XML 1.0 ikke tillater)."""
    s = str(verdi)
    if not _SPESIELL.search(s):
        return s
    s = _ULOVLIG.sub("", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def felt(navn: str, verdi: object) -> str:
    return f"<{navn}>{tekst(verdi)}</{navn}>"


def felter(*par: tuple[str, object]) -> str:
    """Flere felt etter hverandre; felt med None hoppes over."""
    return "".join(f"<{n}>{tekst(v)}</{n}>" for n, v in par if v is not None)


class Tekstfil:
    """En XML-fil som skrives fortløpende, med SHA-256 og antall byte regnet underveis."""

    def __init__(self, sti: Path) -> None:
        self.sti = sti
        self._fil = sti.open("wb", buffering=1 << 20)
        self._sha = hashlib.sha256()
        self.storrelse = 0
        self._buffer: list[str] = []
        self._lengde = 0

    def skriv(self, *deler: str) -> None:
        for d in deler:
            self._buffer.append(d)
            self._lengde += len(d)
        if self._lengde > 1 << 18:
            self._tom()

    def _tom(self) -> None:
        data = "".join(self._buffer).encode("utf-8")
        self._buffer, self._lengde = [], 0
        self._sha.update(data)
        self.storrelse += len(data)
        self._fil.write(data)

    def lukk(self) -> str:
        """Skriv resten, fsync og lukk; gir SHA-256."""
        self._tom()
        self._fil.flush()
        os.fsync(self._fil.fileno())
        self._fil.close()
        return self._sha.hexdigest()

    def __enter__(self) -> Tekstfil:
        self.skriv('<?xml version="1.0" encoding="UTF-8"?>\n')
        return self

    def __exit__(self, *feil: object) -> None:
        if not self._fil.closed:
            self._fil.close()
