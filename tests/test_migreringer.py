"""Migreringene på en database med data fra før: 0003 → 0004 gir inngåtte avtaler en dato for
neste evaluering, på SQLite og PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from dokumenter.felles import frister
from dokumenter.infrastruktur.db import alembic_config


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


@pytest.mark.begge_databaser
def test_signeringsrunder_beholdes_nar_de_kan_gjelde_planer(database_url):
    """0004 → 0005 bygger om signeringsrunde (avtale_id kan være tom, ny plan_id) uten å miste
    runder eller signerere; nedgradering tilbake går også."""
    cfg = alembic_config(database_url)
    if database_url.startswith("postgresql"):
        command.downgrade(cfg, "0004")
    command.upgrade(cfg, "0004")
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
        c.execute(
            text(
                "INSERT INTO avtale (id, part_id, mal_navn, status, status_begrunnelse, "
                "ansvarlig_id, gjeldende_versjon, opprettet_av_id, opprettet, endret_av_id, "
                f"endret) VALUES (1, 1, 'samarbeidsavtale', 'til_signering', '', 1, 1, 1, "
                f"'{naa}', 1, '{naa}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO signeringsrunde (id, avtale_id, versjon_nummer, dokument_sha256, "
                "status, frist, paminnelse_dager, opprettet_av_id, opprettet, grunn) VALUES "
                f"(1, 1, 1, 'abc', 'aktiv', '{naa}', 7, 1, '{naa}', '')"
            )
        )
        c.execute(
            text(
                "INSERT INTO signatar (id, runde_id, rekkefolge, bruker_id, side, rolle, status, "
                "ip, avvist_grunn) VALUES (1, 1, 1, 1, 'kommune', '', 'venter', '', '')"
            )
        )
    command.upgrade(cfg, "head")
    with motor.connect() as c:
        assert c.execute(text("SELECT id, avtale_id, plan_id FROM signeringsrunde")).all() == [
            (1, 1, None)
        ]
        assert c.execute(text("SELECT runde_id FROM signatar")).scalar() == 1
    command.downgrade(cfg, "0004")
    with motor.connect() as c:
        assert c.execute(text("SELECT id, avtale_id FROM signeringsrunde")).all() == [(1, 1)]
    command.upgrade(cfg, "head")
    motor.dispose()
