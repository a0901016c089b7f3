"""To noder bak én lastfordeler, på ekte motorer: to `python -m web` på hver sin port og med hver
sin instansmappe, én PostgreSQL (data, økter og søk) og én SeaweedFS (arkivfilene). Nettleseren
(Debians chromium) deler informasjonskapselen mellom nodene slik en lastfordeler ville gjort
(informasjonskapsler skiller ikke på port).

Lagret på A; søkt, lastet ned, signert og logget ut på B; økten er da avvist på A. Så drepes A
(SIGKILL på hele prosessgruppen) midt i en lagring: B svarer videre, og `arkiv verifiser` er
ren."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select

from dokumenter.brukere import kontoer
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur import prosesser
from dokumenter.models import Avtale
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import apne
from tests.stotte.instans import MIGRERT
from tests.stotte.nettleser import Postkasse, logg_inn, melding, ny_side
from tests.stotte.oppsett import PASSORD
from tests.stotte.s3 import seaweedfs

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

KJENNEORD = "fjellvannsbrygga"  # står bare i avtalen som lagres på A
KODE = re.compile(r"signere samarbeidsavtalen med .+ er (\d{6})\.")
EPOST = "kari@kommune.example"
PARTNEREPOST = "ase@mosjoen.example"
_nummer = itertools.count()


def _lag_utkast(side, url: str, part_id: int) -> int:
    """Fyll mønsteravtalens felt (som i demoen) og lag utkastet; gir avtalens id."""
    side.goto(f"{url}/avtaler/ny?part={part_id}")
    for navn, verdi in AVTALEFELT.items():
        felt = side.locator(f"[name='{navn}']")
        if not verdi or not felt.count():
            continue
        if felt.evaluate("e => e.tagName") == "SELECT":
            felt.select_option(str(verdi))
        else:
            felt.fill(str(verdi))
    side.get_by_role("button", name="Lag utkast").click()
    expect(melding(side, "Utkastet er laget")).to_be_visible()
    return int(re.search(r"/avtaler/(\d+)", side.url).group(1))


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _svarer(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url + "/logg-inn", timeout=5) as s:
        return s.status == 200
    return False


class Node:
    """Én `python -m web` (én arbeider) i sin egen prosessgruppe, så SIGKILL tar alt."""

    def __init__(self, navn: str, miljo: dict[str, str], mappe: Path) -> None:
        self.port = _ledig_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logg = mappe / f"{navn}.logg"
        self.instans = mappe / navn
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")}
        env.update(miljo, DOKUMENTER_INSTANS=str(mappe / navn), PORT=str(self.port))
        with open(self.logg, "w") as logg:
            self.prosess = subprocess.Popen(
                [sys.executable, "-m", "web"],
                cwd=REPO_ROT,
                env=env,
                stdout=logg,
                stderr=logg,
                start_new_session=True,
            )
        slutt = time.monotonic() + 180
        while not _svarer(self.url):
            assert self.prosess.poll() is None, self.logg.read_text()
            assert time.monotonic() < slutt, self.logg.read_text()
            time.sleep(0.3)

    def drep(self) -> None:
        """SIGKILL til hele noden, som om maskinen døde; så stoppes LibreOffice-en den lot
        etter seg (unoserver går i egen økt), slik neste oppstart av noden ville gjort."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.prosess.pid, signal.SIGKILL)
        self.prosess.wait(timeout=30)
        prosesser.stopp_foreldrelose(self.instans / prosesser.MAPPE)

    def stopp(self) -> None:
        if self.prosess.poll() is None:
            self.prosess.send_signal(signal.SIGTERM)
            try:
                self.prosess.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.drep()


@pytest.fixture(scope="module")
def s3():
    with seaweedfs() as server:
        yield server


