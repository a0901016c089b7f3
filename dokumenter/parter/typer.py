"""Partstypene og sektorene de hører til (kriminalomsorgen, spesialisthelsetjenesten, andre)."""

from __future__ import annotations

from dataclasses import dataclass

SEKTORER = {
    "kriminalomsorgen": "Kriminalomsorgen",
    "spesialisthelsetjenesten": "Spesialisthelsetjenesten",
    "annet": "Andre samarbeidsparter",
}


@dataclass(frozen=True)
class Partstype:
    kode: str
    etikett: str
    i_tekst: str  # slik typen skrives midt i en setning i avtalen
    sektor: str


PARTSTYPER = {
    t.kode: t
    for t in (
        Partstype("fengsel", "Fengsel", "fengsel", "kriminalomsorgen"),
        Partstype("friomsorgskontor", "Friomsorgskontor", "friomsorgskontor", "kriminalomsorgen"),
        Partstype("overgangsbolig", "Overgangsbolig", "overgangsbolig", "kriminalomsorgen"),
        Partstype(
            "behandlingsinstitusjon",
            "Behandlingsinstitusjon",
            "behandlingsinstitusjon",
            "spesialisthelsetjenesten",
        ),
        Partstype(
            "dps",
            "Distriktspsykiatrisk senter (DPS)",
            "distriktspsykiatrisk senter",
            "spesialisthelsetjenesten",
        ),
        Partstype("helseforetak", "Helseforetak", "helseforetak", "spesialisthelsetjenesten"),
        Partstype("boligstiftelse", "Boligstiftelse", "boligstiftelse", "annet"),
        Partstype("utleier", "Utleier", "utleier", "annet"),
        Partstype("annet", "Annet", "samarbeidspart", "annet"),
    )
}


def typer_i_sektor(sektor: str) -> list[str]:
    """Partstypene som hører til sektoren."""
    return [t.kode for t in PARTSTYPER.values() if t.sektor == sektor]
