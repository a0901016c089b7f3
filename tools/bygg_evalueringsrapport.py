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

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

# Testene laster skriptet fra fil, og da står ikke tools/ på sys.path av seg selv.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxbygg import (  # noqa: E402
    TEKSTBREDDE_CM,
    Boks,
    Merknad,
    Rader,
    boks,
    bunntekst,
    hvis,
    lagre,
    legg_til_egenskap,
    merknad,
    ny_tabell,
    radtabell,
    sett_bredder,
    sett_celle,
    sett_egenskaper,
    sett_opp_side,
    sett_spraak_og_skrift,
    sett_stil,
    signaturtabell,
    skyggelegg,
)

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "evalueringsrapport.docx"
TITTEL = "Evalueringsrapport – samarbeidsavtale"


# --- Byggeklosser ---------------------------------------------------------------------
# Rader, Boks, Merknad og hvis(...) kommer fra docxbygg.


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
SIGNATUR_OVERSKRIFTER = ("For {{ kommune_navn }}", "For {{ part_navn }}")
SIGNATUR_LINJER = ["Sted og dato", "Underskrift", "Navn og stilling (blokkbokstaver)"]
BUNNTEKST = "Evaluering av samarbeidsavtalen etter avtalens bestemmelser om avvik og evaluering."
BUNNTEKST_ID = (
    "Evalueringsrapport {{ evalueringsdato }} – {{ kommune_navn }} og {{ part_navn }} – "
    "generert {{ dato_generert }}"
)


# --- Stiler og oppsett ----------------------------------------------------------------


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


# --- Tabeller og diagrammer -----------------------------------------------------------


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


def underskrifter(doc):
    """Innledningen og signaturlinjene holdes sammen med overskriften på samme side."""
    doc.add_paragraph(SIGNATUR_INNLEDNING).paragraph_format.keep_with_next = True
    signaturtabell(doc, SIGNATUR_OVERSKRIFTER, SIGNATUR_LINJER, storrelse=10.5)


# --- Sammenstilling -------------------------------------------------------------------


def skriv_innhold(doc, element):
    if element is UNDERSKRIFTER:
        underskrifter(doc)
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
    sett_egenskaper(doc, TITTEL)
    # Bunntekst: hva rapporten er, hvilken evaluering det gjelder, og «Side N av M».
    bunntekst(doc, BUNNTEKST + "\n" + BUNNTEKST_ID)

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


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
