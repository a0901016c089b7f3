"""Måler hva øktene i databasen koster for en innlogget ansatt, mot den ekte tjeneren
(`python -m web` i egen prosess, over HTTP), og hva passordregelen (zxcvbn) koster.

Kjør: `.venv/bin/python -m bench.okter [--sider 300] [--kode /sti/til/annen/utsjekk]`.
Med `--kode` startes tjeneren fra en annen utsjekk (for eksempel main før øktene kom i
databasen), så samme måling gir før og etter. Hver kjøring har sin egen instans (SQLite).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from dokumenter.brukere.passord import passordfeil
from dokumenter.felles.innstillinger import REPO_ROT

PASSORD = "Hvalross-fjord-lykt-73"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def tider_ms(f, n: int) -> tuple[float, float]:
    """(median, 95-persentil) i millisekunder over n kall."""
    tider = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        tider.append((time.perf_counter() - t) * 1000)
    tider.sort()
    return statistics.median(tider), tider[int(len(tider) * 0.95) - 1]


class Nettleser:
    """Én forbindelse med informasjonskapsler, som en nettleser."""

    def __init__(self, port: int) -> None:
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.kapsler: dict[str, str] = {}

    def hent(self, metode: str, sti: str, skjema: dict | None = None) -> tuple[int, str]:
        hoder = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.kapsler.items())}
        kropp = urlencode(skjema) if skjema is not None else None
        if kropp is not None:
            hoder["Content-Type"] = "application/x-www-form-urlencoded"
        self.c.request(metode, sti, body=kropp, headers=hoder)
        svar = self.c.getresponse()
        tekst = svar.read().decode()
        for hode in svar.headers.get_all("Set-Cookie") or []:
            navn, _, rest = hode.partition("=")
            self.kapsler[navn] = rest.split(";")[0]
        return svar.status, tekst


def _start(kode: Path, instans: Path) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")}
    env.pop("DATABASE_URL", None)
    env.update(DOKUMENTER_INSTANS=str(instans), PORT=str(port), DOKUMENTER_DEMO="1")
    opprett = ["bruker", "opprett", "kari", "--navn", "Kari", "--rolle", "saksbehandler"]
    subprocess.run(
        [sys.executable, "-m", "dokumenter", *opprett],
        cwd=kode,
        env=env,
        input=f"{PASSORD}\n{PASSORD}\n",
        text=True,
        check=True,
        capture_output=True,
    )
    p = subprocess.Popen(
        [sys.executable, "-m", "web"],
        cwd=kode,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return p, port
        except OSError:
            time.sleep(0.2)
    p.kill()
    raise SystemExit("python -m web svarte ikke")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sider", type=int, default=300)
    ap.add_argument("--kode", type=Path, default=REPO_ROT)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as mappe:
        p, port = _start(args.kode.resolve(), Path(mappe) / "instans")
        try:
            b = Nettleser(port)
            _, side = b.hent("GET", "/logg-inn")
            skjema = {"brukernavn": "kari", "passord": PASSORD}
            status, _ = b.hent("POST", "/logg-inn", {**skjema, "csrf_token": CSRF.search(side)[1]})
            assert status == 302, status
            b.hent("GET", "/avtaler/")
            median, p95 = tider_ms(lambda: b.hent("GET", "/avtaler/"), args.sider)
            print(
                f"{args.kode}: GET /avtaler/ som innlogget ansatt, {args.sider} ganger: median "
                f"{median:.2f} ms, p95 {p95:.2f} ms (kapsler: {', '.join(b.kapsler)})"
            )
        finally:
            p.terminate()
            p.wait()

    median, p95 = tider_ms(lambda: passordfeil(PASSORD, "Kari", "kari", ""), 200)
    print(f"Passordregelen (zxcvbn): median {median:.1f} ms, p95 {p95:.1f} ms per passord")


if __name__ == "__main__":
    main()
