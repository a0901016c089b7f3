"""Noark 5-verdiene systemet bruker: arkivdelene, journalposttypene, statusene, skjerming,
kassasjon, variantformatene og formatkodene (PRONOM), med kilden der verdien ikke er opplagt.

Noark 5 avleverer koder som tekst («Utgående dokument», ikke «U»); kodene står her bare for
databasen og Fiks Arkiv, som har både kode og beskrivelse.
"""

from __future__ import annotations

import re

SYSTEM = "dokumenter"  # fagsystemet (arkivmeldingens `system`, avsender i uttrekket)
SYSTEMET = "Systemet"  # opprettetAv o.l. når ingen bruker gjorde det (jobber, signering)

# Arkivdelene (laget av migrering 0010): kode -> tittel.
SAMARBEIDSAVTALER = "samarbeidsavtaler"
AVVIK_OG_EVALUERINGER = "avvik_og_evalueringer"
INDIVIDUELLE_PLANER = "individuelle_planer"
ARKIVDELER = {
    SAMARBEIDSAVTALER: "Samarbeidsavtaler",
    AVVIK_OG_EVALUERINGER: "Avvik og evalueringer",
    INDIVIDUELLE_PLANER: "Individuelle planer",
}

# M082 journalposttype.
JOURNALPOSTTYPER = {
    "U": "Utgående dokument",
    "I": "Inngående dokument",
    "N": "Organinternt dokument for oppfølging",
    "X": "Organinternt dokument uten oppfølging",
}
# M053 journalstatus: et utgående dokument er sendt (ekspedert) når det registreres.
JOURNALSTATUS = {"U": ("E", "Ekspedert"), "I": ("J", "Journalført"), "N": ("J", "Journalført"),
                 "X": ("J", "Journalført")}  # fmt: skip
# M087 korrespondanseparttype.
KORRESPONDANSEPARTTYPER = {
    "U": ("EM", "Mottaker"),
    "I": ("EA", "Avsender"),
    "N": ("IM", "Intern mottaker"),
    "X": ("IA", "Intern avsender"),
}
# M052 saksstatus.
UNDER_BEHANDLING = ("B", "Under behandling")
AVSLUTTET = ("A", "Avsluttet")
AVSLUTTEDE_AVTALER = ("avsluttet", "ikke_inngaatt")
AVSLUTTEDE_PLANER = ("avsluttet", "slettes")

# M054 dokumentstatus, M217 tilknyttetRegistreringSom.
DOKUMENTSTATUS = ("F", "Dokumentet er ferdigstilt")
HOVEDDOKUMENT = ("H", "Hoveddokument")

# M700 variantformat.
PRODUKSJONSFORMAT = ("P", "Produksjonsformat")
ARKIVFORMAT = ("A", "Arkivformat")

# M500/M501/M502 skjerming. Individuelle planer er alltid skjermet med denne hjemmelen;
# avvik og avtaler kan skjermes av en ansatt (samme hjemmel: personlige forhold).
UNNTATT = ("13", "Unntatt offentlighet")
SKJERMINGSHJEMMEL = "Offl. § 13 jf. fvl. § 13 første ledd nr. 1"
SKJERMING_MAPPE = ("Skjerming tittel mappe - utvalgte ord", "Skjerming navn part i sak")
SKJERMING_REGISTRERING = {
    "Mottaker": "Skjerming navn mottaker",
    "Avsender": "Skjerming navn avsender",
    "Intern mottaker": "Skjerming navn mottaker",
    "Intern avsender": "Skjerming navn avsender",
}
SKJERMING_TITTEL_REGISTRERING = "Skjerming tittel registrering - utvalgte ord"
SKJERMING_DOKUMENT = "Skjerming av hele dokumentet"
SKJULT = "*****"  # det som står i stedet for skjermede ord og navn i offentlig journal

# M450 kassasjonsvedtak. Planene kasseres etter oppbevaringstiden
# (DOKUMENTER_PLAN_OPPBEVARING_DAGER); avtalene bevares.
BEVARES = ("B", "Bevares")
KASSERES = ("K", "Kasseres")
KASSASJONSHJEMMEL_PLAN = (
    "Kommunens arkivplan: individuelle planer kasseres når oppbevaringstiden etter "
    "avslutning er ute (DOKUMENTER_PLAN_OPPBEVARING_DAGER)"
)

SJEKKSUMALGORITME = "SHA256"

# --- Formater (PRONOM, The National Archives) --------------------------------------------------
# Kodene er slått opp i PRONOM-registeret (nationalarchives.gov.uk/PRONOM) og kontrollert mot
# DROID-signaturene slik de er publisert i theseus-rs/file-type
# (file_type/src/sources/pronom/fmt_477.rs og fmt_412.rs): fmt/477 krever XMP med
# pdfaid:part 2 og pdfaid:conformance B, altså PDF/A-2b. (fmt/476 er PDF/A-2a.)
DOCX = ("fmt/412", "Microsoft Word for Windows (Office Open XML, DOCX)")
PDFA_2B = ("fmt/477", "PDF/A-2b (ISO 19005-2, nivå B)")
PDFA = {
    ("1", "A"): ("fmt/95", "PDF/A-1a"),
    ("1", "B"): ("fmt/354", "PDF/A-1b"),
    ("2", "A"): ("fmt/476", "PDF/A-2a"),
    ("2", "B"): PDFA_2B,
    ("2", "U"): ("fmt/478", "PDF/A-2u"),
    ("3", "A"): ("fmt/479", "PDF/A-3a"),
    ("3", "B"): ("fmt/480", "PDF/A-3b"),
    ("3", "U"): ("fmt/481", "PDF/A-3u"),
}
PDF = {"1.0": "fmt/14", "1.1": "fmt/15", "1.2": "fmt/16", "1.3": "fmt/17", "1.4": "fmt/18",
       "1.5": "fmt/19", "1.6": "fmt/20", "1.7": "fmt/276", "2.0": "fmt/1129"}  # fmt: skip
_PART = re.compile(rb"pdfaid:part(?:>|=[\"'])\s*([1-4])")
_NIVAA = re.compile(rb"pdfaid:conformance(?:>|=[\"'])\s*([ABUabu])")
_VERSJON = re.compile(rb"%PDF-(\d\.\d)")


def pdf_format(data: bytes) -> tuple[str, str, bool]:
    """(PRONOM-kode, beskrivelse, er PDF/A) for en PDF, fra XMP-metadataene og hodet. En
    skannet kopi som ikke er PDF/A, får PDF-versjonens kode."""
    part, nivaa = _PART.search(data), _NIVAA.search(data)
    if part and nivaa:
        kjent = PDFA.get((part.group(1).decode(), nivaa.group(1).decode().upper()))
        if kjent:
            return (*kjent, True)
    versjon = _VERSJON.match(data[:16])
    tekst = versjon.group(1).decode() if versjon else "?"
    return PDF.get(tekst, "fmt/276"), f"PDF {tekst} (ikke PDF/A)", False


def titler(tittel: str, skjermet: bool, forste_del: str) -> tuple[str, str]:
    """(tittel, offentlig tittel): en skjermet tittel viser bare `forste_del` i offentlig
    journal, resten er erstattet av SKJULT."""
    return tittel, f"{forste_del} {SKJULT}" if skjermet else tittel
