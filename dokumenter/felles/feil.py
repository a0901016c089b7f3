"""Feilene brukstilfellene kaster (erstattes av ett feiltre i neste steg)."""

from __future__ import annotations


class Valideringsfeil(Exception):
    """Brukerinndata som ikke kan godtas; `feil` er felt -> norsk melding."""

    def __init__(self, feil: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in feil.items()))
        self.feil = feil


class Konflikt(Exception):
    """Avtalen er lagret av en annen siden skjemaet ble åpnet (optimistisk låsing)."""

    def __init__(self, apnet: int, gjeldende: int | None) -> None:
        self.apnet, self.gjeldende = apnet, gjeldende
        super().__init__(
            f"Avtalen er lagret av en annen (nå versjon {gjeldende}) etter at du åpnet "
            f"versjon {apnet}. Ingenting er overskrevet; se hva som er endret, og lagre igjen."
        )


class IkkeFunnet(Exception):
    pass


class IngenSkrivetilgang(Exception):
    """Brukeren kan lese planen, men ikke gjøre dette."""
