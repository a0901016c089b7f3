"""Én feiltre for alt en bruker kan forårsake eller må få vite, med norsk melding.

Brukstilfellene kaster disse; skallene (web og kommandolinjen) oversetter dem ett sted hver
(`web/feil.py`, `dokumenter/cli`). Meldingen (`str(feil)`) kan vises som den er.

    Domenefeil
    ├── IkkeFunnet        finnes ikke, eller brukeren får ikke vite at det finnes (404)
    ├── IngenTilgang      brukeren ser det, men kan ikke gjøre dette (403)
    ├── Valideringsfeil   inndata som ikke kan godtas; `feil` er felt -> melding (400)
    │   └── UlovligOvergang (avtalens livsløp)
    ├── Konflikt          en annen har lagret i mellomtiden (409)
    ├── ForMangeForsok    gjetting er begrenset; vent og prøv igjen (429)
    ├── Arkivfeil         et dokument kunne ikke lages, leses eller lagres (500)
    └── Oppsettsfeil      installasjonen mangler noe (nøkkel, sertifikat); ikke brukerens feil
"""

from __future__ import annotations


class Domenefeil(Exception):
    """Roten: en feil med en norsk melding som kan vises til brukeren."""

    http_status = 500


class IkkeFunnet(Domenefeil):
    """Finnes ikke, eller brukeren skal ikke få vite at det finnes."""

    http_status = 404


class IngenTilgang(Domenefeil):
    """Brukeren er kjent og ser saken, men rollen eller grunnlaget gir ikke denne handlingen."""

    http_status = 403


class Valideringsfeil(Domenefeil):
    """Brukerinndata som ikke kan godtas; `feil` er felt -> norsk melding (vis `feil`, ikke
    `str(feil)`, som også har feltnavnene, til logger og tester)."""

    http_status = 400

    def __init__(self, feil: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in feil.items()))
        self.feil = feil


class Konflikt(Domenefeil):
    """Avtalen er lagret av en annen siden skjemaet ble åpnet (optimistisk låsing)."""

    http_status = 409

    def __init__(self, apnet: int, gjeldende: int | None) -> None:
        self.apnet, self.gjeldende = apnet, gjeldende
        super().__init__(
            f"Avtalen er lagret av en annen (nå versjon {gjeldende}) etter at du åpnet "
            f"versjon {apnet}. Ingenting er overskrevet; se hva som er endret, og lagre igjen."
        )


class ForMangeForsok(Domenefeil):
    """For mange mislykkede forsøk i et tidsvindu."""

    http_status = 429


class Arkivfeil(Domenefeil):
    """Et dokument kunne ikke lages, leses eller lagres (konvertering, mal, arkiv)."""


class Oppsettsfeil(Domenefeil):
    """Installasjonen mangler noe brukeren ikke kan rette: nøkkel, sertifikat, e-post."""
