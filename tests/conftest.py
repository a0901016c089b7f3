"""Fixturene: ekte SQLite (og PostgreSQL), ekte arkiv på disk, én varm LibreOffice, SMTP-sinken,
nettsidene og nettleseren. Hjelperne testene importerer, står i tests/stotte/.

Tester merket `begge_databaser` kjøres både mot SQLite og mot en kastbar PostgreSQL som
startes én gang per kjøring (tests/stotte/postgres.py); hver test får sin egen database.

Hver test får sin egen instans (`tj`), kopiert fra en ferdig instans som bygges én gang per
kjøring (tests/stotte/instans.py). En testmodul som trenger en ferdig verden, overstyrer
`oppskrift` og leser det oppskriften returnerte fra `forberedt`.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from arkiv.lager import Fillager
from arkiv.sok.indeks import Sokeindeks
from arkiv.sok.postgres import PgSokeindeks
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur.db import lag_motor, oppgrader
from dokumenter.infrastruktur.forsegling import Segl, lag_demo_segl
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.infrastruktur.maler import les_mal
from dokumenter.infrastruktur.smtpsink import SmtpSink
from dokumenter.sok.skjema import SOKESKJEMA
from dokumenter.tjenester import Tjenester, lag_lager
from tests.stotte.instans import MIGRERT, Instanslager
from tests.stotte.maler import MALMAPPE
from tests.stotte.nettleser import chromium, kjorende_app
from tests.stotte.oppsett import lag_innstillinger, lag_saksbehandler
from tests.stotte.postgres import start_postgres
from tests.stotte.s3 import seaweedfs
from tests.stotte.web import innlogget
from web import create_app

# --- Databaser --------------------------------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "databasetype" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "begge_databaser"
    ):
        metafunc.parametrize("databasetype", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def databasetype(request: pytest.FixtureRequest) -> str:
    """«sqlite», eller «postgresql» for den andre runden av tester merket `begge_databaser`."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres():
    """Én kastbar PostgreSQL-klynge for hele kjøringen, med en ferdig migrert maldatabase."""
    server = start_postgres()
    oppgrader(server.ny_database(MIGRERT))
    yield server
    server.stopp()


_databaser = itertools.count()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, databasetype: str, tmp_path: Path) -> str:
    """En database for testen alene: tom SQLite, eller en kopi av den migrerte PostgreSQL-malen."""
    if databasetype == "postgresql":
        server = request.getfixturevalue("postgres")
        return server.ny_database(f"test_{next(_databaser)}", mal=MIGRERT)
    return f"sqlite:///{tmp_path / 'dokumenter.sqlite3'}"


@pytest.fixture(params=["whoosh", "postgres"])
def sokemotor(request: pytest.FixtureRequest, tmp_path: Path):
    """En fabrikk for søkemotoren testen skal bruke, én gang med hver motor: Whoosh-indeksen i
    `tmp_path`, eller søket i en egen, migrert PostgreSQL-database. `sokemotor(definisjon)`
    gir en ny motor over de samme dataene (som en ny prosess)."""
    motorer = []

    def lag(definisjon=SOKESKJEMA):
        if request.param == "whoosh":
            return Sokeindeks(tmp_path / "indeks", definisjon)
        if not motorer:
            server = request.getfixturevalue("postgres")
            motorer.append(lag_motor(server.ny_database(f"sok_{next(_databaser)}", mal=MIGRERT)))
        return PgSokeindeks(motorer[0], definisjon)

    lag.motor = request.param
    yield lag
    for m in motorer:
        m.dispose()


# --- Arkivlageret: mappen eller objektlageret (SeaweedFS) ---------------------------------


@pytest.fixture(scope="session")
def s3server():
    """Én kastbar SeaweedFS for kjøringen (per xdist-arbeider); hver test lager sin egen bøtte."""
    with seaweedfs() as server:
        yield server


_bokser = itertools.count()


@pytest.fixture
def ny_boks(s3server):
    """ny_boks() -> navnet på en ny, tom bøtte i testens SeaweedFS."""
    return lambda: s3server.ny_boks(f"arkiv-{next(_bokser)}")


@pytest.fixture(params=["mappe", "s3"])
def lagertype(request: pytest.FixtureRequest) -> str:
    """«mappe» og «s3»: tester som ber om den (eller `lager`), kjøres mot begge lagrene."""
    return request.param


