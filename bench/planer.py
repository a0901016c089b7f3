"""Måler individuelle planer: lagring av en versjon, lesing med tilgangssjekk og logg, listen
(dekrypterer navnene), søk (planene brukeren kan åpne dekrypteres og søkes i minnet for hvert
søk; `--tilgang 50` planer × 3 versjoner for én fagperson), og sletting.

Kjør: `PYTHONPATH=. .venv/bin/python bench/planer.py`. Full størrelse (standard): `--planer 500
--avtaler 1000 --slett 50 --tilgang 50`; rask runde (`make bench`): `--planer 20 --avtaler 20
--slett 5`.
Lagring med ekte LibreOffice måles for seg; ellers står en ferdig PDF/A i for konverteringen
(som i bench/archive.py), så tallene viser vår egen kode.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from bench.archive import FerdigPdf
from bench.instans import apne_instans
from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.models import Plan
from dokumenter.parter import skriving as parter
from dokumenter.planer import avslutning, lesing
from dokumenter.planer import lagring as planer_lagring
from dokumenter.planer import sletting as planer_sletting
from dokumenter.sider import sok as sok
from tests.stotte.planverden import innhold


def median_ms(f, n: int) -> tuple[float, float]:
    """(median, maks) i millisekunder over n kall."""
    tider = _tider(f, n)
    return statistics.median(tider), max(tider)


def median_p95_ms(f, n: int) -> tuple[float, float]:
    """(median, p95) i millisekunder over n kall (det første, som varmer opp, telles ikke)."""
    f()
    tider = sorted(_tider(f, n))
    return statistics.median(tider), tider[min(n - 1, int(n * 0.95))]


def _tider(f, n: int) -> list[float]:
    tider = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        tider.append((time.perf_counter() - t) * 1000)
    return tider


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--planer", type=int, default=500)
    ap.add_argument("--avtaler", type=int, default=1000)
    ap.add_argument("--slett", type=int, default=50)
    ap.add_argument("--tilgang", type=int, default=50, help="planer (× 3 versjoner) for én bruker")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as mappe:
        rot = Path(mappe)
        inn, tj = apne_instans(rot, plannokkel=True)
        koord = brukere.opprett_bruker(
            tj, "koord", "Koordinator", "saksbehandler", "bench-fjord-lykt-73"
        )
        annen = brukere.opprett_bruker(tj, "annen", "Annen", "saksbehandler", "bench-fjord-lykt-73")
        part = parter.opprett_part(
            tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": demo.fiktivt_orgnr(1)}
        )
        verdier = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}

        with VarmKonverterer(inn.uno_venv) as lo:
            tj.konverterer = lo
            plan_id = planer_lagring.opprett(
                tj, "Ola Nordmann", date(1990, 1, 1), part.id, koord.id
            )
            versjon = [0]

            def lagre() -> None:
                planer_lagring.lagre_versjon(tj, plan_id, innhold(), koord.id, versjon[0])
                versjon[0] += 1

            lagre()  # første kall varmer opp
            lagring = median_ms(lagre, 10)
            avtale = skriving.opprett_utkast(tj, part.id, verdier, koord.id)
            with tj.sesjoner() as s:
                pdf_sha = s.get(skriving.Avtale, avtale.id).versjoner[0].dokument("pdf").sha256
        pdf = tj.lager.les(pdf_sha)
        tj.konverterer = FerdigPdf(pdf)
        kryptert = tj.chiffer.krypter(pdf)
        krypter = median_ms(lambda: tj.chiffer.krypter(pdf), 50)
        dekrypter = median_ms(lambda: tj.chiffer.dekrypter(kryptert), 50)

        t = time.perf_counter()
        for _ in range(args.avtaler):
            skriving.opprett_utkast(tj, part.id, verdier, koord.id)
        for i in range(args.planer):
            p = planer_lagring.opprett(tj, f"Person {i}", date(1980, 1, 1), part.id, koord.id)
            planer_lagring.lagre_versjon(tj, p, innhold(), koord.id, 0)
        fag = brukere.opprett_bruker(
            tj, "fag", "Fagperson", "saksbehandler", "bench-hval-myr-lykt-58"
        )
        for i in range(args.tilgang):
            p = planer_lagring.opprett(tj, f"Fag {i}", date(1985, 1, 1), part.id, fag.id)
            for v in range(3):
                planer_lagring.lagre_versjon(tj, p, innhold(gjennomforing=f"Runde {v}."), fag.id, v)
        oppbygging = time.perf_counter() - t
        sok_fag = median_p95_ms(
            lambda: sok.sok(tj, "leilighet", "saksbehandler", bruker_id=fag.id), 50
        )
        sok_fag_alle = median_p95_ms(
            lambda: sok.sok(
                tj, "leilighet", "saksbehandler", bruker_id=fag.id, bare_gjeldende=False
            ),
            50,
        )
        print(  # straks: resten av målingene tar tid
            f"Søk «leilighet», fagperson med {args.tilgang} planer × 3 versjoner: median "
            f"{sok_fag[0]:.1f} ms, p95 {sok_fag[1]:.1f} ms; alle versjoner: median "
            f"{sok_fag_alle[0]:.1f} ms, p95 {sok_fag_alle[1]:.1f} ms",
            flush=True,
        )

        les = median_ms(lambda: lesing.les(tj, plan_id, koord.id), 30)
        liste = median_ms(lambda: lesing.liste(tj, koord.id), 5)
        sok_koord = median_ms(
            lambda: sok.sok(tj, "leilighet", "saksbehandler", bruker_id=koord.id), 30
        )
        sok_annen = median_ms(
            lambda: sok.sok(tj, "leilighet", "saksbehandler", bruker_id=annen.id), 30
        )
        treff = sok.sok(tj, "leilighet", "saksbehandler", bruker_id=koord.id).totalt

        with tj.sesjoner() as s:
            ider = s.scalars(
                select(Plan.id)
                .where(Plan.koordinator_id == koord.id)  # fagpersonens planer står
                .order_by(Plan.id.desc())
                .limit(args.slett)
            ).all()
        for i in ider:
            avslutning.avslutt(tj, i, "Målt sletting.", koord.id)
        t = time.perf_counter()
        rapport = planer_sletting.slett_utlopte(tj, idag=date.today() + timedelta(days=4000))
        sletting = time.perf_counter() - t
        tj.lukk()

    print(f"Planer: {args.planer}, avtaler: {args.avtaler} (oppbygging {oppbygging:.0f} s)")
    print(
        f"Lagre en planversjon med ekte PDF/A: median {lagring[0]:.0f} ms (maks {lagring[1]:.0f})"
    )
    print(
        f"Kryptere / dekryptere en PDF/A på {len(pdf) // 1024} KB: "
        f"{krypter[0]:.2f} / {dekrypter[0]:.2f} ms"
    )
    print(f"Lese en plan (tilgang, dekryptering, logg): median {les[0]:.1f} ms")
    print(
        f"Planlisten med {args.planer + 1} planer (dekrypterer navnene): median {liste[0]:.0f} ms"
    )
    print(
        f"Søk «leilighet», koordinator med {args.planer + 1} planer ({treff} treff): "
        f"median {sok_koord[0]:.1f} ms; ansatt uten planer: {sok_annen[0]:.1f} ms"
    )
    print(
        f"Søk «leilighet», fagperson med {args.tilgang} planer × 3 versjoner (dekryptert og søkt "
        f"i minnet, med {args.avtaler + 1} avtaler i indeksen): median {sok_fag[0]:.1f} ms, "
        f"p95 {sok_fag[1]:.1f} ms; alle versjoner ({3 * args.tilgang}): median "
        f"{sok_fag_alle[0]:.1f} ms, p95 {sok_fag_alle[1]:.1f} ms"
    )
    print(
        f"Slette {len(rapport.planer)} planer (planene er ikke i indeksen): {sletting:.1f} s, "
        f"{sletting / max(1, len(rapport.planer)) * 1000:.0f} ms per plan"
    )


if __name__ == "__main__":
    main()
