"""Felles testoppsett: ekte SQLite (og PostgreSQL), ekte arkiv på disk og én varm LibreOffice.

Tester merket `begge_databaser` kjøres både mot SQLite og mot en kastbar PostgreSQL som
startes én gang per kjøring (tests/postgres.py); hver test får sin egen database.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from dokumenter.brukere import kontoer as brukere
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur import kryptering
from dokumenter.infrastruktur.db import oppgrader
from dokumenter.infrastruktur.forsegling import Segl, lag_demo_segl
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.infrastruktur.smtpsink import SmtpSink
from dokumenter.noark import koble_til
from dokumenter.tjenester import Tjenester, apne

PASSORD = "Hvalross-fjord-lykt-73"


def lag_innstillinger(
    rot: Path, maler: Path | None = None, database_url: str | None = None
) -> Innstillinger:
    return Innstillinger(
        instans=rot,
        database_url=database_url or f"sqlite:///{rot / 'dokumenter.sqlite3'}",
        maler=maler or REPO_ROT / "maler",
        arkiv=rot / "arkiv",
        uno_venv=REPO_ROT / ".venv-uno",
        nettadresse="http://localhost",
        passordprofil="test",
    )


@pytest.fixture(scope="session")
def konverterer():
    k = VarmKonverterer(REPO_ROT / ".venv-uno")
    yield k
    k.lukk()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "begge_databaser"
    ):
        metafunc.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres():
    """Én kastbar PostgreSQL-klynge for hele kjøringen, med en ferdig migrert maldatabase."""
    from tests.postgres import start_postgres

    server = start_postgres()
    oppgrader(server.ny_database("migrert"))
    yield server
    server.stopp()


_databaser = itertools.count()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if getattr(request, "param", "sqlite") == "postgresql":
        server = request.getfixturevalue("postgres")
        return server.ny_database(f"test_{next(_databaser)}", mal="migrert")
    return f"sqlite:///{tmp_path / 'dokumenter.sqlite3'}"


@pytest.fixture(scope="session")
def smtp_sink():
    """En ekte SMTP-tjener på loopback for hele kjøringen; hver test tømmer den selv."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def demosegl(tmp_path_factory: pytest.TempPathFactory) -> Segl:
    return lag_demo_segl(tmp_path_factory.mktemp("segl"), "Testkommune (DEMO)")


@pytest.fixture
def tj(
    tmp_path: Path,
    konverterer: VarmKonverterer,
    database_url: str,
    smtp_sink: SmtpSink,
    demosegl: Segl,
) -> Tjenester:
    (tmp_path / "segl").mkdir()
    shutil.copy(demosegl.nokkel, tmp_path / "segl" / "nokkel.pem")
    shutil.copy(demosegl.sertifikat, tmp_path / "segl" / "sertifikat.pem")
    kryptering.lag_nokkelfil(lag_innstillinger(tmp_path))
    t = koble_til(apne(lag_innstillinger(tmp_path, database_url=database_url)))
    t.konverterer = konverterer
    t.smtp = smtp_sink.oppsett()
    smtp_sink.tom()
    yield t
    t._konverterer = None  # den delte konvertereren lukkes av sin egen fixture
    t.lukk()


@pytest.fixture
def kopi_av_maler(tmp_path: Path) -> Path:
    """En skrivbar kopi av maler/, for tester som ødelegger en mal med vilje."""
    maal = tmp_path / "maler"
    shutil.copytree(REPO_ROT / "maler", maal)
    return maal


@pytest.fixture
def saksbehandler(tj: Tjenester):
    return brukere.opprett_bruker(tj, "kari", "Kari Saksbehandler", "saksbehandler", PASSORD)


def filer_i_arkivet(tj: Tjenester) -> list[Path]:
    return [p for p in tj.innstillinger.arkiv.rglob("*") if p.is_file()]
