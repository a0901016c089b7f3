"""Signatursiden og revisjonssporet (DOCX) som legges etter den signerte PDF/A-en, og
signaturene som metadata i den forseglede filen."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDokument
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from dokumenter.felles.formatering import tidspunkt as norsk_tidspunkt
from dokumenter.infrastruktur.forsegling.felles import META_SHA256, META_SIGNATURER

_MONO = "Liberation Mono"


@dataclass(frozen=True)
class Signatur:
    """Én person som har signert."""

    navn: str
    rolle: str
    institusjon: str
    tidspunkt: dt.datetime
    ip: str


@dataclass(frozen=True)
class Sporhendelse:
    """Én linje i revisjonssporet."""

    tidspunkt: dt.datetime
    hvem: str
    hva: str
    ip: str


# -- signaturside og revisjonsspor -------------------------------------------------------------


def _ren(tekst: object) -> str:
    """Tekst uten kontrolltegn (og uten tegn XML ikke tåler); linjeskift blir mellomrom."""
    ut = []
    for tegn in str(tekst):
        if tegn in "\t\n\r\v\f\x85\u2028\u2029":
            ut.append(" ")
        elif unicodedata.category(tegn) in ("Cc", "Cs") or tegn in "\ufffe\uffff":
            continue
        else:
            ut.append(tegn)
    return " ".join("".join(ut).split())


def _tabell(doc: DocxDokument, overskrifter: list[str], rader: list[list[str]]) -> None:
    tabell = doc.add_table(rows=1, cols=len(overskrifter))
    tabell.style = "Table Grid"
    for celle, tekst in zip(tabell.rows[0].cells, overskrifter, strict=True):
        celle.text = ""
        celle.paragraphs[0].add_run(tekst).bold = True
    for rad in rader:
        celler = tabell.add_row().cells
        for celle, tekst in zip(celler, rad, strict=True):
            celle.text = _ren(tekst)


def _sjekksum(doc: DocxDokument, dokument_sha256: str) -> None:
    avsnitt = doc.add_paragraph("SHA-256 for det signerte dokumentet:")
    avsnitt.paragraph_format.space_after = Pt(2)
    kode = doc.add_paragraph().add_run(_ren(dokument_sha256))
    kode.font.name = _MONO
    kode.font.size = Pt(9)


def signaturside_docx(
    tittel: str,
    versjon: int,
    dokument_sha256: str,
    signaturer: list[Signatur],
    hendelser: list[Sporhendelse],
) -> bytes:
    """DOCX med signaturside (side 1) og revisjonsspor (side 2).

    Tidene vises i norsk tid; tider uten tidssone regnes som UTC.
    """
    doc = Document()
    doc.core_properties.title = _ren(f"Signaturside – {tittel}")
    doc.core_properties.language = "nb-NO"

    doc.add_heading("Signaturside", level=1)
    doc.add_paragraph().add_run(_ren(tittel)).bold = True
    doc.add_paragraph(f"Versjon {int(versjon)}")
    _sjekksum(doc, dokument_sha256)
    doc.add_paragraph(
        "Dokumentet er signert elektronisk av disse personene:"
        if signaturer
        else "Ingen har signert dokumentet."
    )
    _tabell(
        doc,
        ["Navn", "Rolle", "Institusjon", "Signert"],
        [[s.navn, s.rolle, s.institusjon, norsk_tidspunkt(s.tidspunkt)] for s in signaturer],
    )
    doc.add_paragraph(
        "Kopien er forseglet med kommunens elektroniske segl. Endres filen etterpå, blir "
        "forseglingen ugyldig."
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    doc.add_heading("Revisjonsspor", level=1)
    doc.add_paragraph().add_run(_ren(f"{tittel}, versjon {int(versjon)}")).bold = True
    _tabell(
        doc,
        ["Tidspunkt", "Hvem", "Hva", "IP-adresse"],
        [[norsk_tidspunkt(h.tidspunkt), h.hvem, h.hva, h.ip] for h in hendelser],
    )
    _sjekksum(doc, dokument_sha256)

    ut = io.BytesIO()
    doc.save(ut)
    return ut.getvalue()


def lag_metadata(signaturer: list[Signatur], dokument_sha256: str) -> dict[str, str]:
    """Dokumentinfo-feltene `verifiser` leser tilbake (signaturene som JSON og SHA-256)."""
    liste = [
        {
            "navn": _ren(s.navn),
            "rolle": _ren(s.rolle),
            "institusjon": _ren(s.institusjon),
            "tidspunkt": s.tidspunkt.isoformat(),
            "ip": _ren(s.ip),
        }
        for s in signaturer
    ]
    return {
        META_SIGNATURER: json.dumps(liste, ensure_ascii=False),
        META_SHA256: _ren(dokument_sha256),
    }
