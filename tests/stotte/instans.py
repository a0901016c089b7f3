"""Ferdige testinstanser: en oppskrift bygger en instans (database, arkiv, søkeindeks, segl og
nøkkel) én gang per kjøring og databasetype, og hver test får sin egen kopi av den.

Å kopiere en mappe og lage en PostgreSQL-database fra en mal tar millisekunder; å bygge
verdenen på nytt for hver test betyr migreringer og ett LibreOffice-kall per dokument.
Oppskriften får en åpen `Tjenester` og returnerer vanlige data (id-er, dataklasser), aldri
ORM-objekter: hver test får en dyp kopi av dataene.
"""

from __future__ import annotations

import copy
import itertools
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dokumenter.infrastruktur.forsegling import Segl
from dokumenter.infrastruktur.smtpsink import SmtpSink
from dokumenter.noark import koble_til
from dokumenter.tjenester import Tjenester, apne
from tests.stotte.oppsett import klargjor_instans, lag_innstillinger

Oppskrift = Callable[[Tjenester], Any]
MIGRERT = "migrert"  # maldatabasen i PostgreSQL med siste skjema (conftest.py lager den)

_nummer = itertools.count()


@dataclass
class Instansmal:
    mappe: Path  # instansmappen; for SQLite med databasefilen
    database: str | None  # PostgreSQL: navnet på maldatabasen
    data: Any  # det oppskriften returnerte


class Instanslager:
    """Ferdige instanser for én testkjøring (én per xdist-arbeider), bygget ved første bruk."""

    def __init__(self, rot: Path, segl: Segl, smtp_sink: SmtpSink, konverterer: Any) -> None:
        self.rot = rot
        self.segl = segl
        self.smtp_sink = smtp_sink
        self.konverterer = konverterer
        self._maler: dict[tuple[Oppskrift | None, str], Instansmal] = {}

    def apne(self, innstillinger) -> Tjenester:
        """Tjenestene over en instans, med den delte LibreOffice og SMTP-sinken."""
        tj = koble_til(apne(innstillinger))
        tj.konverterer = self.konverterer
        tj.smtp = self.smtp_sink.oppsett()
        return tj

    @staticmethod
    def lukk(tj: Tjenester) -> None:
        tj._konverterer = None  # den delte konvertereren lukkes av sin egen fixture
        tj.lukk()

    def mal(self, oppskrift: Oppskrift | None, postgres: Any = None) -> Instansmal:
        """Den ferdige instansen for `oppskrift` (None: en tom, migrert instans)."""
        nokkel = (oppskrift, "postgresql" if postgres else "sqlite")
        if nokkel not in self._maler:
            self._maler[nokkel] = self._bygg(oppskrift, postgres)
        return self._maler[nokkel]

    def _bygg(self, oppskrift: Oppskrift | None, postgres: Any) -> Instansmal:
        n = next(_nummer)
        mappe = self.rot / f"mal{n}"
        klargjor_instans(mappe, self.segl)
        database = None
        if postgres is None:
            url = None
        elif oppskrift is None:
            return Instansmal(mappe, MIGRERT, None)  # malen alle PostgreSQL-testene deler
        else:
            database = f"instansmal_{n}"
            url = postgres.ny_database(database, mal=MIGRERT)
        tj = self.apne(lag_innstillinger(mappe, database_url=url))
        try:
            data = oppskrift(tj) if oppskrift else None
        finally:
            self.lukk(tj)  # lukker alle forbindelser, så malen kan kopieres
        return Instansmal(mappe, database, data)

    def kopi(self, mal: Instansmal, maal: Path, postgres: Any = None) -> tuple[Tjenester, Any]:
        """En ny instans i `maal` som en kopi av `mal`, og en dyp kopi av oppskriftens data."""
        shutil.copytree(mal.mappe, maal, symlinks=True, dirs_exist_ok=True)
        url = None
        if postgres is not None:
            url = postgres.ny_database(f"kopi_{next(_nummer)}", mal=mal.database)
        tj = self.apne(lag_innstillinger(maal, database_url=url))
        self.smtp_sink.tom()
        return tj, copy.deepcopy(mal.data)
