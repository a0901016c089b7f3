"""Sikkerhetskopi og gjenoppretting: SQLite-databasen via backup-API-et pluss arkivfilene."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from arkiv.lager import Fillager, LagerFeil, _fsync_mappe

DB_NAVN = "dokumenter.sqlite3"
MANIFEST = "sikkerhetskopi.json"


def sqlite_sti(database_url: str) -> Path:
    if not database_url.startswith("sqlite:///"):
        raise LagerFeil(
            "Sikkerhetskopi med denne kommandoen gjelder SQLite-instansen. For PostgreSQL: "
            "ta kopi av databasen med pg_dump og kopier arkivmappen."
        )
    return Path(database_url.removeprefix("sqlite:///"))


def kopier_database(kilde: Path, maal: Path) -> None:
    """Et konsistent øyeblikksbilde av en SQLite-database som kan være i bruk (backup-API)."""
    fra = sqlite3.connect(f"file:{kilde}?mode=ro", uri=True)
    til = sqlite3.connect(maal)
    try:
        fra.backup(til)
    finally:
        til.close()
        fra.close()
    with open(maal, "rb") as f:
        os.fsync(f.fileno())


def kopier_filer(
    kilde: Fillager,
    maal: Fillager,
    sha256er: Iterable[str],
    fremdrift: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Kopier filene (som allerede er kontrollert ved lesing) til et annet lager.

    Returnerer (antall, bytes).
    """
    antall = storrelse = 0
    for sha in sha256er:
        data = kilde.les(sha)
        maal.lagre(data)
        antall += 1
        storrelse += len(data)
        if fremdrift:
            fremdrift(1)
    return antall, storrelse


def skriv_manifest(mappe: Path, **innhold: object) -> None:
    tekst = json.dumps(
        {"laget": datetime.now(UTC).isoformat(), **innhold}, ensure_ascii=False, indent=2
    )
    tmp = mappe / (MANIFEST + ".tmp")
    tmp.write_text(tekst, encoding="utf-8")
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, mappe / MANIFEST)
    _fsync_mappe(mappe)


def les_manifest(mappe: Path) -> dict:
    try:
        return json.loads((mappe / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as e:
        raise LagerFeil(
            f"{mappe} er ikke en fullstendig sikkerhetskopi ({MANIFEST} mangler)."
        ) from e


def fjern_ufullstendig(mappe: Path) -> None:
    shutil.rmtree(mappe, ignore_errors=True)
