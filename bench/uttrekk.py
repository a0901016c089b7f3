"""Måler arkivuttrekket: skriving og kontroll av et Noark 5-uttrekk med mange avtaler.

Kjør: `.venv/bin/python -m bench.uttrekk [--avtaler 10000] [--versjoner 3] [--mappe DIR]`.

Dataene lages som i `bench/archive.py`, gjennom brukstilfellene (utkast, ny versjon, «til
gjennomgang», som journalfører), med de dyre stegene utenfor stått i for: én ekte DOCX og
PDF/A fra malen og LibreOffice, deretter den samme DOCX-en (den avleveres ikke) og en ferdig
PDF/A gjort unik per versjon (`FerdigPdf`). Hver avtale får `--versjoner` versjoner, og hver
sendes til parten, så hver blir en journalpost med DOCX og PDF/A (uttrekket har PDF/A-en).
Søkeindeksen står utenfor (`UtenIndeks`; den måles i `bench/search.py`), og mens dataene
bygges, er fsync slått av (SQLite `synchronous=OFF`, `os.fsync` gjør ingenting): på en delt
maskin ville ellers 10 000 avtaler ta mange timer å lage. Selve uttrekket måles i en egen
prosess med alt som vanlig.

Uttrekket måles ved 1 000 avtaler og ved det fulle antallet, hver gang i en egen prosess, som
skriver ut sin egen høyeste hukommelse (VmHWM). Med `--mappe` beholdes instansen, og en ny
kjøring bygger bare videre på den.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, select

from bench.archive import FerdigPdf
from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.models import Avtale, Bruker
from dokumenter.noark import koble_til
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import Tjenester, apne

PARTER = 100

MAALING = """
import json, sys, time
from pathlib import Path
from bench.uttrekk import innstillinger
from dokumenter.noark import koble_til
from dokumenter.noark.uttrekk import Utvalg, lag_uttrekk
from dokumenter.tjenester import apne

