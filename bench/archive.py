"""Måler arkivet: lagring av en versjon, `verifiser`-gjennomstrømning og redline.

Kjør: `PYTHONPATH=. .venv/bin/python bench/archive.py`. Full størrelse (standard): `--versjoner
10000 --lagringer 50`; rask runde (`make bench`): `--versjoner 25 --lagringer 10`. Lagringen
måles uten PDF-konvertering (en ferdig PDF/A, gjort unik per versjon, står i for LibreOffice),
slik at tallet viser vår egen kode: utfylling, validering, fillager med fsync og databasen.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.drift import arkivdrift
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.infrastruktur.sammenligning import avsnitt_fra_docx, sammenlign
from dokumenter.noark import koble_til
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import apne


class FerdigPdf:
    """Står i for LibreOffice: en ekte PDF/A, gjort unik per kall med en kommentar til slutt."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf, self.n = pdf, 0

    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
        self.n += 1
        return self.pdf + f"\n% versjon {self.n}\n".encode()

    def lukk(self) -> None:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--versjoner", type=int, default=10_000)
    ap.add_argument("--lagringer", type=int, default=50)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as mappe:
        rot = Path(mappe)
        inn = Innstillinger(
            rot,
            f"sqlite:///{rot / 'bench.sqlite3'}",
            REPO_ROT / "maler",
            rot / "arkiv",
            REPO_ROT / ".venv-uno",
        )
        tj = koble_til(apne(inn))
        b = brukere.opprett_bruker(tj, "bench", "Bench", "saksbehandler", "bench-passord-1")
        part = parter.opprett_part(
            tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": demo.fiktivt_orgnr(1)}
        )
        verdier = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
        with VarmKonverterer(inn.uno_venv) as lo:
            tj.konverterer = lo
            avtale = skriving.opprett_utkast(tj, part.id, verdier, b.id)
            with tj.sesjoner() as s:
                pdf_sha = s.get(skriving.Avtale, avtale.id).versjoner[0].dokument("pdf").sha256
        tj.konverterer = FerdigPdf(tj.lager.les(pdf_sha))

        tider = []
        for i in range(args.lagringer):
            t0 = time.perf_counter()
            skriving.lagre_versjon(tj, avtale.id, {**verdier, "varslingsfrist_dager": i + 1}, b.id)
            tider.append((time.perf_counter() - t0) * 1000)
        p95 = sorted(tider)[int(len(tider) * 0.95)]
        print(
            f"Lagre en versjon (DOCX + ferdig PDF/A, fsync, SQLite): median "
            f"{statistics.median(tider):.1f} ms, p95 {p95:.1f} ms (n={args.lagringer}; mål ≤ 50 ms)"
        )

        t0 = time.perf_counter()
        fra = 1 + args.lagringer
        for i in range(fra, args.versjoner):
            skriving.lagre_versjon(
                tj, avtale.id, {**verdier, "varslingsfrist_dager": i % 365 + 1}, b.id
            )
        bygget = time.perf_counter() - t0
        print(f"Bygget arkiv med {args.versjoner} versjoner på {bygget:.0f} s")

        r = arkivdrift.verifiser(tj)
        print(
            f"verifiser: {r.kontrollert} filer, {r.bytes_lest / 1e6:.0f} MB på {r.sekunder:.2f} s "
            f"= {r.mb_per_sekund:.0f} MB/s (mål ≥ 200 MB/s), ren={r.ren}"
        )

        with tj.sesjoner() as s:
            versjoner = s.get(skriving.Avtale, avtale.id).versjoner
            gammel, ny = versjoner[0].dokument("docx").sha256, versjoner[1].dokument("docx").sha256
        gammel_docx, ny_docx = tj.lager.les(gammel), tj.lager.les(ny)
        tider = []
        for _ in range(20):
            t0 = time.perf_counter()
            sammenlign(avsnitt_fra_docx(gammel_docx), avsnitt_fra_docx(ny_docx))
            tider.append((time.perf_counter() - t0) * 1000)
        print(
            f"Redline av to versjoner (inkl. lesing av begge DOCX): median "
            f"{statistics.median(tider):.1f} ms (n=20; mål ≤ 200 ms)"
        )
        tj.lukk()


if __name__ == "__main__":
    main()
