"""Felles byggeklosser for skriptene som bygger docxtpl-malene (``tools/bygg_*.py``).

Hvert skript bygger sin mal i ``maler/`` på nytt. Både skriptet og DOCX-filen legges inn i
depotet: DOCX-filen er det systemet fyller ut med docxtpl, og skriptet er den lesbare
kilden til ordlyden. Endre teksten i skriptet, bygg på nytt og legg inn begge filene
sammen. Alle navn i en mal må være deklarert i manifestet ved siden av (``maler/*.toml``),
også kolonnene i listefeltene (``dokumenter maler sjekk``). Resultatet er likt byte for
byte (faste tidsstempler i ZIP-filen og faste dokumentegenskaper), så uendret tekst gir
uendret DOCX.

Skriptene kjøres som ``python tools/bygg_x.py``, så denne mappen står på ``sys.path``;
testene laster dem fra fil, og derfor legger hvert skript selv mappen sin til før
importen. Alt her må gi nøyaktig de samme bytene som før: malene er lagt inn i depotet og
testene sjekker at de er bygget av skriptene. Ordlyd og oppbygging hører hjemme i
skriptene; her står bare sideoppsett, stiler, tabeller, sammenstilling og lagring som
malene deler.

Skjemaene (avviksskjema, evalueringsrapport og individuell plan) bygges likt: tittel,
undertittel og et topphode (``skriv_topphode``), så nummererte ``Seksjon``-er (stilen
Heading 1) skrevet med ``skriv_seksjon``. Innholdet i en seksjon er en liste med

* ``Rader`` (tabell med ledetekst til venstre og verdi til høyre),
* ``Boks`` (én innrammet celle for fritekst),
* ``Listetabell`` (én tabellrad per element i et listefelt),
* ``Underoverskrift`` (Heading 2),
* ``Innledning`` (avsnitt som holdes sammen med tabellen etter det),
* ``Merknad`` (liten kursiv tekst),
* skriptets egne byggeklosser (argumentet ``egne`` til ``skriv_seksjon``)
* eller en vanlig streng (avsnitt).

``hvis(...)`` blir docxtpl-betingelser for avsnitt (``{%p if ... %}`` osv.), hver i sitt
eget avsnitt, som docxtpl fjerner ved utfylling. En ``Listetabell`` har en overskriftsrad
(gjentas på hver side) og tre rader for løkken: ``{%tr for … %}``, raden med kolonnene og
``{%tr endfor %}``; docxtpl fjerner de to tag-radene og gjentar den midterste for hver rad
i listen. Fritekstfelt (langtekst) kommer fra ``kontekst()`` som docxtpl ``Listing`` og
står alene i avsnittet sitt, slik at linjeskift blir linjeskift i dokumentet.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

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
    """Liten kursiv tekst, for eksempel en påminnelse under et felt eller en tabell."""

    tekst: str


@dataclass
class Underoverskrift:
    """Overskrift inne i en seksjon (stilen Heading 2)."""

    tekst: str


@dataclass
class Innledning:
    """Et avsnitt som holdes på samme side som tabellen etter det."""

    tekst: str


@dataclass
class Listetabell:
    """Tabell med én rad per element i listefeltet `felt`; `rad` er løkkevariabelen og
    `kolonner` er (overskrift, kolonnenavn i manifestet, bredde i cm)."""

    felt: str
    rad: str
    kolonner: list[tuple[str, str, float]]


@dataclass
class Seksjon:
    """En nummerert seksjon i et skjema: overskriften og innholdet under den."""

    tittel: str
    innhold: list


def hvis(betingelse, innhold, ellers=()):
    """Innhold som bare vises når Jinja-betingelsen holder."""
    ellers_del = ["{%p else %}", *ellers] if ellers else []
    return ["{%p if " + betingelse + " %}", *innhold, *ellers_del, "{%p endif %}"]


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


def sett_opp_side(doc):
    seksjon = doc.sections[0]
    seksjon.page_width, seksjon.page_height = Cm(21), Cm(29.7)
    seksjon.left_margin = seksjon.right_margin = Cm(MARG_CM)
    seksjon.top_margin, seksjon.bottom_margin = Cm(2), Cm(2)


def sett_egenskaper(doc, tittel):
    egenskaper = doc.core_properties
    egenskaper.title = tittel
    egenskaper.language = SPRAAK
    egenskaper.author = ""
    egenskaper.last_modified_by = ""
    egenskaper.comments = ""
    egenskaper.revision = 1
    egenskaper.created = egenskaper.modified = FAST_TIDSPUNKT


def nytt_dokument(tittel, bunntekst_tekst, sett_opp_stiler):
    """Et nytt dokument med stilene fra ``sett_opp_stiler(doc)``, A4-sideoppsett, faste
    dokumentegenskaper og bunntekst (se ``bunntekst``)."""
    doc = Document()
    sett_opp_stiler(doc)
    sett_opp_side(doc)
    sett_egenskaper(doc, tittel)
    bunntekst(doc, bunntekst_tekst)
    return doc


def sett_grunnstiler(doc, normal, tittel, undertittel):
    """Språk og skrift, og stilene Normal, Title og Subtitle; hver av ``normal``,
    ``tittel`` og ``undertittel`` er (skriftstørrelse, luft under) i punkter."""
    sett_spraak_og_skrift(doc)
    stil = sett_stil(doc, "Normal", normal[0], etter=normal[1])
    stil.paragraph_format.line_spacing = 1.0
    stil.paragraph_format.widow_control = True
    sett_stil(doc, "Title", tittel[0], fet=True, etter=tittel[1])
    sett_stil(doc, "Subtitle", undertittel[0], etter=undertittel[1])


def sett_opp_skjemastiler(doc, underoverskrift_foer=None):
    """Stilene skjemaene deler. Heading 2 (``Underoverskrift``) settes bare opp når
    ``underoverskrift_foer`` (luften over, i punkter) er gitt."""
    sett_grunnstiler(doc, normal=(10, 4), tittel=(20, 2), undertittel=(11.5, 10))
    stil = sett_stil(doc, "Heading 1", 11.5, fet=True, foer=10, etter=3)
    stil.paragraph_format.keep_with_next = True
    if underoverskrift_foer is not None:
        stil = sett_stil(doc, "Heading 2", 10.5, fet=True, foer=underoverskrift_foer, etter=3)
        stil.paragraph_format.keep_with_next = True


def nytt_skjema(tittel, bunntekst_tekst, underoverskrift_foer=None):
    """``nytt_dokument`` med skjemastilene (se ``sett_opp_skjemastiler``)."""
    stiler = partial(sett_opp_skjemastiler, underoverskrift_foer=underoverskrift_foer)
    return nytt_dokument(tittel, bunntekst_tekst, stiler)


# --- Tabeller, bokser og bunntekst ----------------------------------------------------


def legg_til_egenskap(forelder, tag, **attributter):
    element = OxmlElement(tag)
    for navn, verdi in attributter.items():
        element.set(qn("w:" + navn), verdi)
    forelder.append(element)
    return element


def sett_celle(celle, tekst, fet=False, storrelse=10, foer=1, etter=1):
    """Tekst i cellens første avsnitt; ``foer=None`` lar avstanden over stå urørt."""
    avsnitt = celle.paragraphs[0]
    if foer is not None:
        avsnitt.paragraph_format.space_before = Pt(foer)
    avsnitt.paragraph_format.space_after = Pt(etter)
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


def loekkerader(start, slutt, rad, felt):
    """Radene ``{%tr for rad in felt %}`` og ``{%tr endfor %}``, som docxtpl fjerner; radene
    mellom dem gjentas for hvert element i listefeltet."""
    sett_celle(start.cells[0], f"{{%tr for {rad} in {felt} %}}")
    sett_celle(slutt.cells[0], "{%tr endfor %}")


def listetabell(doc, liste):
    """Overskriftsrad, så løkken: {%tr for %}, raden med kolonnene og {%tr endfor %}."""
    tabell = ny_tabell(doc, 4, len(liste.kolonner))
    overskrift, start, data, slutt = tabell.rows
    for celle, (tekst, _, _) in zip(overskrift.cells, liste.kolonner, strict=True):
        sett_celle(celle, tekst, fet=True, storrelse=9.5)
        skyggelegg(celle)
    legg_til_egenskap(overskrift._tr.get_or_add_trPr(), "w:tblHeader")  # gjentas per side
    for celle, (_, kolonne, _) in zip(data.cells, liste.kolonner, strict=True):
        sett_celle(celle, f"{{{{ {liste.rad}.{kolonne} }}}}", storrelse=9.5)
    legg_til_egenskap(data._tr.get_or_add_trPr(), "w:cantSplit")
    loekkerader(start, slutt, liste.rad, liste.felt)
    sett_bredder(tabell, [bredde for _, _, bredde in liste.kolonner])


def merknad(doc, tekst):
    avsnitt = doc.add_paragraph()
    avsnitt.paragraph_format.space_before = Pt(3)
    run = avsnitt.add_run(tekst)
    run.italic = True
    run.font.size = Pt(8.5)


def bunnlinje(celle):
    kanter = legg_til_egenskap(celle._tc.get_or_add_tcPr(), "w:tcBorders")
    legg_til_egenskap(kanter, "w:bottom", val="single", sz="6", space="0", color="000000")


def signaturtabell(doc, overskrifter, linjer, storrelse, foer=1, etter=1):
    """Signaturlinjer for to parter side om side, holdt samlet på én side.

    ``overskrifter`` er (venstre, høyre) over linjene, ``linjer`` ledetekstene under hver
    linje, ``storrelse`` skriftstørrelsen i overskriftene, og ``foer``/``etter`` går videre
    til ``sett_celle`` for alle cellene.
    """
    tabell = doc.add_table(rows=1 + 2 * len(linjer), cols=3)
    tabell.alignment = WD_TABLE_ALIGNMENT.CENTER
    venstre, hoeyre = 0, 2
    for kolonne, overskrift in zip((venstre, hoeyre), overskrifter, strict=True):
        sett_celle(
            tabell.cell(0, kolonne),
            overskrift,
            fet=True,
            storrelse=storrelse,
            foer=foer,
            etter=etter,
        )
    for i, tekst in enumerate(linjer):
        linje, etikett = tabell.rows[1 + 2 * i], tabell.rows[2 + 2 * i]
        linje.height = Cm(0.9)
        for kolonne in (venstre, hoeyre):
            bunnlinje(linje.cells[kolonne])
            sett_celle(etikett.cells[kolonne], tekst, storrelse=8.5, foer=foer, etter=etter)
    for rad in tabell.rows:
        legg_til_egenskap(rad._tr.get_or_add_trPr(), "w:cantSplit")
        for celle in rad.cells:
            for avsnitt in celle.paragraphs:
                avsnitt.paragraph_format.keep_with_next = True
    kolonne = (TEKSTBREDDE_CM - 1.2) / 2
    sett_bredder(tabell, [kolonne, 1.2, kolonne])


def bunntekst(doc, tekst):
    """Bunntekst: ``tekst`` til venstre og «Side N av M» mot høyre marg."""
    stil = doc.styles["Footer"]
    stil.paragraph_format.tab_stops.clear_all()
    stil.paragraph_format.tab_stops.add_tab_stop(Cm(TEKSTBREDDE_CM), WD_TAB_ALIGNMENT.RIGHT)
    stil.font.size = Pt(8)
    stil.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    avsnitt = doc.sections[0].footer.paragraphs[0]
    avsnitt.style = stil
    avsnitt.add_run(tekst + "\tSide ")
    for kode, etter in (("PAGE", " av "), ("NUMPAGES", "")):
        felt = legg_til_egenskap(avsnitt._p, "w:fldSimple", instr=f" {kode} ")
        felt.append(avsnitt.add_run("1")._r)  # plassholder til visningsprogrammet oppdaterer
        avsnitt.add_run(etter)


def tomt_avsnitt(doc):
    """Et tomt avsnitt uten luft under: Word vil ha et avsnitt etter siste tabell i
    dokumentet, og to tabeller uten avsnitt mellom seg blir én tabell i Word."""
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


# --- Sammenstilling av skjemaene ------------------------------------------------------


def skriv_topphode(doc, tittel, undertittel, topphode):
    """Tittel, undertittel og topphodet (``Rader``) øverst i skjemaet."""
    doc.add_paragraph(tittel, style="Title")
    doc.add_paragraph(undertittel, style="Subtitle")
    radtabell(doc, topphode.rader)


def skriv_innhold(doc, element, egne=None):
    """Ett element i en seksjon. ``egne`` er skriptets egne byggeklosser: klasse ->
    funksjon som skriver et element av klassen, ``funksjon(doc, element)``."""
    for klasse, skriv in (egne or {}).items():
        if isinstance(element, klasse):
            skriv(doc, element)
            return
    if isinstance(element, Rader):
        radtabell(doc, element.rader)
    elif isinstance(element, Boks):
        boks(doc, element.tekst)
    elif isinstance(element, Listetabell):
        listetabell(doc, element)
    elif isinstance(element, Innledning):
        doc.add_paragraph(element.tekst).paragraph_format.keep_with_next = True
    elif isinstance(element, Underoverskrift):
        doc.add_paragraph(element.tekst, style="Heading 2")
    elif isinstance(element, Merknad):
        merknad(doc, element.tekst)
    else:
        doc.add_paragraph(element)


def skriv_seksjon(doc, nummer, seksjon, egne=None):
    """Overskriften «N. Tittel» (Heading 1) og innholdet i seksjonen."""
    doc.add_paragraph(f"{nummer}. {seksjon.tittel}", style="Heading 1")
    for element in seksjon.innhold:
        skriv_innhold(doc, element, egne)


# --- Lagring --------------------------------------------------------------------------


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
