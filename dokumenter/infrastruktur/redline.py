"""Sammenligningen av to avtaleversjoner som DOCX for Word og LibreOffice: sammendraget, de
endrede feltene og hele avtaleteksten med endringene som ekte sporede endringer (w:ins og w:del
med forfatter og tidspunkt), så en jurist kan godta eller avvise hver endring for seg.

Rene funksjoner uten database; sammenligningen selv er `sammenligning.py`."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from dokumenter.infrastruktur.sammenligning import Feltendring, Sammenligning

# Tegn som ikke er lov i XML 1.0 (samme utvalg som dokumenter.validering).
_ULOVLIGE_TEGN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


_STATUS_TEKST = {"uendret": "Uendret", "endret": "Endret", "ny": "Ny", "fjernet": "Fjernet"}


def sammenligning_docx(
    s: Sammenligning,
    tittel: str,
    undertittel: str,
    feltendringer: list[Feltendring],
    forfatter: str = "Dokumenter",
    tidspunkt: datetime | None = None,
) -> bytes:
    """En DOCX for Word og LibreOffice: sammendrag, endrede felt og hele teksten med endringene
    som sporede endringer (w:ins og w:del med forfatter og tidspunkt), så hver endring kan
    godtas eller avvises. Godtas alle, står den nye versjonen igjen; avvises alle, den gamle."""
    doc = Document()
    _norsk_sprak(doc)
    doc.core_properties.title = _xml(tittel)
    doc.core_properties.language = "nb-NO"
    stiler = {st.name for st in doc.styles if st.type == WD_STYLE_TYPE.PARAGRAPH}
    spor = Sporing(_xml(forfatter) or "Dokumenter", tidspunkt or datetime.now(UTC))

    doc.add_paragraph(_xml(tittel), style="Title")
    if undertittel:
        doc.add_paragraph(_xml(undertittel), style="Subtitle")
    doc.add_paragraph(
        "Endringene i avtaleteksten er sporede endringer (Spor endringer i Word, Registrer "
        f"endringer i LibreOffice), merket med {spor.forfatter}. Gå gjennom dem én og én og "
        "godta eller avvis hver av dem. Godtas alle, står den nye versjonen igjen; avvises "
        "alle, den gamle. Først kommer et sammendrag per paragraf og feltverdiene som er "
        "endret, deretter hele avtaleteksten."
    )

    doc.add_heading("Sammendrag", level=1)
    antall = s.antall
    doc.add_paragraph(
        f"Deler av avtalen: {antall['endret']} endret, {antall['ny']} ny, "
        f"{antall['fjernet']} fjernet og {antall['uendret']} uendret. "
        f"{s.ord_inn} ord er lagt til og {s.ord_ut} ord fjernet."
    )
    rader = []
    for sek in s.seksjoner:
        merknad = []
        if sek.tidligere:
            merknad.append(f"Tidligere {sek.tidligere}")
        if sek.status == "endret":
            merknad.append(f"{sek.ord_inn} ord lagt til, {sek.ord_ut} ord fjernet")
        rader.append(
            (sek.overskrift, _STATUS_TEKST.get(sek.status, sek.status), "; ".join(merknad))
        )
    _tabell(doc, ("Del av avtalen", "Status", "Merknad"), rader, (7.5, 2.5, 6.5), fet_kolonne=1)

    doc.add_heading("Endrede feltverdier", level=1)
    if feltendringer:
        _tabell(
            doc,
            ("Felt", "Før", "Etter"),
            [(f.etikett, _vis(f.fra), _vis(f.til)) for f in feltendringer],
            (5.5, 5.5, 5.5),
        )
    else:
        doc.add_paragraph("Ingen feltverdier er endret.")

    doc.add_page_break()
    doc.add_heading("Avtaleteksten med endringer", level=1)
    for sek in s.seksjoner:
        for a in sek.avsnitt:
            p = doc.add_paragraph(style=a.stil if a.stil in stiler else "Normal")
            for op, tekst in a.tokens:
                spor.tekst(p._p, _xml(tekst), op)
            if a.endring in ("inn", "ut"):  # hele avsnittet er nytt eller fjernet
                spor.avsnittsmerke(p._p, a.endring)

    ut = io.BytesIO()
    doc.save(ut)
    return ut.getvalue()


class Sporing:
    """Skriver sporede endringer (OOXML 17.13.5): innsatt tekst i w:ins, slettet tekst i w:del
    med w:delText, og et innsatt eller slettet avsnittsmerke i avsnittets w:rPr, så et helt nytt
    avsnitt forsvinner når det avvises, og et fjernet avsnitt når det godtas. Hver endring har
    et eget w:id, forfatter og tidspunkt (UTC)."""

    def __init__(self, forfatter: str, tidspunkt: datetime) -> None:
        self.forfatter = forfatter
        self.dato = tidspunkt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._id = 0

    def _endring(self, tag: str) -> Any:
        self._id += 1
        el = OxmlElement(tag)
        el.set(qn("w:id"), str(self._id))
        el.set(qn("w:author"), self.forfatter)
        el.set(qn("w:date"), self.dato)
        return el

    def tekst(self, p: Any, tekst: str, op: str) -> None:
        """Teksten som en run i avsnittet: uendret, innsatt («inn») eller slettet («ut»).
        Tabulator og linjeskift blir w:tab og w:br, som Word og LibreOffice venter."""
        if not tekst:
            return
        run = OxmlElement("w:r")
        for del_ in re.split(r"(\t|\n)", tekst):
            if del_ == "\t":
                run.append(OxmlElement("w:tab"))
            elif del_ == "\n":
                run.append(OxmlElement("w:br"))
            elif del_:
                t = OxmlElement("w:delText" if op == "ut" else "w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = del_
                run.append(t)
        if op == "lik":
            p.append(run)
            return
        endring = self._endring("w:ins" if op == "inn" else "w:del")
        endring.append(run)
        p.append(endring)

    def avsnittsmerke(self, p: Any, op: str) -> None:
        ppr = p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(self._endring("w:ins" if op == "inn" else "w:del"))


def _tabell(
    doc: Any,
    kolonner: Sequence[str],
    rader: list[Sequence[str]],
    bredder_cm: Sequence[float],
    fet_kolonne: int | None = None,
) -> None:
    tabell = doc.add_table(rows=1, cols=len(kolonner))
    tabell.style = "Table Grid"
    tabell.autofit = False
    for celle, tekst in zip(tabell.rows[0].cells, kolonner, strict=True):
        celle.paragraphs[0].add_run(tekst).bold = True
    for rad in rader:
        celler = tabell.add_row().cells
        for k, (celle, tekst) in enumerate(zip(celler, rad, strict=True)):
            run = celle.paragraphs[0].add_run(_xml(tekst))
            if k == fet_kolonne and tekst != "Uendret":
                run.bold = True
    for kolonne, bredde in zip(tabell.columns, bredder_cm, strict=True):
        kolonne.width = Cm(bredde)
        for celle in kolonne.cells:
            celle.width = Cm(bredde)


def _norsk_sprak(doc: Any) -> None:
    """Sett nb-NO som språk i dokumentstandardene, så stavekontrollen i Word blir norsk."""
    rpr = doc.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")
    )
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "nb-NO")
    lang.set(qn("w:eastAsia"), "nb-NO")


def _vis(verdi: Any) -> str:
    if verdi is None or verdi == "":
        return "(tom)"
    if isinstance(verdi, bool):
        return "Ja" if verdi else "Nei"
    return str(verdi)


def _xml(tekst: Any) -> str:
    return _ULOVLIGE_TEGN.sub("", "" if tekst is None else str(tekst))
