"""Måler arkivet i objektlageret (S3) mot arkivmappen: lagring og lesing av en fil på 100 KB
gjennom hele den krasjsikre veien (`lager.lagre`, `lager.les`), og lagring av en ny
avtaleversjon (som `bench/archive.py`: en ferdig PDF/A står i for LibreOffice).

Kjør: `PYTHONPATH=. .venv/bin/python bench/objektlager.py` (standard `--antall 50`). Uten
`--s3-url` startes en kastbar SeaweedFS på loopback (tests/stotte/s3.py); med `--s3-url`,
`--s3-boks`, `--s3-nokkel` og `--s3-hemmelighet` brukes en eksisterende (bøtta må finnes).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.archive import FerdigPdf
from bench.instans import apne_instans
from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.felles.innstillinger import S3Oppsett
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.models import Avtale
from dokumenter.parter import skriving as parter


def median_ms(n: int, steg: Callable[[int], object]) -> tuple[float, float]:
    tider = []
    for i in range(n):
        t0 = time.perf_counter()
        steg(i)
        tider.append((time.perf_counter() - t0) * 1000)
    return statistics.median(tider), sorted(tider)[min(n - 1, int(n * 0.95))]


def forbered(tj) -> tuple[int, int, dict]:
    """(bruker, avtale, feltverdiene): en bruker og et utkast (med konvertereren tj har)."""
    b = brukere.opprett_bruker(tj, "bench", "Bench", "saksbehandler", "bench-passord-1")
    part = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": demo.fiktivt_orgnr(1)}
    )
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
    return b.id, skriving.opprett_utkast(tj, part.id, verdier, b.id).id, verdier


def mal_lageret(navn: str, tj, n: int, pdf: bytes | None = None) -> bytes:
    """Skriver tallene for lageret i `tj`; gir PDF/A-en lagringene bruker (første gang laget
    av LibreOffice)."""
    filer = [os.urandom(100_000) for _ in range(n)]
    shaer: list[str] = []
    put = median_ms(n, lambda i: shaer.append(tj.lager.lagre(filer[i]).sha256))
    get = median_ms(n, lambda i: tj.lager.les(shaer[i]))
    print(
        f"{navn}: lagre 100 KB median {put[0]:.1f} ms (p95 {put[1]:.1f}), "
        f"les 100 KB median {get[0]:.1f} ms (p95 {get[1]:.1f}) (n={n})",
        flush=True,
    )
    if pdf is None:
        with VarmKonverterer(tj.innstillinger.uno_venv) as lo:
            tj.konverterer = lo
            bruker, avtale, verdier = forbered(tj)
        with tj.sesjoner() as s:
            pdf = tj.lager.les(s.get(Avtale, avtale).siste_versjon.dokument("pdf").sha256)
        tj.konverterer = FerdigPdf(pdf)
    else:
        tj.konverterer = FerdigPdf(pdf)
        bruker, avtale, verdier = forbered(tj)
    lagring = median_ms(
        n,
        lambda i: skriving.lagre_versjon(
            tj, avtale, {**verdier, "varslingsfrist_dager": i + 1}, bruker
        ),
    )
    print(
        f"{navn}: lagre en avtaleversjon (DOCX + ferdig PDF/A, SQLite) median "
        f"{lagring[0]:.1f} ms (p95 {lagring[1]:.1f}) (n={n})",
        flush=True,
    )
    return pdf


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--antall", type=int, default=50)
    ap.add_argument("--s3-url")
    ap.add_argument("--s3-boks", default="bench")
    ap.add_argument("--s3-nokkel")
    ap.add_argument("--s3-hemmelighet")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as mappe, contextlib.ExitStack() as stakk:
        rot = Path(mappe)
        _, tj = apne_instans(rot / "mappe")
        pdf = mal_lageret("Mappe", tj, args.antall)
        tj.lukk()

        if args.s3_url:
            s3 = S3Oppsett(args.s3_url, args.s3_boks, args.s3_nokkel, args.s3_hemmelighet)
        else:
            from tests.stotte.s3 import seaweedfs

            server = stakk.enter_context(seaweedfs())
            s3 = server.oppsett(server.ny_boks("bench"))
            print(f"SeaweedFS {server.url} (kastbar, loopback)", flush=True)
        _, tj = apne_instans(rot / "s3", s3=s3)
        mal_lageret("S3", tj, args.antall, pdf)
        tj.lukk()


if __name__ == "__main__":
    main()
