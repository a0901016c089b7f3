"""Inkrementell oppdatering av søkeindeksen målt gjennom appens egen vei (til `bench/search.py`).

`avtaler.skriving.lagre_versjon` lagrer en ny versjon av en avtale i en ekte instans (mal,
varm LibreOffice, arkiv, SQLite, og så søkeindeksen, som leser teksten fra DOCX), med
instansens søkeindeks satt til den store syntetiske indeksen. Tiden deles i konvertering,
søkeindeks og resten ved å ta tiden på alle kall til `tj.konverterer` og `tj.indeks`; målingen
kjenner altså ikke lagringens indre vei og gjelder også om den endres (f.eks. en indeksjournal
som bare skriver det som er endret), så lenge indeksen oppdateres før lagringen svarer.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.instans import apne_instans
from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.parter import skriving as parter
from dokumenter.sok import indeksering

TILGANG = ["ansatte"]  # motorens standardgruppe


def ms(f: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    f()
    return (time.perf_counter() - t0) * 1000


class Stoppeklokke:
    """Står foran et objekt og summerer tiden i alle metodekall (så lagringens vei ikke
    trenger å være kjent: det som kalles på `tj.indeks`, telles)."""

    def __init__(self, objekt: Any) -> None:
        self._objekt, self.sekunder = objekt, 0.0

    def __getattr__(self, navn: str) -> Any:
        verdi = getattr(self._objekt, navn)
        if not callable(verdi):
            return verdi

        def tatt(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return verdi(*args, **kwargs)
            finally:
                self.sekunder += time.perf_counter() - t0

        return tatt


def oppdatering(indeksmappe: Path, antall: int) -> None:
    print(
        f"\nInkrementell oppdatering: avtaler.skriving.lagre_versjon (versjon 3) på {antall} "
        "avtaler i en ekte instans (SQLite, varm LibreOffice) med den store indeksen:"
    )
    with tempfile.TemporaryDirectory(prefix="sokbench-instans-") as tmp:
        rot = Path(tmp)
        inn, tj = apne_instans(rot, indeks=indeksmappe)
        b = brukere.opprett_bruker(tj, "bench", "Bench", "saksbehandler", "bench-fjord-lykt-73")
        part = parter.opprett_part(
            tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": demo.fiktivt_orgnr(1)}
        )
        verdier = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
        # Indeksens del av lagringen er jobbene i journalen, utført etter commit.
        ekte = indeksering.behandle_ventende
        indeks = Stoppeklokke(indeksering)
        indeksering.behandle_ventende = indeks.behandle_ventende
        ider, total, i_indeks, i_lo, forste = [], [], [], [], []
        with VarmKonverterer(inn.uno_venv) as lo:
            konv = Stoppeklokke(lo)
            tj.konverterer = konv
            for i in range(antall):
                avtale = skriving.opprett_utkast(tj, part.id, verdier, b.id)
                ider.append(avtale.id)
                skriving.lagre_versjon(tj, avtale.id, {**verdier, "varslingsfrist_dager": 3}, b.id)
                tj.indeks.sok("bolig", TILGANG)  # appen har en åpen søker
                indeks.sekunder = konv.sekunder = 0.0
                total.append(
                    ms(
                        lambda a=avtale.id, i=i: skriving.lagre_versjon(
                            tj, a, {**verdier, "varslingsfrist_dager": 10 + i}, b.id
                        )
                    )
                )
                i_indeks.append(indeks.sekunder * 1000)
                i_lo.append(konv.sekunder * 1000)
                forste.append(ms(lambda: tj.indeks.sok("bolig", TILGANG)))
        indeksering.behandle_ventende = ekte
        for i in ider:  # tilbake til det syntetiske arkivet
            tj.indeks.erstatt_objekt("avtale", i, list)
        tj.lukk()

    def m(tider: list[float]) -> str:
        return f"median {statistics.median(tider):6.0f} ms, maks {max(tider):6.0f} ms"

    rest = [t - a - b for t, a, b in zip(total, i_indeks, i_lo, strict=True)]
    print(f"  hele lagringen                          {m(total)}")
    print(f"    i LibreOffice (tj.konverterer)        {m(i_lo)}")
    print(f"    i søkeindeksen (journalen etter commit)   {m(i_indeks)}")
    print(f"    resten (mal, arkiv, database)         {m(rest)}")
    print(f"  første søk etterpå (ny søker)           {m(forste)}")