@pytest.fixture
def lager(lagertype: str, tmp_path: Path, request: pytest.FixtureRequest):
    """Et tomt arkivlager: en mappe, eller en ny bøtte i SeaweedFS."""
    if lagertype == "mappe":
        return Fillager(tmp_path / "arkiv")
    server = request.getfixturevalue("s3server")
    return lag_lager(
        lag_innstillinger(tmp_path).med(s3=server.oppsett(request.getfixturevalue("ny_boks")()))
    )


@pytest.fixture
def i_s3(s3server, ny_boks):
    """i_s3(tj, ryddefrist=3600) -> tj med arkivet flyttet til en ny bøtte: filene kopiert, og
    innstillingene peker på bøtta (så en ny prosess eller `apne` bruker den)."""

    def flytt(tj: Tjenester, ryddefrist: int = 3600) -> Tjenester:
        inn = tj.innstillinger.med(s3=s3server.oppsett(ny_boks(), ryddefrist))
        nytt = lag_lager(inn)
        for sha in tj.lager.shaer():
            nytt.lagre(tj.lager.les(sha))
        tj.innstillinger, tj.lager = inn, nytt
        return tj

    return flytt


# --- Delte tjenester for kjøringen --------------------------------------------------------


@pytest.fixture(scope="session")
def konverterer():
    """Én varm LibreOffice for kjøringen (per xdist-arbeider), delt av alle instansene."""
    k = VarmKonverterer(REPO_ROT / ".venv-uno")
    yield k
    k.lukk()


@pytest.fixture(scope="session")
def smtp_sink():
    """En ekte SMTP-tjener på loopback for hele kjøringen; hver test tømmer den selv."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def demosegl(tmp_path_factory: pytest.TempPathFactory) -> Segl:
    return lag_demo_segl(tmp_path_factory.mktemp("segl"), "Testkommune (DEMO)")


@pytest.fixture(scope="session")
def instanslager(
    tmp_path_factory: pytest.TempPathFactory,
    demosegl: Segl,
    smtp_sink: SmtpSink,
    konverterer: VarmKonverterer,
) -> Instanslager:
    return Instanslager(tmp_path_factory.mktemp("instanser"), demosegl, smtp_sink, konverterer)


# --- Instansen for hver test --------------------------------------------------------------


@pytest.fixture
def oppskrift():
    """Det instansen skal inneholde før testen; None er en tom, migrert instans. Moduler som
    trenger en ferdig verden, overstyrer denne med en funksjon `(tj) -> data`."""
    return None


@pytest.fixture
def instanskopi(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    databasetype: str,
    oppskrift,
    instanslager: Instanslager,
):
    """Testens egen kopi av den ferdige instansen for `oppskrift`, i `tmp_path`: (tj, data)."""
    postgres = request.getfixturevalue("postgres") if databasetype == "postgresql" else None
    mal = instanslager.mal(oppskrift, postgres)
    tj, data = instanslager.kopi(mal, tmp_path, postgres)
    yield tj, data
    instanslager.lukk(tj)


@pytest.fixture
def tj(instanskopi) -> Tjenester:
    return instanskopi[0]


@pytest.fixture
def forberedt(instanskopi):
    """Det `oppskrift` returnerte (en kopi for denne testen)."""
    return instanskopi[1]


@pytest.fixture
def kopi_av_maler(tmp_path: Path) -> Path:
    """En skrivbar kopi av maler/, for tester som ødelegger en mal med vilje."""
    maal = tmp_path / "maler"
    shutil.copytree(REPO_ROT / "maler", maal)
    return maal


@pytest.fixture
def saksbehandler(tj: Tjenester):
    return lag_saksbehandler(tj)


# --- Nettsidene ---------------------------------------------------------------------------


@pytest.fixture
def app(tj: Tjenester):
    return create_app(tj, TESTING=True)


@pytest.fixture
def klient(app, saksbehandler):
    """Testklienten, logget inn som saksbehandleren Kari."""
    return innlogget(app, "kari")


@pytest.fixture
def nettleser():
    """Debians chromium via Playwright; hver test lager sine egne kontekster."""
    with chromium() as b:
        yield b


@pytest.fixture
def server(tj: Tjenester, grunnlag):
    """Appen på en ledig port, etter at modulens `grunnlag` er lagt inn; gir adressen."""
    with kjorende_app(tj) as adresse:
        yield adresse


# --- Malene -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mal(request: pytest.FixtureRequest):
    """Malen testmodulen handler om (modulens `MAL`), lest fra maler/."""
    return les_mal(MALMAPPE, request.module.MAL)
