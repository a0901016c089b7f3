"""Kommandolinjen som en bruker kjører den: egen prosess, egen instansmappe."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from dokumenter.felles.innstillinger import REPO_ROT

DOKUMENTER = [sys.executable, "-m", "dokumenter"]


def kjor(instans, *args, input=None):
    env = {**os.environ, "DOKUMENTER_INSTANS": str(instans)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [*DOKUMENTER, *args],
        cwd=REPO_ROT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tell(instans, tabell):
    motor = create_engine(f"sqlite:///{instans / 'dokumenter.sqlite3'}")
    with motor.connect() as c:
        n = c.execute(text(f"select count(*) from {tabell}")).scalar()
    motor.dispose()
    return n


def test_maler_sjekk_er_gronn(tmp_path):
    r = kjor(tmp_path, "maler", "sjekk")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "samarbeidsavtale: OK" in r.stdout


def test_bruker_opprett_og_for_kort_passord(tmp_path):
    r = kjor(
        tmp_path,
        "bruker",
        "opprett",
        "ola",
        "--navn",
        "Ola Nordmann",
        "--rolle",
        "saksbehandler",
        input="langt-nok-passord\nlangt-nok-passord\n",
    )
    assert r.returncode == 0, r.stderr
    assert "Opprettet ola (Saksbehandler)" in r.stdout
    r = kjor(
        tmp_path,
        "bruker",
        "opprett",
        "per",
        "--navn",
        "Per",
        "--rolle",
        "admin",
        input="kort\nkort\n",
    )
    assert r.returncode == 1
    assert "minst 12 tegn" in r.stderr
    assert tell(tmp_path, "bruker") == 1


@pytest.mark.libreoffice
def test_demo_to_ganger_og_generer_alle(tmp_path):
    forste = kjor(tmp_path, "demo")
    assert forste.returncode == 0, forste.stderr
    assert "10 nye parter, 10 nye avtaler" in forste.stdout
    assert "prosjektleder" in forste.stdout
    andre = kjor(tmp_path, "demo")
    assert andre.returncode == 0, andre.stderr
    assert "0 nye parter, 0 nye avtaler" in andre.stdout
    assert tell(tmp_path, "part") == 10
    assert tell(tmp_path, "avtale") == 10
    # Én fiktiv overgang som pågår, bare én gang.
    assert tell(tmp_path, "overgang") == 1 and tell(tmp_path, "overgangsskjema") == 1
    assert tell(tmp_path, "overgangsoppgave") == 10 and tell(tmp_path, "kartlegging") == 1
    r = kjor(tmp_path, "overgang", "paminn")
    assert r.returncode == 0 and "Påminnet om" in r.stdout, r.stderr

    r = kjor(tmp_path, "avtale", "generer-alle", "--type", "fengsel", "--bruker", "prosjektleder")
    assert r.returncode == 0, r.stderr
    # Alle fengslene har inngått avtale (signert på papir i 2007): de endres ikke i bulk.
    assert "Ferdig: 0 avtaler laget, 3 hoppet over, 0 feilet." in r.stdout
    assert "Bodø fengsel: hoppet over, avtalen er «Inngått»" in r.stdout
    assert tell(tmp_path, "avtaleversjon") == 10
    assert tell(tmp_path, "signert_kopi") == 6

    verdier = tmp_path / "verdier.json"
    verdier.write_text(json.dumps({"kommune_kontakt_navn": ""}), encoding="utf-8")
    r = kjor(
        tmp_path,
        "avtale",
        "generer-alle",
        "--type",
        "dps",
        "--bruker",
        "prosjektleder",
        "--verdier",
        str(verdier),
    )
    assert r.returncode == 0
    assert "Ferdig: 0 avtaler laget, 0 hoppet over, 0 feilet." in r.stdout


def test_generer_alle_med_ukjent_bruker(tmp_path):
    r = kjor(tmp_path, "avtale", "generer-alle", "--type", "fengsel", "--bruker", "ingen")
    assert r.returncode == 1
    assert "Fant ingen bruker «ingen»" in r.stderr
