"""Innholdsadressert fillager: hver fil lagres én gang under sin SHA-256, skrevet atomisk."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


class LagerFeil(Exception):
    """Arkivet kunne ikke skrive eller lese en fil (full disk, manglende tilgang, ...)."""


@dataclass(frozen=True)
class LagretFil:
    sha256: str
    storrelse: int


class Fillager:
    def __init__(self, rot: str | Path) -> None:
        self.rot = Path(rot)

    def sti(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"Ugyldig SHA-256: {sha256!r}")
        return self.rot / sha256[:2] / sha256[2:4] / sha256

    def lagre(self, data: bytes) -> LagretFil:
        """Skriv data til en midlertidig fil, fsync, og gi den navnet til sin SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        maal = self.sti(sha)
        if maal.exists() and maal.stat().st_size == len(data):
            return LagretFil(sha, len(data))
        try:
            maal.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=maal.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, maal)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _fsync_mappe(maal.parent)
        except OSError as e:
            raise LagerFeil(f"Kunne ikke skrive til arkivet ({self.rot}): {e.strerror or e}") from e
        return LagretFil(sha, len(data))

    def les(self, sha256: str) -> bytes:
        try:
            data = self.sti(sha256).read_bytes()
        except FileNotFoundError as e:
            raise LagerFeil(f"Filen {sha256[:12]}… mangler i arkivet.") from e
        if hashlib.sha256(data).hexdigest() != sha256:
            raise LagerFeil(f"Filen {sha256[:12]}… i arkivet er endret eller skadet.")
        return data

    def finnes(self, sha256: str) -> bool:
        return self.sti(sha256).is_file()


def _fsync_mappe(mappe: Path) -> None:
    fd = os.open(mappe, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
