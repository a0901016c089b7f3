"""Funn: innholdet i de individuelle planene (helse- og strafferettslige opplysninger) stod i
klartekst i databasen (`planversjon.feltverdier`) og i søkeindeksen; bare navnet og
fødselsdatoen var kryptert. Og siden planene lå i den felles indeksen, påvirket de idf for
alle, så rekkefølgen på en brukers treff kunne røpe ord i planer brukeren ikke kan se.

Nå er innholdet kryptert med plannøkkelen (migrering 0012 krypterer det som finnes), planene er
aldri i indeksen, og søket dekrypterer bare planene brukeren kan åpne og søker i dem i minnet,
med idf fra indeksen (som ikke har noen plan).
"""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, inspect, text

from dokumenter.infrastruktur.db import alembic_config, lag_motor, oppgrader, sjekkpunkt
from dokumenter.infrastruktur.kryptering import Chiffer
from dokumenter.planer import lagring
from dokumenter.sider import sok
from dokumenter.sok import indeksering
from tests.stotte.planverden import KJENNEORD, innhold, lag_planverden

HEMMELIG = "rusbehandlingsavdelingen"  # står bare i planen


def _tekst_i_databasen(tj) -> str:
    """Alt i planversjon som tekst (PostgreSQL), eller databasefilen (SQLite)."""
    url = tj.innstillinger.database_url
    if url.startswith("sqlite"):
        sjekkpunkt(tj.sesjoner.kw["bind"])
        fil = tj.innstillinger.instans / "dokumenter.sqlite3"
        wal = fil.with_name(fil.name + "-wal")
        return (fil.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).decode("latin-1")
    with tj.sesjoner() as s:
        return s.execute(text("SELECT string_agg(t::text, ' ') FROM planversjon t")).scalar()


@pytest.mark.libreoffice
@pytest.mark.begge_databaser
def test_planinnholdet_er_kryptert_i_databasen_og_aldri_i_indeksen(tj):
    verden = lag_planverden(tj)
    koord = verden.brukere["koordinator"]
    lagring.lagre_versjon(tj, verden.plan_id, innhold(maal=HEMMELIG), koord, 1)
    with tj.sesjoner() as s:
        tokens = s.execute(text("SELECT innhold_kryptert FROM planversjon")).scalars().all()
    assert len(tokens) == 2 and all(t.startswith("gAAAA") for t in tokens)  # Fernet
    assert HEMMELIG in tj.chiffer.dekrypter_tekst(tokens[-1])
    databasen = _tekst_i_databasen(tj)
    assert HEMMELIG not in databasen and KJENNEORD not in databasen
    indeksering.reindekser(tj)
    assert set(tj.indeks.antall_gjeldende()) == {"avtale"}  # ingen plan i indeksen
    if tj.indeks.mappe is None:  # søket i PostgreSQL: tabellene, også ordlisten
        with tj.sesjoner() as s:
            sokt = " ".join(
                s.execute(
                    text(f"SELECT coalesce(string_agg(t::text, ' '), '') FROM {tabell} t")
                ).scalar()
                for tabell in ("sokedokument", "sokeord")
            )
        assert HEMMELIG not in sokt and KJENNEORD not in sokt
    else:
        for fil in tj.indeks.mappe.rglob("*"):
            if fil.is_file():
                assert HEMMELIG.encode() not in fil.read_bytes(), fil
                assert KJENNEORD.encode() not in fil.read_bytes(), fil
    # Søket finner planen likevel, for den som har tilgang.
    r = sok.sok(tj, HEMMELIG, "saksbehandler", bruker_id=koord)
    assert [(t.art, t.objekt_id) for t in r.treff] == [("plan", verden.plan_id)]
    assert sok.sok(tj, HEMMELIG, "saksbehandler", verden.brukere["annen_ansatt"]).totalt == 0


