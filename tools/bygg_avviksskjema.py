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

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "avviksskjema.docx"
TITTEL = "Avviksskjema – samarbeidsavtale"
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
    """Liten kursiv tekst, for eksempel en påminnelse under et felt."""

    tekst: str


@dataclass
class Seksjon:
    tittel: str
    innhold: list


def hvis(betingelse, innhold, ellers=()):
    """Innhold som bare vises når Jinja-betingelsen holder."""
    ellers_del = ["{%p else %}", *ellers] if ellers else []
    return ["{%p if " + betingelse + " %}", *innhold, *ellers_del, "{%p endif %}"]


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


# --- Tabeller, bokser og bunntekst ----------------------------------------------------


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


def merknad(doc, tekst):
    avsnitt = doc.add_paragraph()
    avsnitt.paragraph_format.space_before = Pt(3)
    run = avsnitt.add_run(tekst)
    run.italic = True
    run.font.size = Pt(8.5)


def bunntekst(doc):
    """Bunntekst: avviksbestemmelsen, hvilket avvik det gjelder, og «Side N av M»."""
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
    sett_egenskaper(doc)
    bunntekst(doc)

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
