"""Bygg docxtpl-malen for den årlige evalueringsrapporten til samarbeidsavtalen.

Kjør fra roten av depotet:

    python tools/bygg_evalueringsrapport.py

Skriptet bygger ``maler/evalueringsrapport.docx`` på nytt og er den lesbare kilden til
ordlyden. Feltene, også kolonnene i listefeltene, er deklarert i
``maler/evalueringsrapport.toml``. Endre teksten her, bygg på nytt og legg inn begge
filene sammen (se ``docxbygg``).

Oppbygging (se ``SEKSJONER``; byggeklossene ``Seksjon``, ``Rader``, ``Boks``,
``Listetabell``, ``Underoverskrift``, ``Innledning``, ``Merknad`` og ``hvis(...)`` er
beskrevet i ``docxbygg``):

* Et topphode med kommune, avtalepart, avtaleversjon, evalueringsdato og perioden.
* Nummererte seksjoner (stilen Heading 1). I tillegg til byggeklossene fra ``docxbygg``
  har malen ``Diagram`` (et bildefelt med bildetekst) og ``Underskrifter``
  (signaturlinjer for begge parter).
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

# Testene laster skriptet fra fil, og da står ikke tools/ på sys.path av seg selv.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxbygg import (
    TEKSTBREDDE_CM,
    Boks,
    Innledning,
    Listetabell,
    Merknad,
    Rader,
    Seksjon,
    Underoverskrift,
    hvis,
    lagre,
    legg_til_egenskap,
    nytt_skjema,
    sett_bredder,
    signaturtabell,
    skriv_seksjon,
    skriv_topphode,
    tomt_avsnitt,
)

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "evalueringsrapport.docx"
TITTEL = "Evalueringsrapport – samarbeidsavtale"


# --- Byggeklosser ---------------------------------------------------------------------


@dataclass
class Diagram:
    """Et bildefelt (diagram) midtstilt, med bildeteksten fra et tekstfelt under."""

    felt: str
    bildetekst: str


@dataclass
class Underskrifter:
    """Signaturlinjer for begge parter side om side: `overskrifter` er (venstre, høyre)
    over linjene og `linjer` ledetekstene under hver linje."""

    overskrifter: tuple[str, str]
    linjer: list[str]


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

PARAGRAF10 = Listetabell(
    "paragraf10",
    "t",
    [
        ("Hva som er talt", "navn", 5.4),
        ("Antall", "antall", 2.0),
        ("Definisjon", "definisjon", 9.0),
    ],
)

SIGNATUR_INNLEDNING = "Partene er enige om at rapporten gir en riktig beskrivelse av evalueringen."
SIGNATUR_OVERSKRIFTER = ("For {{ kommune_navn }}", "For {{ part_navn }}")
SIGNATUR_LINJER = ["Sted og dato", "Underskrift", "Navn og stilling (blokkbokstaver)"]

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
    Seksjon(
        "Personene avtalen omfattet",
        [
            Innledning(
                "Tallene er regnet ut av overgangene i de individuelle planene som er knyttet "
                "til avtalen, for perioden som evalueres (avtalens bestemmelse om evaluering)."
            ),
            *hvis(
                "paragraf10",
                [
                    PARAGRAF10,
                    Merknad("{{ smatall_regel }}"),
                    *hvis(
                        "diagram_paragraf10",
                        [Diagram("diagram_paragraf10", "diagram_paragraf10_tekst")],
                    ),
                ],
                ellers=["Ingen individuelle planer er knyttet til avtalen."],
            ),
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
        [
            # Innledningen og signaturlinjene holdes sammen med overskriften på samme side.
            Innledning(SIGNATUR_INNLEDNING),
            Underskrifter(SIGNATUR_OVERSKRIFTER, SIGNATUR_LINJER),
        ],
    ),
]

BUNNTEKST = "Evaluering av samarbeidsavtalen etter avtalens bestemmelser om avvik og evaluering."
BUNNTEKST_ID = (
    "Evalueringsrapport {{ evalueringsdato }} – {{ kommune_navn }} og {{ part_navn }} – "
    "generert {{ dato_generert }}"
)


# --- Diagrammer og underskrifter ------------------------------------------------------


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
    tomt_avsnitt(doc)


def underskrifter(doc, element):
    """Signaturlinjene holdes samlet på én side (se ``signaturtabell``)."""
    signaturtabell(doc, element.overskrifter, element.linjer, storrelse=10.5)


# --- Sammenstilling -------------------------------------------------------------------


def bygg():
    # Bunntekst: hva rapporten er, hvilken evaluering det gjelder, og «Side N av M».
    doc = nytt_skjema(TITTEL, BUNNTEKST + "\n" + BUNNTEKST_ID, underoverskrift_foer=8)
    skriv_topphode(doc, TITTEL, UNDERTITTEL, TOPPHODE)

    for nummer, seksjon in enumerate(SEKSJONER, start=1):
        skriv_seksjon(doc, nummer, seksjon, {Diagram: diagram, Underskrifter: underskrifter})

    # Word vil ha et avsnitt etter siste tabell i dokumentet.
    tomt_avsnitt(doc)
    return doc


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
