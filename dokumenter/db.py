"""Databasetilkobling og migreringer (Alembic); SQLite er standard, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRERINGER = Path(__file__).resolve().parent / "migrations"


def lag_motor(url: str) -> Engine:
    if url.startswith("sqlite"):
        motor = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(motor, "connect")
        def _sqlite_pragma(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        return motor
    return create_engine(url, pool_pre_ping=True)


def lag_sesjonsfabrikk(motor: Engine) -> sessionmaker[Session]:
    return sessionmaker(motor, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRERINGER))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def oppgrader(url: str) -> None:
    """Kjør alle migreringer fram til siste versjon."""
    command.upgrade(alembic_config(url), "head")
