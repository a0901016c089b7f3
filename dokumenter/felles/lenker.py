"""Lenkene e-post og kalender peker til. Domenet ber om en lenke til en sak; skallet som
kjører (nettsiden eller kommandolinjen) bestemmer hvordan adressen bygges.

`Stilenker` bygger adressene fra den konfigurerte nettadressen og kjente stier; den brukes av
kommandolinjen (cron) og er standard. Nettsiden bruker sine egne ruter (`web/lenker.py`); en
test sjekker at de to gir de samme adressene.
"""

from __future__ import annotations

from typing import Protocol


class Lenker(Protocol):
    def avtale(self, avtale_id: int, partner: bool = False) -> str: ...

    def signer_avtale(self, avtale_id: int, partner: bool = False) -> str: ...

    def plan(self, plan_id: int, partner: bool = False) -> str: ...

    def avvik(self, avvik_id: int, partner: bool = False) -> str: ...

    def invitasjon(self, nokkel: str) -> str: ...

    def kontolenke(self, nokkel: str, partner: bool = False) -> str: ...


class Stilenker:
    def __init__(self, nettadresse: str) -> None:
        self.nettadresse = nettadresse.rstrip("/")

    def _sti(self, sti: str, partner: bool = False) -> str:
        return f"{self.nettadresse}{'/portal' if partner else ''}{sti}"

    def avtale(self, avtale_id: int, partner: bool = False) -> str:
        return self._sti(f"/avtaler/{avtale_id}", partner)

    def signer_avtale(self, avtale_id: int, partner: bool = False) -> str:
        return self._sti(f"/avtaler/{avtale_id}/signer", partner)

    def plan(self, plan_id: int, partner: bool = False) -> str:
        return self._sti(f"/planer/{plan_id}", partner)

    def avvik(self, avvik_id: int, partner: bool = False) -> str:
        return self._sti(f"/avvik/{avvik_id}", partner)

    def invitasjon(self, nokkel: str) -> str:
        return self._sti(f"/invitasjon/{nokkel}", partner=True)

    def kontolenke(self, nokkel: str, partner: bool = False) -> str:
        return self._sti(f"/konto/lenke/{nokkel}", partner)
