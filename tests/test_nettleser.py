"""Én ekte nettleser (Debians chromium via Playwright): logg inn, lag et utkast, last det ned."""

from __future__ import annotations

import pytest
from docx import Document

from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.parter import skriving as parter
from tests.stotte.oppsett import PASSORD

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
pytest.importorskip("playwright.sync_api")


@pytest.fixture
def grunnlag(tj, saksbehandler):
    """Saksbehandleren Kari og Mosjøen fengsel med en kontaktperson."""
    parter.opprett_part(
        tj,
        {
            "navn": "Mosjøen fengsel",
            "type": "fengsel",
            "orgnr": fiktivt_orgnr(2),
            "kontaktpersoner": [{"navn": "Åse Ødegård", "rolle": "Sosialkonsulent"}],
        },
    )


@pytest.fixture
def side(nettleser):
    kontekst = nettleser.new_context(accept_downloads=True, locale="nb-NO")
    return kontekst.new_page()


def test_logg_inn_lag_utkast_og_last_ned(server, side):
    side.goto(server + "/avtaler/")
    assert "/logg-inn" in side.url
    side.get_by_label("Brukernavn").fill("kari")
    side.get_by_label("Passord").fill(PASSORD)
    side.keyboard.press("Enter")
    side.wait_for_url(server + "/avtaler/")

    side.get_by_role("link", name="Lag nytt utkast fra mønsteravtalen").click()
    side.get_by_label("Avtalepart").select_option(label="Mosjøen fengsel")
    side.get_by_label("Kommunens kontaktperson").fill("Kari Fjellheim")
    side.get_by_label("Kontaktpersonens telefon").fill("75 14 50 00")
    side.get_by_label("Kontaktpersonens e-post").fill("rus@example.no")
    side.locator("#gyldig_fra").fill("2008-01-01")
    side.get_by_role("button", name="Lag utkast").click()

    side.get_by_text("Utkastet er laget").wait_for()
    assert side.get_by_role("heading", name="Samarbeidsavtale med Mosjøen fengsel").is_visible()
    assert "løslatelse" in side.locator(".dokument").inner_text()

    with side.expect_download() as nedlasting:
        side.get_by_role("link", name="Last ned DOCX").click()
    fil = nedlasting.value
    assert fil.suggested_filename.endswith(".docx")
    tekst = "\n".join(p.text for p in Document(str(fil.path())).paragraphs)
    assert "Mosjøen fengsel" in tekst
