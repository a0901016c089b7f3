"""Gjennomstrømning med én og to nettnoder på de samme motorene: én kastbar PostgreSQL (data,
økter og søk) og én kastbar SeaweedFS (arkivfilene), og lastgeneratoren fra `bench/web.py`
(samme blanding, tenketid og brukere) fordelt på nodene, bruker n til node n mod antallet.

Tre varianter på samme data, målt etter hverandre i samme kjøring:
- 1 node med 1 arbeidsprosess;
- 2 noder med 1 arbeidsprosess hver (hver med sin egen instansmappe og varme LibreOffice);
- 1 node med 2 arbeidsprosesser (samme antall prosesser som to noder, for å skille nodene fra
  prosessene).

Alt kjører på samme maskin: nodene, PostgreSQL, SeaweedFS og lastgeneratoren deler kjernene,
så forholdet mellom variantene viser at tilstanden er delt riktig og hva som begrenser, ikke
hva to maskiner ville gitt.

    PYTHONPATH=. .venv/bin/python bench/noder.py --avtaler 200 --brukere 40 --sekunder 60
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import webdata
from bench.web import Data, kjor_last, oppsummer, start_tjener, stopp_tjener
from dokumenter.felles.innstillinger import REPO_ROT
from tests.stotte.postgres import start_postgres
from tests.stotte.s3 import seaweedfs

VARIANTER = {  # navn -> arbeidsprosesser per node
    "1 node × 1 arbeider": [1],
    "2 noder × 1 arbeider": [1, 1],
    "1 node × 2 arbeidere": [2],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--avtaler", type=int, default=500)
    ap.add_argument("--brukere", type=int, default=40)
    ap.add_argument("--sekunder", type=float, default=60)
    ap.add_argument("--mappe", type=Path, default=REPO_ROT / "bench" / "ut" / "noder")
    args = ap.parse_args()
    args.mappe.mkdir(parents=True, exist_ok=True)
    resultat: dict = {"avtaler": args.avtaler, "brukere": args.brukere, "sekunder": args.sekunder}
    with tempfile.TemporaryDirectory(dir=args.mappe) as tmp_:
        tmp = Path(tmp_)
        pg = start_postgres()  # egen mappe i /tmp som postgres-brukeren kommer inn i
        try:
            with seaweedfs(tmp / "s3") as s3:
                felles = {
                    "DATABASE_URL": pg.ny_database("bench"),
                    **s3.miljo(s3.ny_boks("bench")),
                }
                t0 = time.monotonic()
                bygget = tmp / "bygg"
                webdata.bygg(bygget, args.avtaler, miljo=felles)
                print(f"Bygd på {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
                felles |= {
                    "DOKUMENTER_PLANNOKKEL": (bygget / "plannokkel").read_text().strip(),
                    "DOKUMENTER_SECRET_KEY": secrets.token_hex(32),
                }
                data = Data.fra_database(felles["DATABASE_URL"])
                for navn, arbeidere in VARIANTER.items():
                    resultat[navn] = _mal(tmp, navn, arbeidere, felles, data, args)
                    print(navn, json.dumps(resultat[navn]), file=sys.stderr, flush=True)
        finally:
            pg.stopp()
    (args.mappe / "resultat.json").write_text(json.dumps(resultat, indent=2, ensure_ascii=False))
    print(tabell(resultat))


def _mal(tmp: Path, navn: str, arbeidere: list[int], felles: dict, data: Data, args) -> dict:
    noder = []
    try:
        for i, antall in enumerate(arbeidere):
            instans = tmp / f"{navn.replace(' ', '')}-{i}"
            instans.mkdir()
            miljo = {**felles, "DOKUMENTER_ARBEIDERE": str(antall)}
            noder.append(start_tjener(REPO_ROT, instans, miljo))
        adresser = [url for _, url in noder]
        kjor_last(adresser, data, 2 * len(adresser), 10, frø=0)  # oppvarming, ikke talt
        maalt = oppsummer(
            kjor_last(adresser, data, args.brukere, args.sekunder, frø=1), args.sekunder
        )
        return maalt["totalt"]
    finally:
        for p, _ in noder:
            stopp_tjener(p)
        for i in range(len(arbeidere)):
            shutil.rmtree(tmp / f"{navn.replace(' ', '')}-{i}", ignore_errors=True)


def tabell(r: dict) -> str:
    linjer = [
        f"{r['avtaler']} avtaler, {r['brukere']} brukere, {r['sekunder']:.0f} s per variant",
        "| Variant | Forespørsler/s | p50 ms | p95 ms | Feil |",
        "|---|---|---|---|---|",
    ]
    for navn in VARIANTER:
        t = r[navn]
        linjer.append(f"| {navn} | {t['per_s']} | {t['p50']} | {t['p95']} | {t['feil']} |")
    en, to = r["1 node × 1 arbeider"]["per_s"], r["2 noder × 1 arbeider"]["per_s"]
    linjer.append(f"To noder / én node: {to / en:.2f}×" if en else "")
    return "\n".join(linjer)


if __name__ == "__main__":
    main()
