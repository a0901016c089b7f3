"""Migreringene på en database med data fra før: 0003 → 0004 gir inngåtte avtaler en dato for
neste evaluering, 0004 → 0005 beholder signeringsrundene, 0005 → 0006 beholder brukerne (og
alt som peker på dem) og 0006 → 0007 gir rundene en teller for feil koder, på SQLite og
PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

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


@pytest.mark.begge_databaser
def test_brukere_og_planer_beholdes_nar_skjemaet_rettes_etter_modellene(database_url):
    """0005 → 0006 bygger om bruker i SQLite (brukernavn på 254 tegn) og gir
    ansvarsgruppemedlem en indeks på plan_id, uten å miste brukere eller det som peker på dem;
    nedgradering tilbake går også."""
    cfg = alembic_config(database_url)
    if database_url.startswith("postgresql"):
        command.downgrade(cfg, "0005")
    command.upgrade(cfg, "0005")
    motor = create_engine(database_url)
    naa = "2026-01-01 00:00:00"
    epost = "koordinator.med.et.langt.navn@bodo-fengsel.kriminalomsorgen.example.no"
    assert len(epost) > 64
    brukere = [
        (1, "a", None, None),
        (2, epost, 1, "b" * 64),
    ]
    with motor.begin() as c:
        c.execute(
            text(
                "INSERT INTO part (id, navn, type, orgnr, adresse, opprettet, endret) "
                f"VALUES (1, 'Bodø fengsel', 'fengsel', '999000001', '', '{naa}', '{naa}')"
            )
        )
        for bruker_id, brukernavn, part_id, kalender in brukere:
            c.execute(
                text(
                    "INSERT INTO bruker (id, brukernavn, navn, epost, rolle, passord_hash, aktiv, "
                    "opprettet, part_id, kalender_nokkel_hash) VALUES (:id, :brukernavn, 'N', "
                    f"'', 'admin', '!', true, '{naa}', :part_id, :kalender)"
                ),
                {
                    "id": bruker_id,
                    "brukernavn": brukernavn,
                    "part_id": part_id,
                    "kalender": kalender,
                },
            )
        c.execute(
            text(
                "INSERT INTO avtale (id, part_id, mal_navn, status, status_begrunnelse, "
                "ansvarlig_id, gjeldende_versjon, opprettet_av_id, opprettet, endret_av_id, "
                f"endret) VALUES (1, 1, 'samarbeidsavtale', 'utkast', '', 1, 0, 1, '{naa}', 2, "
                f"'{naa}')"
            )
        )
        c.execute(  # hendelse kan bare legges til (trigger)
            text(
                "INSERT INTO hendelse (id, avtale_id, type, bruker_id, fra, detaljer, tidspunkt) "
                f"VALUES (1, 1, 'opprettet', 2, '', '{{}}', '{naa}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO plan (id, nummer, navn_kryptert, fodselsdato_kryptert, part_id, "
                "koordinator_id, status, gjeldende_versjon, avsluttet_grunn, opprettet_av_id, "
                f"opprettet, endret) VALUES (1, 'IP-2026-001', 'x', 'y', 1, 1, 'utkast', 0, '', "
                f"1, '{naa}', '{naa}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO ansvarsgruppemedlem (id, plan_id, bruker_id, tjeneste, rolle, "
                f"lagt_til_av_id, lagt_til) VALUES (1, 1, 2, 'Bodø fengsel', '', 1, '{naa}')"
            )
        )

    def innhold() -> dict:
        with motor.connect() as c:
            return {
                "bruker": c.execute(
                    text(
                        "SELECT id, brukernavn, part_id, kalender_nokkel_hash FROM bruker "
                        "ORDER BY id"
                    )
                ).all(),
                "avtale": c.execute(
                    text("SELECT ansvarlig_id, opprettet_av_id, endret_av_id FROM avtale")
                ).all(),
                "hendelse": c.execute(text("SELECT bruker_id FROM hendelse")).all(),
                "medlem": c.execute(
                    text("SELECT plan_id, bruker_id FROM ansvarsgruppemedlem")
                ).all(),
            }

    def brukernavn_lengde() -> int:
        with motor.connect() as c:
            kolonne = next(k for k in inspect(c).get_columns("bruker") if k["name"] == "brukernavn")
            return kolonne["type"].length

    def plan_indekser() -> set[str]:
        with motor.connect() as c:
            return {i["name"] for i in inspect(c).get_indexes("ansvarsgruppemedlem")}

    for_migrering = innhold()
    assert for_migrering["bruker"] == [(1, "a", None, None), (2, epost, 1, "b" * 64)]
    command.upgrade(cfg, "head")
    assert innhold() == for_migrering
    assert brukernavn_lengde() == 254
    assert "ix_ansvarsgruppemedlem_plan_id" in plan_indekser()
    command.downgrade(cfg, "0005")
    assert innhold() == for_migrering
    assert "ix_ansvarsgruppemedlem_plan_id" not in plan_indekser()
    command.upgrade(cfg, "head")
    assert innhold() == for_migrering
    motor.dispose()


@pytest.mark.begge_databaser
def test_signeringsrunder_far_feil_koder_null_og_innloggingsforsok_bygges_om(database_url):
    """0006 → 0007: eksisterende runder får feil_koder = 0 (ingen ombygging), de gamle
    innloggingsforsøkene (én sammensatt nøkkel) kastes, og okt og kontologg finnes; kontologgen
    kan bare få nye rader. Nedgradering tilbake går også."""
    cfg = alembic_config(database_url)
    if database_url.startswith("postgresql"):
        command.downgrade(cfg, "0006")
    command.upgrade(cfg, "0006")
    motor = create_engine(database_url)
    naa = "2026-01-01 00:00:00"
    with motor.begin() as c:
        for sql in (
            (
                "INSERT INTO bruker (id, brukernavn, navn, epost, rolle, passord_hash, aktiv, "
                f"opprettet) VALUES (1, 'a', 'A', '', 'admin', '!', true, '{naa}')"
            ),
            (
                "INSERT INTO part (id, navn, type, orgnr, adresse, opprettet, endret) "
                f"VALUES (1, 'Bodø fengsel', 'fengsel', '999000001', '', '{naa}', '{naa}')"
            ),
            (
                "INSERT INTO avtale (id, part_id, mal_navn, status, status_begrunnelse, "
                "ansvarlig_id, gjeldende_versjon, opprettet_av_id, opprettet, endret_av_id, "
                f"endret) VALUES (1, 1, 'samarbeidsavtale', 'til_signering', '', 1, 1, 1, "
                f"'{naa}', 1, '{naa}')"
            ),
            (
                "INSERT INTO signeringsrunde (id, avtale_id, versjon_nummer, dokument_sha256, "
                "status, frist, paminnelse_dager, opprettet_av_id, opprettet, grunn) VALUES "
                f"(1, 1, 1, 'abc', 'aktiv', '{naa}', 7, 1, '{naa}', '')"
            ),
            (
                "INSERT INTO innloggingsforsok (id, nokkel, tidspunkt) "
                f"VALUES (1, 'innlogging:a', '{naa}')"
            ),
        ):
            c.execute(text(sql))
    command.upgrade(cfg, "0007")
    with motor.connect() as c:
        assert c.execute(text("SELECT id, status, feil_koder FROM signeringsrunde")).all() == [
            (1, "aktiv", 0)
        ]
        assert c.execute(text("SELECT count(*) FROM innloggingsforsok")).scalar() == 0
        assert c.execute(text("SELECT count(*) FROM okt")).scalar() == 0
    with motor.begin() as c:
        c.execute(
            text(
                "INSERT INTO kontologg (id, bruker_id, handling, ip, fra, detaljer, tidspunkt) "
                f"VALUES (1, 1, 'innlogget', '10.0.0.1', '', '{{}}', '{naa}')"
            )
        )
    with pytest.raises(Exception, match="bare få nye rader"), motor.begin() as c:
        c.execute(text("DELETE FROM kontologg"))
    command.downgrade(cfg, "0006")
    with motor.connect() as c:
        assert c.execute(text("SELECT id, status FROM signeringsrunde")).all() == [(1, "aktiv")]
        assert "okt" not in inspect(motor).get_table_names()
    command.upgrade(cfg, "head")
    motor.dispose()


@pytest.mark.begge_databaser
def test_arkivet_og_arkivdelene_lages_med_perioden_fra_den_eldste_avtalen(database_url):
    """0006 → 0010: arkivet og de tre arkivdelene med faste systemID-er; perioden begynner
    med den eldste avtalen; ned igjen og opp igjen gir nye, men like mange."""
    cfg = alembic_config(database_url)
    if database_url.startswith("postgresql"):
        command.downgrade(cfg, "0006")
    command.upgrade(cfg, "0006")
    motor = create_engine(database_url)
    gammel = "2019-05-17 08:00:00"
    with motor.begin() as c:
        c.execute(
            text(
                "INSERT INTO bruker (id, brukernavn, navn, epost, rolle, passord_hash, aktiv, "
                f"opprettet) VALUES (1, 'a', 'A', '', 'admin', '!', true, '{gammel}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO part (id, navn, type, orgnr, adresse, opprettet, endret) "
                f"VALUES (1, 'Bodø fengsel', 'fengsel', '999000001', '', '{gammel}', '{gammel}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO avtale (id, part_id, mal_navn, status, status_begrunnelse, "
                "ansvarlig_id, gjeldende_versjon, opprettet_av_id, opprettet, endret_av_id, "
                f"endret) VALUES (1, 1, 'samarbeidsavtale', 'utkast', '', 1, 0, 1, '{gammel}', 1, "
                f"'{gammel}')"
            )
        )
    command.upgrade(cfg, "head")
    with motor.connect() as c:
        deler = c.execute(text("SELECT kode, periode_start, system_id FROM arkivdel")).all()
        arkiv = c.execute(text("SELECT system_id FROM arkiv")).all()
    assert sorted(k for k, _, _ in deler) == [
        "avvik_og_evalueringer",
        "individuelle_planer",
        "samarbeidsavtaler",
    ]
    assert {str(p)[:10] for _, p, _ in deler} == {"2019-05-17"}
    assert len(arkiv) == 1 and len({s for _, _, s in deler}) == 3
    command.downgrade(cfg, "0006")
    assert "arkivdel" not in inspect(motor).get_table_names()
    command.upgrade(cfg, "head")
    motor.dispose()


@pytest.mark.begge_databaser
def test_avvik_og_samtykker_beholdes_og_far_tomme_nye_felt(database_url):
    """0011 legger felt til avvik og samtykke (samtykke bygges om i SQLite): radene som fantes,
    står igjen med tom tekst i de nye feltene; ned og opp igjen går også."""
    cfg = alembic_config(database_url)
    if database_url.startswith("postgresql"):
        command.downgrade(cfg, "0008")
    command.upgrade(cfg, "0008")
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
                f"endret) VALUES (1, 1, 'samarbeidsavtale', 'inngaatt', '', 1, 1, 1, '{naa}', 1, "
                f"'{naa}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO avvik (id, avtale_id, nummer, meldt_av_side, paragraf, kategori, "
                "hendelsesdato, hva_skjedde, konsekvens, strakstiltak, person_ref, meldt_av_id, "
                "meldt, status, svar_forklaring, svar_tiltak, lukket_merknad) VALUES (1, 1, "
                f"'2026-001', 'kommune', '§ 9', 'varsling', '2026-01-01', 'Hva', '', '', '', 1, "
                f"'{naa}', 'aapen', '', '', '')"
            )
        )
        c.execute(
            text(
                "INSERT INTO plan (id, nummer, navn_kryptert, fodselsdato_kryptert, part_id, "
                "koordinator_id, status, gjeldende_versjon, avsluttet_grunn, opprettet_av_id, "
                f"opprettet, endret) VALUES (1, 'IP-2026-001', 'x', 'y', 1, 1, 'utkast', 0, '', "
                f"1, '{naa}', '{naa}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO samtykke (id, plan_id, part_id, gitt, registrert_av_id, registrert) "
                f"VALUES (1, 1, 1, '2026-01-01', 1, '{naa}')"
            )
        )

    def innhold() -> dict:
        with motor.connect() as c:
            return {
                "avvik": c.execute(text("SELECT id, nummer, paragraf FROM avvik")).all(),
                "samtykke": c.execute(text("SELECT id, plan_id, part_id FROM samtykke")).all(),
            }

    for_migrering = innhold()
    command.upgrade(cfg, "head")
    assert innhold() == for_migrering
    with motor.connect() as c:
        assert c.execute(
            text("SELECT omfang, formal, form, vitne, dokument_id FROM samtykke")
        ).one() == ("", "", "", "", None)
        assert c.execute(
            text("SELECT oppdaget, alvorlighet, sen_begrunnelse FROM avvik")
        ).one() == (None, "", "")
    command.downgrade(cfg, "0008")
    assert innhold() == for_migrering
    command.upgrade(cfg, "head")
    assert innhold() == for_migrering
    motor.dispose()
