"""Felles for sikkerhetstestene: én ansatt, én administrator, én partnerbruker og innlogging
gjennom de ekte skjemaene (med CSRF) fra en valgt adresse. Appen (`app`) kommer fra
tests/conftest.py."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from sqlalchemy import event

from dokumenter.brukere import kontoer
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.parter import skriving as parter
from tests.stotte.oppsett import PASSORD

PARTNER = "anne@bodo.example.no"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def kari(tj):
    return kontoer.opprett_bruker(
        tj, "kari", "Kari Saksbehandler", "saksbehandler", PASSORD, "kari@kommune.example.no"
    )


@pytest.fixture
def admin(tj):
    return kontoer.opprett_bruker(
        tj, "lise", "Lise Leder", "admin", PASSORD, "lise@kommune.example.no"
    )


@pytest.fixture
def part_id(tj) -> int:
    return parter.opprett_part(
        tj,
        {
            "navn": "Bodø fengsel",
            "type": "fengsel",
            "orgnr": fiktivt_orgnr(1),
            "kontaktpersoner": [{"navn": "Anne Bodø", "epost": PARTNER}],
        },
    ).id


@pytest.fixture
def partner(tj, part_id):
    return kontoer.opprett_partnerbruker(tj, part_id, "Anne Bodø", PARTNER, PASSORD)


@pytest.fixture
def csrf() -> Callable:
    """CSRF-nøkkelen på en side klienten henter."""

    def hent(k, url: str) -> str:
        return CSRF.search(k.get(url).get_data(as_text=True)).group(1)

    return hent


@pytest.fixture
def logg_inn(app, csrf) -> Callable:
    """logg_inn(brukernavn, passord=PASSORD, portal=False, ip=..., klient=None, neste=None)
    -> (klienten, svaret på innloggingen). Uten klient lages en ny."""

    def inn(
        brukernavn: str,
        passord: str = PASSORD,
        portal: bool = False,
        ip: str = "127.0.0.1",
        klient=None,
        neste: str | None = None,
    ):
        k = klient or app.test_client()
        k.environ_base["REMOTE_ADDR"] = ip
        side = "/portal/logg-inn" if portal else "/logg-inn"
        data = {"brukernavn": brukernavn, "passord": passord, "csrf_token": csrf(k, side)}
        svar = k.post(side, query_string={"next": neste} if neste is not None else None, data=data)
        return k, svar

    return inn


@pytest.fixture
def skrivinger(tj) -> Callable:
    """skrivinger() -> liste som fylles med hver INSERT/UPDATE/DELETE mot tabellen okt
    («UPDATE sist_brukt», «UPDATE data» …)."""

    def lytt() -> list[str]:
        setninger: list[str] = []

        def ved_setning(_conn, _cursor, sql, *_args) -> None:
            if m := re.match(r"\s*(INSERT INTO|UPDATE|DELETE FROM) okt\b(?: SET (\w+))?", sql):
                setninger.append(" ".join(filter(None, (m.group(1).split()[0], m.group(2)))))

        event.listen(tj.sesjoner.kw["bind"], "before_cursor_execute", ved_setning)
        return setninger

    return lytt


@pytest.fixture
def webtjener(tmp_path):
    """webtjener(vent=True, **miljo) -> (prosessen, porten): `python -m web` som egen prosess
    med egen instansmappe og ledig port, uten miljøets DOKUMENTER_*-verdier. Med `vent` først
    når porten svarer. Stoppes etter testen."""
    prosesser: list[subprocess.Popen] = []

    def start(vent: bool = True, **miljo: str) -> tuple[subprocess.Popen, int]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")}
        env.pop("DATABASE_URL", None)
        env.update(DOKUMENTER_INSTANS=str(tmp_path / "instans"), PORT=str(port), **miljo)
        p = subprocess.Popen(
            [sys.executable, "-m", "web"],
            cwd=REPO_ROT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        prosesser.append(p)
        if vent:
            _vent_pa_port(port, p)
        return p, port

    yield start
    for p in prosesser:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for strom in (p.stdout, p.stderr):
            strom.close()


def _vent_pa_port(port: int, prosess: subprocess.Popen, sekunder: float = 60) -> None:
    """Vent til tjeneren svarer på porten (eller feil hvis prosessen døde)."""
    slutt = time.monotonic() + sekunder
    while time.monotonic() < slutt:
        if prosess.poll() is not None:
            raise AssertionError(f"python -m web stoppet: {prosess.stderr.read()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise AssertionError(f"python -m web svarte ikke på port {port}")
