"""Måler overgangen og tallene den gir: overgangsskjemaet og avtalens vedlegg 2 med ekte
LibreOffice, § 10-tallene for en avtale, oversikten over vanskeligstilte, forsiden med de
forfalte oppgavene, og redline-DOCX-en med sporede endringer.

Kjør: `.venv/bin/python -m bench.overgang [--planer 500]`. Hver plan har en overgang (med
minstelisten), utfall på løslatelsesdagen og etter 6 måneder, og to kartlegginger.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.instans import apne_instans
from bench.planer import median_ms
from dokumenter.avtaler import produksjon, signering
from dokumenter.avtaler import skriving as avtaler
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.infrastruktur.maler import les_mal
from dokumenter.infrastruktur.redline import sammenligning_docx
from dokumenter.infrastruktur.render import PartData, kontekst, render_docx
from dokumenter.infrastruktur.sammenligning import avsnitt_fra_docx, sammenlign
from dokumenter.infrastruktur.vedlegg import legg_ved
from dokumenter.models import Avtale
from dokumenter.overgang import kartlegging, oversikt, skjema, skriving, statistikk, utfall
from dokumenter.parter import skriving as parter
from dokumenter.planer import lagring
from dokumenter.sider.forside import forside

SKJEMA = {
    "husleie": "8 000 kr den 1. hver måned.",
    "husordensregler": "Ro etter kl. 23.",
    "strom": "Avtale i eget navn.",
    "ma_vite": "Ring booppfølgeren.",
    "tilstand": "Pent.",
}


def _plan(tj, part_id: int, avtale_id: int, koord: int, i: int) -> None:
    plan_id = lagring.opprett(tj, f"Person {i}", date(1980, 1, 1), part_id, koord, avtale_id)
    skriving.start(tj, plan_id, koord)
    losladt = date.today() - timedelta(days=200 + i % 30)
    skriving.oppdater(tj, plan_id, {"tilbud_dato": losladt - timedelta(days=10)}, koord)
    midlertidig = i % 7 == 0
    utfall.registrer(
        tj,
        plan_id,
        {
            "punkt": "losladt",
            "dato": losladt,
            "utfall": "midlertidig" if midlertidig else "fast_bolig",
            "arsak": "Ingen bolig klar" if midlertidig else "",
        },
        koord,
    )
    utfall.registrer(
        tj,
        plan_id,
        {"punkt": "6_mnd", "dato": losladt + timedelta(days=185), "utfall": "beholdt"},
        koord,
    )
    for dager, kategori, under, niva in (
        (400, "uten_bolig", "fengsel", 3 + i % 2),
        (30, "bosatt", "bosatt", 2),
    ):
        data = {
            "kategori": kategori,
            "underkategori": under,
            "behovsniva": niva,
            "gyldig_fra": date.today() - timedelta(days=dager),
        }
        kartlegging.registrer(tj, plan_id, data, koord)


def _pdf(tj, avtale_id: int) -> bytes:
    with tj.sesjoner() as s:
        return tj.lager.les(s.get(Avtale, avtale_id).siste_versjon.dokument("pdf").sha256)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--planer", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as mappe:
        rot = Path(mappe)
        inn, tj = apne_instans(rot, plannokkel=True)
        koord = brukere.opprett_bruker(
            tj, "koord", "Koordinator", "saksbehandler", "Hvalross-fjord-lykt-73"
        )
        part = parter.opprett_part(
            tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": demo.fiktivt_orgnr(1)}
        )
        verdier = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
        dele = PartData("Bodø fengsel", "fengsel", "fengsel", "974760673", "Bodø")

        with VarmKonverterer(inn.uno_venv) as lo:
            tj.konverterer = lo
            avtale = avtaler.opprett_utkast(tj, part.id, verdier, koord.id)
            opprett = median_ms(lambda: avtaler.opprett_utkast(tj, part.id, verdier, koord.id), 5)
            vedlegg = median_ms(lambda: produksjon.avviksskjema_vedlegg(tj, dele, verdier), 5)
            mal = tj.mal(produksjon.MAL)
            ctx = kontekst(
                mal, dele, mal.valider(verdier), mal.variant_for("fengsel"), date.today()
            )
            pdf = lo.til_pdfa(render_docx(mal, ctx))
            ekstra = produksjon.avviksskjema_vedlegg(tj, dele, verdier)
            sla_sammen = median_ms(lambda: legg_ved(pdf, ekstra), 20)
            # Avtalen er inngått (skannet kopi); overgangsskjemaet med ekte LibreOffice.
            signering.last_opp_signert(tj, avtale.id, _pdf(tj, avtale.id), koord.id)
            _plan(tj, part.id, avtale.id, koord.id, 0)
            lag = median_ms(lambda: skjema.lag(tj, 1, SKJEMA, koord.id), 5)

        t = time.perf_counter()
        for i in range(1, args.planer):
            _plan(tj, part.id, avtale.id, koord.id, i)
        oppbygging = time.perf_counter() - t
        idag = date.today()
        p10 = median_ms(
            lambda: statistikk.paragraf10(tj, avtale.id, idag - timedelta(days=365), idag), 20
        )
        ov = median_ms(lambda: oversikt.oversikt(tj), 10)
        csv = median_ms(lambda: oversikt.oversikt(tj).csv(), 5)
        fs = median_ms(lambda: forside(tj, koord.id, "bench"), 10)

        mal = les_mal(REPO_ROT / "maler", produksjon.MAL)

        def tekst(partstype: str) -> list:
            v = mal.valider({**mal.standardverdier(), **demo.AVTALEFELT})
            ctx = kontekst(mal, dele, v, mal.variant_for(partstype), date.today())
            return avsnitt_fra_docx(render_docx(mal, ctx))

        a, b = tekst("fengsel"), tekst("dps")
        s = sammenlign(a, b)
        redline = median_ms(lambda: sammenligning_docx(s, "T", "", [], "Kari"), 20)

    print(f"Avtale (utkast) med vedlegg 2, ekte LibreOffice, median av 5: {opprett[0]:.0f} ms")
    print(f"  herav vedlegg 2 (avviksskjema, utfylling + PDF/A), median: {vedlegg[0]:.0f} ms")
    print(f"  herav sammenslåing av PDF-ene (pypdf), median: {sla_sammen[0]:.1f} ms")
    print(f"Overgangsskjema, ny versjon med ekte LibreOffice, median av 5: {lag[0]:.0f} ms")
    print(
        f"Oppbygging: {args.planer} planer med overgang, utfall og kartlegging: {oppbygging:.1f} s"
    )
    print(f"§ 10-tallene for avtalen ({args.planer} planer), median: {p10[0]:.1f} ms")
    print(f"Oversikten over vanskeligstilte, median: {ov[0]:.1f} ms (med CSV {csv[0]:.1f} ms)")
    print(f"Forsiden (koordinator for {args.planer} overganger), median: {fs[0]:.1f} ms")
    print(f"Redline-DOCX med sporede endringer (fengsel mot DPS), median: {redline[0]:.1f} ms")


if __name__ == "__main__":
    main()
