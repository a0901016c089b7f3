"""`python -m web` med flere arbeidsprosesser (web/arbeidere.py), prøvd som ekte tjener i egen
prosess: to arbeidere på én port svarer begge, hver har sin varme LibreOffice før første
forespørsel, demo-postkassen virker, og SIGTERM etterlater ingen prosesser."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur import prosesser

pytestmark = pytest.mark.libreoffice


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _barn(pid: int) -> set[int]:
    try:
        tekst = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in tekst.split()}


def _skrevet(pid: int) -> int:
    """Byte prosessen har skrevet (også til sokler): vokser når arbeideren svarer."""
    for linje in Path(f"/proc/{pid}/io").read_text().splitlines():
        if linje.startswith("wchar:"):
            return int(linje.split()[1])
    raise AssertionError(pid)


def _varme_eiere(instans: Path) -> set[int]:
    """Prosessene som eier en startet LibreOffice i instansen (PID-filene)."""
    eiere = set()
    for fil in (instans / prosesser.MAPPE).glob(f"*/{prosesser.PIDFIL}"):
        with contextlib.suppress(OSError, ValueError):
            eiere.add(json.loads(fil.read_text())["eier"])
    return eiere


def _instansens_prosesser(instans: Path) -> list[int]:
    """Prosesser som nevner instansmappen på kommandolinjen (LibreOffice-profilene)."""
    merke = str(instans).encode()
    funnet = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            with contextlib.suppress(OSError):
                if merke in (p / "cmdline").read_bytes():
                    funnet.append(int(p.name))
    return funnet


def _vent(sjekk, sekunder: float) -> bool:
    slutt = time.monotonic() + sekunder
    while time.monotonic() < slutt:
        if sjekk():
            return True
        time.sleep(0.2)
    return bool(sjekk())


def _hent(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as svar:
        return svar.status, svar.read()


def _start(instans: Path, port: int) -> subprocess.Popen:
    """`python -m web` med to arbeidere og demo-postkassen, uten miljøets DOKUMENTER_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DOKUMENTER_INSTANS=str(instans),
        DOKUMENTER_DEMO="1",
        DOKUMENTER_ARBEIDERE="2",
        PORT=str(port),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "web"],
        cwd=REPO_ROT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_to_arbeidere_svarer_begge_og_stopper_rent(tmp_path):
    instans, port = tmp_path / "instans", _ledig_port()
    hoved = _start(instans, port)
    url = f"http://127.0.0.1:{port}"
    try:
        assert _vent(lambda: len(_barn(hoved.pid)) == 2 or hoved.poll() is not None, 60)
        arbeidere = _barn(hoved.pid)
        assert len(arbeidere) == 2, hoved.stderr.read() if hoved.poll() is not None else ""
        # Hver arbeider starter sin LibreOffice selv, før noen har bedt om en konvertering.
        assert _vent(lambda: _varme_eiere(instans) >= arbeidere, 120), _varme_eiere(instans)

        assert _vent(lambda: _kan_koble(port), 30)
        for _ in range(2):  # opp til arbeidere kan ta tid; så måles det som skrives
            foer = {p: _skrevet(p) for p in arbeidere}
            with ThreadPoolExecutor(8) as pool:
                svar = list(pool.map(_hent, [url + "/logg-inn"] * 80))
            assert {status for status, _ in svar} == {200}
            okt = {p: _skrevet(p) - foer[p] for p in arbeidere}
            if all(n >= len(svar[0][1]) for n in okt.values()):
                break
        assert all(n >= len(svar[0][1]) for n in okt.values()), okt  # begge svarte

        # Demo-postkassen (sinken kjører i hovedprosessen) leses fra arbeiderne.
        status, innhold = _hent(url + "/demo/epost")
        assert status == 200 and "DEMO" in innhold.decode()

        lo = _instansens_prosesser(instans)
        assert len(lo) >= 2  # minst én LibreOffice-prosess per arbeider
        hoved.send_signal(signal.SIGTERM)
        assert hoved.wait(timeout=60) == 0
    finally:
        if hoved.poll() is None:
            hoved.kill()
            hoved.wait()
        hoved.stderr.close()
    assert _vent(lambda: not any(Path(f"/proc/{p}").exists() for p in arbeidere), 10)
    assert _vent(lambda: _instansens_prosesser(instans) == [], 10), _instansens_prosesser(instans)
    assert not _kan_koble(port)


def _kan_koble(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5):
            return True
    except OSError:
        return False


def test_antall_arbeidere_er_kjernene_uten_innstilling():
    from dokumenter.felles.innstillinger import Innstillinger
    from web.arbeidere import antall_arbeidere

    inn = Innstillinger.fra_miljo(REPO_ROT / "instance", miljo={})
    assert antall_arbeidere(inn) == len(os.sched_getaffinity(0))
    assert antall_arbeidere(inn.med(arbeidere=3)) == 3
    miljo = {"DOKUMENTER_ARBEIDERE": "5"}
    assert Innstillinger.fra_miljo(REPO_ROT / "instance", miljo=miljo).arbeidere == 5


def test_hovedprosessen_drept_med_sigkill_etterlater_ingen_arbeider_eller_libreoffice(tmp_path):
    """Kjernen gir hver arbeider SIGTERM når hovedprosessen dør (PR_SET_PDEATHSIG), så
    arbeiderne stopper sin LibreOffice også når ingen rakk å be dem om det."""
    instans, port = tmp_path / "instans", _ledig_port()
    hoved = _start(instans, port)
    try:
        assert _vent(lambda: len(_barn(hoved.pid)) == 2 or hoved.poll() is not None, 60)
        arbeidere = _barn(hoved.pid)
        assert len(arbeidere) == 2, hoved.stderr.read() if hoved.poll() is not None else ""
        assert _vent(lambda: _varme_eiere(instans) >= arbeidere, 120), _varme_eiere(instans)
        hoved.kill()
        hoved.wait()
    finally:
        if hoved.poll() is None:
            hoved.kill()
            hoved.wait()
        hoved.stderr.close()
    assert _vent(lambda: not any(Path(f"/proc/{p}").exists() for p in arbeidere), 30)
    assert _vent(lambda: _instansens_prosesser(instans) == [], 30), _instansens_prosesser(instans)
    assert not _kan_koble(port)