@pytest.mark.begge_databaser
def test_migreringen_krypterer_eksisterende_planversjoner_og_kan_gaa_tilbake(database_url):
    cfg = alembic_config(database_url)
    forrige = ScriptDirectory.from_config(cfg).get_revision("0012").down_revision
    if database_url.startswith("postgresql"):  # malen er allerede migrert til siste versjon
        command.downgrade(cfg, forrige)
    command.upgrade(cfg, forrige)
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
                "INSERT INTO plan (id, nummer, navn_kryptert, fodselsdato_kryptert, part_id, "
                "koordinator_id, status, gjeldende_versjon, avsluttet_grunn, opprettet_av_id, "
                f"opprettet, endret) VALUES (1, 'IP-2026-001', 'x', 'y', 1, 1, 'aktiv', 2, '', "
                f"1, '{naa}', '{naa}')"
            )
        )
        for nummer in (1, 2):
            c.execute(
                text(
                    "INSERT INTO planversjon (plan_id, nummer, feltverdier, mal_versjon, "
                    "mal_sha256, grunn, opprettet_av_id, opprettet) VALUES (1, :n, :f, 1, '', "
                    f"'', 1, '{naa}')"
                ),
                {"n": nummer, "f": f'{{"maal": "{HEMMELIG} {nummer}", "tiltak": [{{"a": 1}}]}}'},
            )
    motor.dispose()
    with pytest.raises(RuntimeError, match="trenger plannøkkelen"):
        command.upgrade(cfg, "head")  # uten nøkkel: ingenting gjøres halvveis
    chiffer = Chiffer([Fernet.generate_key().decode()])
    oppgrader(database_url, plannokkel=lambda: chiffer)
    motor = lag_motor(database_url)
    with motor.connect() as c:
        kolonner = {k["name"] for k in inspect(c).get_columns("planversjon")}
        tokens = c.execute(text("SELECT innhold_kryptert FROM planversjon ORDER BY nummer"))
        innhold_ = [chiffer.dekrypter_json(t) for t in tokens.scalars()]
    assert "feltverdier" not in kolonner and "innhold_kryptert" in kolonner
    assert innhold_ == [{"maal": f"{HEMMELIG} {n}", "tiltak": [{"a": 1}]} for n in (1, 2)]
    # Tabellen kan fortsatt bare få nye rader.
    with pytest.raises(Exception, match="kan bare få nye rader"), motor.begin() as c:
        c.execute(text("UPDATE planversjon SET grunn = 'endret'"))
    if database_url.startswith("sqlite"):
        assert sjekkpunkt(motor)
        fil = database_url.removeprefix("sqlite:///")
        with open(fil, "rb") as f:
            assert HEMMELIG.encode() not in f.read()  # ombygd tabell, nullede sider
    motor.dispose()
    cfg.attributes["plannokkel"] = lambda: chiffer
    command.downgrade(cfg, forrige)
    motor = create_engine(database_url)
    with motor.connect() as c:
        verdier = c.execute(text("SELECT feltverdier FROM planversjon ORDER BY nummer"))
        assert [HEMMELIG in str(v) for v in verdier.scalars()] == [True, True]
    motor.dispose()
    oppgrader(database_url, plannokkel=lambda: chiffer)


def _plan(tj, verden, maal: str, koordinator: int, navn: str = "Per Plan") -> int:
    plan_id = lagring.opprett(tj, navn, date(1980, 1, 1), verden.bodo_id, koordinator)
    lagring.lagre_versjon(tj, plan_id, innhold(maal=maal), koordinator, 0)
    return plan_id


@pytest.mark.libreoffice
def test_plansoket_bruker_analysen_rangerer_eksakt_forst_og_teller_riktig(tj):
    verden = lag_planverden(tj)
    koord = verden.brukere["koordinator"]
    eksakt = _plan(tj, verden, "Plan for løslatelse og bolig på Åsen.", koord)
    delord = _plan(tj, verden, "Løslatelsesplanen. " * 5, koord)

    def sok_(sporring, **k):
        return sok.sok(tj, sporring, "saksbehandler", bruker_id=koord, **k)

    r = sok_("løslatelse")
    rekkefolge = [(t.art, t.objekt_id) for t in r.treff]
    # Eksakt først, på tvers av indeksen og planene; planen som bare har ordet som ledd i et
    # sammensatt ord, sist, selv om den har det fem ganger.
    assert set(rekkefolge[:2]) == {("avtale", verden.avtale_id), ("plan", eksakt)}
    assert rekkefolge[2:] == [("plan", delord)]
    assert r.totalt == 3
    assert dict(r.fasetter["partstype"]) == {"fengsel": 3}
    assert "<mark>løslatelse</mark>" in next(t.utdrag for t in r.treff if t.objekt_id == eksakt)
    assert [t.objekt_id for t in sok_("aasen").treff] == [eksakt]  # aa → å
    assert eksakt in [t.objekt_id for t in sok_("boligen").treff]  # bøyd form
    assert sok_("løslat*").totalt == 3  # jokertegn utvides mot planene også
    # Tomt søk: alt brukeren kan se, og fasettene teller planene med.
    alt = sok_("")
    assert alt.totalt == 1 + 3  # avtalen og de tre planene med innhold
    assert sum(n for _, n in alt.fasetter["partstype"]) == alt.totalt
    # Alle versjoner: begge versjonene av planen.
    lagring.lagre_versjon(tj, eksakt, innhold(maal="Plan for løslatelse, versjon 2."), koord, 1)
    versjoner = [
        t.versjon for t in sok_("løslatelse", bare_gjeldende=False).treff if t.objekt_id == eksakt
    ]
    assert sorted(versjoner) == [1, 2]
    assert [t.versjon for t in sok_("løslatelse").treff if t.objekt_id == eksakt] == [2]


@pytest.mark.libreoffice
def test_planer_brukeren_ikke_ser_endrer_ikke_rangeringen_idf(tj):
    """En plan brukeren ikke kan åpne, full av søkeordet, skal ikke kunne merkes på treffene
    (rekkefølge, utdrag, antall). Med planene i en felles indeks endret den idf for ordet og
    dermed rekkefølgen."""
    verden = lag_planverden(tj)
    koord, annen = verden.brukere["koordinator"], verden.brukere["annen_ansatt"]
    _plan(tj, verden, "Tiltak: alfa.", koord)
    _plan(tj, verden, "Tiltak: beta.", koord)

    def bilde():
        r = sok.sok(tj, "alfa OR beta", "saksbehandler", bruker_id=koord)
        return r.totalt, [(t.id, t.utdrag) for t in r.treff], r.fasetter

    foer = bilde()
    assert foer[0] == 2
    _plan(tj, verden, "alfa " * 200, annen, navn="Skjult Person")  # bare «annen» ser den
    assert bilde() == foer
