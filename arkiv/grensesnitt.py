"""Det resten av koden bruker av et arkivlager, som protokoller: mappen (`lager.Fillager`) og
det S3-kompatible objektlageret (`objektlager.Objektlager`) oppfyller begge.

En lagring går alltid slik: `innlegg()`, `lagre` for hver fil, `forbered` (filene er på sin
endelige plass i lageret) før databasen committer, og så `fullfor` etter commit eller
`forkast` når commit feilet. Det som blir liggende etter en krasj mellom `forbered` og commit,
rydder `gjenopprett` ved neste oppstart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from arkiv.lager import Gjenoppretting, LagerFeil, LagretFil


class Lagring(Protocol):
    """Én lagring (`Innlegg` for mappen, `Objektinnlegg` for objektlageret)."""

    def __enter__(self) -> Lagring: ...

    def __exit__(self, *_: object) -> None: ...

    def lagre(self, data: bytes) -> LagretFil: ...

    def forbered(self) -> None:
        """Før commit: filene på sin endelige plass i lageret."""

    def fullfor(self) -> None:
        """Etter commit; kaster aldri."""

    def forkast(self, er_registrert: Callable[[str], bool]) -> None:
        """Commit feilet: fjern de nye filene ingen rad peker på; kaster aldri."""


class Arkivlager(Protocol):
    feiltype: type[LagerFeil]

    def innlegg(self) -> Lagring: ...

    def lagre(self, data: bytes) -> LagretFil:
        """Én fil utenfor en databasetransaksjon (sikkerhetskopi, gjenoppretting)."""

    def les(self, sha256: str) -> bytes:
        """Hele filen, sjekket mot SHA-256; `feiltype` når den mangler eller er endret."""

    def finnes(self, sha256: str) -> bool: ...

    def slett(self, sha256: str) -> bool:
        """Fjern filen for godt (bare etter oppbevaringstiden); False når den ikke fantes."""

    def shaer(self) -> Iterator[str]:
        """SHA-256 for hver fil i lageret, sortert, uten å holde alle i minnet."""

    def sha256_av(self, sha256: str) -> tuple[str, int]:
        """(faktisk SHA-256, størrelse) av filen, lest i blokker; `feiltype` når den mangler."""

    def kopier_til(self, sha256: str, maal: Path) -> None:
        """Skriv filen til `maal` (uttrekket), lest i blokker."""

    def plassering(self, sha256: str) -> str:
        """Hvor filen ligger, for meldinger (sti eller s3://boks/nøkkel)."""

    def gjenopprett(self, er_registrert: Callable[[str], bool]) -> Gjenoppretting:
        """Ved oppstart: rydd etter lagringer som ble avbrutt før commit."""

    def lukk(self) -> None:
        """Når prosessen er ferdig med lageret (forbindelsene til objektlageret)."""
