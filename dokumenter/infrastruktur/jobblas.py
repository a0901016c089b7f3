"""Én kjøring av en jobb om gangen, også når flere noder kjører samme cron.

På PostgreSQL er låsen en rådgivende lås i databasen (`pg_try_advisory_lock`), holdt på en egen
forbindelse så lenge jobben kjører; den slippes når forbindelsen lukkes, også om prosessen dør.
På SQLite (én maskin) er den en flock på en fil ved siden av databasen. Låsen sier bare om
*denne* kjøringen fikk jobben; at samme påminnelse ikke sendes to ganger etter hverandre, sørger
jobbene selv for (de merker det de har sendt).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine


def lasnokkel(navn: str) -> int:
    """En stabil 64-bits nøkkel for jobbnavnet (samme på alle noder og i alle versjoner)."""
    return int.from_bytes(hashlib.blake2b(navn.encode(), digest_size=8).digest(), signed=True)


@contextlib.contextmanager
def jobblas(motor: Engine, navn: str) -> Iterator[bool]:
    """Gir True om denne kjøringen har låsen for `navn`, False om en annen kjører jobben nå."""
    if motor.dialect.name == "postgresql":
        with motor.connect() as forbindelse:
            nokkel = lasnokkel(navn)
            fikk = forbindelse.execute(
                text("SELECT pg_try_advisory_lock(:n)"), {"n": nokkel}
            ).scalar()
            forbindelse.commit()
            try:
                yield bool(fikk)
            finally:
                if fikk:
                    forbindelse.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": nokkel})
                    forbindelse.commit()
        return
    database = motor.url.database
    if not database or database == ":memory:":
        yield True
        return
    sti = Path(database).with_name(f".jobblas-{lasnokkel(navn) & 0xFFFFFFFF:08x}")
    with open(sti, "a") as fil:
        try:
            fcntl.flock(fil, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fil, fcntl.LOCK_UN)
