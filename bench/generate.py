"""Måler generering: DOCX-utfylling, varm og kald PDF/A-konvertering, og en batch på 200 avtaler.

Kjør: `PYTHONPATH=. .venv/bin/python bench/generate.py`. Full størrelse (standard): `--batch 200
--render 50 --varm 20 --kald 5`; rask runde (`make bench`): `--batch 5 --render 10 --varm 5
--kald 1`. Skriver tallene ut; maskinen deles med andre, så se på medianer og forhold målt i
samme kjøring.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from dokumenter.avtaler import batch, produksjon
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur.konvertering import KaldKonverterer, KonverterPool, VarmKonverterer
from dokumenter.infrastruktur.maler import les_mal
from dokumenter.infrastruktur.render import PartData, kontekst, render_docx
from dokumenter.noark import koble_til
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import apne


def median_ms(funksjon, n: int) -> float:
    tider = []
    for _ in range(n):
        t0 = time.perf_counter()
        funksjon()
        tider.append((time.perf_counter() - t0) * 1000)
    return statistics.median(tider)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--render", type=int, default=50)
    ap.add_argument("--varm", type=int, default=20)
    ap.add_argument("--kald", type=int, default=5)
    args = ap.parse_args()

    mal = les_mal(REPO_ROT / "maler", produksjon.MAL)
    part = PartData("Bodø fengsel", "fengsel", "fengsel", "974760673", "Bodø")
    verdier = mal.valider({**mal.standardverdier(), **demo.AVTALEFELT})
    ctx = kontekst(mal, part, verdier, mal.variant_for("fengsel"), date.today())
    docx = render_docx(mal, ctx)

    render = median_ms(lambda: render_docx(mal, ctx), args.render)
    print(f"DOCX-utfylling:      median {render:7.1f} ms  (n={args.render}, {len(docx)} byte)")

    with VarmKonverterer(REPO_ROT / ".venv-uno") as varm:
        t0 = time.perf_counter()
        varm.til_pdfa(docx)
        oppstart = (time.perf_counter() - t0) * 1000
        for _ in range(3):  # de første konverteringene etter start er tregere
            varm.til_pdfa(docx)
        varm_ms = median_ms(lambda: varm.til_pdfa(docx), args.varm)
    print(f"Varm oppstart:       {oppstart:7.0f} ms (første konvertering, inkl. start av server)")
    print(f"Varm PDF/A:          median {varm_ms:7.1f} ms  (n={args.varm})")
    kald = KaldKonverterer()
    kald.til_pdfa(docx)  # første kalde start leser fonter og lager profil; ikke mål den
    kald_ms = median_ms(lambda: kald.til_pdfa(docx), args.kald)
    print(f"Kald soffice PDF/A:  median {kald_ms:7.1f} ms  (n={args.kald})")
    print(f"Forhold kald/varm:   {kald_ms / varm_ms:7.1f}x")

    with tempfile.TemporaryDirectory() as mappe:
        inn = Innstillinger.fra_miljo(mappe)
        inn = Innstillinger(
            inn.instans,
            f"sqlite:///{Path(mappe) / 'bench.sqlite3'}",
            inn.maler,
            Path(mappe) / "arkiv",
            inn.uno_venv,
        )
        tj = koble_til(apne(inn))
        tj.konverterer = KonverterPool(uno_venv=inn.uno_venv)
        b = brukere.opprett_bruker(tj, "bench", "Bench", "saksbehandler", "bench-passord-1")
        for i in range(args.batch):
            parter.opprett_part(
                tj, {"navn": f"Fengsel {i:03d}", "type": "fengsel", "orgnr": demo.fiktivt_orgnr(i)}
            )
        tj.konverterer.start()  # start alle serverne før klokka går
        t0 = time.perf_counter()
        rapport = batch.generer_alle(tj, "fengsel", b.id, ekstra=demo.AVTALEFELT)
        sek = time.perf_counter() - t0
        tj.lukk()
    print(
        f"Batch {args.batch} (DOCX+PDF/A, generer_alle): {sek:6.1f} s = "
        f"{len(rapport.ok) / sek:5.2f} avtaler/s ({len(rapport.feil)} feil)"
    )


if __name__ == "__main__":
    main()
