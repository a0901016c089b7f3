"""Sikkerhetskopi og gjenoppretting: SQLite-databasen via backup-API-et pluss arkivfilene, lest
fra arkivlageret (mappen eller objektlageret) og skrevet til en mappe.

En kopi bygges i `DEST.delvis-*` (låst mens den pågår) og får navnet DEST først når den er
ferdig; rester etter avbrutte kopier fjernes ved neste kjøring. En skadet fil stopper ikke
kopien: den hoppes over og rapporteres."""

from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from arkiv.grensesnitt import Arkivlager
from arkiv.lager import LagerFeil, _fsync_mappe, feilpunkt

DB_NAVN = "dokumenter.sqlite3"
MANIFEST = "sikkerhetskopi.json"
DELVIS = ".delvis-"  # en kopi som pågår (eller ble avbrutt): DEST.delvis-*


def sqlite_sti(database_url: str) -> Path:
    if not database_url.startswith("sqlite:///"):
        raise LagerFeil(
            "Databasen er ikke SQLite. For PostgreSQL: ta kopi av databasen med pg_dump (før "
            "filene) og gjenopprett den med pg_restore."
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


@dataclass
class Kopiresultat:
    antall: int = 0
    bytes: int = 0
    # (sha256, grunn) for hver fil som ikke kunne leses (mangler, endret, lesefeil).
    feil: list[tuple[str, str]] = field(default_factory=list)


def kopier_filer(
    kilde: Arkivlager,
    maal: Arkivlager,
    sha256er: Iterable[str],
    fremdrift: Callable[[int], None] | None = None,
) -> Kopiresultat:
    """Kopier filene (kontrollert mot SHA-256 ved lesing) til et annet lager.

    En fil som mangler, er skadet eller ikke kan leses, hopper over og står i `feil`; alt
    annet kopieres likevel. En feil ved skriving til målet (full disk) stopper kopien.
    """
    r = Kopiresultat()
    for sha in sha256er:
        try:
            data = kilde.les(sha)
        except (LagerFeil, OSError) as e:
            r.feil.append((sha, str(e) if isinstance(e, LagerFeil) else f"lesefeil: {e}"))
        else:
            maal.lagre(data)
            r.antall += 1
            r.bytes += len(data)
            feilpunkt("sikkerhetskopi_fil")
        if fremdrift:
            fremdrift(1)
    return r


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


def delvis_mappe(maal: Path) -> tuple[Path, int]:
    """En ny mappe `DEST.delvis-*` ved siden av `maal`, låst (flock) så lenge kopien pågår.
    Gir (mappe, fildeskriptor for låsen); kalleren lukker den."""
    mappe = Path(tempfile.mkdtemp(prefix=f"{maal.name}{DELVIS}", dir=maal.parent))
    fd = os.open(mappe / ".las", os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return mappe, fd


def rydd_delvise(maal: Path) -> list[Path]:
    """Fjern `DEST.delvis-*` fra tidligere kjøringer som ble avbrutt (ikke de som er låst av
    en kopi som pågår). Gir mappene som ble fjernet."""
    fjernet = []
    for mappe in sorted(maal.parent.glob(f"{glob.escape(maal.name)}{DELVIS}*")):
        try:
            fd = os.open(mappe / ".las", os.O_RDWR)
        except FileNotFoundError:
            fd = None
            if time.time() - mappe.stat().st_mtime < 60:
                continue  # nettopp opprettet, eller ferdig og i ferd med å få sitt navn
        except NotADirectoryError:
            continue
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
            shutil.rmtree(mappe, ignore_errors=True)
            fjernet.append(mappe)
        finally:
            if fd is not None:
                os.close(fd)
    return fjernet


def fjern_ufullstendig(mappe: Path) -> None:
    shutil.rmtree(mappe, ignore_errors=True)
