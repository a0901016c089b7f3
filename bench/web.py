"""Nettsidene under last: den ekte appen (`python -m web`) over HTTP på 127.0.0.1, målt før og
etter i samme kjøring.

Instansen (N avtaler, standard 10 000) bygges av `bench/webdata.py` og gjenbrukes fra
`--mappe`. Hver variant får sin egen kopi av den samme ferdige instansen:

- «før»: koden i `--for` (standard: `git merge-base HEAD main`), sjekket ut med
  `git worktree add --detach` i en midlertidig mappe og startet derfra (`python -m web` med
  mappen som arbeidskatalog, så dens pakker vinner over den redigerbare installasjonen);
- «etter»: koden i denne arbeidskopien.

Lastgeneratoren er tråder (én per simulert saksbehandler, hver logget inn med sin konto) med
tenketid 1–3 s mellom forespørslene og en tidsgrense per nivå; blandingen er forsiden,
avtalelisten, en avtaleside, et søk, en PDF-nedlasting og en lagring av en ny versjon av et
utkast. Samme data, blanding, tenketid, varighet og brukertall for begge variantene. Bare
127.0.0.1, og hver forespørsel har tidsavbrudd (`TIDSAVBRUDD`); feil er alt som ikke er 200
(etter videresending) eller som går ut på tid.

    python -m bench.web --avtaler 10000 --brukere 1,20,50 --sekunder 60 --mappe /var/tmp/bench-web
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from bench import webdata
from dokumenter.felles.innstillinger import REPO_ROT

TIDSAVBRUDD = 60.0
SOKEORD = ("løslatelsen", "varsling", "bolig", "kontaktperson", "samarbeid", "avvik", "rus")
BLANDING = {  # rute -> vekt
    "forsiden": 15,
    "avtalelisten": 15,
    "avtalesiden": 30,
    "søk": 15,
    "pdf": 15,
    "lagring": 10,
}


class _Skjema(HTMLParser):
    """Feltene i det første skjemaet med method=post (input, textarea, select)."""

    def __init__(self) -> None:
        super().__init__()
        self.felt: dict[str, str] = {}
        self._i_skjema = self._ferdig = False
        self._tekst: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._ferdig:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._i_skjema = True
        if not self._i_skjema or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "file"):
                self.felt[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._tekst, self.felt[a["name"]] = a["name"], ""
        elif tag == "select":
            self._select = a["name"]
        elif (
            tag == "option" and self._select and ("selected" in a or self._select not in self.felt)
        ):
            self.felt[self._select] = a.get("value") or ""

    def handle_data(self, data):
        if self._tekst:
            self.felt[self._tekst] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._tekst = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._i_skjema:
            self._ferdig, self._i_skjema = True, False


class Bruker:
    """Én simulert saksbehandler med sin egen økt."""

    def __init__(self, url: str, brukernavn: str) -> None:
        self.url = url
        self.klient = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        side = self.hent("/logg-inn")[1]
        self.post(
            "/logg-inn", {"brukernavn": brukernavn, "passord": webdata.PASSORD, **_csrf(side)}
        )

    def hent(self, sti: str) -> tuple[int, str]:
        with self.klient.open(self.url + sti, timeout=TIDSAVBRUDD) as svar:
            return svar.status, svar.read().decode("utf-8", "replace")

    def post(self, sti: str, data: dict[str, str]) -> tuple[int, str]:
        kodet = urllib.parse.urlencode(data).encode()
        with self.klient.open(self.url + sti, data=kodet, timeout=TIDSAVBRUDD) as svar:
            return svar.status, svar.read().decode("utf-8", "replace")


def _csrf(html: str) -> dict[str, str]:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return {"csrf_token": m.group(1)} if m else {}


class Data:
    """Id-ene lastgeneratoren velger blant (lest én gang fra instansens database)."""

    def __init__(self, instans: Path) -> None:
        db = sqlite3.connect(f"file:{instans / 'dokumenter.sqlite3'}?mode=ro", uri=True)
        try:
            self.les(lambda sql: [r[0] for r in db.execute(sql)])
        finally:
            db.close()

    @classmethod
    def fra_database(cls, database_url: str) -> Data:
        """Det samme fra en hvilken som helst database (PostgreSQL i `bench/noder.py`)."""
        from sqlalchemy import create_engine, text

        motor = create_engine(database_url)
        data = cls.__new__(cls)
        try:
            with motor.connect() as c:
                data.les(lambda sql: list(c.execute(text(sql)).scalars()))
        finally:
            motor.dispose()
        return data

    def les(self, sporring) -> None:
        self.avtaler = sporring("SELECT id FROM avtale")
        self.utkast = sporring("SELECT id FROM avtale WHERE status='utkast'")
        self.pdf = sporring(
            "SELECT id FROM dokument WHERE format='pdf' ORDER BY random() LIMIT 2000"
        )


def _handling(b: Bruker, rute: str, d: Data, rnd: random.Random) -> int:
    if rute == "forsiden":
        return b.hent("/")[0]
    if rute == "avtalelisten":
        return b.hent("/avtaler/")[0]
    if rute == "avtalesiden":
        return b.hent(f"/avtaler/{rnd.choice(d.avtaler)}")[0]
    if rute == "søk":
        return b.hent("/sok?" + urllib.parse.urlencode({"q": rnd.choice(SOKEORD)}))[0]
    if rute == "pdf":
        return b.hent(f"/avtaler/dokument/{rnd.choice(d.pdf)}")[0]
    avtale = rnd.choice(d.utkast)
    skjema = _Skjema()
    skjema.feed(b.hent(f"/avtaler/{avtale}/endre")[1])
    felt = {**skjema.felt, "grunn": "Lastmåling"}
    return b.post(f"/avtaler/{avtale}/endre", felt)[0]


def kjor_last(
    url: str | list[str], data: Data, brukere: int, sekunder: float, frø: int
) -> list[tuple]:
    """(rute, sekunder, ok) for hver forespørsel fra `brukere` tråder i `sekunder`. Med flere
    adresser (noder) går bruker n til adresse n mod antallet, som bak en lastfordeler med
    klebrige økter."""
    adresser = [url] if isinstance(url, str) else url
    maalinger: list[tuple] = []
    laas = threading.Lock()
    slutt = time.monotonic() + sekunder
    ruter, vekter = list(BLANDING), list(BLANDING.values())

    def bruker(n: int) -> None:
        rnd = random.Random(frø * 1000 + n)
        time.sleep(rnd.uniform(0, 2))
        try:
            b = Bruker(adresser[n % len(adresser)], f"ansatt{n % webdata.BRUKERE + 1:02d}")
        except Exception:  # noqa: BLE001 - en innlogging som feiler, er en feil i målingen
            with laas:
                maalinger.append(("innlogging", TIDSAVBRUDD, False))
            return
        while time.monotonic() < slutt:
            rute = rnd.choices(ruter, vekter)[0]
            t0 = time.perf_counter()
            try:
                ok = _handling(b, rute, data, rnd) == 200
            except (urllib.error.URLError, OSError, ValueError):
                ok = False
            with laas:
                maalinger.append((rute, time.perf_counter() - t0, ok))
            time.sleep(rnd.uniform(1, 3))

    traader = [threading.Thread(target=bruker, args=(n,)) for n in range(brukere)]
    for t in traader:
        t.start()
    for t in traader:
        t.join()
    return maalinger


def _persentil(verdier: list[float], p: float) -> float:
    if not verdier:
        return float("nan")
    if len(verdier) == 1:
        return verdier[0]
    return statistics.quantiles(verdier, n=100, method="inclusive")[int(p) - 1]


def oppsummer(maalinger: list[tuple], sekunder: float) -> dict:
    per_rute: dict[str, list[float]] = defaultdict(list)
    for rute, tid, _ok in maalinger:
        per_rute[rute].append(tid)
    alle = [t for _r, t, _ok in maalinger]

    def tall(tider: list[float]) -> dict:
        return {f"p{p}": round(_persentil(tider, p) * 1000) for p in (50, 95, 99)}

    return {
        "totalt": {
            **tall(alle),
            "antall": len(alle),
            "per_s": round(len(alle) / sekunder, 2),
            "feil": sum(1 for *_x, ok in maalinger if not ok),
        },
        "ruter": {r: {**tall(t), "antall": len(t)} for r, t in sorted(per_rute.items())},
    }


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_tjener(
    kode: Path, instans: Path, miljo: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    port = _ledig_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")}
    env.update(
        DOKUMENTER_INSTANS=str(instans),
        DOKUMENTER_DEMO="1",
        DOKUMENTER_LOGGNIVAA="WARNING",
        PORT=str(port),
        **(miljo or {}),
    )
    logg = open(instans.parent / f"{instans.name}.logg", "w")  # noqa: SIM115
    p = subprocess.Popen([sys.executable, "-m", "web"], cwd=kode, env=env, stdout=logg, stderr=logg)
    url = f"http://127.0.0.1:{port}"
    slutt = time.monotonic() + 180
    while time.monotonic() < slutt:
        if p.poll() is not None:
            raise SystemExit(f"Tjeneren i {kode} stoppet; se {logg.name}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "/logg-inn", timeout=5) as svar,
        ):
            if svar.status == 200:
                return p, url
        time.sleep(0.5)
    p.kill()
    raise SystemExit(f"Tjeneren i {kode} svarte ikke; se {logg.name}")


def stopp_tjener(p: subprocess.Popen) -> None:
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def _sjekk_ut(rev: str, mappe: Path) -> Path:
    """Koden i `rev` i en midlertidig worktree, med LibreOffice-miljøet og ordlisten lenket
    inn (de er ikke i git)."""
    kode = mappe / "kode"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(kode), rev],
        cwd=REPO_ROT,
        check=True,
        capture_output=True,
    )
    for navn in (".venv-uno", "build"):
        if (REPO_ROT / navn).exists():
            (kode / navn).symlink_to((REPO_ROT / navn).resolve())
    return kode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--avtaler", type=int, default=10_000)
    ap.add_argument("--brukere", default="1,20,50", help="brukertall, kommaseparert")
    ap.add_argument("--sekunder", type=float, default=60)
    ap.add_argument("--mappe", type=Path, default=REPO_ROT / "bench" / "ut" / "web")
    ap.add_argument("--for", dest="for_", default="", help="koden «før» (standard merge-base)")
    ap.add_argument("--bare-etter", action="store_true", help="mål bare denne koden")
    args = ap.parse_args()
    mappe = args.mappe.resolve()
    instans = webdata.sikre_instans(mappe, args.avtaler)
    data = Data(instans)
    rev = (
        args.for_
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=REPO_ROT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    nivaer = [int(n) for n in args.brukere.split(",")]
    resultat: dict = {"avtaler": args.avtaler, "sekunder": args.sekunder, "for": rev}
    with tempfile.TemporaryDirectory(dir=mappe) as tmp_:
        tmp = Path(tmp_)
        varianter = [("etter", REPO_ROT)]
        if not args.bare_etter:
            varianter.insert(0, ("før", _sjekk_ut(rev, tmp)))
        try:
            for navn, kode in varianter:
                kopi = tmp / f"instans-{navn}"
                shutil.copytree(instans, kopi, symlinks=True)
                p, url = start_tjener(kode, kopi)
                try:
                    kjor_last(url, data, 2, 10, frø=0)  # oppvarming, ikke talt
                    for n in nivaer:
                        maalt = oppsummer(
                            kjor_last(url, data, n, args.sekunder, frø=n), args.sekunder
                        )
                        resultat.setdefault(navn, {})[str(n)] = maalt
                        print(navn, n, json.dumps(maalt["totalt"]), file=sys.stderr, flush=True)
                finally:
                    stopp_tjener(p)
        finally:
            if not args.bare_etter:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(tmp / "kode")],
                    cwd=REPO_ROT,
                    check=False,
                )
    (mappe / "resultat.json").write_text(json.dumps(resultat, indent=2, ensure_ascii=False))
    print(tabell(resultat))


def tabell(r: dict) -> str:
    """Markdown-tabellen før/etter (totalt per brukertall)."""
    linjer = [
        "| brukere | kode | p50 | p95 | p99 | forespørsler/s | feil |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in sorted({int(k) for v in ("før", "etter") for k in r.get(v, {})}):
        for v in ("før", "etter"):
            if t := r.get(v, {}).get(str(n)):
                t = t["totalt"]
                linjer.append(
                    f"| {n} | {v} | {t['p50']} ms | {t['p95']} ms | {t['p99']} ms "
                    f"| {t['per_s']} | {t['feil']} |"
                )
    return "\n".join(linjer)


if __name__ == "__main__":
    main()
