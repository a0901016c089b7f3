"""Diagrammene til evalueringsrapporten: gyldig og stabil PNG, tomme data, norske etiketter."""

from __future__ import annotations

import struct
from datetime import date

import pytest

from dokumenter.infrastruktur import diagram

PNG_SIGNATUR = b"\x89PNG\r\n\x1a\n"
PER_KVARTAL = {"2026 K2": 1, "2025 K4": 0, "2026 K1": 2, "2027 K1": 3}
PER_PARAGRAF = {
    "§ 10 Økonomi og ansvarsfordeling mellom partene ved utskrivning fra institusjonen": 1,
    "§ 6 Varsling før løslatelse": 3,
    "§ 7 Bolig, oppfølging og ærend på åpningstid": 2,
}
PER_PART = {"Bodø fengsel": 2, "Åsen DPS": 1, "Nordlandssykehuset HF, avdeling for rus": 4}


def storrelse(png: bytes) -> tuple[int, int]:
    """Bredde og høyde i piksler fra IHDR-blokken."""
    return struct.unpack(">II", png[16:24])


def test_alle_diagrammer_er_png_paa_16_x_8_cm():
    for png in (
        diagram.soylediagram(["A", "B"], [1, 2], "Tittel"),
        diagram.avvik_per_kvartal(PER_KVARTAL),
        diagram.avvik_per_paragraf(PER_PARAGRAF),
        diagram.avvik_per_part(PER_PART),
    ):
        assert png.startswith(PNG_SIGNATUR)
        bredde, hoyde = storrelse(png)
        assert abs(bredde - round(16 / 2.54 * 150)) <= 1
        assert abs(hoyde - round(8 / 2.54 * 150)) <= 1


def test_samme_tall_gir_samme_bytes():
    assert diagram.avvik_per_kvartal(PER_KVARTAL) == diagram.avvik_per_kvartal(PER_KVARTAL)
    assert diagram.avvik_per_paragraf(PER_PARAGRAF) == diagram.avvik_per_paragraf(PER_PARAGRAF)
    # Rekkefølgen i ordboken spiller ingen rolle: kvartalene sorteres i tidsrekkefølge.
    baklengs = dict(reversed(list(PER_KVARTAL.items())))
    assert diagram.avvik_per_kvartal(baklengs) == diagram.avvik_per_kvartal(PER_KVARTAL)
    assert diagram.avvik_per_kvartal({**PER_KVARTAL, "2027 K1": 4}) != diagram.avvik_per_kvartal(
        PER_KVARTAL
    )


def test_png_uten_metadata():
    png = diagram.avvik_per_part(PER_PART)
    for blokk in (b"tEXt", b"iTXt", b"zTXt", b"tIME"):
        assert blokk not in png
    assert b"atplotlib" not in png


def test_tomme_data_gir_et_diagram():
    for png in (
        diagram.avvik_per_kvartal({}),
        diagram.avvik_per_paragraf({}),
        diagram.avvik_per_part({}),
        diagram.soylediagram([], [], "Ingenting"),
    ):
        assert png.startswith(PNG_SIGNATUR)
    # «Ingen avvik i perioden» er tegnet: bildet er ikke likt et med bare nuller.
    assert diagram.avvik_per_kvartal({}) != diagram.avvik_per_kvartal({"2026 K1": 0})


def test_norske_og_lange_etiketter():
    lang = "Særlige bestemmelser om økonomi, ansvar og å følge opp " * 4
    assert diagram.avvik_per_paragraf({lang: 1, "§ 2 Formål": 0}).startswith(PNG_SIGNATUR)
    etiketter = [f"Kategori {i} æøå ÆØÅ {lang}" for i in range(12)]
    png = diagram.soylediagram(etiketter, list(range(12)), "Tittel med æøå\nog linjeskift")
    assert png.startswith(PNG_SIGNATUR)
    mange = {f"§ {i} Paragraf om noe viktig": i % 3 for i in range(1, 16)}
    _bredde, hoyde = storrelse(diagram.avvik_per_paragraf(mange))
    assert hoyde > round(8 / 2.54 * 150)  # mange liggende søyler gir et høyere diagram


def test_ugyldige_verdier():
    with pytest.raises(ValueError, match="like mange"):
        diagram.soylediagram(["A"], [1, 2], "Tittel")
    with pytest.raises(ValueError, match="hele tall"):
        diagram.soylediagram(["A"], [-1], "Tittel")
    with pytest.raises(ValueError, match="hele tall"):
        diagram.avvik_per_kvartal({"2026 K1": 1.5})


def test_alt_tekst():
    assert (
        diagram.alt_tekst({"2026 K2": 1, "2026 K1": 2}, "Avvik per kvartal")
        == "Avvik per kvartal: 2026 K1: 2, 2026 K2: 1."
    )
    assert diagram.alt_tekst({}, "Avvik per paragraf") == (
        "Avvik per paragraf: ingen avvik i perioden."
    )
    # Naturlig rekkefølge: § 6 før § 10; æ, ø og å etter z.
    assert diagram.alt_tekst(PER_PARAGRAF, "Avvik").startswith(
        "Avvik: § 6 Varsling før løslatelse: 3, § 7 Bolig"
    )
    assert diagram.alt_tekst({"Åsen": 1, "Ørland": 2, "Zeta": 3, "Bodø": 4}, "Per part") == (
        "Per part: Bodø: 4, Zeta: 3, Ørland: 2, Åsen: 1."
    )
    assert (
        diagram.alt_tekst({"To\nlinjer": 1}, "Avvik\nper part") == "Avvik per part: To linjer: 1."
    )


def test_kvartal():
    assert diagram.kvartal(date(2026, 1, 1)) == "2026 K1"
    assert diagram.kvartal(date(2026, 6, 30)) == "2026 K2"
    assert diagram.kvartal(date(2026, 7, 1)) == "2026 K3"
    assert diagram.kvartal(date(2026, 12, 31)) == "2026 K4"