tj = koble_til(apne(innstillinger(Path(sys.argv[1]))))
t0 = time.perf_counter()
r = lag_uttrekk(tj, Path(sys.argv[2]), Utvalg())
totalt = time.perf_counter() - t0
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({
    "antall": r.antall, "filer": r.dokumentfiler, "bytes": r.bytes_skrevet,
    "skriving": r.sekunder_skriving, "kontroll": r.kontroll.sekunder, "totalt": totalt,
    "ren": r.kontroll.ren, "problemer": r.kontroll.problemer[:5],
    "vmhwm_kb": int(hwm.split()[1]),
}))
"""


class UtenIndeks:
    """Søkeindeksen står utenfor målingen (se modulens docstring)."""

    def erstatt_objekt(self, *_: object, **__: object) -> None:
        pass

    def merk_foreldet(self, *_: object) -> None:
        pass


def uten_fsync(tj: Tjenester) -> None:
    """Bare mens testdataene lages, i denne prosessen (se modulens docstring)."""
    os.fsync = lambda _fd: None
    motor = tj.sesjoner.kw["bind"]
    event.listen(motor, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
    motor.dispose()


def innstillinger(rot: Path) -> Innstillinger:
    return Innstillinger(
        rot,
        f"sqlite:///{rot / 'bench.sqlite3'}",
        REPO_ROT / "maler",
        rot / "arkiv",
        REPO_ROT / ".venv-uno",
    )


def bygg(tj: Tjenester, avtaler: int, versjoner: int) -> None:
    """Legg til avtaler til det er `avtaler` av dem, hver med `versjoner` sendte versjoner."""
    with tj.sesjoner() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.brukernavn == "bench"))
        finnes = s.scalar(select(func.count()).select_from(Avtale))
    if bruker is None:
        bruker = brukere.opprett_bruker(
            tj, "bench", "Bench Saksbehandler", "admin", "bench-fjord-lykt-73"
        )
        for i in range(PARTER):
            parter.opprett_part(
                tj,
                {"navn": f"Fengsel {i:03d}", "type": "fengsel", "orgnr": demo.fiktivt_orgnr(i)},
            )
    if finnes >= avtaler:
        return  # alt bygget (--mappe fra en tidligere kjøring)
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
    if not isinstance(tj.konverterer, FerdigPdf):
        skriving.produser = produksjon.produser  # den ekte, for den første avtalen
        if not finnes:  # den første avtalen får en ekte PDF/A fra LibreOffice
            with VarmKonverterer(tj.innstillinger.uno_venv) as lo:
                tj.konverterer = lo
                forste = skriving.opprett_utkast(tj, 1, verdier, bruker.id)
            skriving.sett_status(tj, forste.id, "til_gjennomgang", bruker.id)
            finnes = 1
        with tj.sesjoner() as s:
            forste = s.scalar(select(Avtale).order_by(Avtale.id).limit(1))
            pdf = forste.versjoner[0].dokument("pdf").sha256
            docx = forste.versjoner[0].dokument("docx").sha256
        tj.konverterer = FerdigPdf(tj.lager.les(pdf))
        ferdig_docx = tj.lager.les(docx)

        def produser(tj_, mal, part, _verdier):
            """Står i for utfyllingen (docxtpl): DOCX-en er den samme, PDF/A-en unik."""
            variant = mal.variant_for(part.type)
            return variant.navn, mal.fil.read_bytes(), ferdig_docx, tj_.konverterer.til_pdfa(b"")

        skriving.produser = produser
    t0 = time.perf_counter()
    for n in range(finnes, avtaler):
        a = skriving.opprett_utkast(tj, n % PARTER + 1, verdier, bruker.id)
        skriving.sett_status(tj, a.id, "til_gjennomgang", bruker.id)
        for v in range(2, versjoner + 1):
            skriving.sett_status(tj, a.id, "utkast", bruker.id)
            skriving.lagre_versjon(tj, a.id, {**verdier, "varslingsfrist_dager": v}, bruker.id)
            skriving.sett_status(tj, a.id, "til_gjennomgang", bruker.id)
        if (n + 1) % 500 == 0:
            print(f"  {n + 1} avtaler ({time.perf_counter() - t0:.0f} s)", flush=True)
    # Én endring i metadata (saksstatus), så endringsloggen har noe å vise.
    with tj.sesjoner() as s:
        siste = s.scalar(select(func.max(Avtale.id)))
    skriving.sett_status(tj, siste, "ikke_inngaatt", bruker.id, "Målingen avslutter saken.")


def maal(rot: Path, ut: Path) -> dict:
    shutil.rmtree(ut, ignore_errors=True)
    svar = subprocess.run(
        [sys.executable, "-c", MAALING, str(rot), str(ut)],
        cwd=REPO_ROT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(svar.stdout.strip().splitlines()[-1])


def skriv_ut(navn: str, m: dict) -> None:
    a = m["antall"]
    skrevet_og_kontrollert = m["skriving"] + m["kontroll"]
    print(
        f"{navn}: {a['mappe']} saksmapper, {a['registrering']} journalposter, "
        f"{a['dokumentobjekt']} dokumentobjekter, {m['filer']} filer "
        f"({m['bytes'] / 1e6:.0f} MB), kontroll {'ren' if m['ren'] else m['problemer']}"
    )
    print(
        f"  skriving {m['skriving']:.1f} s = {a['registrering'] / m['skriving']:.0f} "
        f"journalposter/s, {a['dokumentobjekt'] / m['skriving']:.0f} dokumentobjekter/s"
    )
    print(f"  kontroll (validering, sjekksummer, antall) {m['kontroll']:.1f} s")
    print(
        f"  skrevet og kontrollert: {a['dokumentobjekt'] / skrevet_og_kontrollert:.0f} "
        f"dokumentobjekter/s (mål ≥ 2000); høyeste RSS {m['vmhwm_kb'] / 1024:.0f} MB (mål < 300)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--avtaler", type=int, default=10_000)
    ap.add_argument("--versjoner", type=int, default=3)
    ap.add_argument("--mappe", type=Path, default=None, help="behold instansen her")
    args = ap.parse_args()
    rot = args.mappe or Path(tempfile.mkdtemp(prefix="bench-uttrekk-"))
    rot.mkdir(parents=True, exist_ok=True)
    try:
        tj = koble_til(apne(innstillinger(rot)))
        tj.indeks = UtenIndeks()
        uten_fsync(tj)
        for antall in sorted({min(1000, args.avtaler), args.avtaler}):
            t0 = time.perf_counter()
            bygg(tj, antall, args.versjoner)
            print(f"Bygget {antall} avtaler på {time.perf_counter() - t0:.0f} s", flush=True)
            skriv_ut(f"Uttrekk av {antall} avtaler", maal(rot, rot / f"uttrekk-{antall}"))
            shutil.rmtree(rot / f"uttrekk-{antall}", ignore_errors=True)
        tj.lukk()
    finally:
        if args.mappe is None:
            shutil.rmtree(rot, ignore_errors=True)


if __name__ == "__main__":
    main()
