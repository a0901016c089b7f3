"""Måler forseglingen: segl + kontroll av en signert kopi, og kommandoen
`dokumenter signatur verifiser` fra start til svar.

    PYTHONPATH=. .venv/bin/python bench/forsegling.py [--antall 30]

Full størrelse (standard): `--antall 30`; rask runde (`make bench`): `--antall 5`.

Skriver medianer i ms. «Før» er pyHankos SimpleSigner lest på nytt ved hver forsegling (slik
koden gjorde før nøkkelen ble holdt i prosessen); de to måles vekselvis i samme kjøring, så
forholdet er sammenlignbart på en støyende maskin.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyhanko.sign import signers
from pypdf import PdfWriter

from dokumenter.infrastruktur.forsegling import lag_demo_segl, segl, verifiser

ROT = Path(__file__).resolve().parents[1]


def _pdf(sider: int) -> bytes:
    w = PdfWriter()
    for _ in range(sider):
        w.add_blank_page(595, 842)
    ut = io.BytesIO()
    w.write(ut)
    return ut.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--antall", type=int, default=30)
    args = parser.parse_args()
    mappe = Path(tempfile.mkdtemp(prefix="bench-segl-"))
    demo = lag_demo_segl(mappe)
    avtale, sider = _pdf(4), _pdf(1)
    ny = segl._forsegler

    def gammel(sg):
        return signers.SimpleSigner.load(str(sg.nokkel), str(sg.sertifikat))

    tider: dict[str, list[float]] = {"segl_for": [], "segl_na": [], "kontroll": []}
    kopi = segl.lag_signert_kopi(avtale, sider, demo, {})  # varm opp
    for _ in range(args.antall):
        for navn, forsegler in (("segl_for", gammel), ("segl_na", ny)):
            segl._forsegler = forsegler
            t0 = time.perf_counter()
            kopi = segl.lag_signert_kopi(avtale, sider, demo, {})
            tider[navn].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        assert verifiser(kopi, [demo.sertifikat]).gyldig
        tider["kontroll"].append(time.perf_counter() - t0)
    segl._forsegler = ny
    fil = mappe / "signert.pdf"
    fil.write_bytes(kopi)
    kommando = []
    for _ in range(max(5, args.antall // 3)):
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(ROT / ".venv/bin/dokumenter"),
                "signatur",
                "verifiser",
                str(fil),
                "--sertifikat",
                str(demo.sertifikat),
            ],
            check=True,
            capture_output=True,
            cwd=mappe,
        )
        kommando.append(time.perf_counter() - t0)

    def ms(verdier: list[float]) -> str:
        return f"{statistics.median(verdier) * 1000:.1f} ms"

    print(f"Segl før (nøkkelen lest ved hver forsegling): {ms(tider['segl_for'])}")
    print(f"Segl nå (nøkkelen holdt i prosessen):          {ms(tider['segl_na'])}")
    print(f"Kontroll (verifiser):                          {ms(tider['kontroll'])}")
    sum_na = statistics.median(tider["segl_na"]) + statistics.median(tider["kontroll"])
    print(f"Segl + kontroll nå:                            {sum_na * 1000:.1f} ms (mål ≤ 150 ms)")
    print(f"`dokumenter signatur verifiser` fra start:      {ms(kommando)} (mål ≤ 500 ms)")
    print(f"Python {sys.version.split()[0]}, {args.antall} runder")


if __name__ == "__main__":
    main()
