"""Søkenes kjører: søk går i noen få egne tråder med tidsgrense, ikke i forespørselens tråd,
så tunge søk aldri binder opp alle trådene nettsiden har (innloggingen skal fortsatt svare).

- `arbeidere` tråder søker, og `ko` søk til kan vente på dem. Er alt fullt, avvises et nytt
  søk straks (`Opptatt`), i stedet for at forespørselen blir stående.
- Hver `nokkel` (brukeren) kan ha høyst `per_nokkel` søk i gang eller i kø (`Opptatt`).
- Hvert søk har `tidsgrense` sekunder fra det ble sendt inn. Søket sjekker fristen selv
  (`budsjett.sjekk_frist`) og stopper med `Tidsavbrudd`; den som venter på svaret, gir også opp
  litt etter fristen, selv om søket ikke skulle ha merket den.

En plass blir ledig først når søket faktisk er ferdig, ikke når den som ventet ga opp.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FremtidTidsavbrudd
from typing import TypeVar

from arkiv.sok.budsjett import Tidsavbrudd, frist_til

T = TypeVar("T")


class Opptatt(Exception):
    """Søket ble avvist uten å kjøres: brukeren har nok søk i gang, eller kjøreren er full."""

    def __init__(self, melding: str, per_bruker: bool) -> None:
        super().__init__(melding)
        self.per_bruker = per_bruker


class Sokekjorer:
    def __init__(
        self,
        arbeidere: int = 2,
        ko: int = 2,
        per_nokkel: int = 2,
        tidsgrense: float = 5.0,
        slakk: float = 1.0,
    ) -> None:
        self.arbeidere, self.ko, self.per_nokkel = arbeidere, ko, per_nokkel
        self.tidsgrense, self.slakk = tidsgrense, slakk
        self._pool = ThreadPoolExecutor(arbeidere, thread_name_prefix="sok")
        self._las = threading.Lock()
        self._per_nokkel: Counter[Hashable] = Counter()
        self._i_gang = 0

    def kjor(self, nokkel: Hashable, oppgave: Callable[[], T]) -> T:
        """Kjør `oppgave` i en av søketrådene og vent på svaret. `Opptatt` straks når det ikke
        er plass; `Tidsavbrudd` når fristen går ut."""
        with self._las:
            if self._per_nokkel[nokkel] >= self.per_nokkel:
                raise Opptatt(
                    f"Du har allerede {self.per_nokkel} søk som ikke er ferdige. Vent til de er "
                    "ferdige, og prøv igjen.",
                    per_bruker=True,
                )
            if self._i_gang >= self.arbeidere + self.ko:
                raise Opptatt("Søket er opptatt akkurat nå. Prøv igjen om litt.", False)
            self._per_nokkel[nokkel] += 1
            self._i_gang += 1
        frist = time.monotonic() + self.tidsgrense
        try:
            fremtid = self._pool.submit(self._med_frist, oppgave, frist)
        except BaseException:
            self._frigjor(nokkel)
            raise
        fremtid.add_done_callback(lambda _f: self._frigjor(nokkel))
        try:
            return fremtid.result(timeout=self.tidsgrense + self.slakk)
        except FremtidTidsavbrudd:
            fremtid.cancel()  # står det fortsatt i kø, kjøres det aldri
            raise Tidsavbrudd(self.tidsgrense) from None

    def _med_frist(self, oppgave: Callable[[], T], frist: float) -> T:
        with frist_til(frist, self.tidsgrense):
            return oppgave()

    def _frigjor(self, nokkel: Hashable) -> None:
        with self._las:
            self._per_nokkel[nokkel] -= 1
            if self._per_nokkel[nokkel] <= 0:
                del self._per_nokkel[nokkel]
            self._i_gang -= 1

    def i_gang(self) -> int:
        with self._las:
            return self._i_gang

    def lukk(self) -> None:
        """Ingen nye søk; de i kø kjøres ikke, og de som går, får gjøre seg ferdige."""
        self._pool.shutdown(wait=True, cancel_futures=True)
