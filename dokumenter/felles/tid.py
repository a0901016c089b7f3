"""Tid: nå i UTC, og tidspunkter fra databasen som UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def naa() -> datetime:
    return datetime.now(UTC)


def som_utc(t: datetime) -> datetime:
    """SQLite gir tidspunkter uten tidssone tilbake; de er lagret i UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)
