"""Avviksskjemaet: utfylling med fiendtlig tekst, svar- og lukkedelen, og PDF/A."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from dokumenter.felles.feil import Valideringsfeil
from tests.stotte.maler import avsnitt, fyll_ut, tekst

MAL = "avviksskjema"
FIENTLIG = "Varsel sendt <w:t>&\"' {{ ikke_kode }} ]]>\x00\x07\x1b"
HVA_SKJEDDE = (
    "Innsatt ble løslatt fredag uten varsel til kommunen.\n"
    f"{FIENTLIG}\n"
    "Kommunen fikk vite om løslatelsen først på mandag."
)
KONSEKVENS = "Personen måtte bo på hospits i tre døgn.\nMistet avtalt time hos NAV."

MELDT = {
    "kommune_navn": "Rana kommune",
    "part_navn": "Bodø fengsel",
    "avtale_versjon": "2",
    "avtale_dato": "01.06.2026",
    "avviksnummer": "2026-004",
    "paragraf": "§ 6 Varsling før løslatelse",
    "kategori": "Manglende varsling",
    "hendelsesdato": "2026-11-13",
    "hva_skjedde": HVA_SKJEDDE,
    "konsekvens": KONSEKVENS,
    "strakstiltak": "Boligkontoret skaffet midlertidig bolig.\nOppfølging fra rustjenesten.",
    "meldt_av_navn": "Åse Ødegård",
    "meldt_av_rolle": "Kontaktperson",
    "meldt_av_institusjon": 'Rustjenesten, R&D <enhet> "Mo"',
    "meldt_dato": "2026-11-16",
    "svarfrist": "2026-12-14",
    "mottaker": "Bodø fengsel",
}
BESVART = {
    **MELDT,
    "svar": "ja",
    "svar_forklaring": "Løslatelsen ble fremskyndet etter kjennelse.\nVarselet ble glemt.",
    "svar_tiltak": "Rutinen for varsling er gjennomgått med alle kontaktbetjenter.",
    "svar_av": "Pål Bråten, avdelingsleder",
    "svar_dato": "2026-11-26",
}
LUKKET = {
    **BESVART,
    "lukket_dato": "2026-12-02",
    "lukket_merknad": "Tiltaket er gjennomført. Tas opp ved årlig evaluering.",
}


def lag(mal, verdier: dict) -> bytes:
    return fyll_ut(mal, verdier, date(2026, 11, 26))


def test_meldt_avvik_uten_svar(mal):
    data = lag(mal, MELDT)
    t = tekst(data)
    for forventet in (
        "Avviksskjema – samarbeidsavtale",
        "Rana kommune",
        "Bodø fengsel",
        "1. juni 2026, versjon 2",
        "2026-004",
        "§ 6 Varsling før løslatelse",
        "Manglende varsling",
        "13. november 2026",
        "Åse Ødegård",
        "16. november 2026",
        "Personopplysninger skal ikke stå i skjemaet.",
        "8. Svar fra Bodø fengsel",
        "Ikke besvart ennå. Svarfrist: 14. desember 2026.",
        "Venter på svar, frist 14. desember 2026",
        "Avviket behandles etter samarbeidsavtalens bestemmelser om avvik og evaluering.",
        "generert 26. november 2026",
    ):
        assert forventet in t, forventet
    assert "Forklaring" not in t and "Besvart av" not in t
    assert "Lukking" not in t and "Lukket" not in t
    assert not re.search(r"\{%|%\}|\{\{ *[a-z_]+ *\}\}", t.replace("{{ ikke_kode }}", ""))


def test_fiendtlig_tekst_escapes_og_linjeskift_beholdes(mal):
    data = lag(mal, MELDT)
    deler = avsnitt(data)
    # Kontrolltegnene er fjernet ved valideringen; resten står ordrett, og linjeskiftene i
    # fritekstfeltet er linjeskift i samme avsnitt.
    rent = "Varsel sendt <w:t>&\"' {{ ikke_kode }} ]]>"
    assert HVA_SKJEDDE.replace(FIENTLIG, rent) in deler
    assert KONSEKVENS in deler
    assert 'Rustjenesten, R&D <enhet> "Mo"' in deler
    assert not any(c in "".join(deler) for c in "\x00\x07\x1b")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "&lt;w:t&gt;&amp;" in xml
    assert "<w:br/>" in xml


def test_svardelen_vises_bare_naar_avviket_er_besvart(mal):
    t = tekst(lag(mal, BESVART))
    assert "8. Svar fra Bodø fengsel" in t
    assert "Løslatelsen ble fremskyndet etter kjennelse.\nVarselet ble glemt." in t
    assert "Rutinen for varsling er gjennomgått med alle kontaktbetjenter." in t
    assert "Pål Bråten, avdelingsleder" in t
    assert "Besvart 26. november 2026" in t
    assert "Ikke besvart ennå" not in t
    assert "Lukking" not in t


def test_lukkedelen_vises_bare_naar_avviket_er_lukket(mal):
    t = tekst(lag(mal, LUKKET))
    assert "9. Lukking" in t
    assert "2. desember 2026" in t
    assert "Tiltaket er gjennomført. Tas opp ved årlig evaluering." in t
    assert "Lukket 2. desember 2026" in t
    assert "Pål Bråten, avdelingsleder" in t


def test_lukket_uten_svar_etter_fristen(mal):
    uten_svar = {
        **MELDT,
        "mottaker": "kommunen",
        "lukket_dato": "2026-12-20",
        "lukket_merknad": "Ikke besvart. Tas opp i ledermøtet.",
    }
    t = tekst(lag(mal, uten_svar))
    assert "8. Svar fra kommunen" in t
    assert "Ikke besvart innen svarfristen 14. desember 2026." in t
    assert "Ikke besvart ennå" not in t and "Forklaring" not in t
    assert "9. Lukking" in t and "Lukket 20. desember 2026" in t
    assert "Svaret fra kommunen skal være skriftlig" in t


def test_tomme_valgfrie_felt_gir_tomme_felt_i_skjemaet(mal):
    t = tekst(lag(mal, {**MELDT, "konsekvens": "", "strakstiltak": None}))
    assert "4. Konsekvens for personen" in t and "5. Strakstiltak" in t
    assert "None" not in t


def test_manifestet_krever_meldingen_men_ikke_svaret(mal):
    rene = mal.valider(MELDT)
    assert rene["svar"] is None and rene["lukket_dato"] is None
    assert rene["avtale_dato"] == "2026-06-01" and rene["avtale_versjon"] == 2
    with pytest.raises(Valideringsfeil) as e:
        mal.valider(
            {
                **MELDT,
                "hva_skjedde": "",
                "svarfrist": "31.02.2026",
                "svar": "kanskje",
                "svar_tiltak": "x" * 5001,
            }
        )
    assert set(e.value.feil) == {"hva_skjedde", "svarfrist", "svar", "svar_tiltak"}


@pytest.mark.libreoffice
def test_pdfa_med_norske_tegn_paa_en_til_to_sider(mal, konverterer):
    pdf = konverterer.til_pdfa(lag(mal, LUKKET))
    leser = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(leser.pages) <= 2
    pdf_tekst = "\n".join(s.extract_text() for s in leser.pages)
    for forventet in (
        "Avviksskjema",
        "Bodø fengsel",
        "Åse Ødegård",
        "Pål Bråten",
        "Tiltaket er gjennomført",
        "14. desember 2026",
        "Personopplysninger skal ikke stå i skjemaet.",
    ):
        assert forventet in pdf_tekst, forventet
    xmp = leser.xmp_metadata
    assert xmp is not None
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
