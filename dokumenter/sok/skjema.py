"""Domenets felt i søkeindeksen, i tillegg til søkemotorens egne (se `arkiv.sok.indeks`).

Importerer bare arkiv, så `tjenester` kan bygge indeksen med dem.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from arkiv.sok.indeks import Felt, Skjemadefinisjon

# Rekkefølgen på fasettene er rekkefølgen søkesiden viser dem i.
SOKESKJEMA = Skjemadefinisjon(
    Felt("partstype", fasett=True),
    Felt("part", fasett=True),
    Felt("sektor"),
    Felt("status", fasett=True),
    Felt("ansvarlig"),
    Felt("aar", tall=True, fasett=True),
)
FASETTER = SOKESKJEMA.fasetter


def domenefelt(
    *, part: str, partstype: str, sektor: str, status: str, ansvarlig: str, dato: datetime
) -> dict[str, Any]:
    """Verdiene for domenets felt i ett indeksdokument; året er datoens."""
    return {
        "part": part,
        "partstype": partstype,
        "sektor": sektor,
        "status": status,
        "ansvarlig": ansvarlig,
        "aar": dato.year,
    }
