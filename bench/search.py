"""Måler søket: Whoosh (appens `Sokeindeks`) mot SQLite FTS5 på nøyaktig de samme dokumentene,
og med `--motor postgres` også appens søk i PostgreSQL (se `sokpostgres.py`).

Kjør fra depotroten: `PYTHONPATH=. .venv/bin/python bench/search.py`. Full størrelse (standard):
`--antall 100000 --sporringer 400 --oppvarming 100 --kalde 100 --oppdateringer 12`. Rask
runde (`make bench`): `--antall 1000 --sporringer 60 --oppvarming 20 --kalde 20
--oppdateringer 2`. På den delte 2-kjernemaskinen tar `--antall 20000` noen minutter.

Hva som måles, og hvordan det er gjort rettferdig:
- Samme dokumentmengde: FTS5 har én tabell med de gjeldende versjonene (det Whooshs delindeks
  `gjeldende` har) og én med alle versjoner (som `alle`); antall og id-er sjekkes like.
- FTS5 med rene ord og FTS5 med prefiks på stammen (`"avtal"*`, den rettferdige motparten til
  Whooshs stamming og delord) står side om side. Whoosh svarer med alt appen viser (side med
  20 treff og utdrag, totalt, fasettantall); FTS5 bare med treffsiden.
- Ulike spørringer: hver klasse (rene ord, prefiks, fasett, alle versjoner) har egne ulike
  spørringer på 1–3 ord trukket med fast frø fra ordforrådet; oppvarmingen bruker ord som
  ingen målt spørring har (hevdes i `sokesporringer.Sporringer.sjekk`). De tre motorene kjøres
  vekselvis spørring for spørring, så belastning fra andre rammer dem likt.
- Varm: én søker/forbindelse; termbufferen tømmes før hver klasse og fylles bare av
  oppvarmingen. Kald: ny `Sokeindeks` (ny søker, tomme buffere og filtre) og ny
  SQLite-forbindelse for hver spørring, og tiden tas med åpningen. Operativsystemets sidebuffer
  er varm (filene er nettopp skrevet og lest); den tømmes ikke, fordi maskinen er delt.
- Inkrementell oppdatering gjennom appens egen vei: `avtaler.skriving.lagre_versjon` på en
  avtale i en ekte instans (mal, ekte LibreOffice, arkiv, database, så indeksen med DOCX-lesing)
  der instansens søkeindeks er den store (se `sokoppdatering.py`).
- Gjenfinning (recall) på et merket sett bøyde, sammensatte og aa-former (`sokekorpus.MERKET`).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from whoosh import index, query
from whoosh.analysis import LanguageAnalyzer

from arkiv.sok.analyse import DELORDFELT, Leksikon, lag_parser, stamme
from arkiv.sok.indeks import Indeksdokument, Sokeindeks
from bench import sokpostgres
from bench.sokekorpus import (
    FASETTER,
    IKKE_SAMMENSATTE,
    SAMMENSATTE,
    Dok,
    Generator,
    Merket,
    plant_merket,
)
from bench.sokesporringer import Sporring, bygg_fts5, fts_sok, fts_uttrykk, lag_sporringer
from bench.sokoppdatering import TILGANG, ms, oppdatering
from dokumenter.sok.skjema import SOKESKJEMA, domenefelt

SYNTETISK = 1_000_000  # objekt_id-ene til det syntetiske arkivet starter her (ekte avtaler: 1…)
MOTORER = ["Whoosh", "FTS5 rene ord", "FTS5 prefiks"]  # + PostgreSQL med --motor postgres


def indeksdokument(d: Dok) -> Indeksdokument:
    avtale, versjon = d.id[1:].split("-v")
    return Indeksdokument(
        id=d.id,
        art="avtale",
        objekt_id=SYNTETISK + int(avtale),
        versjon=int(versjon),
        gjeldende=d.gjeldende,
        tittel=d.tittel,
        tekst=d.tekst,
        dato=d.dato,
        felt=domenefelt(
            part=d.part,
            partstype=d.partstype,
            sektor="",
            status=d.status,
            ansvarlig="",
            dato=d.dato,
        ),
    )


def mappestorrelse(sti: Path) -> float:
    return sum(f.stat().st_size for f in sti.rglob("*") if f.is_file()) / 1e6


def persentiler(tider: list[float]) -> tuple[float, float]:
    tider = sorted(tider)
    return statistics.median(tider), tider[min(len(tider) - 1, int(0.95 * len(tider)))]


def whoosh_sok(indeks: Sokeindeks, sp: Sporring, alle: bool) -> list[str]:
    filtre = dict([sp.fasett]) if sp.fasett else None
    return [
        t.id for t in indeks.sok(sp.tekst, TILGANG, filtre=filtre, bare_gjeldende=not alle).treff
    ]


# --- Søket: varmt og kaldt --------------------------------------------------------------


def mal_klasse(
    indeksmappe: Path,
    fts: Path,
    klasse: str,
    oppvarming: list[Sporring],
    malte: list[Sporring],
    kald: bool,
    pg: str | None = None,
) -> dict[str, list[float]]:
    """Tider i ms per motor for én klasse. Varm: én søker og én forbindelse, termbufferen tømt
    og fylt av oppvarmingen. Kald: ny søker og ny forbindelse for hver spørring."""
    alle = klasse == "alle versjoner"
    tabell = "alle" if alle else "gjeldende"
    tider: dict[str, list[float]] = {m: [] for m in MOTORER}
    if kald:
        for sp in malte:
            indeks = Sokeindeks(indeksmappe, SOKESKJEMA)
            tider["Whoosh"].append(ms(lambda i=indeks, sp=sp: whoosh_sok(i, sp, alle)))
            indeks.lukk()
            if pg:
                tider[sokpostgres.MOTOR].append(
                    ms(lambda sp=sp: sokpostgres.kald(pg, sp, alle))  # type: ignore[arg-type]
                )
            for motor, prefiks in (("FTS5 rene ord", False), ("FTS5 prefiks", True)):
                if sp.prefiks and not prefiks:
                    continue

                def fts_kald(sp=sp, prefiks=prefiks) -> None:
                    db = sqlite3.connect(fts)
                    fts_sok(db, tabell, sp, prefiks)
                    db.close()

                tider[motor].append(ms(fts_kald))
        return tider
    indeks = Sokeindeks(indeksmappe, SOKESKJEMA)
    db = sqlite3.connect(fts)
    varm_pg = sokpostgres.Varm(pg) if pg else None
    whoosh_sok(indeks, oppvarming[0], alle)  # åpner søkeren
    indeks._soker(tabell).vektor.tom_buffer()
    for i, sp in enumerate(oppvarming):
        fasett = FASETTER[i % len(FASETTER)] if klasse == "+ fasett" else None
        varm = Sporring(sp.tekst, sp.ord, fasett)
        whoosh_sok(indeks, varm, alle)
        fts_sok(db, tabell, varm, False)
        fts_sok(db, tabell, varm, True)
        if varm_pg:
            varm_pg.sok(varm, alle)
    for sp in malte:
        tider["Whoosh"].append(ms(lambda sp=sp: whoosh_sok(indeks, sp, alle)))
        if varm_pg:
            tider[sokpostgres.MOTOR].append(ms(lambda sp=sp: varm_pg.sok(sp, alle)))
        if not sp.prefiks:
            tider["FTS5 rene ord"].append(ms(lambda sp=sp: fts_sok(db, tabell, sp, False)))
        tider["FTS5 prefiks"].append(ms(lambda sp=sp: fts_sok(db, tabell, sp, True)))
    indeks.lukk()
    db.close()
    if varm_pg:
        varm_pg.lukk()
    return tider


def skriv_tabell(resultater: dict[tuple[str, str], dict[str, list[float]]]) -> None:
    klasser = list(dict.fromkeys(k for k, _ in resultater))
    print(f"\n{'klasse':17} {'motor':22} {'varm p50':>9} {'p95':>7} {'kald p50':>9} {'p95':>7}")
    for klasse in klasser:
        varm, kald = resultater[(klasse, "varm")], resultater[(klasse, "kald")]
        p = {m: (persentiler(varm[m]), persentiler(kald[m])) for m in MOTORER if varm[m]}
        for motor, ((v50, v95), (k50, k95)) in p.items():
            print(f"{klasse:17} {motor:22} {v50:9.1f} {v95:7.1f} {k50:9.1f} {k95:7.1f}")
            klasse = ""
        for motor in MOTORER[1:]:
            if motor in p:
                (v50, v95), (k50, k95) = p["Whoosh"]
                (f50, f95), (g50, g95) = p[motor]
                print(
                    f"{'':17} {'Whoosh/' + motor:22} {v50 / f50:8.1f}× {v95 / f95:6.1f}× "
                    f"{k50 / g50:8.1f}× {k95 / g95:6.1f}×"
                )
    print("(ms; forhold > 1 betyr at Whoosh er tregere)")


# --- Gjenfinning og delord ---------------------------------------------------------------


def gjenfinning(aktiv: Path, fts: Path, doks: list[Dok], merket: list[Merket]) -> None:
    print(f"\nGjenfinning på {len(merket)} merkede par (treff i resultatmengden / blant topp 20):")
    db = sqlite3.connect(fts)
    ix = index.open_dir(aktiv / "alle")
    with ix.searcher() as s:
        parser = lag_parser(ix.schema)
        for art in ("bøying", "sammensatt", "aa", None):
            par = [m for m in merket if art is None or m.art == art]
            w_mengde = w_topp = f_ren = f_pre = 0
            bommet = []
            for m in par:
                mal_id = doks[m.dok].id
                q = parser.parse(m.sporring)
                funnet = len(s.search(query.And([q, query.Term("id", mal_id)]), limit=1)) > 0
                w_mengde += funnet
                w_topp += mal_id in [h["id"] for h in s.search(q, limit=20)]
                if not funnet:
                    bommet.append(m.plantet)
                for prefiks in (False, True):
                    rad = db.execute(
                        "SELECT 1 FROM alle WHERE alle MATCH ? AND id = ?",
                        (fts_uttrykk(m.sporring, prefiks), mal_id),
                    ).fetchone()
                    f_pre += prefiks and rad is not None
                    f_ren += not prefiks and rad is not None
            n = len(par)
            print(
                f"  {art or 'alle':10} n={n:2}  Whoosh {w_mengde / n:.2f} (topp 20: "
                f"{w_topp / n:.2f})  FTS5 rene ord {f_ren / n:.2f}  FTS5 prefiks {f_pre / n:.2f}"
                + (f"  bommet: {', '.join(bommet)}" if bommet else "")
            )
        ren = LanguageAnalyzer("no")
        boying = [m for m in merket if m.art == "bøying"]
        like = sum(
            [t.text for t in ren(m.sporring)] == [t.text for t in ren(m.plantet)] for m in boying
        )
        print(
            f"  (ren Snowball, LanguageAnalyzer('no'), ville gitt {like / len(boying):.2f} "
            "på bøying)"
        )
        filt = ix.schema[DELORDFELT].analyzer.items[-1]
        riktig = sum(set(filt.ledd(o)) >= {stamme(a), stamme(b)} for o, (a, b) in SAMMENSATTE)
        print(
            f"\nDelord: {riktig} av {len(SAMMENSATTE)} genererte sammensatte ord delt i "
            "riktige ledd"
        )
        falske = {o: filt.ledd(o) for o in IKKE_SAMMENSATTE if filt.ledd(o)}
        print(
            f"  {len(falske)} av {len(IKKE_SAMMENSATTE)} kjente ikke-sammensatte ord ble delt"
            + "".join(f"\n    {o} → {' + '.join(d)}" for o, d in falske.items())
        )
    db.close()


# --- Kjøringen -------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--antall", type=int, default=100_000, help="versjoner i arkivet")
    ap.add_argument("--sporringer", type=int, default=400, help="ulike målte spørringer per klasse")
    ap.add_argument("--oppvarming", type=int, default=100, help="spørringer til oppvarming")
    ap.add_argument("--kalde", type=int, default=100, help="kalde spørringer per klasse")
    ap.add_argument("--oppdateringer", type=int, default=12, help="målte lagringer")
    ap.add_argument(
        "--motor",
        choices=("whoosh", "postgres"),
        default="whoosh",
        help="postgres: mål også appens søk i PostgreSQL",
    )
    ap.add_argument("--database-url", help="PostgreSQL for --motor postgres (ellers kastbar)")
    ap.add_argument("--mappe", type=Path, help="behold indeksene her (ellers midlertidig)")
    ap.add_argument(
        "--gjenbruk", action="store_true", help="bruk indeksene i --mappe hvis de finnes"
    )
    args = ap.parse_args()
    mappe = args.mappe or Path(tempfile.mkdtemp(prefix="sokbench-"))
    mappe.mkdir(parents=True, exist_ok=True)
    try:
        if args.motor == "postgres":
            MOTORER.append(sokpostgres.MOTOR)
            with sokpostgres.database(args.database_url) as url:
                kjor(args, mappe, url)
        else:
            kjor(args, mappe)
    finally:
        if not args.mappe:
            shutil.rmtree(mappe, ignore_errors=True)


def samme_mengde(aktiv: Path, fts: Path, navn: str) -> int:
    """Whooshs delindeks og FTS5-tabellen har de samme id-ene; gir antallet."""
    with index.open_dir(aktiv / navn).searcher() as s:
        whoosh = {f["id"] for f in s.reader().all_stored_fields()}
    db = sqlite3.connect(fts)
    fts5 = {r[0] for r in db.execute(f"SELECT id FROM {navn}")}
    db.close()
    assert whoosh == fts5, f"{navn}: Whoosh og FTS5 har ulike dokumenter"
    return len(fts5)


def kjor(args, mappe: Path, pg: str | None = None) -> None:
    print(f"Syntetisk arkiv: {args.antall} versjoner")
    t0 = time.perf_counter()
    doks = Generator().dokumenter(args.antall)
    merket = plant_merket(doks)
    gjeldende = [d for d in doks if d.gjeldende]
    ord_per_dok = statistics.mean(len(d.tekst.split()) for d in doks[:2000])
    print(
        f"  laget på {time.perf_counter() - t0:.1f} s; ~{ord_per_dok:.0f} ord per dokument, "
        f"{len(gjeldende)} gjeldende, {len(merket)} merkede former plantet"
    )

    indeksmappe = mappe / "whoosh"
    indeks = Sokeindeks(indeksmappe, SOKESKJEMA)
    t0 = time.perf_counter()
    leksikon = Leksikon.fra_tekster(d.tekst for d in doks)
    t_leks = time.perf_counter() - t0
    t0 = time.perf_counter()
    gjenbrukt = args.gjenbruk and indeks.finnes()
    if not gjenbrukt:
        indeks.bygg_pa_nytt((indeksdokument(d) for d in doks), leksikon=leksikon)
    bygg = time.perf_counter() - t0
    aktiv = indeks.mappe / "aktiv"
    bygging = "gjenbrukt" if gjenbrukt else f"{bygg:.0f} s ({args.antall / bygg:.0f} dok/s)"
    print(
        f"Whoosh (Sokeindeks.bygg_pa_nytt): ordliste {len(leksikon)} ord på {t_leks:.1f} s; "
        f"bygging {bygging}; {mappestorrelse(aktiv / 'alle'):.0f} MB alle + "
        f"{mappestorrelse(aktiv / 'gjeldende'):.0f} MB gjeldende"
    )
    indeks.lukk()

    fts = mappe / "fts.sqlite3"
    t0 = time.perf_counter()
    if not (args.gjenbruk and fts.exists()):
        fts.unlink(missing_ok=True)
        bygg_fts5(fts, {"gjeldende": gjeldende, "alle": doks})
    print(
        f"SQLite FTS5 {sqlite3.sqlite_version}: bygging {time.perf_counter() - t0:.1f} s, "
        f"{fts.stat().st_size / 1e6:.0f} MB (to tabeller: gjeldende og alle)"
    )
    n_gj, n_alle = samme_mengde(aktiv, fts, "gjeldende"), samme_mengde(aktiv, fts, "alle")
    print(f"  samme dokumenter på begge sider: {n_gj} gjeldende, {n_alle} alle (sjekket)")
    if pg:
        print(sokpostgres.bygg(pg, (indeksdokument(d) for d in doks), leksikon))
        assert sokpostgres.ider(pg, True) == {d.id for d in gjeldende}
        assert sokpostgres.ider(pg, False) == {d.id for d in doks}
        print("  samme dokumenter i PostgreSQL (sjekket)")

    sett = lag_sporringer(gjeldende, args.sporringer, args.oppvarming)
    ord_per = statistics.mean(len(s.ord) for s in sett.klasser["rene ord"])
    print(
        f"\nSøk: {len(sett.klasser)} klasser × {args.sporringer} ulike spørringer "
        f"(snitt {ord_per:.1f} ord), {len(sett.oppvarming)} til oppvarming med egne ord; "
        f"kaldt: de {args.kalde} første i hver klasse, hver med ny søker og ny forbindelse "
        "(operativsystemets sidebuffer er varm; den tømmes ikke på en delt maskin)"
    )
    resultater = {}
    for klasse, malte in sett.klasser.items():
        for modus in ("varm", "kald"):
            utvalg = malte[: args.kalde] if modus == "kald" else malte
            resultater[(klasse, modus)] = mal_klasse(
                indeksmappe, fts, klasse, sett.oppvarming, utvalg, kald=modus == "kald", pg=pg
            )
    skriv_tabell(resultater)

    if args.oppdateringer:
        oppdatering(indeksmappe, args.oppdateringer)
    gjenfinning(aktiv, fts, doks, merket)


if __name__ == "__main__":
    main()
