"""Innholdsadressert fillager: hver fil lagres én gang under sin SHA-256, skrevet atomisk.

Nye filer skrives først til en ventemappe (`.ventende/<id>/`, låst med flock mens lagringen
pågår) og flyttes inn i lageret først når databasen har registrert dem. En prosess som dør
midt i en lagring etterlater derfor aldri foreldreløse filer i lageret; `gjenopprett`
fullfører eller forkaster det som ligger igjen i ventemappen.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

VENTENDE = ".ventende"


class LagerFeil(Exception):
    """Arkivet kunne ikke skrive eller lese en fil (full disk, manglende tilgang, ...)."""


@dataclass(frozen=True)
class LagretFil:
    sha256: str
    storrelse: int


def feilpunkt(navn: str) -> None:
    """Krasjtester: avslutt prosessen brått her når DOKUMENTER_FEILPUNKT=navn."""
    if os.environ.get("DOKUMENTER_FEILPUNKT") == navn:
        os._exit(86)


class Fillager:
    def __init__(self, rot: str | Path, feiltype: type[LagerFeil] = LagerFeil) -> None:
        self.rot = Path(rot)
        # Kalleren kan gi en underklasse av LagerFeil som også hører til sitt eget feiltre.
        self.feiltype = feiltype

    def sti(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"Ugyldig SHA-256: {sha256!r}")
        return self.rot / sha256[:2] / sha256[2:4] / sha256

    def innlegg(self) -> Innlegg:
        """Start en lagring: filer skrives til ventemappen til `fullfor()` flytter dem inn."""
        return Innlegg(self)

    def lagre(self, data: bytes) -> LagretFil:
        """Lagre én fil direkte (for filer som ikke hører til en databasetransaksjon)."""
        with self.innlegg() as inn:
            f = inn.lagre(data)
            inn.fullfor()
        return f

    def les(self, sha256: str) -> bytes:
        try:
            data = self.sti(sha256).read_bytes()
        except FileNotFoundError as e:
            raise self.feiltype(f"Filen {sha256[:12]}… mangler i arkivet.") from e
        if hashlib.sha256(data).hexdigest() != sha256:
            raise self.feiltype(f"Filen {sha256[:12]}… i arkivet er endret eller skadet.")
        return data

    def slett(self, sha256: str) -> bool:
        """Fjern en fil for godt (bare for data som skal slettes etter oppbevaringstiden)."""
        try:
            self.sti(sha256).unlink()
        except FileNotFoundError:
            return False
        _fsync_mappe(self.sti(sha256).parent)
        return True

    def finnes(self, sha256: str) -> bool:
        return self.sti(sha256).is_file()

    def alle(self) -> Iterator[Path]:
        """Alle filer i lageret (ikke ventemappen)."""
        for mappe in sorted(self.rot.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]")):
            yield from sorted(p for p in mappe.iterdir() if p.is_file())

    def _flytt_inn(self, kilde: Path, sha256: str) -> None:
        maal = self.sti(sha256)
        if maal.is_file() and maal.stat().st_size == kilde.stat().st_size:
            return
        maal.parent.mkdir(parents=True, exist_ok=True)
        os.replace(kilde, maal)
        _fsync_mappe(maal.parent)


class Innlegg:
    """Én lagring: `lagre` skriver til ventemappen; `fullfor` etter databasecommit."""

    def __init__(self, lager: Fillager) -> None:
        self.lager = lager
        self.mappe = lager.rot / VENTENDE / uuid.uuid4().hex
        self._filer: dict[str, Path] = {}
        self._las: int | None = None

    def __enter__(self) -> Innlegg:
        try:
            self.mappe.mkdir(parents=True)
            self._las = os.open(self.mappe / ".las", os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(self._las, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            self._rydd()
            raise self.lager.feiltype(
                f"Kunne ikke skrive til arkivet ({self.lager.rot}): {e.strerror or e}"
            ) from e
        return self

    def __exit__(self, *_: object) -> None:
        self._rydd()

    def lagre(self, data: bytes) -> LagretFil:
        sha = hashlib.sha256(data).hexdigest()
        if sha not in self._filer and not self.lager.finnes(sha):
            sti = self.mappe / sha
            try:
                fd, tmp = tempfile.mkstemp(dir=self.mappe, prefix=".tmp-")
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, sti)
                _fsync_mappe(self.mappe)
            except OSError as e:
                raise self.lager.feiltype(
                    f"Kunne ikke skrive til arkivet ({self.lager.rot}): {e.strerror or e}"
                ) from e
            self._filer[sha] = sti
            feilpunkt("etter_fil")
        return LagretFil(sha, len(data))

    def fullfor(self) -> None:
        """Flytt filene inn i lageret. Kalles etter at databasen har registrert dem."""
        feilpunkt("etter_commit")
        for sha, sti in self._filer.items():
            self.lager._flytt_inn(sti, sha)
        self._filer.clear()

    def _rydd(self) -> None:
        if self._las is not None:
            os.close(self._las)
            self._las = None
        shutil.rmtree(self.mappe, ignore_errors=True)


@dataclass(frozen=True)
class Gjenoppretting:
    fullfort: int
    forkastet: int


def gjenopprett(lager: Fillager, er_registrert: Callable[[str], bool]) -> Gjenoppretting:
    """Rydd etter avbrutte lagringer: filer databasen kjenner flyttes inn, resten slettes.

    Ventemapper som fortsatt er låst (en lagring pågår i en annen prosess) røres ikke.
    """
    fullfort = forkastet = 0
    rot = lager.rot / VENTENDE
    if not rot.is_dir():
        return Gjenoppretting(0, 0)
    for mappe in sorted(p for p in rot.iterdir() if p.is_dir()):
        try:
            fd = os.open(mappe / ".las", os.O_RDWR)
        except FileNotFoundError:
            if time.time() - mappe.stat().st_mtime < 60:
                continue  # nettopp opprettet; låsen kommer straks
            fd = None
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # pågår fortsatt
            for fil in sorted(mappe.iterdir()):
                if fil.name.startswith(".") or len(fil.name) != 64:
                    continue
                data = fil.read_bytes()
                if hashlib.sha256(data).hexdigest() == fil.name and er_registrert(fil.name):
                    lager._flytt_inn(fil, fil.name)
                    fullfort += 1
                else:
                    forkastet += 1
            shutil.rmtree(mappe, ignore_errors=True)
        finally:
            if fd is not None:
                os.close(fd)
    return Gjenoppretting(fullfort, forkastet)


def _fsync_mappe(mappe: Path) -> None:
    fd = os.open(mappe, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
