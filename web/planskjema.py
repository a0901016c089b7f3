"""Skjemaene for individuelle planer (og overgangsskjemaet): listefelt som tekstlinjer med
kolonnene skilt med «|», radene i tiltak og fremdriftsplan (én rad per tiltak eller
steg, med hva, ansvarlig, fra, til og status) og avtalene som kan velges for en institusjon.

Radene heter `felt-N-kolonne` i skjemaet. Uten JavaScript viser skjemaet `EKSTRA_RADER` tomme
rader og knappen «Flere rader» (som viser skjemaet igjen med flere, uten å lagre); med
JavaScript (static/planskjema.js) legges rader til og fjernes på siden. Tomme rader lagres
ikke, og radnummeret i feilmeldingene er radens plass i skjemaet.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dokumenter.infrastruktur.maler import Felt
from dokumenter.planer.rader import KOLONNER, RADFELT, RADSTATUSER, tom_rad

KOLONNESKILLE = "|"
EKSTRA_RADER = 3
MAKS_RADER = 200  # som malens grense for listefelt
_RADNAVN = re.compile(r"([a-z_]+)-(\d{1,4})-([a-z]+)")

__all__ = [
    "EKSTRA_RADER",
    "KOLONNESKILLE",
    "RADFELT",
    "RADSTATUSER",
    "avtalevalg",
    "datofelt",
    "fra_skjema",
    "rader_fra_skjema",
    "som_skjemaverdi",
    "til_skjema",
]


def som_skjemaverdi(f: Felt, verdi: Any) -> str:
    """Lagret verdi -> tekst i skjemaet. Listefelt: én rad per linje, kolonner med «|»."""
    if verdi is None:
        return ""
    if f.type == "liste":
        return "\n".join(
            f" {KOLONNESKILLE} ".join(str(rad.get(k, "")) for k in f.kolonner) for rad in verdi
        )
    return str(verdi)


def fra_skjema(skjema: dict[str, str], felt: list[Felt]) -> dict[str, Any]:
    """Skjemaets tekst -> verdier til brukstilfellet (som validerer mot manifestet). `felt` er
    manifestets felt."""
    verdier: dict[str, Any] = {}
    for f in felt:
        tekst = skjema.get(f.navn, "")
        if f.type == "liste":
            rader = []
            for linje in tekst.splitlines():
                if not linje.strip():
                    continue
                celler = [c.strip() for c in linje.split(KOLONNESKILLE)]
                if len(celler) > len(f.kolonner):  # resten hører til siste kolonne
                    celler = [
                        *celler[: len(f.kolonner) - 1],
                        f" {KOLONNESKILLE} ".join(celler[len(f.kolonner) - 1 :]),
                    ]
                celler += [""] * (len(f.kolonner) - len(celler))
                rader.append(dict(zip(f.kolonner, celler, strict=True)))
            verdier[f.navn] = rader
        else:
            verdier[f.navn] = tekst
    return verdier


def rader_fra_skjema(skjema: Any, felt: str) -> list[dict[str, str]]:
    """Radene i `felt` slik de ble sendt (også tomme), i rekkefølgen på siden."""
    rader: dict[int, dict[str, str]] = {}
    for navn in skjema:
        m = _RADNAVN.fullmatch(navn)
        if m and m[1] == felt and m[3] in KOLONNER:
            rader.setdefault(int(m[2]), tom_rad())[m[3]] = skjema.get(navn, "")[:1000]
    return [rader[i] for i in sorted(rader)][:MAKS_RADER]


def til_skjema(rader: list[dict[str, Any]] | None, ekstra: int = EKSTRA_RADER) -> list[dict]:
    """Radene slik skjemaet viser dem: som de er (også tomme, så radnumrene i feilmeldingene
    stemmer), så `ekstra` tomme; minst én rad i alt."""
    vist = [{k: str(r.get(k) or "") for k in KOLONNER} for r in rader or []]
    return vist + [tom_rad() for _ in range(ekstra if ekstra or vist else 1)]


def datofelt(verdi: str) -> str:
    """Inndatatypen for en dato: «date» (nettleserens datovelger) når verdien er tom eller en
    ISO-dato, ellers «text», så tekst som ikke er en dato (fra en eldre plan, eller skrevet i
    en nettleser uten datovelger) vises og kan rettes i stedet for å forsvinne."""
    if not verdi:
        return "date"
    try:
        date.fromisoformat(verdi)
    except ValueError:
        return "text"
    return "date" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", verdi) else "text"


def avtalevalg(
    avtaler: list[tuple[int, int, str, str]], part_id: str
) -> list[tuple[int, int, str, str]]:
    """Avtalene som kan velges for institusjonen `part_id` (tekst fra skjemaet); ingen når
    ingen institusjon er valgt."""
    return [a for a in avtaler if str(a[1]) == part_id]
