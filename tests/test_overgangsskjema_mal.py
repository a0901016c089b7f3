"""Malen for overgangsskjemaet: bygget av skriptet, i samsvar med manifestet, og utfylt med
alle delene (plikter, kontakter, avtaler, oppgaver, inventar og signaturlinjer)."""

from __future__ import annotations

import importlib.util
import io
from datetime import date

import pytest
from docx import Document

from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur.maler import les_mal, sjekk
from dokumenter.infrastruktur.render import PartData, kontekst, render_docx


@pytest.fixture(scope="module")
def mal():
    return les_mal(REPO_ROT / "maler", "overgangsskjema")


def test_malsjekken_finner_ingen_feil():
    assert sjekk(REPO_ROT / "maler", "overgangsskjema") == []


def test_malfilen_er_bygget_av_skriptet(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "bygg_overgangsskjema", REPO_ROT / "tools" / "bygg_overgangsskjema.py"
    )
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    modul.lagre(modul.bygg(), tmp_path / "ut.docx")
    assert (tmp_path / "ut.docx").read_bytes() == (
        REPO_ROT / "maler" / "overgangsskjema.docx"
    ).read_bytes(), "maler/overgangsskjema.docx er utdatert: kjør tools/bygg_overgangsskjema.py"


def test_utfylt_skjema_har_alle_delene(mal):
    verdier = mal.valider(
        {
            "kommune_navn": "Rana kommune",
            "plan_nummer": "IP-2026-001",
            "skjema_versjon": 2,
            "person_navn": "Ola & <Nordmann>",
            "person_fodselsdato": "1988-05-17",
            "institusjon_navn": "Bodø fengsel",
            "bolig": "Storgata 1, 8622 Mo i Rana",
            "tilbud_dato": "2027-01-04",
            "overgang_slutt": "2027-01-31",
            "kontakter": [{"rolle": "Sekundærkontakt", "navn": "Kari", "tjeneste": "NAV"}],
            "oppgaver": [
                {"oppgave": "Strøm", "ansvarlig": "Nils", "frist": "18.01.2027", "status": "Åpen"}
            ],
            "husleie": "8 000 kr\nfast trekk",
            "husordensregler": "Ro etter 23",
            "strom": "Tibber",
            "ma_vite": "Ring Kari",
            "avtaler": [],
            "inventar": [{"gjenstand": "Seng", "antall": "1", "tilstand": "God"}],
            "tilstand": "Pent",
        }
    )
    part = PartData("Bodø fengsel", "fengsel", "fengsel", "974760673", "Bodø")
    ctx = kontekst(mal, part, verdier, mal.variant_for("fengsel"), date(2027, 1, 4))
    doc = Document(io.BytesIO(render_docx(mal, ctx)))
    tekst = "\n".join(p.text for p in doc.paragraphs)
    celler = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Ola & <Nordmann>" in celler
    assert "Storgata 1, 8622 Mo i Rana" in celler and "31. januar 2027" in celler
    assert "Sekundærkontakt" in celler and "Strøm" in celler and "Seng" in celler
    assert "Ingen registrert." in tekst  # avtalene er tomme
    assert "8. Signaturer" in tekst
    assert "For Bodø fengsel" in celler and celler.count("Sted og dato") == 2
