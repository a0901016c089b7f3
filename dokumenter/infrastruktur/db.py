"""Databasetilkobling og migreringer (Alembic); SQLite er standard, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRERINGER = Path(__file__).resolve().parent.parent / "migrations"


def lag_motor(url: str) -> Engine:
    if url.startswith("sqlite"):
        motor = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(motor, "connect")
        def _sqlite_pragma(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # transaksjonene styres av "begin" under
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=30000")
            # Slettede rader overskrives med nuller, så det som slettes (individuelle planer
            # etter oppbevaringstiden) ikke kan leses ut av ledige sider i databasefilen.
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

        @event.listens_for(motor, "begin")
        def _sqlite_begin(conn):
            # Skrivetransaksjoner tar skrivelåsen med en gang, så to samtidige lagringer
            # køes i stedet for at den siste feiler midt i («database is locked»).
            valg = conn.get_execution_options()
            # Hvor lenge transaksjonen venter på skrivelåsen (kort for logging ved lesing).
            conn.exec_driver_sql(f"PRAGMA busy_timeout={int(valg.get('las_ventetid_ms', 30000))}")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if valg.get("skriv") else "BEGIN")

        return motor
    return create_engine(url, pool_pre_ping=True)


def sjekkpunkt(motor: Engine, forsok: int = 50) -> bool | None:
    """SQLite: skriv WAL-en inn i databasefilen og kutt den til null (så sider med slettet
    innhold ikke blir liggende i -wal-filen). Prøver igjen mens en leser er midt i en
    transaksjon. True når det lyktes, False når det ikke gjorde det, None for andre databaser."""
    if motor.dialect.name != "sqlite":
        return None
    for _ in range(forsok):
        conn = motor.raw_connection()
        try:
            opptatt = conn.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
        if opptatt and opptatt[0] == 0:
            return True
        time.sleep(0.1)
    return False


def storste_id(motor: Engine) -> int:
    """Største verdi en Integer-nøkkel kan ha: 32 bit i PostgreSQL (integer), 64 i SQLite.
    Et større tall i et oppslag gir en databasefeil, ikke «finnes ikke»."""
    return 2**31 - 1 if motor.dialect.name == "postgresql" else 2**63 - 1


def lag_sesjonsfabrikk(motor: Engine, skriv: bool = False) -> sessionmaker[Session]:
    """Sesjoner for lesing, eller (skriv=True) for skrivetransaksjoner."""
    bind = motor.execution_options(skriv=True) if skriv else motor
    return sessionmaker(bind, expire_on_commit=False)


def alembic_config(url: str, plannokkel: Callable[[], Any] | None = None) -> Config:
    """Alembic-oppsettet. `plannokkel` gir nøkkelen (et `Chiffer`) til migreringer som må
    kryptere eller dekryptere planinnhold; den hentes bare når det finnes slike rader."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRERINGER))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if plannokkel is not None:
        cfg.attributes["plannokkel"] = plannokkel
    return cfg


def oppgrader(url: str, plannokkel: Callable[[], Any] | None = None) -> None:
    """Kjør alle migreringer fram til siste versjon."""
    command.upgrade(alembic_config(url, plannokkel), "head")
