"""Sidevisning og sortering av lister: hvilken side, hvor mange per side og hvilken kolonne
det sorteres på (`Utvalg`), og én side med rader og totalt antall (`Side`).

Utvalget leses fra adressens parametre (`side`, `sorter`, `retning`), så en side i en liste
kan deles som lenke. Ukjente eller ugyldige verdier gir standardverdiene, aldri en feil.
Selve spørringen (LIMIT/OFFSET og ORDER BY i SQL) er `infrastruktur.sidevis`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

T = TypeVar("T")

STIGENDE, SYNKENDE = "stigende", "synkende"
MAKS_SIDE = 100_000
MAKS_PER_SIDE = 200


@dataclass(frozen=True)
class Utvalg:
    """Én side av en liste: sidenummer (fra 1), antall per side og sortering.

    `prefiks` skiller parametrene når en side har flere lister (`vside`, `vsorter` …)."""

    side: int = 1
    per_side: int = 50
    sorter: str = ""
    synkende: bool = False
    prefiks: str = ""

    @property
    def offset(self) -> int:
        return (self.side - 1) * self.per_side

    @property
    def retning(self) -> str:
        return SYNKENDE if self.synkende else STIGENDE

    def med(self, **endringer: object) -> Utvalg:
        return replace(self, **endringer)

    def parameter(self, navn: str) -> str:
        """Navnet parameteren `navn` har i adressen (med prefikset)."""
        return f"{self.prefiks}{navn}"


@dataclass(frozen=True)
class Sortering:
    """Kolonnene en liste kan sorteres på (nøkkel -> om den sorteres synkende først) og
    standardsorteringen."""

    kolonner: Mapping[str, bool]
    standard: str
    per_side: int = 50

    def utvalg(self, parametre: Mapping[str, str], prefiks: str = "") -> Utvalg:
        """Utvalget adressens parametre ber om; ugyldige verdier gir standardverdiene."""

        def verdi(navn: str) -> str:
            return str(parametre.get(f"{prefiks}{navn}", "") or "")[:40]

        sorter = verdi("sorter")
        if sorter not in self.kolonner:
            sorter = self.standard
        retning = verdi("retning")
        synkende = retning == SYNKENDE if retning in (STIGENDE, SYNKENDE) else self.kolonner[sorter]
        side = verdi("side")
        return Utvalg(
            side=int(side) if side.isdigit() and 0 < int(side) <= MAKS_SIDE else 1,
            per_side=self.per_side,
            sorter=sorter,
            synkende=synkende,
            prefiks=prefiks,
        )


@dataclass
class Side(Generic[T]):
    """Radene på én side, totalt antall og utvalget som ga dem (med sidenummeret justert
    til siste side når det ble bedt om en side bak slutten)."""

    rader: list[T]
    totalt: int
    utvalg: Utvalg = field(default_factory=Utvalg)

    def __iter__(self) -> Iterator[T]:
        return iter(self.rader)

    def __len__(self) -> int:
        return len(self.rader)

    @property
    def side(self) -> int:
        return self.utvalg.side

    @property
    def sider(self) -> int:
        return max(1, -(-self.totalt // self.utvalg.per_side))

    @property
    def fra(self) -> int:
        """Nummeret (fra 1) på første rad på siden; 0 når listen er tom."""
        return self.utvalg.offset + 1 if self.rader else 0

    @property
    def til(self) -> int:
        return self.utvalg.offset + len(self.rader)

    def sidenumre(self, rundt: int = 2) -> Sequence[int | None]:
        """Sidene navigasjonen viser: første, siste og `rundt` sider på hver side av denne;
        None der sider er hoppet over."""
        vis = {1, self.sider, *range(self.side - rundt, self.side + rundt + 1)}
        numre: list[int | None] = []
        for n in sorted(n for n in vis if 1 <= n <= self.sider):
            if numre and numre[-1] is not None and n - numre[-1] > 1:
                numre.append(None)
            numre.append(n)
        return numre
