"""Innstillingene for en testinstans, testpassordet og små hjelpere rundt instansmappen."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from dokumenter.brukere import kontoer as brukere
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur import kryptering
from dokumenter.infrastruktur.forsegling import Segl
from dokumenter.models import Bruker

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


def klargjor_instans(rot: Path, segl: Segl) -> None:
    """Seglet (kopi av demoseglet) og en ny nøkkelfil for planene i instansmappen `rot`."""
    (rot / "segl").mkdir(parents=True)
    shutil.copy(segl.nokkel, rot / "segl" / "nokkel.pem")
    shutil.copy(segl.sertifikat, rot / "segl" / "sertifikat.pem")
    kryptering.lag_nokkelfil(lag_innstillinger(rot))


def lag_saksbehandler(tj) -> Bruker:
    return brukere.opprett_bruker(tj, "kari", "Kari Saksbehandler", "saksbehandler", PASSORD)


def hent_bruker(tj, brukernavn: str) -> Bruker:
    """Brukeren med `brukernavn`, lest fra databasen (løs fra sesjonen)."""
    with tj.sesjoner() as s:
        return s.scalars(select(Bruker).where(Bruker.brukernavn == brukernavn)).one()


def hent(tj, modell, id_: int):
    """Raden `id_` av `modell`, lest fra databasen (løs fra sesjonen)."""
    with tj.sesjoner() as s:
        return s.get(modell, id_)


def filer_i_arkivet(tj) -> list[Path]:
    return [p for p in tj.innstillinger.arkiv.rglob("*") if p.is_file()]
