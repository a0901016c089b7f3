"""Evalueringsrapporten: malsjekk med liste- og bildefelt, utfylling med 0 og 7 avvik,
validering av rader og bilder, og PDF/A."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.infrastruktur import diagram
from dokumenter.infrastruktur.maler import (
    MAKS_BILDE,
    MAKS_RADER,
    PNG_SIGNATUR,
    MalFeil,
    les_mal,
    sjekk,
)
from tests.stotte.maler import avsnitt, endre_tekst, fyll_ut, tekst

MAL = "evalueringsrapport"
FIENTLIG = "Lukket <w:t>&\"' {{ ikke_kode }} ]]>\x00\x07\x1b"
RENT = "Lukket <w:t>&\"' {{ ikke_kode }} ]]>"
FUNGERT = (
    "Varsling før løslatelse har kommet i god tid.\n"
    "Faste møter hver måned mellom kontaktpersonene.\n"
    f"{FIENTLIG}"
)
BESLUTNING = "Avtalen videreføres. Neste evaluering: 1. desember 2027."

FELLES = {
    "kommune_navn": "Rana kommune",
    "part_navn": "Bodø fengsel",
    "avtale_versjon": "2",
    "evalueringsdato": "01.12.2026",
    "periode_fra": "2025-12-01",
    "periode_til": "2026-11-30",
    "deltakere_kommune": "Åse Ødegård, boligkonsulent\nPer Hansen, NAV",
    "deltakere_part": "Pål Bråten, avdelingsleder",
    "fungert": FUNGERT,
    "ikke_fungert": "Svar på avvik kom ofte etter fristen.",
    "beslutning_tekst": BESLUTNING,
}

# (nummer, hendelsesdato, paragraf, kategori, status)
AVVIK = [
    ("2026-001", date(2026, 1, 14), "§ 6 Varsling før løslatelse", "Manglende varsling", "Lukket"),
    ("2026-002", date(2026, 2, 3), "§ 6 Varsling før løslatelse", "For sen varsling", "Lukket"),
    ("2026-003", date(2026, 3, 30), "§ 7 Bolig og oppfølging", "Bolig ikke klar", "Besvart"),
    ("2026-004", date(2026, 5, 2), "§ 10 Økonomi", "Uenighet om kostnader", "Lukket"),
    ("2026-005", date(2026, 8, 19), "§ 6 Varsling før løslatelse", "Manglende varsling", FIENTLIG),
    ("2026-006", date(2026, 10, 1), "§ 7 Bolig og oppfølging", "Bolig ikke klar", "Sendt"),
    ("2026-007", date(2026, 11, 29), "§ 12 Taushetsplikt", "Brudd på rutinen «Å»", "Sendt"),
]


def verdier_med_avvik(avvik: list[tuple]) -> dict:
    """Som brukstilfellet: rader, antall per paragraf og kategori, diagrammer og alt-tekst."""
    per_kvartal = dict.fromkeys(("2025 K4", "2026 K1", "2026 K2", "2026 K3", "2026 K4"), 0)
    per_kvartal.update(Counter(diagram.kvartal(d) for _, d, *_ in avvik))
    per_paragraf = Counter(p for _, _, p, _, _ in avvik)
    per_kategori = Counter(k for _, _, _, k, _ in avvik)
    return {
        **FELLES,
        "antall_avvik": len(avvik),
        "avvik": [
            {
                "nummer": n,
                "dato": d.strftime("%d.%m.%Y"),
                "paragraf": p,
                "kategori": k,
                "status": s,
            }
            for n, d, p, k, s in avvik
        ],
        "per_paragraf": [{"navn": p, "antall": a} for p, a in per_paragraf.items()],
        "per_kategori": [{"navn": k, "antall": a} for k, a in per_kategori.items()],
        "diagram_kvartal": diagram.avvik_per_kvartal(per_kvartal),
        "diagram_kvartal_tekst": diagram.alt_tekst(per_kvartal, "Avvik per kvartal"),
        "diagram_paragraf": diagram.avvik_per_paragraf(dict(per_paragraf)),
        "diagram_paragraf_tekst": diagram.alt_tekst(dict(per_paragraf), "Avvik per paragraf"),
    }


SJU = verdier_med_avvik(AVVIK)
INGEN = {**FELLES, "antall_avvik": 0, "avvik": [], "per_paragraf": [], "per_kategori": []}


def lag(mal, verdier: dict) -> bytes:
    return fyll_ut(mal, verdier, date(2026, 12, 1))


def tabell_med(data: bytes, overskrift: str) -> list[list[str]]:
    doc = Document(io.BytesIO(data))
    for t in doc.tables:
        if t.rows[0].cells[0].text == overskrift:
            return [[c.text for c in r.cells] for r in t.rows]
    raise AssertionError(f"fant ingen tabell med overskriften {overskrift!r}")


def dokument_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


# --- Malsjekk -------------------------------------------------------------------------


def test_manifestet_har_liste_og_bildefelt(mal):
    felt = {f.navn: f for f in mal.felt}
    assert felt["avvik"].type == "liste"
    assert felt["avvik"].kolonner == ("nummer", "dato", "paragraf", "kategori", "status")
    assert felt["per_paragraf"].kolonner == ("navn", "antall")
    assert felt["antall_avvik"].type == "heltall"
    assert felt["diagram_kvartal"].type == "bilde"
    assert felt["diagram_kvartal"].bredde_mm == 150
    assert felt["diagram_kvartal"].alt_felt == "diagram_kvartal_tekst"


def test_lokkevariabler_er_ikke_udeklarerte_felt(kopi_av_maler):
    # Malen bruker {%tr for a in avvik %} … {{ a.nummer }}: «a» er ingen felt.
    assert sjekk(kopi_av_maler, MAL) == []
    endre_tekst(kopi_av_maler, MAL, "{%tr for a in avvik %}", "{%tr for rad in avvik %}", alle=True)
    endre_tekst(kopi_av_maler, MAL, "{{ a.", "{{ rad.", alle=True)
    assert sjekk(kopi_av_maler, MAL) == []


def test_udeklarert_kolonne_og_liste(kopi_av_maler):
    endre_tekst(kopi_av_maler, MAL, "{{ a.status }}", "{{ a.tilstand }}", alle=True)
    endre_tekst(
        kopi_av_maler,
        MAL,
        "{%tr for k in per_kategori %}",
        "{%tr for k in kategorier %}",
        alle=True,
    )
    feil = sjekk(kopi_av_maler, MAL)
    assert any("kolonnen «tilstand» brukes i løkken over «avvik»" in f for f in feil), feil
    assert any("«kategorier» brukes i malen, men er ikke deklarert" in f for f in feil), feil
    assert any("«per_kategori» er deklarert" in f and "brukes aldri" in f for f in feil)
    # Løkkevariabelen «k» i løkken over det udeklarerte feltet er fortsatt ikke et felt.
    assert not any("«k»" in f for f in feil)


def test_ugyldig_liste_eller_bilde_i_manifestet(kopi_av_maler):
    manifest = kopi_av_maler / f"{MAL}.toml"
    original = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        original.replace('kolonner = ["navn", "antall"]\n', "", 1), encoding="utf-8"
    )
    with pytest.raises(MalFeil, match="listefeltet 'per_paragraf' må ha «kolonner»"):
        les_mal(kopi_av_maler, MAL)
    manifest.write_text(
        original.replace('alt_felt = "diagram_kvartal_tekst"', 'alt_felt = "finnes_ikke"'),
        encoding="utf-8",
    )
    assert "alt_felt 'finnes_ikke'" in sjekk(kopi_av_maler, MAL)[0]
    manifest.write_text(original.replace("bredde_mm = 150", "bredde_mm = 0", 1), "utf-8")
    with pytest.raises(MalFeil, match="ugyldig bredde_mm"):
        les_mal(kopi_av_maler, MAL)


# --- Utfylling ------------------------------------------------------------------------


def test_sju_avvik_gir_tabeller_og_to_diagrammer(mal):
    data = lag(mal, SJU)
    t = tekst(data)
    for forventet in (
        "Evalueringsrapport – samarbeidsavtale",
        "Årlig evaluering av samarbeidet mellom Rana kommune og Bodø fengsel",
        "Versjon 2",
        "1. desember 2026",
        "1. desember 2025 – 30. november 2026",
        "Åse Ødegård, boligkonsulent\nPer Hansen, NAV",
        "Pål Bråten, avdelingsleder",
        "Svar på avvik kom ofte etter fristen.",
        "Det ble meldt 7 avvik etter avtalen i perioden.",
        BESLUTNING,
        "For Rana kommune",
        "For Bodø fengsel",
        "Navn og stilling (blokkbokstaver)",
        "Avvik per kvartal: 2025 K4: 0, 2026 K1: 3, 2026 K2: 1, 2026 K3: 1, 2026 K4: 2.",
        (
            "Avvik per paragraf: § 6 Varsling før løslatelse: 3, § 7 Bolig og oppfølging: 2, "
            "§ 10 Økonomi: 1, § 12 Taushetsplikt: 1."
        ),
        "generert 1. desember 2026",
    ):
        assert forventet in t, forventet
    assert not re.search(r"\{%|%\}|\{\{ *[a-z_.]+ *\}\}", t.replace("{{ ikke_kode }}", ""))

    rader = tabell_med(data, "Nr.")
    assert rader[0] == ["Nr.", "Dato", "Paragraf", "Kategori", "Status"]
    assert len(rader) == 1 + 7
    assert rader[1] == [
        "2026-001",
        "14.01.2026",
        "§ 6 Varsling før løslatelse",
        "Manglende varsling",
        "Lukket",
    ]
    assert rader[5][4] == RENT
    assert rader[7] == [
        "2026-007",
        "29.11.2026",
        "§ 12 Taushetsplikt",
        "Brudd på rutinen «Å»",
        "Sendt",
    ]
    assert tabell_med(data, "Paragraf i avtalen")[1:] == [
        ["§ 6 Varsling før løslatelse", "3"],
        ["§ 7 Bolig og oppfølging", "2"],
        ["§ 10 Økonomi", "1"],
        ["§ 12 Taushetsplikt", "1"],
    ]
    kategorier = tabell_med(data, "Kategori")
    assert len(kategorier) == 1 + 5 and ["Manglende varsling", "2"] in kategorier

    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == 2
    # Tekstalternativet står også som beskrivelse på bildet (for skjermlesere).
    xml = dokument_xml(data)
    assert 'descr="Avvik per kvartal: 2025 K4: 0, 2026 K1: 3' in xml
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        bilder = sorted(n for n in z.namelist() if n.startswith("word/media/"))
        assert {z.read(n) for n in bilder} == {SJU["diagram_kvartal"], SJU["diagram_paragraf"]}


def test_fiendtlig_tekst_escapes(mal):
    data = lag(mal, SJU)
    deler = avsnitt(data)
    assert FUNGERT.replace(FIENTLIG, RENT) in deler
    assert not any(c in "".join(deler) for c in "\x00\x07\x1b")
    xml = dokument_xml(data)
    assert "&lt;w:t&gt;&amp;" in xml
    assert "<w:t>&" not in xml.replace("<w:t>&lt;", "")


def test_ingen_avvik_gir_ingen_tabeller_eller_diagrammer(mal):
    data = lag(mal, INGEN)
    t = tekst(data)
    assert "Det ble ikke meldt avvik etter avtalen i perioden." in t
    assert "5. Avvik i perioden" in t and "6. Beslutning" in t and "7. Underskrifter" in t
    assert "2. Personene avtalen omfattet" in t
    assert "Ingen individuelle planer er knyttet til avtalen." in t
    assert "Antall avvik per paragraf" not in t and "Nr." not in t
    assert "Avvik per kvartal" not in t
    assert len(Document(io.BytesIO(data)).inline_shapes) == 0
    assert "None" not in t
    assert not re.search(r"\{%|%\}|\{\{", t.replace("{{ ikke_kode }}", ""))


def test_avvik_uten_diagrammer(mal):
    uten = {k: v for k, v in SJU.items() if not k.startswith("diagram_")}
    data = lag(mal, uten)
    assert len(tabell_med(data, "Nr.")) == 8
    assert len(Document(io.BytesIO(data)).inline_shapes) == 0


# --- Validering -----------------------------------------------------------------------


def test_gyldige_verdier_normaliseres(mal):
    rene = mal.valider(SJU)
    assert rene["avvik"][4]["status"] == RENT
    assert rene["per_paragraf"][0] == {"navn": "§ 6 Varsling før løslatelse", "antall": "3"}
    assert rene["diagram_kvartal"].startswith(PNG_SIGNATUR)
    rene = mal.valider({**INGEN, "avvik": None})
    assert rene["avvik"] == [] and rene["diagram_kvartal"] is None


@pytest.mark.parametrize(
    ("felt", "verdi", "melding"),
    [
        ("avvik", "2026-001", "Må være en liste med rader."),
        ("avvik", ["2026-001"], "Rad 1 må ha kolonnene nummer, dato, paragraf, kategori, status."),
        ("per_paragraf", [{"navn": "§ 6"}], "Rad 1 mangler kolonnen «antall»."),
        (
            "per_paragraf",
            [{"navn": "§ 6", "antall": 1}, {"navn": "§ 7", "antall": 1, "ekstra": "x"}],
            "Rad 2 har en ukjent kolonne «ekstra».",
        ),
        (
            "per_kategori",
            [{"navn": ["liste"], "antall": 1}],
            "Rad 1, kolonnen «navn»: må være tekst.",
        ),
        (
            "per_kategori",
            [{"navn": "x" * 201, "antall": 1}],
            "Rad 1, kolonnen «navn»: Teksten er for lang (201 tegn, maks 200).",
        ),
        (
            "per_kategori",
            [{"navn": "x", "antall": 1}] * (MAKS_RADER + 1),
            f"For mange rader ({MAKS_RADER + 1}, maks {MAKS_RADER}).",
        ),
        ("diagram_kvartal", b"GIF89a...", "Bildet må være en PNG-fil."),
        ("diagram_kvartal", "ikke bytes", "Bildet må være PNG-data (bytes)."),
        (
            "diagram_paragraf",
            PNG_SIGNATUR + b"\0" * MAKS_BILDE,
            "Bildet er for stort (5.0 MB, maks 5 MB).",
        ),
    ],
)
def test_ugyldige_rader_og_bilder(mal, felt, verdi, melding):
    with pytest.raises(Valideringsfeil) as e:
        mal.valider({**SJU, felt: verdi})
    assert e.value.feil == {felt: melding}


def test_paakrevde_felt(mal):
    with pytest.raises(Valideringsfeil) as e:
        mal.valider({**INGEN, "beslutning_tekst": "", "deltakere_part": None, "ukjent": []})
    assert set(e.value.feil) == {"beslutning_tekst", "deltakere_part", "ukjent"}


# --- PDF/A ----------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_pdfa_med_tabeller_og_diagrammer(mal, konverterer):
    pdf = konverterer.til_pdfa(lag(mal, SJU))
    leser = PdfReader(io.BytesIO(pdf))
    assert 2 <= len(leser.pages) <= 4
    pdf_tekst = "\n".join(s.extract_text() for s in leser.pages)
    for forventet in (
        "Evalueringsrapport",
        "Bodø fengsel",
        "Åse Ødegård",
        "Pål Bråten",
        "2026-007",
        "§ 6 Varsling før løslatelse",
        "Taushetsplikt",
        "Avtalen videreføres",
        "Avvik per kvartal: 2025 K4: 0",
    ):
        assert forventet in pdf_tekst, forventet
    # LibreOffice legger bildene i ressurser som alle sidene deler: tell ulike bilder.
    bilder = {b.data for s in leser.pages for b in s.images}
    assert len(bilder) == 2
    xmp = leser.xmp_metadata
    assert xmp is not None
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
