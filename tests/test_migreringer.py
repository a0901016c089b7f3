"""Migreringene på en database med data fra før: 0003 → 0004 gir inngåtte avtaler en dato for
neste evaluering, på SQLite og PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from dokumenter import frister
from dokumenter.db import alembic_config


@pytest.mark.begge_databaser
def test_inngatte_avtaler_far_neste_evaluering_ved_oppgradering(database_url):
    cfg = alembic_config(database_url)
    if database_url.startswith("postgresql"):  # malen er allerede migrert til siste versjon
        command.downgrade(cfg, "0003")
    command.upgrade(cfg, "0003")
    motor = create_engine(database_url)
    naa = "2026-01-01 00:00:00"
    with motor.begin() as c:
        c.execute(
            text(
                "INSERT INTO bruker (id, brukernavn, navn, epost, rolle, passord_hash, aktiv, "
                f"opprettet) VALUES (1, 'a', 'A', '', 'admin', '!', true, '{naa}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO part (id, navn, type, orgnr, adresse, opprettet, endret) "
                f"VALUES (1, 'Bodø fengsel', 'fengsel', '999000001', '', '{naa}', '{naa}')"
            )
        )
        for avtale_id, status, maned in (
            (1, "inngaatt", "mars"),
            (2, "inngaatt", ""),
            (3, "utkast", "mars"),
        ):
            c.execute(
                text(
                    "INSERT INTO avtale (id, part_id, mal_navn, status, status_begrunnelse, "
                    "ansvarlig_id, gjeldende_versjon, opprettet_av_id, opprettet, endret_av_id, "
                    f"endret) VALUES ({avtale_id}, 1, 'samarbeidsavtale', '{status}', '', 1, 1, 1, "
                    f"'{naa}', 1, '{naa}')"
                )
            )
            c.execute(
                text(
                    "INSERT INTO avtaleversjon (avtale_id, nummer, feltverdier, variant, "
                    "mal_versjon, mal_sha256, grunn, opprettet_av_id, opprettet) VALUES "
                    f"({avtale_id}, 1, :f, 'generell', 1, '', '', 1, '{naa}')"
                ),
                {"f": json.dumps({"evaluering_maaned": maned})},
            )
    command.upgrade(cfg, "head")
    with motor.connect() as c:
        datoer = dict(c.execute(text("SELECT id, neste_evaluering FROM avtale ORDER BY id")).all())
    motor.dispose()
    idag = date.today()
    mars = datoer[1] if isinstance(datoer[1], date) else date.fromisoformat(str(datoer[1]))
    assert mars.month == 3 and mars.day == 1 and idag <= mars < idag.replace(year=idag.year + 2)
    assert str(datoer[2]) == str(frister.neste_evaluering(idag))
    assert datoer[3] is None  # utkast evalueres ikke
