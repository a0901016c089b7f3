"""Felles testoppsett: ekte SQLite, ekte arkiv på disk og én varm LibreOffice for hele kjøringen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dokumenter import brukere
from dokumenter.config import REPO_ROT, Innstillinger
from dokumenter.konvertering import VarmKonverterer
from dokumenter.tjenester import Tjenester, apne

PASSORD = "testpassord-123"


def lag_innstillinger(rot: Path, maler: Path | None = None) -> Innstillinger:
    return Innstillinger(
        instans=rot,
        database_url=f"sqlite:///{rot / 'dokumenter.sqlite3'}",
        maler=maler or REPO_ROT / "maler",
        arkiv=rot / "arkiv",
        uno_venv=REPO_ROT / ".venv-uno",
    )


@pytest.fixture(scope="session")
def konverterer():
    k = VarmKonverterer(REPO_ROT / ".venv-uno")
    yield k
    k.lukk()


@pytest.fixture
def tj(tmp_path: Path, konverterer: VarmKonverterer) -> Tjenester:
    t = apne(lag_innstillinger(tmp_path))
    t.konverterer = konverterer
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
