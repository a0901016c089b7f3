"""Bygg docxtpl-malen for avviksskjemaet til samarbeidsavtalen.

Kjør fra roten av depotet:

    python tools/bygg_avviksskjema.py

Skriptet bygger ``maler/avviksskjema.docx`` på nytt. Både skriptet og DOCX-filen legges
inn i depotet: DOCX-filen er det systemet fyller ut med docxtpl, og dette skriptet er den
lesbare kilden til ordlyden. Endre teksten her, bygg på nytt og legg inn begge filene
sammen. Feltene som brukes nedenfor, er deklarert i ``maler/avviksskjema.toml``; alle navn
i malen må være deklarert der (``dokumenter maler sjekk``). Resultatet er likt byte for
byte (faste tidsstempler i ZIP-filen og faste dokumentegenskaper), så uendret tekst gir
uendret DOCX.

Oppbygging (se ``SEKSJONER``):

* Et topphode med kommune, avtalepart, avtalens dato og versjon, avviksnummer og status.
* Nummererte seksjoner (stilen Heading 1). Innholdet i en seksjon er en liste med
  ``Rader`` (tabell med ledetekst til venstre og verdi til høyre), ``Boks`` (én innrammet
  celle for fritekst), ``Merknad`` (liten kursiv tekst) eller en vanlig streng (avsnitt).
* ``hvis(...)`` blir docxtpl-betingelser for avsnitt (``{%p if ... %}`` osv.), hver i sitt
  eget avsnitt, som docxtpl fjerner ved utfylling.
* Fritekstfelt (langtekst) kommer fra ``kontekst()`` som docxtpl ``Listing`` og står alene
  i avsnittet sitt, slik at linjeskift blir linjeskift i dokumentet.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.shared import Pt

# Testene laster skriptet fra fil, og da står ikke tools/ på sys.path av seg selv.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxbygg import (  # noqa: E402
    Boks,
    Merknad,
    Rader,
    boks,
    bunntekst,
    hvis,
    lagre,
    merknad,
    radtabell,
    sett_egenskaper,
    sett_opp_side,
    sett_spraak_og_skrift,
    sett_stil,
)

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "avviksskjema.docx"
TITTEL = "Avviksskjema – samarbeidsavtale"


# --- Byggeklosser ---------------------------------------------------------------------
# Rader, Boks, Merknad og hvis(...) kommer fra docxbygg.


@dataclass
class Seksjon:
    tittel: str
    innhold: list


# --- Teksten --------------------------------------------------------------------------

UNDERTITTEL = "Melding om brudd på samarbeidsavtalen"

# Svaret er registrert når feltet «svar» er fylt ut (verdien «ja»); avviket er lukket når
# det har en lukkedato.
ER_BESVART = "svar"
ER_LUKKET = "lukket_dato"

STATUS = (
    "{% if lukket_dato %}Lukket {{ lukket_dato }}"
    "{% elif svar %}Besvart{% if svar_dato %} {{ svar_dato }}{% endif %}"
    "{% else %}Venter på svar, frist {{ svarfrist }}{% endif %}"
)

# Et avvik kan lukkes uten svar når svarfristen er ute.
IKKE_BESVART = (
    "{% if lukket_dato %}Ikke besvart innen svarfristen {{ svarfrist }}."
    "{% else %}Ikke besvart ennå. Svarfrist: {{ svarfrist }}.{% endif %}"
)

TOPPHODE = Rader(
    [
        ("Kommune", "{{ kommune_navn }}"),
        ("Avtalepart", "{{ part_navn }}"),
        ("Avtalens dato og versjon", "{{ avtale_dato }}, versjon {{ avtale_versjon }}"),
        ("Avviksnummer", "{{ avviksnummer }}"),
        ("Status", STATUS),
    ]
)

SEKSJONER = [
    Seksjon(
        "Hvilket punkt i avtalen gjelder avviket",
        [Rader([("Paragraf i avtalen", "{{ paragraf }}"), ("Kategori", "{{ kategori }}")])],
    ),
    Seksjon("Dato for hendelsen", [Rader([("Dato", "{{ hendelsesdato }}")])]),
    Seksjon("Hva skjedde", [Boks("{{ hva_skjedde }}")]),
    Seksjon(
        "Konsekvens for personen",
        [
            Boks("{{ konsekvens }}"),
            Merknad(
                "Personopplysninger skal ikke stå i skjemaet. Beskriv konsekvensen uten "
                "navn, fødselsnummer eller andre opplysninger som kan identifisere personen."
            ),
        ],
    ),
    Seksjon("Strakstiltak", [Boks("{{ strakstiltak }}")]),
    Seksjon(
        "Meldt av",
        [
            Rader(
                [
                    ("Navn", "{{ meldt_av_navn }}"),
                    ("Rolle", "{{ meldt_av_rolle }}"),
                    ("Institusjon", "{{ meldt_av_institusjon }}"),
                    ("Dato meldt", "{{ meldt_dato }}"),
                ]
            )
        ],
    ),
    Seksjon(
        "Svarfrist",
        [
            Rader([("Svar innen", "{{ svarfrist }}")]),
            Merknad(
                "Svaret fra {{ mottaker }} skal være skriftlig og komme innen fristen. Det "
                "skal forklare årsaken til avviket og hvilke tiltak som settes i verk for å "
                "hindre at det skjer igjen."
            ),
        ],
    ),
    Seksjon(
        "Svar fra {{ mottaker }}",
        hvis(
            ER_BESVART,
            [
                Rader(
                    [
                        ("Forklaring", "{{ svar_forklaring }}"),
                        ("Tiltak", "{{ svar_tiltak }}"),
                        ("Besvart av", "{{ svar_av }}"),
                        ("Dato", "{{ svar_dato }}"),
                    ]
                )
            ],
            ellers=[IKKE_BESVART],
        ),
    ),
]

# Vises bare når avviket er lukket; står sist, så nummereringen over endres ikke.
LUKKING = Seksjon(
    "Lukking",
    [Rader([("Lukket dato", "{{ lukket_dato }}"), ("Merknad", "{{ lukket_merknad }}")])],
)

BUNNTEKST = "Avviket behandles etter samarbeidsavtalens bestemmelser om avvik og evaluering."
BUNNTEKST_ID = (
    "Avviksskjema {{ avviksnummer }} – {{ kommune_navn }} og {{ part_navn }} – "
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


# --- Sammenstilling -------------------------------------------------------------------


def skriv_innhold(doc, element):
    if isinstance(element, Rader):
        radtabell(doc, element.rader)
    elif isinstance(element, Boks):
        boks(doc, element.tekst)
    elif isinstance(element, Merknad):
        merknad(doc, element.tekst)
    else:
        doc.add_paragraph(element)


def skriv_seksjon(doc, nummer, seksjon):
    doc.add_paragraph(f"{nummer}. {seksjon.tittel}", style="Heading 1")
    for element in seksjon.innhold:
        skriv_innhold(doc, element)


def bygg():
    doc = Document()
    sett_opp_stiler(doc)
    sett_opp_side(doc)
    sett_egenskaper(doc, TITTEL)
    # Bunntekst: avviksbestemmelsen, hvilket avvik det gjelder, og «Side N av M».
    bunntekst(doc, BUNNTEKST + "\n" + BUNNTEKST_ID)

    doc.add_paragraph(TITTEL, style="Title")
    doc.add_paragraph(UNDERTITTEL, style="Subtitle")
    radtabell(doc, TOPPHODE.rader)

    for nummer, seksjon in enumerate(SEKSJONER, start=1):
        skriv_seksjon(doc, nummer, seksjon)
    doc.add_paragraph("{%p if " + ER_LUKKET + " %}")
    skriv_seksjon(doc, len(SEKSJONER) + 1, LUKKING)
    doc.add_paragraph("{%p endif %}")

    # Word vil ha et avsnitt etter siste tabell i dokumentet.
    slutt = doc.add_paragraph()
    slutt.paragraph_format.space_after = Pt(0)
    return doc


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
