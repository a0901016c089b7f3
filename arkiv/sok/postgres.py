"""Søket i PostgreSQL (`PgSokeindeks`): samme grensesnitt som Whoosh-indeksen (`motor.Sokemotor`),
men dokumentene er rader i `sokedokument` i databasen, så alle nettnodene deler dem.

- Analysen er prosjektets egen (se `tsvektor.py`): ordene lagres ferdig analysert som `tsvector`
  med GIN-indeks; tilgangsgruppene som `text[]` med GIN-indeks (`tilgang && grupper`).
- Skriving: `skriver()` tar en rådgivende lås i PostgreSQL (`pg_advisory_xact_lock`) i sin
  transaksjon, så to noder aldri skriver samme objekt samtidig; alt committes til slutt, eller
  ingenting. En sletting er en radsletting; når bare «gjeldende» er endret, oppdateres raden.
- Ordlisten for sammensatte ord står i `sokeord`; hver node leser den på nytt når den er endret
  (høyst hvert `ORDLISTE_TTL` sekund), og legger til ordene den høster selv.
- `bygg_pa_nytt` skriver alle radene på nytt i små transaksjoner uten skrivelåsen, og tar under
  låsen bort radene som ikke lenger finnes før `innhent` tar inn endringene som kom underveis.
- «Foreldet» står i `soketilstand`. `sla_sammen` og `rydd_rester` har ingenting å gjøre her
  (autovacuum rydder GIN-indeksens venteliste).

Selve søket er `pg_soking.py`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, Engine, text

from arkiv.sok import pg_soking
from arkiv.sok.analyse import Leksikon, host
from arkiv.sok.budsjett import sjekk_frist
from arkiv.sok.indeks import Indeksdokument, Resultat
from arkiv.sok.skjema import Skjemadefinisjon, lag_skjema
from arkiv.sok.skriving import IndeksFeil
from arkiv.sok.tsvektor import vektor

SKRIVELAS = 0x736F6B01  # nøklene til de rådgivende låsene («sok» 1 og 2)
BYGGELAS = 0x736F6B02
ORDLISTE_TTL = 30.0
BUNKE = 200  # rader per transaksjon ved gjenoppbygging
_KOLONNER = (
    "id, art, objekt_id, versjon, gjeldende, tittel, tekst, dato, felt, tilgang, vektor, merke"
)
_SETT_INN = text(
    f"INSERT INTO sokedokument ({_KOLONNER}) VALUES (:id, :art, :objekt_id, :versjon, "
    ":gjeldende, :tittel, :tekst, :dato, CAST(:felt AS jsonb), CAST(:tilgang AS text[]), "
    "CAST(:vektor AS tsvector), :merke) ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{k} = excluded.{k}" for k in _KOLONNER.split(", ")[1:])
)


class PgSkriver:
    """Skriving i én transaksjon (`conn`) under skrivelåsen."""

    def __init__(self, indeks: PgSokeindeks, conn: Connection) -> None:
        self.indeks, self.conn = indeks, conn
        self.skrevet = 0
        self.fjernet = 0

    def avvik(self) -> list[str]:
        return []

    def synkroniser(self, art: str, objekt_id: int, onsket: Iterable[Indeksdokument]) -> None:
        """Gjør objektets rader like `onsket`: de som mangler eller har et annet merke, skrives
        (teksten hentes først da); de som ikke er ønsket, slettes; er bare «gjeldende» endret,
        oppdateres raden uten ny analyse."""
        dokumenter = {d.id: d for d in onsket}
        for d in dokumenter.values():
            self.indeks._sjekk_felt(d)
        har = dict(
            self.conn.execute(
                text("SELECT id, merke FROM sokedokument WHERE art = :a AND objekt_id = :o"),
                {"a": art, "o": objekt_id},
            ).all()
        )
        borte = [i for i in har if i not in dokumenter]
        if borte:
            self.conn.execute(
                text("DELETE FROM sokedokument WHERE id = ANY(CAST(:ider AS text[]))"),
                {"ider": borte},
            )
            self.fjernet += len(borte)
        for i, dok in dokumenter.items():
            merke = dok.merke()
            if har.get(i) == merke:
                continue
            sjekk_frist()
            if i in har and har[i] == _merke_med(dok, gjeldende=not dok.gjeldende):
                self.conn.execute(
                    text("UPDATE sokedokument SET gjeldende = :g, merke = :m WHERE id = :i"),
                    {"g": dok.gjeldende, "m": merke, "i": i},
                )
            else:
                self.conn.execute(_SETT_INN, self.indeks._rad(dok, merke, self.conn))
            self.skrevet += 1

    def legg_til(self, dok: Indeksdokument) -> None:
        self.indeks._sjekk_felt(dok)
        self.conn.execute(_SETT_INN, self.indeks._rad(dok, dok.merke(), self.conn))
        self.skrevet += 1


def _merke_med(dok: Indeksdokument, gjeldende: bool) -> str:
    forrige = dok.gjeldende
    dok.gjeldende = gjeldende
    try:
        return dok.merke()
    finally:
        dok.gjeldende = forrige


class PgSokeindeks:
    """Søket i PostgreSQL over motoren `motor` (samme database som appen)."""

    mappe = None  # ingen indeks på disk

    def __init__(self, motor: Engine, definisjon: Skjemadefinisjon) -> None:
        self.motor = motor
        self.definisjon = definisjon
        self._las = threading.Lock()
        self._lest = -ORDLISTE_TTL
        self._antall_ord = -1
        self._lagrede_ord: set[str] = set()
        self._leksikon = Leksikon()
        self._skjema = lag_skjema(definisjon, self._leksikon)

    # --- ordlisten og skjemaet (analysatorene) -------------------------------------------

    def skjema(self) -> Any:
        """Whoosh-skjemaet analysen og tolkningen bruker, med ordlisten fra `sokeord`."""
        if time.monotonic() - self._lest >= ORDLISTE_TTL:
            with self._las, self.motor.connect() as conn:
                self._les_ordliste(conn)
        return self._skjema

    def _les_ordliste(self, conn: Connection) -> None:
        antall = conn.scalar(text("SELECT count(*) FROM sokeord"))
        if antall != self._antall_ord:
            ord_ = set(conn.scalars(text("SELECT ord FROM sokeord")))
            self._bruk_ordliste(Leksikon(ord_), ord_)
        self._lest = time.monotonic()

    def _bruk_ordliste(self, leksikon: Leksikon, lagrede: set[str]) -> None:
        self._leksikon, self._lagrede_ord, self._antall_ord = leksikon, lagrede, len(lagrede)
        self._skjema = lag_skjema(self.definisjon, leksikon)

    def _host(self, tekst: str, conn: Connection) -> None:
        """Nye ord fra `tekst` i ordlisten (som Whoosh-skriveren), og i `sokeord`."""
        if host(self._skjema, tekst):
            nye = sorted(self._leksikon.tillegg - self._lagrede_ord)
            conn.execute(
                text("INSERT INTO sokeord (ord) VALUES (:o) ON CONFLICT DO NOTHING"),
                [{"o": o} for o in nye if len(o) <= 100],
            )
            self._lagrede_ord.update(nye)
            self._antall_ord = -1  # les på nytt neste gang (andre noder kan ha lagt til)

    def _rad(self, dok: Indeksdokument, merke: str, conn: Connection | None) -> dict[str, Any]:
        tekst = dok.tekstinnhold().replace("\x00", "")
        if dok.ordkilde and conn is not None:
            self._host(tekst, conn)
        dato = dok.dato if dok.dato.tzinfo else dok.dato.replace(tzinfo=UTC)
        felt = {k: v for k, v in dok.felt.items() if v is not None}
        return {
            "id": dok.id,
            "art": dok.art,
            "objekt_id": dok.objekt_id,
            "versjon": dok.versjon,
            "gjeldende": dok.gjeldende,
            "tittel": dok.tittel.replace("\x00", ""),
            "tekst": tekst,
            "dato": dato,
            "felt": json.dumps(felt, default=str),
            "tilgang": list(dok.tilgang),
            "vektor": vektor(self._skjema, dok.tittel, tekst),
            "merke": merke,
        }

    def _sjekk_felt(self, dok: Indeksdokument) -> None:
        ukjente = dok.felt.keys() - self.definisjon.navn
        if ukjente:
            raise ValueError(f"Felt som ikke er i skjemadefinisjonen: {', '.join(sorted(ukjente))}")

    # --- status ----------------------------------------------------------------------------

    def finnes(self) -> bool:
        return True  # tabellen lages av migreringen; tom betyr «ingenting indeksert»

    def opprett_tom(self) -> None:
        pass

    def avvik(self) -> list[str]:
        return []  # kallerens felt står i JSON (`felt`): ingen kolonner som kan mangle

    def bygges(self) -> bool:
        with self.motor.connect() as conn:
            ledig = conn.scalar(text("SELECT pg_try_advisory_lock(:n)"), {"n": BYGGELAS})
            if ledig:
                conn.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": BYGGELAS})
            conn.commit()
        return not ledig

    def antall_gjeldende(self) -> dict[str, int]:
        with self.motor.connect() as conn:
            rader = conn.execute(
                text("SELECT art, count(*) FROM sokedokument WHERE gjeldende GROUP BY art")
            )
            return {a: n for a, n in rader if n}

    def merk_foreldet(self, grunn: str, tidspunkt: float | None = None) -> None:
        tidspunkt = time.time() if tidspunkt is None else tidspunkt
        with self.motor.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO soketilstand (nokkel, verdi) VALUES ('foreldet', :v) "
                    "ON CONFLICT (nokkel) DO UPDATE SET verdi = excluded.verdi"
                ),
                {"v": f"{tidspunkt}\n{grunn}"},
            )

    def _foreldet(self) -> tuple[float, str] | None:
        with self.motor.connect() as conn:
            verdi = conn.scalar(text("SELECT verdi FROM soketilstand WHERE nokkel = 'foreldet'"))
        if not verdi:
            return None
        tidspunkt, _, grunn = verdi.partition("\n")
        return float(tidspunkt), grunn.strip()

    def foreldet(self) -> str | None:
        merket = self._foreldet()
        return merket[1] if merket else None

    # --- skriving --------------------------------------------------------------------------

    @staticmethod
    def _las_i(conn: Connection, nokkel: int, ventetid: float, melding: str, xact: bool) -> None:
        funksjon = "pg_try_advisory_xact_lock" if xact else "pg_try_advisory_lock"
        frist = time.monotonic() + ventetid
        while not conn.scalar(text(f"SELECT {funksjon}(:n)"), {"n": nokkel}):
            if time.monotonic() >= frist:
                raise IndeksFeil(melding)
            time.sleep(0.02)

    @contextmanager
    def skrivelas(self, ventetid: float) -> Iterator[Connection]:
        """Skrivelåsen (en rådgivende lås i PostgreSQL, for alle noder); `IndeksFeil` etter
        `ventetid` s. Gir transaksjonen låsen hører til."""
        with self.motor.begin() as conn:
            self._las_i(
                conn, SKRIVELAS, ventetid, f"Søket var låst i mer enn {ventetid:g} s.", xact=True
            )
            yield conn

    @contextmanager
    def skriver(self, ventetid: float | None = None) -> Iterator[PgSkriver]:
        """En `PgSkriver` i én transaksjon under skrivelåsen: alt committes, eller ingenting."""
        with self.skrivelas(60.0 if ventetid is None else ventetid) as conn:
            self.skjema()
            yield PgSkriver(self, conn)

    def sla_sammen(self, minst: int = 0, ventetid: float = 1.0) -> int:
        return 0

    def rydd_rester(self) -> list[str]:
        return []

    def erstatt_objekt(
        self, art: str, objekt_id: int, hent: Callable[[], Iterable[Indeksdokument]]
    ) -> None:
        with self.skriver() as skriver:
            skriver.synkroniser(art, objekt_id, hent())

    def bygg_pa_nytt(
        self,
        dokumenter: Iterable[Indeksdokument],
        fremdrift: Callable[[int], None] | None = None,
        leksikon: Leksikon | None = None,
        innhent: Callable[[PgSkriver], None] | None = None,
    ) -> int:
        """Skriv alle radene på nytt fra `dokumenter` (med `leksikon` som ordliste), uten å
        sperre for andre skrivere; så, under skrivelåsen, slett radene som ikke kom med og kall
        `innhent(skriver)` for endringene som kom underveis. Returnerer antall dokumenter."""
        startet = time.time()
        with self.motor.connect() as laskobling:
            self._las_i(laskobling, BYGGELAS, 0, "Søket bygges allerede på nytt.", xact=False)
            try:
                if leksikon is not None:
                    self._ny_ordliste(leksikon)
                antall, sett = self._skriv_alle(dokumenter, fremdrift)
                with self.skriver() as skriver:
                    har = skriver.conn.scalars(text("SELECT id FROM sokedokument")).all()
                    borte = [i for i in har if i not in sett]
                    for start in range(0, len(borte), 1000):
                        skriver.conn.execute(
                            text("DELETE FROM sokedokument WHERE id = ANY(CAST(:i AS text[]))"),
                            {"i": borte[start : start + 1000]},
                        )
                    if innhent is not None:
                        innhent(skriver)
            finally:
                laskobling.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": BYGGELAS})
                laskobling.commit()
        merket = self._foreldet()
        if merket and merket[0] < startet:
            with self.motor.begin() as conn:
                conn.execute(text("DELETE FROM soketilstand WHERE nokkel = 'foreldet'"))
        return antall

    def _ny_ordliste(self, leksikon: Leksikon) -> None:
        ord_ = sorted(o for o in leksikon.tillegg if len(o) <= 100)
        with self.skrivelas(60.0) as conn:
            conn.execute(text("DELETE FROM sokeord"))
            for start in range(0, len(ord_), 5000):
                conn.execute(
                    text("INSERT INTO sokeord (ord) SELECT unnest(CAST(:o AS text[]))"),
                    {"o": ord_[start : start + 5000]},
                )
            with self._las:
                self._bruk_ordliste(leksikon, set(ord_))
                self._lest = time.monotonic()

    def _skriv_alle(
        self, dokumenter: Iterable[Indeksdokument], fremdrift: Callable[[int], None] | None
    ) -> tuple[int, set[str]]:
        sett: set[str] = set()
        bunke: list[dict[str, Any]] = []

        def skriv() -> None:
            with self.motor.begin() as conn:
                conn.execute(_SETT_INN, bunke)
            bunke.clear()

        for dok in dokumenter:
            self._sjekk_felt(dok)
            bunke.append(self._rad(dok, dok.merke(), None))
            sett.add(dok.id)
            if fremdrift:
                fremdrift(1)
            if len(bunke) >= BUNKE:
                skriv()
        if bunke:
            skriv()
        return len(sett), sett

    # --- søk -------------------------------------------------------------------------------

    def sok(
        self,
        sporring: str,
        tilgang: Iterable[str],
        filtre: dict[str, str] | None = None,
        bare_gjeldende: bool = True,
        sorter_dato: bool = False,
        side: int = 1,
        per_side: int = 20,
        minnedokumenter: Iterable[Indeksdokument] = (),
        minnetilgang: Iterable[str] | None = None,
    ) -> Resultat:
        """Som `Sokeindeks.sok`: tilgangen, fasettene og rangeringen regnes i PostgreSQL, og
        `minnedokumenter` søkes i en Whoosh-indeks i minnet og flettes inn (se `pg_soking`)."""
        tilgang = sorted(set(tilgang))
        minnetilgang = tilgang if minnetilgang is None else sorted(set(minnetilgang))
        return pg_soking.sok(
            self.motor,
            self.skjema(),
            self.definisjon,
            pg_soking.Sporsmal(sporring, tilgang, filtre or {}, sorter_dato),
            bare_gjeldende,
            side,
            per_side,
            [d for d in minnedokumenter if d.gjeldende or not bare_gjeldende],
            minnetilgang,
        )

    def lukk(self) -> None:
        pass

    def lukk_alle(self) -> None:
        pass
