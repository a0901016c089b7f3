"""Kontroll av fillageret: regn ut SHA-256 på nytt for hver fil og sammenlign med databasen."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from arkiv.lager import Fillager

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


def verifiser(
    lager: Fillager,
    forventet: dict[str, int],
    fremdrift: Callable[[int], None] | None = None,
    tråder: int | None = None,
) -> Kontrollrapport:
    """Sjekk hver fil i lageret mot `forventet` (sha256 -> størrelse fra databasen).

    Rapporterer filer som mangler, er endret (innholdet har fått en annen SHA-256), har feil
    størrelse i forhold til databasen, og foreldreløse filer som ingen rad peker på.
    """
    t0 = time.perf_counter()
    rapport = Kontrollrapport()
    filer = {p.name: p for p in lager.alle()}
    rapport.mangler = sorted(sha for sha in forventet if sha not in filer)
    rapport.foreldrelose = sorted(sha for sha in filer if sha not in forventet)
    kontrolleres: Iterable[tuple[str, Path]] = [
        (sha, sti) for sha, sti in filer.items() if sha in forventet
    ]
    with ThreadPoolExecutor(max_workers=tråder or min(4, os.cpu_count() or 1)) as utforer:
        for sha, (faktisk, n) in zip(
            [k[0] for k in kontrolleres],
            utforer.map(lambda k: sha256_av_fil(k[1]), kontrolleres),
            strict=True,
        ):
            rapport.kontrollert += 1
            rapport.bytes_lest += n
            if faktisk != sha:
                rapport.endret.append(sha)
            elif n != forventet[sha]:
                rapport.feil_storrelse.append(sha)
            if fremdrift:
                fremdrift(1)
    rapport.endret.sort()
    rapport.feil_storrelse.sort()
    rapport.sekunder = time.perf_counter() - t0
    return rapport
