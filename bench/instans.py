"""En ny, midlertidig instans for benchmarkene, åpnet slik appen åpner sin: SQLite i mappen,
malene og `.venv-uno` fra depotet, og arkivet (Noark) koblet til."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur import kryptering
from dokumenter.noark import koble_til
from dokumenter.tjenester import Tjenester, apne


def apne_instans(
    rot: Path, plannokkel: bool = False, **innstillinger: Any
) -> tuple[Innstillinger, Tjenester]:
    """(innstillingene, tjenestene) for en instans i `rot`; `plannokkel` lager nøkkelen
    individuelle planer krypteres med."""
    inn = Innstillinger(
        rot,
        f"sqlite:///{rot / 'bench.sqlite3'}",
        REPO_ROT / "maler",
        rot / "arkiv",
        REPO_ROT / ".venv-uno",
        **innstillinger,
    )
    if plannokkel:
        kryptering.lag_nokkelfil(inn)
    return inn, koble_til(apne(inn))
