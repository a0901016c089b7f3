"""Det kallerne (dokumenter/ og web/) bruker av en søkemotor, som en `Protocol`: Whoosh-indeksen
på disk (`indeks.Sokeindeks`) og søket i PostgreSQL (`postgres.PgSokeindeks`) har begge dette.

Skriving skjer med `skriver()` (et objekt med `synkroniser(art, objekt_id, onsket)`, under
motorens skrivelås, alt eller ingenting) eller `erstatt_objekt`; `bygg_pa_nytt` bygger alt
fra arkivet uten å sperre for andre skrivere; `sok` søker med tilgangsgruppene og fletter inn
dokumenter i minnet (planene). Status: `finnes`, `avvik`, `bygges`, `foreldet`,
`antall_gjeldende`; vedlikehold: `sla_sammen`, `rydd_rester`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from arkiv.sok.indeks import Indeksdokument, Resultat
from arkiv.sok.skjema import Skjemadefinisjon


class Motorskriver(Protocol):
    skrevet: int
    fjernet: int

    def synkroniser(self, art: str, objekt_id: int, onsket: Iterable[Indeksdokument]) -> None:
        """Gjør objektets dokumenter like `onsket` (skriver bare det som er endret)."""

    def legg_til(self, dok: Indeksdokument) -> None: ...


class Sokemotor(Protocol):
    definisjon: Skjemadefinisjon

    def finnes(self) -> bool: ...
    def opprett_tom(self) -> None: ...
    def avvik(self) -> list[str]: ...
    def bygges(self) -> bool: ...
    def antall_gjeldende(self) -> dict[str, int]: ...
    def merk_foreldet(self, grunn: str, tidspunkt: float | None = None) -> None: ...
    def foreldet(self) -> str | None: ...
    def skrivelas(self, ventetid: float) -> AbstractContextManager[Any]: ...
    def skriver(self, ventetid: float | None = None) -> AbstractContextManager[Any]: ...
    def sla_sammen(self, minst: int = ..., ventetid: float = 1.0) -> int: ...
    def rydd_rester(self) -> list[str]: ...

    def erstatt_objekt(
        self, art: str, objekt_id: int, hent: Callable[[], Iterable[Indeksdokument]]
    ) -> None: ...

    def bygg_pa_nytt(
        self,
        dokumenter: Iterable[Indeksdokument],
        fremdrift: Callable[[int], None] | None = None,
        leksikon: Any = None,
        innhent: Callable[[Any], None] | None = None,
    ) -> int: ...

    def sok(
        self,
        sporring: str,
        tilgang: Iterable[str],
        filtre: dict[str, str] | None = None,
        bare_gjeldende: bool = True,
        sorter_dato: bool = False,
        side: int = 1,
        per_side: int = 20,
        minnedokumenter: Iterable[Indeksdokument] = (),
        minnetilgang: Iterable[str] | None = None,
    ) -> Resultat: ...

    def lukk(self) -> None: ...
    def lukk_alle(self) -> None: ...
