"""Felles for nettlesertestene: appen på en ledig port i en tråd, og Debians chromium."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

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