@pytest.fixture(scope="module")
def klynge(postgres, s3, smtp_sink, demosegl, tmp_path_factory):
    """Miljøet nodene deler (database, bøtte, nøkler, segl, SMTP), grunnlaget (Kari med
    e-post og en part), og de to nodene A og B: startet én gang for modulen (hver node starter
    sin LibreOffice); den siste testen dreper A."""
    n = next(_nummer)
    tmp_path = tmp_path_factory.mktemp("noder")
    felles = {
        "DATABASE_URL": postgres.ny_database(f"noder_{n}", mal=MIGRERT),
        **s3.miljo(s3.ny_boks(f"noder-{n}")),
        "DOKUMENTER_SECRET_KEY": secrets.token_hex(32),
        "DOKUMENTER_PLANNOKKEL": Fernet.generate_key().decode(),
        "DOKUMENTER_SEGL_NOKKEL": str(demosegl.nokkel),
        "DOKUMENTER_SEGL_SERTIFIKAT": str(demosegl.sertifikat),
        "DOKUMENTER_SMTP_VERT": "127.0.0.1",
        "DOKUMENTER_SMTP_PORT": str(smtp_sink.port),
        "DOKUMENTER_ARBEIDERE": "1",
        "DOKUMENTER_LOGGNIVAA": "WARNING",
    }
    tj = apne(Innstillinger.fra_miljo(tmp_path / "oppsett", miljo=felles))
    try:
        kontoer.opprett_bruker(tj, "kari", "Kari Prosjektleder", "saksbehandler", PASSORD, EPOST)
        part = parter.opprett_part(
            tj, {"navn": "Mosjøen fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(3)}
        )
        kontoer.opprett_partnerbruker(tj, part.id, "Åse Ødegård", PARTNEREPOST, PASSORD)
    finally:
        tj.lukk()
    noder = {}
    try:
        for navn in ("a", "b"):
            noder[navn] = Node(navn, felles, tmp_path)
        yield felles, noder["a"], noder["b"], part.id, tmp_path
    finally:
        for node in noder.values():
            node.stopp()


def _avtaler(database_url: str) -> list[tuple[int, int]]:
    motor = create_engine(database_url)
    try:
        with motor.connect() as c:
            return [tuple(r) for r in c.execute(select(Avtale.id, Avtale.gjeldende_versjon))]
    finally:
        motor.dispose()


def _dokumenter(miljo: dict[str, str], instans: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")}
    env.update(miljo, DOKUMENTER_INSTANS=str(instans))
    return subprocess.run(
        [sys.executable, "-m", "dokumenter", *args],
        cwd=REPO_ROT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_lagret_pa_a_sokt_signert_og_logget_ut_pa_b(klynge, nettleser, smtp_sink):
    _felles, a, b, part_id, _mappe = klynge
    smtp_sink.tom()
    post = Postkasse(smtp_sink)
    side = ny_side(nettleser)

    # --- A: logg inn, lag et utkast og lagre en ny versjon med kjenneordet -------------------
    logg_inn(side, a.url, "kari")
    aid = _lag_utkast(side, a.url, part_id)
    side.get_by_role("link", name="Endre innhold").click()
    side.get_by_label("Særlige bestemmelser").fill(f"Møtene holdes ved {KJENNEORD}.")
    side.get_by_label("Kort begrunnelse for endringen").fill("Møtested")
    side.get_by_role("button", name="Lagre ny versjon").click()
    expect(melding(side, "Versjon 2 er lagret.")).to_be_visible()

    # --- B: samme økt; søk, last ned, send til signering og signer --------------------------
    side.goto(f"{b.url}/sok?q={KJENNEORD}")
    expect(side.get_by_role("main")).to_contain_text("Mosjøen fengsel")
    side.goto(f"{b.url}/avtaler/{aid}")
    with side.expect_download() as nedlasting:
        side.get_by_role("link", name="Last ned PDF/A").first.click()
    assert Path(nedlasting.value.path()).read_bytes().startswith(b"%PDF")
    forste = side.get_by_role("group", name="Signerer 1")
    forste.get_by_label("Person").select_option(label="Kari Prosjektleder")
    forste.get_by_label("Rolle").fill("Kommunalsjef")
    andre = side.get_by_role("group", name="Signerer 2")
    andre.get_by_label("Person").select_option(label="Åse Ødegård")
    andre.get_by_label("Rolle").fill("Fengselsleder")
    side.get_by_role("button", name="Send til signering").click()
    expect(melding(side, "Avtalen er sendt til signering")).to_be_visible()
    side.get_by_role("link", name="Signer nå").click()
    side.get_by_role("button", name="Send engangskode").click()
    post.neste(EPOST)  # «til signering»
    kode = KODE.search(post.neste(EPOST).tekst).group(1)
    side.get_by_label("Engangskode").fill(kode)
    side.get_by_role("button", name="Signer", exact=True).click()
    expect(melding(side, "Du har signert")).to_be_visible()
    assert side.url.startswith(b.url)

    # Parten signerer i portalen, også på B.
    ase = ny_side(nettleser)
    ase.goto(b.url + "/portal/logg-inn")
    ase.get_by_label("E-postadresse").fill(PARTNEREPOST)
    ase.get_by_label("Passord", exact=True).fill(PASSORD)
    ase.get_by_role("button", name="Logg inn").click()
    assert post.neste(PARTNEREPOST).emne.endswith("til signering")
    ase.goto(f"{b.url}/portal/avtaler/{aid}/signer")
    ase.get_by_role("button", name="Send engangskode").click()
    kode = KODE.search(post.neste(PARTNEREPOST).tekst).group(1)
    ase.get_by_label("Engangskode").fill(kode)
    ase.get_by_role("button", name="Signer", exact=True).click()
    expect(melding(ase, "avtalen er inngått")).to_be_visible()
    side.reload()
    expect(side.locator("dl.fakta dt:text-is('Status') + dd")).to_have_text("Inngått")

    # --- Logg ut på B: den samme informasjonskapselen er avvist på A ------------------------
    side.get_by_role("button", name="Logg ut").click()
    svar = side.goto(f"{a.url}/avtaler/{aid}")
    assert "/logg-inn" in side.url, svar.status


def test_a_drepes_midt_i_en_lagring_og_b_svarer_videre(klynge, nettleser):
    felles, a, b, part_id, mappe = klynge
    side = ny_side(nettleser)
    logg_inn(side, a.url, "kari")
    aid = _lag_utkast(side, a.url, part_id)

    # En lagring på A (PDF/A, S3, database, søk) tar noen hundre millisekunder; A drepes midt i.
    side.goto(f"{a.url}/avtaler/{aid}/endre")
    side.get_by_label("Særlige bestemmelser").fill("Lagres på A når A dør.")
    side.get_by_label("Kort begrunnelse for endringen").fill("Krasj")
    drap = threading.Timer(0.25, a.drep)
    drap.start()
    with contextlib.suppress(playwright.Error):
        side.get_by_role("button", name="Lagre ny versjon").click(no_wait_after=True)
        side.wait_for_load_state(timeout=5000)
    drap.join()
    assert a.prosess.poll() is not None
    assert prosesser.prosesser_i(a.instans) == {}  # ingen LibreOffice igjen etter A

    # B svarer videre med samme økt: avtalen (versjon 1, eller 2 om A rakk å committe) og søk.
    side.goto(f"{b.url}/avtaler/{aid}")
    expect(side.get_by_role("heading", level=1)).to_contain_text("Mosjøen fengsel")
    side.goto(f"{b.url}/sok?q=Mosjøen")
    expect(side.get_by_role("main")).to_contain_text("Mosjøen fengsel")
    versjoner = dict(_avtaler(felles["DATABASE_URL"]))
    assert versjoner[aid] in (1, 2)

    r = _dokumenter(felles, mappe / "kontroll", "arkiv", "verifiser")
    assert r.returncode == 0, r.stdout + r.stderr
