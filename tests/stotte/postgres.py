"""En kastbar PostgreSQL-klynge for testkjøringen: startes på loopback, stoppes og slettes etterpå.

Som root kjøres initdb og serveren som systembrukeren `postgres` fra Debians postgresql-pakke.
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PREFIKS = "dokumenter-pg-"
SYSTEMBRUKER = "postgres"  # eier prosessene når vi er root
SUPERBRUKER = "postgres"  # rollen i databasen
STANDARDBASE = "dokumenter"
START_TIDSFRIST = 30  # sekunder
_GYLDIG_NAVN = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# Raskt og kastbart: ingen fsync og ingen WAL for replikering. Ingen parallelle arbeidere (de
# bruker /dev/shm, som er lite i containere). Norsk tidssone, så kode som tror basen gir UTC feiler.
INNSTILLINGER = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "shared_buffers": "32MB",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
    "timezone": "'Europe/Oslo'",
    "log_min_messages": "warning",
}


class PostgresFeil(RuntimeError):
    """PostgreSQL mangler eller kunne ikke startes; meldingen sier hva som må gjøres."""


def finn_binarmappe() -> Path | None:
    """Mappen med initdb og pg_ctl: nyeste /usr/lib/postgresql/*/bin, ellers fra PATH."""
    kandidater = [
        p.parent
        for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if (p.parent / "pg_ctl").exists()
    ]
    if kandidater:
        return max(kandidater, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def _er_root() -> bool:
    return os.geteuid() == 0


def _systembruker_finnes() -> bool:
    try:
        pwd.getpwnam(SYSTEMBRUKER)
    except KeyError:
        return False
    return True


def postgres_tilgjengelig() -> bool:
    """Sant når binærene finnes (og, som root, systembrukeren `postgres`)."""
    return finn_binarmappe() is not None and (not _er_root() or _systembruker_finnes())


@dataclass
class PostgresServer:
    """En kjørende kastbar klynge; `url` peker på databasen `dokumenter`."""

    mappe: Path
    binar: Path
    passord: str
    port: int = 0
    _eier: int = field(default_factory=os.getpid, repr=False)
    _stoppet: bool = field(default=False, repr=False)

    @property
    def data(self) -> Path:
        return self.mappe / "data"

    @property
    def url(self) -> str:
        return self.url_for(STANDARDBASE)

    def url_for(self, database: str) -> str:
        """SQLAlchemy-URL for en database i klyngen."""
        return f"postgresql+psycopg://{SUPERBRUKER}:{self.passord}@127.0.0.1:{self.port}/{database}"

    def ny_database(self, navn: str, mal: str | None = None) -> str:
        """Opprett en tom database (eller en kopi av databasen `mal`) og returner URL-en dens."""
        import psycopg
        from psycopg import sql

        for n in filter(None, (navn, mal)):
            if not _GYLDIG_NAVN.fullmatch(n):
                raise ValueError(f"Ugyldig databasenavn {n!r} (bruk a-z, 0-9 og _).")
        setning = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(navn))
        if mal:
            setning += sql.SQL(" TEMPLATE {}").format(sql.Identifier(mal))
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERBRUKER,
            password=self.passord,
            dbname="postgres",
            connect_timeout=10,
            autocommit=True,
        ) as conn:
            conn.execute(setning)
        return self.url_for(navn)

    def stopp(self) -> None:
        """Stopp serveren straks (-m immediate) og slett mappen; trygt å kalle flere ganger."""
        if self._stoppet or os.getpid() != self._eier:  # ikke fra en fork-et barneprosess
            return
        self._stoppet = True
        atexit.unregister(self.stopp)
        _stopp_klynge(self.binar, self.mappe)


def _stopp_klynge(binar: Path | None, mappe: Path) -> None:
    data = mappe / "data"
    if binar and (data / "postmaster.pid").exists():
        _kjor(
            binar / "pg_ctl", "stop", "-D", data, "-m", "immediate", "-w", mappe=mappe, sjekk=False
        )
    shutil.rmtree(mappe, ignore_errors=True)


def _kjor(
    program: Path, *argumenter: object, mappe: Path, sjekk: bool = True
) -> subprocess.CompletedProcess[str]:
    """Kjør et PostgreSQL-program, som systembrukeren `postgres` når vi er root."""
    som_postgres = ["runuser", "-u", SYSTEMBRUKER, "--"] if _er_root() else []
    kommando = [*som_postgres, str(program), *map(str, argumenter)]
    miljo = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    miljo["LC_ALL"] = "C.UTF-8"
    res = subprocess.run(
        kommando, cwd=mappe, env=miljo, capture_output=True, text=True, timeout=120, check=False
    )
    if sjekk and res.returncode != 0:
        raise PostgresFeil(
            f"{' '.join(kommando)} feilet (kode {res.returncode}):\n{res.stdout}{res.stderr}"
        )
    return res


def _gi_til_postgres(sti: Path) -> None:
    if _er_root():
        shutil.chown(sti, SYSTEMBRUKER, SYSTEMBRUKER)


def _sjekk_mappe(mappe: Path) -> None:
    if mappe.exists() and any(mappe.iterdir()):
        raise PostgresFeil(f"{mappe} er ikke tom.")
    if len(str(mappe)) > 80:  # unix-socketen mappe/.s.PGSQL.<port> har en grense på 107 tegn
        raise PostgresFeil(f"Stien {mappe} er for lang for en unix-socket; bruk en kortere.")
    if not _er_root():
        return
    for forelder in mappe.resolve().parents:  # postgres må kunne gå gjennom foreldremappene
        if forelder.exists() and not forelder.stat().st_mode & 0o001:
            raise PostgresFeil(
                f"Brukeren {SYSTEMBRUKER} kommer ikke inn i {forelder} "
                f"({oct(forelder.stat().st_mode & 0o777)}). Bruk f.eks. tempfile.mkdtemp() som "
                "mappe, ikke pytests tmp_path."
            )


def _logghale(logg: Path, linjer: int = 20) -> str:
    try:
        return "\n".join(logg.read_text(errors="replace").splitlines()[-linjer:])
    except OSError:
        return "(ingen logg)"


def rydd_foreldrelose(rot: Path | None = None) -> None:
    """Stopp og slett klynger fra tidligere kjøringer der eierprosessen er borte (kill -9)."""
    for mappe in Path(rot or tempfile.gettempdir()).glob(PREFIKS + "*"):
        try:
            os.kill(int((mappe / "eier.pid").read_text()), 0)
            continue  # eieren lever
        except ProcessLookupError:
            _stopp_klynge(finn_binarmappe(), mappe)
        except (OSError, ValueError):
            continue  # ikke vår, eller halvveis opprettet


def start_postgres(mappe: Path | None = None) -> PostgresServer:
    """Initier og start en klynge i `mappe` (standard: ny mappe i /tmp) og vent til den svarer."""
    binar = finn_binarmappe()
    if binar is None:
        raise PostgresFeil(
            "Fant ikke PostgreSQL (initdb og pg_ctl under /usr/lib/postgresql/*/bin). "
            "`make test` installerer Debians postgresql-pakke; ellers: "
            "apt-get install --no-install-recommends postgresql"
        )
    if _er_root() and not _systembruker_finnes():
        raise PostgresFeil(
            f"PostgreSQL nekter å kjøre som root, og systembrukeren {SYSTEMBRUKER} finnes ikke "
            "(Debians postgresql-pakke oppretter den)."
        )
    if mappe is None:
        rydd_foreldrelose()
        mappe = Path(tempfile.mkdtemp(prefix=PREFIKS))
    _sjekk_mappe(mappe)
    mappe.mkdir(mode=0o700, parents=True, exist_ok=True)
    _gi_til_postgres(mappe)
    (mappe / "eier.pid").write_text(str(os.getpid()))

    server = PostgresServer(mappe, binar, passord=secrets.token_hex(16))
    atexit.register(server.stopp)  # også når pytest avbrytes (Ctrl+C)
    try:
        _initier(server)
        _start(server)
        server.ny_database(STANDARDBASE)
    except BaseException:
        server.stopp()
        raise
    return server


