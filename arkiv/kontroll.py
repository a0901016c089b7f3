"""Kontroll av arkivlageret (mappen eller objektlageret): regn ut SHA-256 på nytt for hver fil
og sammenlign med databasen."""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from arkiv.grensesnitt import Arkivlager
from arkiv.lager import LagerFeil

BLOKK = 1024 * 1024


@dataclass
class Kontrollrapport:
    kontrollert: int = 0
    bytes_lest: int = 0
    sekunder: float = 0.0
    mangler: list[str] = field(default_factory=list)
    endret: list[str] = field(default_factory=list)
    feil_storrelse: list[str] = field(default_factory=list)
    foreldrelose: list[str] = field(default_factory=list)

    @property
    def ren(self) -> bool:
        return not (self.mangler or self.endret or self.feil_storrelse or self.foreldrelose)

    @property
    def mb_per_sekund(self) -> float:
        return self.bytes_lest / 1e6 / self.sekunder if self.sekunder else 0.0


def sha256_av_fil(sti: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(sti, "rb", buffering=0) as f:
        while blokk := f.read(BLOKK):
            h.update(blokk)
            n += len(blokk)
    return h.hexdigest(), n


def _flett(forventet: Iterable[str], i_lageret: Iterable[str]) -> Iterator[tuple[str, bool, bool]]:
    """To sorterte lister av SHA-256 flettet: (sha, i databasen, i lageret)."""
    a, b = iter(forventet), iter(i_lageret)
    x, y = next(a, None), next(b, None)
    while x is not None or y is not None:
        if y is None or (x is not None and x < y):
            yield x, True, False
            x = next(a, None)
        elif x is None or y < x:
            yield y, False, True
            y = next(b, None)
        else:
            yield x, True, True
            x, y = next(a, None), next(b, None)


def verifiser(
    lager: Arkivlager,
    forventet: dict[str, int],
    fremdrift: Callable[[int], None] | None = None,
    tråder: int | None = None,
) -> Kontrollrapport:
    """Sjekk hver fil i lageret mot `forventet` (sha256 -> størrelse fra databasen).

    Rapporterer filer som mangler, er endret (innholdet har fått en annen SHA-256), har feil
    størrelse i forhold til databasen, og foreldreløse filer som ingen rad peker på. Lageret
    leses som en sortert strøm (`shaer`) flettet med databasens sorterte liste, og hver fil
    leses i blokker; bare et lite vindu av filer er under lesing om gangen.
    """
    t0 = time.perf_counter()
    rapport = Kontrollrapport()
    n = tråder or min(4, os.cpu_count() or 1)
    vindu: deque[tuple[str, Future[tuple[str, int]]]] = deque()

    def ta_imot() -> None:
        sha, fremtid = vindu.popleft()
        try:
            faktisk, storrelse = fremtid.result()
        except (LagerFeil, FileNotFoundError):
            rapport.mangler.append(sha)  # forsvant mellom listingen og lesingen
            return
        rapport.kontrollert += 1
        rapport.bytes_lest += storrelse
        if faktisk != sha:
            rapport.endret.append(sha)
        elif storrelse != forventet[sha]:
            rapport.feil_storrelse.append(sha)
        if fremdrift:
            fremdrift(1)

    with ThreadPoolExecutor(max_workers=n) as utforer:
        for sha, i_db, i_lager in _flett(sorted(forventet), lager.shaer()):
            if not i_lager:
                rapport.mangler.append(sha)
            elif not i_db:
                rapport.foreldrelose.append(sha)
            else:
                vindu.append((sha, utforer.submit(lager.sha256_av, sha)))
                if len(vindu) > 4 * n:
                    ta_imot()
        while vindu:
            ta_imot()
    rapport.mangler.sort()
    rapport.sekunder = time.perf_counter() - t0
    return rapport
