"""R5: LibreOffice-serveren (unoserver + soffice, i egen prosessgruppe, ~250 MB) ble
foreldreløs etter hver krasj og etter en vanlig SIGTERM. Nå stopper SIGTERM og SIGINT av appen
og kommandoene hele prosessgruppen, og neste oppstart av samme instans stopper en server som
en prosess drept med SIGKILL etterlot (funnet via PID-filen i instansmappen).

Testene teller prosessene som hører til testens egen instans: soffice/unoserver-prosesser med
instansens mappe på kommandolinjen (profilen ligger under `instans/konverterer/`)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import apne
from tests.stotte.oppsett import PASSORD

pytestmark = pytest.mark.libreoffice

BARN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from dokumenter.infrastruktur import prosesser
    from dokumenter.tjenester import apne
    from tests.stotte.oppsett import lag_innstillinger

    prosesser.avslutt_ved_signal()  # som appen og kommandolinjen
    tj = apne(lag_innstillinger(Path(sys.argv[1])))
    tj.konverterer.start()
    print("KLAR", flush=True)
    time.sleep(600)
    """
)


GENERER = ["--type", "fengsel", "--bruker", "kari", "--verdier"]


def lo_prosesser(instans: Path) -> list[int]:
    """soffice- og unoserver-prosesser som har instansens mappe på kommandolinjen."""
    merker = (str(instans).encode(), Path(instans).as_uri().encode())
    funnet = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            kommando = (p / "cmdline").read_bytes()
        except OSError:
            continue
        navn = kommando.split(b"\0")[:4]
        if any(b"soffice" in d or b"unoserver" in d for d in navn) and any(
            m in kommando for m in merker
        ):
            funnet.append(int(p.name))
    return funnet


def vent_til(betingelse, sekunder: float = 60) -> bool:
    frist = time.monotonic() + sekunder
    while time.monotonic() < frist:
        if betingelse():
            return True
        time.sleep(0.2)
    return betingelse()


def test_sigkill_og_ny_oppstart_stopper_den_foreldrelose(tj):
    instans = tj.innstillinger.instans
    assert lo_prosesser(instans) == []
    barn = subprocess.Popen(
        [sys.executable, "-c", BARN, str(instans)], cwd=REPO_ROT, stdout=subprocess.PIPE, text=True
    )
    assert barn.stdout.readline().strip() == "KLAR"
    assert len(lo_prosesser(instans)) >= 2  # unoserver og soffice.bin
    barn.send_signal(signal.SIGKILL)
    barn.wait(timeout=30)
    time.sleep(0.5)
    assert lo_prosesser(instans), "serveren skulle ha overlevd SIGKILL av eieren"

    apne(tj.innstillinger).lukk()  # ny oppstart av samme instans
    assert vent_til(lambda: lo_prosesser(instans) == [], 10), lo_prosesser(instans)
    assert list((instans / "konverterer").glob("dokumenter-lo-*")) == []


def test_oppstart_rorer_ikke_en_levende_eiers_server(tj):
    instans = tj.innstillinger.instans
    barn = subprocess.Popen(
        [sys.executable, "-c", BARN, str(instans)], cwd=REPO_ROT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert barn.stdout.readline().strip() == "KLAR"
        for_ = sorted(lo_prosesser(instans))
        apne(tj.innstillinger).lukk()
        assert sorted(lo_prosesser(instans)) == for_ and for_
    finally:
        barn.send_signal(signal.SIGTERM)  # barnet rydder selv (SystemExit, så atexit)
        barn.wait(timeout=30)
    assert vent_til(lambda: lo_prosesser(instans) == [], 10), lo_prosesser(instans)


def _miljo(instans: Path, **ekstra: str) -> dict[str, str]:
    return {**os.environ, "DOKUMENTER_INSTANS": str(instans), **ekstra}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_kommando_avbrutt_med_signal_stopper_konvertereren(tj, saksbehandler, signum, tmp_path):
    instans = tj.innstillinger.instans
    verdier = tmp_path / "verdier.json"
    verdier.write_text(json.dumps(AVTALEFELT), encoding="utf-8")
    for nr in range(1, 4):
        parter.opprett_part(
            tj,
            {
                "navn": f"Fengsel {nr}",
                "type": "fengsel",
                "orgnr": fiktivt_orgnr(nr),
                "kontaktpersoner": [{"navn": "Åse Ødegård"}],
            },
        )
    kommando = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dokumenter",
            "avtale",
            "generer-alle",
            *GENERER,
            str(verdier),
        ],
        cwd=REPO_ROT,
        env=_miljo(instans),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert vent_til(lambda: len(lo_prosesser(instans)) >= 2), "LibreOffice startet ikke"
        kommando.send_signal(signum)
        kode = kommando.wait(timeout=60)
    finally:
        if kommando.poll() is None:
            kommando.kill()
    assert kode != 0
    assert vent_til(lambda: lo_prosesser(instans) == [], 10), lo_prosesser(instans)


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_appen_stoppet_med_sigterm_etterlater_ingen_prosesser(tj, saksbehandler):
    """`python -m web` lager et utkast (LibreOffice starter), og får så SIGTERM."""
    instans = tj.innstillinger.instans
    part = parter.opprett_part(
        tj,
        {
            "navn": "Bodø fengsel",
            "type": "fengsel",
            "orgnr": fiktivt_orgnr(1),
            "kontaktpersoner": [{"navn": "Åse Ødegård"}],
        },
    )
    port = _ledig_port()
    app = subprocess.Popen(
        [sys.executable, "-m", "web"],
        cwd=REPO_ROT,
        env=_miljo(instans, DOKUMENTER_DEMO="1", PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        klient = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

        def hent(sti: str, data: dict | None = None) -> str:
            kodet = urllib.parse.urlencode(data).encode() if data is not None else None
            with klient.open(url + sti, data=kodet, timeout=120) as svar:
                return svar.read().decode()

        def oppe() -> bool:
            try:
                hent("/logg-inn")
            except OSError:
                return False
            return True

        assert vent_til(oppe, 30)
        side = hent("/logg-inn")
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', side).group(1)
        hent("/logg-inn", {"brukernavn": "kari", "passord": PASSORD, "csrf_token": csrf})
        side = hent("/avtaler/ny")
        felt = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', side))
        avtalefelt = {k: "" if v is None else str(v) for k, v in AVTALEFELT.items()}
        hent("/avtaler/ny", {**felt, **avtalefelt, "part_id": str(part.id)})
        assert len(lo_prosesser(instans)) >= 2  # utkastet ble laget med en varm LibreOffice
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=60)  # waitress tar SystemExit som en ren stopp (kode 0)
    finally:
        if app.poll() is None:
            app.kill()
    assert vent_til(lambda: lo_prosesser(instans) == [], 10), lo_prosesser(instans)
