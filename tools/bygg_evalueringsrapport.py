"""Bygg docxtpl-malen for den årlige evalueringsrapporten til samarbeidsavtalen.

Kjør fra roten av depotet:

    python tools/bygg_evalueringsrapport.py

Skriptet bygger ``maler/evalueringsrapport.docx`` på nytt. Både skriptet og DOCX-filen legges
inn i depotet: DOCX-filen er det systemet fyller ut med docxtpl, og dette skriptet er den
lesbare kilden til ordlyden. Endre teksten her, bygg på nytt og legg inn begge filene
sammen. Feltene som brukes nedenfor, er deklarert i ``maler/evalueringsrapport.toml``; alle
navn i malen må være deklarert der, også kolonnene i listefeltene (``dokumenter maler
sjekk``). Resultatet er likt byte for byte (faste tidsstempler i ZIP-filen og faste
dokumentegenskaper), så uendret tekst gir uendret DOCX.

Oppbygging (se ``SEKSJONER``):

* Et topphode med kommune, avtalepart, avtaleversjon, evalueringsdato og perioden.
* Nummererte seksjoner (stilen Heading 1). Innholdet i en seksjon er en liste med
  ``Rader`` (tabell med ledetekst til venstre og verdi til høyre), ``Boks`` (én innrammet
  celle for fritekst), ``Listetabell`` (én tabellrad per element i et listefelt),
  ``Diagram`` (et bildefelt med bildetekst), ``Underoverskrift`` (Heading 2),
  ``UNDERSKRIFTER`` (signaturlinjer for begge parter) eller en vanlig streng (avsnitt).
* ``hvis(...)`` blir docxtpl-betingelser for avsnitt (``{%p if ... %}`` osv.), hver i sitt
  eget avsnitt, som docxtpl fjerner ved utfylling.
* En ``Listetabell`` har en overskriftsrad (gjentas på hver side) og tre rader for løkken:
  ``{%tr for … %}``, raden med kolonnene og ``{%tr endfor %}``; docxtpl fjerner de to
  tag-radene og gjentar den midterste for hver rad i listen.
* Fritekstfelt (langtekst) kommer fra ``kontekst()`` som docxtpl ``Listing`` og står alene
  i avsnittet sitt, slik at linjeskift blir linjeskift i dokumentet.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "evalueringsrapport.docx"
TITTEL = "Evalueringsrapport – samarbeidsavtale"
SPRAAK = "nb-NO"
MARG_CM = 2.3
TEKSTBREDDE_CM = 21 - 2 * MARG_CM  # A4
LEDETEKST_CM = 4.6
FAST_TIDSPUNKT = datetime(2026, 1, 1, tzinfo=UTC)
GRAA = "E7E6E6"


# --- Byggeklosser ---------------------------------------------------------------------


@dataclass
class Rader:
    """Tabell med to kolonner: ledetekst og verdi."""

    rader: list[tuple[str, str]]


@dataclass
class Boks:
    """Én innrammet celle med fritekst (et langtekstfelt)."""

    tekst: str


@dataclass
class Merknad:
    """Liten kursiv tekst, for eksempel en forklaring under en tabell."""

    tekst: str


@dataclass
class Underoverskrift:
    tekst: str


@dataclass
class Listetabell:
    """Tabell med én rad per element i listefeltet `felt`; `rad` er løkkevariabelen og
    `kolonner` er (overskrift, kolonnenavn i manifestet, bredde i cm)."""

    felt: str
    rad: str
    kolonner: list[tuple[str, str, float]]


@dataclass
class Diagram:
    """Et bildefelt (diagram) midtstilt, med bildeteksten fra et tekstfelt under."""

    felt: str
    bildetekst: str


@dataclass
class Seksjon:
    tittel: str
    innhold: list


UNDERSKRIFTER = object()


def hvis(betingelse, innhold, ellers=()):
    """Innhold som bare vises når Jinja-betingelsen holder."""
    ellers_del = ["{%p else %}", *ellers] if ellers else []
    return ["{%p if " + betingelse + " %}", *innhold, *ellers_del, "{%p endif %}"]


# --- Teksten --------------------------------------------------------------------------

UNDERTITTEL = "Årlig evaluering av samarbeidet mellom {{ kommune_navn }} og {{ part_navn }}"

TOPPHODE = Rader(
    [
        ("Kommune", "{{ kommune_navn }}"),
        ("Avtalepart", "{{ part_navn }}"),
        ("Avtaleversjon", "Versjon {{ avtale_versjon }}"),
        ("Evalueringsdato", "{{ evalueringsdato }}"),
        ("Perioden som evalueres", "{{ periode_fra }} – {{ periode_til }}"),
    ]
)

ANTALL_AVVIK = (
    "{% if avvik %}Det ble meldt {{ antall_avvik }} avvik etter avtalen i perioden. Tabellen "
    "viser hvert avvik og status ved evalueringen."
    "{% else %}Det ble ikke meldt avvik etter avtalen i perioden.{% endif %}"
)

AVVIKSTABELL = Listetabell(
    "avvik",
    "a",
    [
        ("Nr.", "nummer", 2.2),
        ("Dato", "dato", 2.9),
        ("Paragraf", "paragraf", 4.9),
        ("Kategori", "kategori", 3.6),
        ("Status", "status", 2.8),
    ],
)
PER_PARAGRAF = Listetabell(
    "per_paragraf",
    "p",
    [("Paragraf i avtalen", "navn", TEKSTBREDDE_CM - 3.0), ("Antall", "antall", 3.0)],
)
PER_KATEGORI = Listetabell(
    "per_kategori",
    "k",
    [("Kategori", "navn", TEKSTBREDDE_CM - 3.0), ("Antall", "antall", 3.0)],
)

SEKSJONER = [
    Seksjon(
        "Deltakere",
        [
            Rader(
                [
                    ("Fra {{ kommune_navn }}", "{{ deltakere_kommune }}"),
                    ("Fra {{ part_navn }}", "{{ deltakere_part }}"),
                ]
            )
        ],
    ),
    Seksjon("Hva har fungert", [Boks("{{ fungert }}")]),
    Seksjon("Hva har ikke fungert", [Boks("{{ ikke_fungert }}")]),
    Seksjon(
        "Avvik i perioden",
        [
            ANTALL_AVVIK,
            *hvis(
                "avvik",
                [
                    AVVIKSTABELL,
                    Underoverskrift("Antall avvik per paragraf"),
                    PER_PARAGRAF,
                    Underoverskrift("Antall avvik per kategori"),
                    PER_KATEGORI,
                    *hvis(
                        "diagram_kvartal",
                        [Diagram("diagram_kvartal", "diagram_kvartal_tekst")],
                    ),
                    *hvis(
                        "diagram_paragraf",
                        [Diagram("diagram_paragraf", "diagram_paragraf_tekst")],
                    ),
                ],
            ),
        ],
    ),
    Seksjon(
        "Beslutning",
        [
            Boks("{{ beslutning_tekst }}"),
            Merknad(
                "Beslutningen gjelder om avtalen videreføres uendret, revideres eller sies opp, "
                "og når neste evaluering skal holdes."
            ),
        ],
    ),
    Seksjon(
        "Underskrifter",
        [UNDERSKRIFTER],
    ),
]

SIGNATUR_INNLEDNING = "Partene er enige om at rapporten gir en riktig beskrivelse av evalueringen."
SIGNATUR_LINJER = ["Sted og dato", "Underskrift", "Navn og stilling (blokkbokstaver)"]
BUNNTEKST = "Evaluering av samarbeidsavtalen etter avtalens bestemmelser om avvik og evaluering."
BUNNTEKST_ID = (
    "Evalueringsrapport {{ evalueringsdato }} – {{ kommune_navn }} og {{ part_navn }} – "
    "generert {{ dato_generert }}"
)


# --- Stiler og oppsett ----------------------------------------------------------------


def sett_spraak_og_skrift(doc):
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), "Calibri")
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), SPRAAK)
    lang.set(qn("w:eastAsia"), SPRAAK)
    doc.settings.element.find(qn("w:themeFontLang")).set(qn("w:val"), SPRAAK)


def nullstill_stil(stil):
    """Fjern standardmalens temaskrift, farger, kantlinjer og nummerering."""
    for forelder in (stil.element.rPr, stil.element.pPr):
        if forelder is None:
            continue
        for tag in ("w:rFonts", "w:color", "w:pBdr", "w:numPr", "w:spacing"):
            for barn in forelder.findall(qn(tag)):
                forelder.remove(barn)


def sett_stil(doc, navn, storrelse, fet=False, foer=0, etter=6):
    stil = doc.styles[navn]
    nullstill_stil(stil)
    stil.font.size = Pt(storrelse)
    stil.font.bold = fet
    stil.font.italic = False
    stil.font.color.rgb = RGBColor(0, 0, 0)
    stil.paragraph_format.space_before = Pt(foer)
    stil.paragraph_format.space_after = Pt(etter)
    return stil


def sett_opp_stiler(doc):
    sett_spraak_og_skrift(doc)
    normal = sett_stil(doc, "Normal", 10, etter=4)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True
    sett_stil(doc, "Title", 20, fet=True, etter=2)
    sett_stil(doc, "Subtitle", 11.5, etter=10)
    stil = sett_stil(doc, "Heading 1", 11.5, fet=True, foer=10, etter=3)
    stil.paragraph_format.keep_with_next = True
    stil = sett_stil(doc, "Heading 2", 10.5, fet=True, foer=8, etter=3)
    stil.paragraph_format.keep_with_next = True


def sett_opp_side(doc):
    seksjon = doc.sections[0]
    seksjon.page_width, seksjon.page_height = Cm(21), Cm(29.7)
    seksjon.left_margin = seksjon.right_margin = Cm(MARG_CM)
    seksjon.top_margin, seksjon.bottom_margin = Cm(2), Cm(2)


def sett_egenskaper(doc):
    egenskaper = doc.core_properties
    egenskaper.title = TITTEL
    egenskaper.language = SPRAAK
    egenskaper.author = ""
    egenskaper.last_modified_by = ""
    egenskaper.comments = ""
    egenskaper.revision = 1
    egenskaper.created = egenskaper.modified = FAST_TIDSPUNKT


# --- Tabeller, bokser, diagrammer og bunntekst ----------------------------------------


def legg_til_egenskap(forelder, tag, **attributter):
    element = OxmlElement(tag)
    for navn, verdi in attributter.items():
        element.set(qn("w:" + navn), verdi)
    forelder.append(element)
    return element


def sett_celle(celle, tekst, fet=False, storrelse=10):
    avsnitt = celle.paragraphs[0]
    avsnitt.paragraph_format.space_before = Pt(1)
    avsnitt.paragraph_format.space_after = Pt(1)
    run = avsnitt.add_run(tekst)
    run.bold = fet
    run.font.size = Pt(storrelse)
    return avsnitt


def sett_bredder(tabell, bredder):
    """Kolonnebredder, både i rutenettet (LibreOffice leser det) og per celle (Word)."""
    tabell.autofit = False
    for kolonne, bredde in zip(tabell.columns, bredder, strict=True):
        kolonne.width = Cm(bredde)
    for rad in tabell.rows:
        for celle, bredde in zip(rad.cells, bredder, strict=True):
            celle.width = Cm(bredde)


def skyggelegg(celle):
    legg_til_egenskap(celle._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=GRAA)


def ny_tabell(doc, rader, kolonner):
    tabell = doc.add_table(rows=rader, cols=kolonner)
    tabell.style = doc.styles["Table Grid"]
    tabell.alignment = WD_TABLE_ALIGNMENT.CENTER
    return tabell


def radtabell(doc, rader):
    tabell = ny_tabell(doc, len(rader), 2)
    for rad, (ledetekst, verdi) in zip(tabell.rows, rader, strict=True):
        sett_celle(rad.cells[0], ledetekst, fet=True, storrelse=9.5)
        skyggelegg(rad.cells[0])
        sett_celle(rad.cells[1], verdi)
    sett_bredder(tabell, [LEDETEKST_CM, TEKSTBREDDE_CM - LEDETEKST_CM])


def boks(doc, tekst):
    tabell = ny_tabell(doc, 1, 1)
    rad = tabell.rows[0]
    rad.height = Cm(1.4)  # minstehøyde, så en tom boks ser ut som et felt
    sett_celle(rad.cells[0], tekst)
    sett_bredder(tabell, [TEKSTBREDDE_CM])


def listetabell(doc, liste):
    """Overskriftsrad, så løkken: {%tr for %}, raden med kolonnene og {%tr endfor %}."""
    tabell = ny_tabell(doc, 4, len(liste.kolonner))
    overskrift, start, data, slutt = tabell.rows
    for celle, (tekst, _, _) in zip(overskrift.cells, liste.kolonner, strict=True):
        sett_celle(celle, tekst, fet=True, storrelse=9.5)
        skyggelegg(celle)
    legg_til_egenskap(overskrift._tr.get_or_add_trPr(), "w:tblHeader")  # gjentas per side
    sett_celle(start.cells[0], f"{{%tr for {liste.rad} in {liste.felt} %}}")
    for celle, (_, kolonne, _) in zip(data.cells, liste.kolonner, strict=True):
        sett_celle(celle, f"{{{{ {liste.rad}.{kolonne} }}}}", storrelse=9.5)
    legg_til_egenskap(data._tr.get_or_add_trPr(), "w:cantSplit")
    sett_celle(slutt.cells[0], "{%tr endfor %}")
    sett_bredder(tabell, [bredde for _, _, bredde in liste.kolonner])


def diagram(doc, element):
    """Bildet og bildeteksten i én celle uten kantlinjer, i en rad som ikke kan deles over to
    sider (LibreOffice holder ikke et bilde sammen med neste avsnitt)."""
    tabell = doc.add_table(rows=1, cols=1)
    tabell.alignment = WD_TABLE_ALIGNMENT.CENTER
    rad = tabell.rows[0]
    legg_til_egenskap(rad._tr.get_or_add_trPr(), "w:cantSplit")
    celle = rad.cells[0]
    bilde = celle.paragraphs[0]
    bilde.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bilde.paragraph_format.space_before = Pt(8)
    bilde.paragraph_format.space_after = Pt(2)
    bilde.add_run(f"{{{{ {element.felt} }}}}")
    tekst = celle.add_paragraph()
    tekst.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = tekst.add_run(f"{{{{ {element.bildetekst} }}}}")
    run.italic = True
    run.font.size = Pt(8.5)
    sett_bredder(tabell, [TEKSTBREDDE_CM])
    # Et avsnitt etter tabellen, så to diagrammer etter hverandre ikke blir én tabell i Word.
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def merknad(doc, tekst):
    avsnitt = doc.add_paragraph()
    avsnitt.paragraph_format.space_before = Pt(3)
    run = avsnitt.add_run(tekst)
    run.italic = True
    run.font.size = Pt(8.5)


def bunnlinje(celle):
    kanter = legg_til_egenskap(celle._tc.get_or_add_tcPr(), "w:tcBorders")
    legg_til_egenskap(kanter, "w:bottom", val="single", sz="6", space="0", color="000000")


def signaturtabell(doc):
    """Innledningen og signaturlinjene holdes sammen med overskriften på samme side."""
    doc.add_paragraph(SIGNATUR_INNLEDNING).paragraph_format.keep_with_next = True
    tabell = doc.add_table(rows=1 + 2 * len(SIGNATUR_LINJER), cols=3)
    tabell.alignment = WD_TABLE_ALIGNMENT.CENTER
    venstre, hoeyre = 0, 2
    sett_celle(tabell.cell(0, venstre), "For {{ kommune_navn }}", fet=True, storrelse=10.5)
    sett_celle(tabell.cell(0, hoeyre), "For {{ part_navn }}", fet=True, storrelse=10.5)
    for i, tekst in enumerate(SIGNATUR_LINJER):
        linje, etikett = tabell.rows[1 + 2 * i], tabell.rows[2 + 2 * i]
        linje.height = Cm(0.9)
        for kolonne in (venstre, hoeyre):
            bunnlinje(linje.cells[kolonne])
            sett_celle(etikett.cells[kolonne], tekst, storrelse=8.5)
    for rad in tabell.rows:
        legg_til_egenskap(rad._tr.get_or_add_trPr(), "w:cantSplit")
        for celle in rad.cells:
            for avsnitt in celle.paragraphs:
                avsnitt.paragraph_format.keep_with_next = True
    kolonne = (TEKSTBREDDE_CM - 1.2) / 2
    sett_bredder(tabell, [kolonne, 1.2, kolonne])


def bunntekst(doc):
    """Bunntekst: hva rapporten er, hvilken evaluering det gjelder, og «Side N av M»."""
    stil = doc.styles["Footer"]
    stil.paragraph_format.tab_stops.clear_all()
    stil.paragraph_format.tab_stops.add_tab_stop(Cm(TEKSTBREDDE_CM), WD_TAB_ALIGNMENT.RIGHT)
    stil.font.size = Pt(8)
    stil.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    avsnitt = doc.sections[0].footer.paragraphs[0]
    avsnitt.style = stil
    avsnitt.add_run(BUNNTEKST + "\n" + BUNNTEKST_ID + "\tSide ")
    for kode, etter in (("PAGE", " av "), ("NUMPAGES", "")):
        felt = legg_til_egenskap(avsnitt._p, "w:fldSimple", instr=f" {kode} ")
        felt.append(avsnitt.add_run("1")._r)  # plassholder til visningsprogrammet oppdaterer
        avsnitt.add_run(etter)


# --- Sammenstilling -------------------------------------------------------------------


def skriv_innhold(doc, element):
    if element is UNDERSKRIFTER:
        signaturtabell(doc)
    elif isinstance(element, Rader):
        radtabell(doc, element.rader)
    elif isinstance(element, Boks):
        boks(doc, element.tekst)
    elif isinstance(element, Listetabell):
        listetabell(doc, element)
    elif isinstance(element, Diagram):
        diagram(doc, element)
    elif isinstance(element, Underoverskrift):
        doc.add_paragraph(element.tekst, style="Heading 2")
    elif isinstance(element, Merknad):
        merknad(doc, element.tekst)
    else:
        doc.add_paragraph(element)


def bygg():
    doc = Document()
    sett_opp_stiler(doc)
    sett_opp_side(doc)
    sett_egenskaper(doc)
    bunntekst(doc)

    doc.add_paragraph(TITTEL, style="Title")
    doc.add_paragraph(UNDERTITTEL, style="Subtitle")
    radtabell(doc, TOPPHODE.rader)

    for nummer, seksjon in enumerate(SEKSJONER, start=1):
        doc.add_paragraph(f"{nummer}. {seksjon.tittel}", style="Heading 1")
        for element in seksjon.innhold:
            skriv_innhold(doc, element)

    # Word vil ha et avsnitt etter siste tabell i dokumentet.
    slutt = doc.add_paragraph()
    slutt.paragraph_format.space_after = Pt(0)
    return doc


def lagre(doc, sti):
    """Lagre med faste tidsstempler i ZIP-filen, så uendret tekst gir samme fil."""
    buffer = io.BytesIO()
    doc.save(buffer)
    sti.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(buffer) as inn,
        zipfile.ZipFile(sti, "w", zipfile.ZIP_DEFLATED) as ut,
    ):
        for info in inn.infolist():
            ny = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            ny.compress_type = zipfile.ZIP_DEFLATED
            ut.writestr(ny, inn.read(info.filename))


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
