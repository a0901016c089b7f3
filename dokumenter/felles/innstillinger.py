"""Innstillinger fra miljøvariabler, med trygge standardverdier for én maskin."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Innstillinger:
    instans: Path
    database_url: str
    maler: Path
    arkiv: Path
    uno_venv: Path
    # Individuelle planer slettes så mange dager etter at de er avsluttet.
    plan_oppbevaring_dager: int = 3650

    @classmethod
    def fra_miljo(cls, instans: str | Path | None = None) -> Innstillinger:
        rot = Path(instans or os.environ.get("DOKUMENTER_INSTANS") or REPO_ROT / "instance")
        rot = rot.resolve()
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{rot / 'dokumenter.sqlite3'}"
        return cls(
            instans=rot,
            database_url=url,
            maler=Path(os.environ.get("DOKUMENTER_MALER") or REPO_ROT / "maler"),
            arkiv=Path(os.environ.get("DOKUMENTER_ARKIV") or rot / "arkiv"),
            uno_venv=Path(os.environ.get("UNOSERVER_VENV") or REPO_ROT / ".venv-uno"),
            plan_oppbevaring_dager=int(os.environ.get("DOKUMENTER_PLAN_OPPBEVARING_DAGER") or 3650),
        )
