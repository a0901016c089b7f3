"""Felles for nettlesertestene: appen på en ledig port i en tråd, Debians chromium, nye sider
og e-posten fra SMTP-sinken i rekkefølge."""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from dokumenter.infrastruktur.forsegling import Verifikasjon, verifiser
from dokumenter.infrastruktur.smtpsink import Mottatt, SmtpSink
from tests.stotte.oppsett import PASSORD
from web import create_app
from web.lenker import Weblenker

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_VALG = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def kjorende_app(tj: Any) -> Iterator[str]:
    """Appen over `tj` på 127.0.0.1 og en ledig port; gir adressen."""
    app = create_app(tj)
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    adresse = f"http://127.0.0.1:{srv.server_port}"
    tj.lenker = Weblenker(app, adresse)  # lenkene i e-post peker til denne serveren
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield adresse
    finally:
        srv.shutdown()


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        nettleser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_VALG)
        try:
            yield nettleser
        finally:
            nettleser.close()


def ny_side(nettleser):
    """En side i en ny kontekst (egne informasjonskapsler), norsk og med 20 s ventetid."""
    kontekst = nettleser.new_context(accept_downloads=True, locale="nb-NO")
    kontekst.set_default_timeout(20_000)
    return kontekst.new_page()


def logg_inn(side, server: str, brukernavn: str, passord: str = PASSORD) -> None:
    """Logg inn som ansatt på `server` i nettleseren (samme skjema som en bruker fyller ut)."""
    side.goto(server + "/logg-inn")
    side.get_by_label("Brukernavn").fill(brukernavn)
    side.get_by_label("Passord").fill(passord)
    side.get_by_role("button", name="Logg inn").click()


def melding(side, tekst: str):
    """Statusmeldingen (flash) som inneholder `tekst`."""
    return side.get_by_role("status").filter(has_text=tekst)


def kontroller(pdf: bytes, sertifikat: Path) -> Verifikasjon:
    """`verifiser` fra testtråden, der Playwrights synkrone API har en asyncio-løkke gående
    (forsegling.py tåler det)."""
    return verifiser(pdf, [sertifikat])


class Postkasse:
    """Leser e-postene til hver adresse i rekkefølge, så en uventet e-post gir en tydelig feil."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink
        self.lest: Counter[str] = Counter()

    def neste(self, til: str) -> Mottatt:
        self.lest[til] += 1
        return self.sink.vent_pa(til, self.lest[til], timeout=15)[self.lest[til] - 1]
