"""PostgreSQL-siden av `bench/search.py --motor postgres`: appens eget søk i PostgreSQL
(`arkiv.sok.postgres.PgSokeindeks`) på nøyaktig de samme dokumentene som Whoosh og FTS5.

Databasen er `--database-url`, eller en kastbar klynge på loopback (tests/stotte/postgres.py,
samme innstillinger som testene: ingen fsync, 32 MB shared_buffers), migrert med appens
migreringer. Byggingen går gjennom `PgSokeindeks.bygg_pa_nytt` med samme ordliste som Whoosh
får. Størrelsen er tabellen med TOAST og alle indekser (`pg_total_relation_size`), målt etter
`VACUUM ANALYZE`.

Varm: én `PgSokeindeks` med én forbindelse i bufferen. Kald: ny motor (ny forbindelse og
ordlisten lest på nytt, som en ny nettnode) for hver spørring, med åpningen i tiden;
PostgreSQLs egen buffer er varm (den tømmes ikke på en delt maskin).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text

from arkiv.sok.analyse import Leksikon
from arkiv.sok.indeks import Indeksdokument
from arkiv.sok.postgres import PgSokeindeks
from bench.sokesporringer import Sporring
from bench.sokoppdatering import TILGANG
from dokumenter.infrastruktur.db import lag_motor, oppgrader
from dokumenter.sok.skjema import SOKESKJEMA

MOTOR = "PostgreSQL"


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """`url`, eller en kastbar klynge som stoppes etterpå; migrert til siste skjema."""
    if url:
        oppgrader(url)
        yield url
        return
    from tests.stotte.postgres import start_postgres

    server = start_postgres()
    try:
        url = server.ny_database("sokbench")
        oppgrader(url)
        yield url
    finally:
        server.stopp()


def bygg(url: str, dokumenter: Iterable[Indeksdokument], leksikon: Leksikon) -> str:
    """Bygg søket i PostgreSQL; gir en linje med tid og størrelse."""
    motor = lag_motor(url)
    try:
        t0 = time.perf_counter()
        antall = PgSokeindeks(motor, SOKESKJEMA).bygg_pa_nytt(dokumenter, leksikon=leksikon)
        tid = time.perf_counter() - t0
        with motor.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE sokedokument"))
            storrelse = conn.scalar(text("SELECT pg_total_relation_size('sokedokument')"))
            gin = conn.scalar(
                text(
                    "SELECT pg_relation_size('ix_sokedokument_vektor') + "
                    "pg_relation_size('ix_sokedokument_tilgang')"
                )
            )
            versjon = conn.scalar(text("SHOW server_version"))
    finally:
        motor.dispose()
    return (
        f"PostgreSQL {versjon} (PgSokeindeks.bygg_pa_nytt): bygging {tid:.0f} s "
        f"({antall / tid:.0f} dok/s); {storrelse / 1e6:.0f} MB med TOAST og indekser "
        f"(GIN-indeksene {gin / 1e6:.0f} MB); én tabell for alle versjoner"
    )


def ider(url: str, bare_gjeldende: bool) -> set[str]:
    motor = lag_motor(url)
    try:
        with motor.connect() as conn:
            vilkar = " WHERE gjeldende" if bare_gjeldende else ""
            return set(conn.scalars(text(f"SELECT id FROM sokedokument{vilkar}")))
    finally:
        motor.dispose()


def sok(indeks: PgSokeindeks, sp: Sporring, alle: bool) -> list[str]:
    filtre = dict([sp.fasett]) if sp.fasett else None
    r = indeks.sok(sp.tekst, TILGANG, filtre=filtre, bare_gjeldende=not alle)
    return [t.id for t in r.treff]


class Varm:
    """Én motor for en hel klasse."""

    def __init__(self, url: str) -> None:
        self.motor = lag_motor(url)
        self.indeks = PgSokeindeks(self.motor, SOKESKJEMA)

    def sok(self, sp: Sporring, alle: bool) -> Any:
        return sok(self.indeks, sp, alle)

    def lukk(self) -> None:
        self.motor.dispose()


def kald(url: str, sp: Sporring, alle: bool) -> None:
    motor = lag_motor(url)
    try:
        sok(PgSokeindeks(motor, SOKESKJEMA), sp, alle)
    finally:
        motor.dispose()
