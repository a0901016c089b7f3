"""Modellene (dokumenter/models.py) og migreringene må gi samme skjema, på SQLite og PostgreSQL.

En database migreres til siste versjon og sammenlignes med `Base.metadata` av Alembics
autogenerate (typer, nullbarhet, standardverdier i basen, indekser, unike og fremmednøkler).

Ikke med i sammenligningen, fordi metadataen ikke kan uttrykke dem: triggerne som gjør tabeller
«bare tillegg» og PostgreSQL-funksjonene de kaller (0002–0005). Autogenerate ser dem ikke i det
hele tatt, så det trengs ikke noe filter for dem. Tabellen alembic_version holder Alembic selv
utenfor. Rekkefølgen på kolonnene sammenlignes heller ikke (ADD COLUMN legger dem sist).
"""

from __future__ import annotations

import pprint

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dokumenter.infrastruktur.db import lag_motor, oppgrader
from dokumenter.models import Base


def skjemaforskjeller(url: str) -> list:
    motor = lag_motor(url)
    try:
        with motor.connect() as conn:
            kontekst = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            return compare_metadata(kontekst, Base.metadata)
    finally:
        motor.dispose()


@pytest.mark.begge_databaser
def test_migrert_skjema_er_likt_modellene(database_url):
    oppgrader(database_url)  # PostgreSQL: kopien av malen er alt migrert, og dette gjør ingenting
    forskjeller = skjemaforskjeller(database_url)
    assert not forskjeller, (
        "Migreringene og models.py gir ulikt skjema (lag en ny migrering, eller rett modellen):\n"
        + pprint.pformat(forskjeller, width=100)
    )
