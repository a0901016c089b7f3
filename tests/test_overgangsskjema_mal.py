"""Malen for overgangsskjemaet utfylt med alle delene (plikter, kontakter, avtaler, oppgaver,
inventar og signaturlinjer). Malsjekken og «bygget av skriptet» står i test_maler.py, for hver
mal."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from tests.stotte.maler import fyll_ut

MAL = "overgangsskjema"


def test_utfylt_skjema_har_alle_delene(mal):
    data = fyll_ut(
        mal,
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
        },
        date(2027, 1, 4),
    )
    doc = Document(io.BytesIO(data))
    tekst = "\n".join(p.text for p in doc.paragraphs)
    celler = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Ola & <Nordmann>" in celler
    assert "Storgata 1, 8622 Mo i Rana" in celler and "31. januar 2027" in celler
    assert "Sekundærkontakt" in celler and "Strøm" in celler and "Seng" in celler
    assert "Ingen registrert." in tekst  # avtalene er tomme
    assert "8. Signaturer" in tekst
    assert "For Bodø fengsel" in celler and celler.count("Sted og dato") == 2
