"""Den kastbare PostgreSQL-en (tests/stotte/postgres.py): start, egne databaser, migreringer
og en rad."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text

from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur.db import alembic_config, oppgrader
from dokumenter.models import Part
from dokumenter.parter.skriving import opprett_part
from dokumenter.tjenester import apne
from tests.stotte.postgres import start_postgres

PART = {
    "navn": "Bodø fengsel",
    "type": "fengsel",
    "orgnr": "974 760 673",
    "adresse": "Storgata 1, Bodø",
    "kontaktpersoner": [{"navn": "Åse Ødegård", "epost": "ase@example.no"}],
}


def innstillinger(rot: Path, url: str) -> Innstillinger:
    return Innstillinger(
        instans=rot,
        database_url=url,
        maler=REPO_ROT / "maler",
        arkiv=rot / "arkiv",
        uno_venv=REPO_ROT / ".venv-uno",
    )


def skjemaversjon(url: str) -> str | None:
    motor = create_engine(url)
    try:
        with motor.connect() as conn:
            return conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        motor.dispose()


def test_to_databaser_migreres_og_en_part_gjennom_tjenestene(postgres, tmp_path):
    url_a = postgres.ny_database("oppsett_a")
    url_b = postgres.ny_database("oppsett_b")
    assert url_a.startswith("postgresql+psycopg://") and "@127.0.0.1:" in url_a
    oppgrader(url_a)
    oppgrader(url_b)
    siste = ScriptDirectory.from_config(alembic_config(url_a)).get_current_head()
    assert skjemaversjon(url_a) == skjemaversjon(url_b) == siste

    tj = apne(innstillinger(tmp_path, url_a))
    try:
        part = opprett_part(tj, PART)
        with tj.sesjoner() as s:
            lagret = s.get(Part, part.id)
            assert (lagret.navn, lagret.orgnr) == ("Bodø fengsel", "974760673")
            assert [k.navn for k in lagret.kontaktpersoner] == ["Åse Ødegård"]
            assert lagret.opprettet.tzinfo is not None
            assert lagret.opprettet == part.opprettet  # samme øyeblikk, mikrosekund for mikrosekund
    finally:
        tj.lukk()

    tj_b = apne(innstillinger(tmp_path / "b", url_b))
    try:
        with tj_b.sesjoner() as s:
            assert s.scalar(select(func.count()).select_from(Part)) == 0
    finally:
        tj_b.lukk()


def test_kopi_av_migrert_database(postgres):
    mal = postgres.ny_database("oppsett_mal")
    oppgrader(mal)
    kopi = postgres.ny_database("oppsett_kopi", mal="oppsett_mal")
    assert skjemaversjon(kopi) == skjemaversjon(mal) is not None
    with pytest.raises(ValueError, match="Ugyldig databasenavn"):
        postgres.ny_database('x"; DROP DATABASE postgres; --')


def test_klyngen_er_kastbar_og_bare_pa_loopback(postgres):
    motor = create_engine(postgres.url)
    try:
        with motor.connect() as conn:
            assert conn.scalar(text("SHOW listen_addresses")) == "127.0.0.1"
            assert conn.scalar(text("SHOW fsync")) == "off"
            assert conn.scalar(text("SHOW server_encoding")) == "UTF8"
    finally:
        motor.dispose()


def test_en_ekstra_klynge_stoppes_og_slettes(postgres):
    server = start_postgres(Path(tempfile.mkdtemp(prefix="dokumenter-pg-test-")))
    assert server.port != postgres.port
    motor = create_engine(server.url)
    with motor.connect() as conn:
        assert conn.scalar(text("SELECT current_database()")) == "dokumenter"
    motor.dispose()
    server.stopp()
    server.stopp()  # andre gang gjør ingenting
    assert not server.mappe.exists()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", server.port)) != 0