def _initier(server: PostgresServer) -> None:
    passordfil = server.mappe / "passord"
    passordfil.write_text(server.passord)
    _gi_til_postgres(passordfil)
    _kjor(
        server.binar / "initdb",
        *("-D", server.data, "-U", SUPERBRUKER, "--pwfile", passordfil),
        *("--auth-local=trust", "--auth-host=scram-sha-256"),
        *("--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"),
        mappe=server.mappe,
    )
    passordfil.unlink()
    # Socketen i vår egen mappe (0700): bare root og postgres når den, og ingen kollisjon med
    # standardklyngen i /var/run/postgresql.
    tillegg = {**INNSTILLINGER, "unix_socket_directories": f"'{server.mappe}'"}
    with (server.data / "postgresql.conf").open("a") as f:
        f.write("\n# tests/stotte/postgres.py\n")
        f.writelines(f"{k} = {v}\n" for k, v in tillegg.items())


def _ledig_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(server: PostgresServer, forsok: int = 5) -> None:
    """Start på en ledig port og vent (pg_ctl -w) til serveren tar imot tilkoblinger."""
    logg = server.mappe / "postgres.log"
    for _ in range(forsok):
        server.port = _ledig_port()
        res = _kjor(
            server.binar / "pg_ctl",
            *("start", "-D", server.data, "-l", logg, "-o", f"-p {server.port}"),
            *("-w", "-t", START_TIDSFRIST),
            mappe=server.mappe,
            sjekk=False,
        )
        if res.returncode == 0:
            return
        if "could not create any TCP/IP sockets" not in _logghale(logg, 3):
            break  # ellers ble porten tatt mellom valg og start: prøv en ny
    raise PostgresFeil(
        f"PostgreSQL startet ikke på port {server.port} (venter høyst {START_TIDSFRIST} s).\n"
        f"{res.stdout}{res.stderr}\nSiste linjer i {logg}:\n{_logghale(logg)}"
    )
