"""Signaler og barneprosesser (dokumenter/infrastruktur/prosesser.py), prøvd i egne prosesser
uten LibreOffice: en arbeider som rydder, tåler et SIGTERM til, og en prosess kan drepe
serverne den selv startet i egen sesjon."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from dokumenter.felles.innstillinger import REPO_ROT

RYDDER = textwrap.dedent(
    """
    import sys, time
    from dokumenter.infrastruktur import prosesser

    prosesser.avslutt_ved_signal(gjentatt_dreper=sys.argv[1] == "ja")
    try:
        print("KLAR", flush=True)
        time.sleep(60)
    finally:
        print("RYDDER", flush=True)
        time.sleep(1.5)  # et SIGTERM til kommer her
        print("FERDIG", flush=True)
    """
)


def _start(kode: str, *argumenter: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", kode, *argumenter],
        cwd=REPO_ROT,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    ("gjentatt_dreper", "kode", "ferdig"), [("nei", 143, True), ("ja", -15, False)]
)
def test_et_sigterm_til_under_oppryddingen(gjentatt_dreper, kode, ferdig):
    """Arbeiderne (gjentatt_dreper=False) rydder ferdig selv om kjernen sender SIGTERM igjen
    (PR_SET_PDEATHSIG kommer én gang per tråd i hovedprosessen); en kommando i terminalen
    stopper på andre signal."""
    proc = _start(RYDDER, gjentatt_dreper)
    try:
        assert proc.stdout.readline().strip() == "KLAR"
        proc.send_signal(signal.SIGTERM)
        assert proc.stdout.readline().strip() == "RYDDER"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == kode
        assert ("FERDIG" in proc.stdout.read()) is ferdig
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


STARTER_SERVER = textwrap.dedent(
    """
    import subprocess, sys, threading
    from dokumenter.infrastruktur import prosesser

    barn = []
    def start():  # fra en annen tråd, som varm-opp-tråden i arbeiderne
        barn.append(subprocess.Popen(["sleep", "600"], start_new_session=True))
    t = threading.Thread(target=start)
    t.start()
    t.join()
    uten_sesjon = subprocess.Popen(["sleep", "600"])
    stoppet = prosesser.stopp_egne_servere()
    barn[0].wait()
    print(stoppet, barn[0].returncode, uten_sesjon.poll(), flush=True)
    uten_sesjon.kill()
    uten_sesjon.wait()
    """
)


def test_stopp_egne_servere_dreper_bare_barn_som_leder_egen_gruppe():
    proc = _start(STARTER_SERVER)
    try:
        stoppet, serverens_kode, vanlig_lever = proc.stdout.readline().split()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    assert stoppet == "1"
    assert serverens_kode == str(-signal.SIGKILL)
    assert vanlig_lever == "None"  # et barn uten egen sesjon røres ikke
