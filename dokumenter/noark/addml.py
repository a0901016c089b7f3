"""arkivuttrekk.xml (ADDML 8.3): hva uttrekket er, hvem som skapte arkivet, perioden, og hver
fil med sjekksum (SHA-256), med antallet mapper, registreringer, dokumentbeskrivelser og
dokumentobjekter i arkivstruktur.xml og journalregistreringer i journalene.

Oppbygningen følger Arkivverkets mal for Noark 5-uttrekk (dataObject «Noark 5-arkivuttrekk»
med ett dataObject per XML-fil, skjemaene under `schema` og antall under `info`). I tillegg
har dataObject «dokumenter» hver dokumentfil med sjekksum, så alle filene i uttrekket står her.
Dette er den eneste filen med uttrekkets eget tidspunkt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from dokumenter.noark import kodeverk as kv
from dokumenter.noark.xml import NS, Tekstfil, felt, tekst, tid

ADDML = NS["addml"]


@dataclass
class Xmlfil:
    navn: str  # «arkivstruktur»
    sha256: str
    skjemaer: list[tuple[str, str]]  # (filnavn, sha256); det første er hovedskjemaet
    antall: dict[str, tuple[str, int]] = field(default_factory=dict)  # navn -> (sti, antall)


def _egenskap(navn: str, verdi: object = None, *indre: str, datatype: str = "") -> str:
    attr = f' dataType="{datatype}"' if datatype else ""
    verdi_ = f"<value>{tekst(verdi)}</value>" if verdi is not None else ""
    barn = f"<properties>{''.join(indre)}</properties>" if indre else ""
    return f'<property name="{navn}"{attr}>{verdi_}{barn}</property>'


def _sjekksum(sha256: str) -> str:
    return _egenskap(
        "checksum",
        None,
        _egenskap("algorithm", kv.SJEKKSUMALGORITME),
        _egenskap("value", sha256),
    )


def _fil(navn: str, sha256: str, format_: str = "XML") -> str:
    return _egenskap(
        "file",
        None,
        _egenskap("name", navn),
        _egenskap("format", format_),
        _sjekksum(sha256),
    )


def skriv(
    f: Tekstfil,
    arkivnavn: str,
    arkivskaper: str,
    periode: tuple[str, str],
    laget: datetime,
    xmlfiler: list[Xmlfil],
    dokumentfiler: Iterable[tuple[str, str, str]],  # (sti, sha256, PRONOM)
    antall_dokumentfiler: int,
    merknader: dict[str, bool],
) -> None:
    f.skriv(
        f'<addml xmlns="{ADDML}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ADDML} addml.xsd" name="Noark 5-arkivuttrekk">\n<dataset>',
        felt("description", f"Noark 5-arkivuttrekk fra {kv.SYSTEM}, laget {tid(laget)}"),
        "<reference><context><additionalElements>",
        '<additionalElement name="recordCreators"><additionalElements>',
        f'<additionalElement name="recordCreator"><value>{tekst(arkivskaper)}</value>'
        "</additionalElement></additionalElements></additionalElement>",
        f'<additionalElement name="systemType"><value>Fagsystem (Noark 5)</value>'
        f'</additionalElement><additionalElement name="systemName"><value>{kv.SYSTEM}</value>'
        f'</additionalElement><additionalElement name="archive"><value>{tekst(arkivnavn)}'
        "</value></additionalElement>",
        "</additionalElements></context><content><additionalElements>",
        '<additionalElement name="archivalPeriod"><properties>',
        _egenskap("startDate", periode[0]),
        _egenskap("endDate", periode[1]),
        "</properties></additionalElement></additionalElements></content></reference>\n",
        '<dataObjects><dataObject name="Noark 5-arkivuttrekk"><properties>',
        _egenskap(
            "info",
            None,
            _egenskap("type", "Noark 5", _egenskap("version", "5.0")),
            _egenskap(
                "additionalInfo",
                None,
                *(
                    _egenskap(navn, "true" if verdi else "false", datatype="boolean")
                    for navn, verdi in merknader.items()
                ),
                _egenskap("antallDokumentfiler", antall_dokumentfiler, datatype="integer"),
            ),
        ),
        "</properties><dataObjects>\n",
    )
    for x in xmlfiler:
        f.skriv(_xmlfil(x), "\n")
    f.skriv(
        '<dataObject name="dokumenter"><properties>',
        _egenskap(
            "info",
            None,
            _egenskap(
                "numberOfOccurrences",
                "dokumentfil",
                _egenskap("elementPath", "dokumenter/*"),
                _egenskap("value", antall_dokumentfiler, datatype="integer"),
            ),
        ),
        "</properties><dataObjects>\n",
    )
    for sti, sha256, pronom in dokumentfiler:
        f.skriv(
            f'<dataObject name="{tekst(sti)}"><properties>',
            _fil(sti, sha256, pronom),
            "</properties></dataObject>\n",
        )
    f.skriv("</dataObjects></dataObject>\n</dataObjects></dataObject></dataObjects>")
    f.skriv("</dataset>\n</addml>\n")


def _xmlfil(x: Xmlfil) -> str:
    skjemaer = [
        _egenskap(
            "schema",
            "main" if i == 0 else None,
            _fil(navn, sha),
            _egenskap("type", "XML Schema", _egenskap("version", "1.0")),
        )
        for i, (navn, sha) in enumerate(x.skjemaer)
    ]
    antall = [
        _egenskap(
            "numberOfOccurrences",
            navn,
            _egenskap("elementPath", sti),
            _egenskap("value", n, datatype="integer"),
        )
        for navn, (sti, n) in x.antall.items()
    ]
    return (
        f'<dataObject name="{x.navn}"><properties>'
        + _fil(f"{x.navn}.xml", x.sha256)
        + "".join(skjemaer)
        + (_egenskap("info", None, *antall) if antall else "")
        + "</properties></dataObject>"
    )
