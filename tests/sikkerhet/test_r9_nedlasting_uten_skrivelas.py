"""R9: nedlastinger tok skrivelåsen i databasen (for loggraden), så en lås på 35 s gjorde
PDF-nedlastinger til 500-feil. Nå venter loggen høyst et halvt sekund; er databasen låst,
legges posten i `instance/logg-ko/*.jsonl` (fsync) og skrives inn ved neste vellykkede
skriving, ved oppstart og av `dokumenter arkiv tom-loggko`. Ingen post går tapt eller
skrives to ganger."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur import loggko
from dokumenter.models import Avtale, Hendelse
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import apne
from tests.sikkerhet.krasjbarn import StubbKonverterer
from tests.stotte.oppsett import PASSORD
from web import create_app


@pytest.fixture
def avtale(tj, saksbehandler):
    tj.konverterer = StubbKonverterer()
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    part = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    return skriving.opprett_utkast(tj, part.id, verdier, saksbehandler.id)


@pytest.fixture
def klient(tj, saksbehandler):
    k = create_app(tj, TESTING=True).test_client()
    side = k.get("/logg-inn").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', side).group(1)
    k.post("/logg-inn", data={"brukernavn": "kari", "passord": PASSORD, "csrf_token": token})
    return k


@pytest.fixture
def skrivelas(tj):
    """Hold databasens skrivelås fra en annen tilkobling, som en lang skriving ville."""
    con = sqlite3.connect(tj.innstillinger.database_url.removeprefix("sqlite:///"))
    con.isolation_level = None
    con.execute("BEGIN IMMEDIATE")
    yield con
    con.rollback()
    con.close()


def _nedlastinger(tj) -> list[Hendelse]:
    with tj.sesjoner() as s:
        return s.scalars(select(Hendelse).where(Hendelse.type == "lastet_ned")).all()


def _pdf_id(tj, avtale) -> int:
    with tj.sesjoner() as s:
        return s.get(Avtale, avtale.id).versjoner[0].dokument("pdf").id


def test_nedlasting_mens_databasen_er_last(tj, avtale, klient, skrivelas):
    mappe = tj.loggko_mappe
    t0 = time.monotonic()
    svar = klient.get(f"/avtaler/dokument/{_pdf_id(tj, avtale)}")
    brukt = time.monotonic() - t0
    assert svar.status_code == 200 and svar.data.startswith(b"%PDF")
    assert brukt < 5, f"nedlastingen ventet {brukt:.1f} s på skrivelåsen"
    assert loggko.har_poster(mappe)
    assert _nedlastinger(tj) == []
    skrivelas.rollback()

    # Neste vellykkede skriving tar med seg køen.
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", avtale.ansvarlig_id)
    [h] = _nedlastinger(tj)
    assert h.bruker_id == avtale.ansvarlig_id and h.detaljer["format"] == "pdf"
    assert h.detaljer["ko_id"]
    assert not loggko.har_poster(mappe)


def test_uten_las_skrives_loggen_med_en_gang(tj, avtale, klient):
    assert klient.get(f"/avtaler/dokument/{_pdf_id(tj, avtale)}").status_code == 200
    assert len(_nedlastinger(tj)) == 1
    assert not loggko.har_poster(tj.loggko_mappe)


def test_koen_toms_ved_oppstart_og_av_cron_kommandoen(tj, avtale, klient, skrivelas):
    pdf = _pdf_id(tj, avtale)
    assert klient.get(f"/avtaler/dokument/{pdf}").status_code == 200
    skrivelas.rollback()
    tj2 = apne(tj.innstillinger)  # oppstart
    tj2.lukk()
    assert len(_nedlastinger(tj)) == 1

    skrivelas.execute("BEGIN IMMEDIATE")
    assert klient.get(f"/avtaler/dokument/{pdf}").status_code == 200
    skrivelas.rollback()
    r = subprocess.run(
        [sys.executable, "-m", "dokumenter", "arkiv", "tom-loggko"],
        env={**os.environ, "DOKUMENTER_INSTANS": str(tj.innstillinger.instans)},
        cwd=REPO_ROT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert len(_nedlastinger(tj)) == 2 and not loggko.har_poster(tj.loggko_mappe)


def test_ingen_post_skrives_to_ganger(tj, avtale, klient, skrivelas):
    """En prosess døde mellom commit og sletting av køfilen: postene skrives ikke igjen."""
    assert klient.get(f"/avtaler/dokument/{_pdf_id(tj, avtale)}").status_code == 200
    skrivelas.rollback()
    mappe = tj.loggko_mappe
    [fil] = mappe.glob("*.jsonl")
    kopi = mappe / f"{fil.stem}.tommes-dod"
    kopi.write_bytes(fil.read_bytes())
    os.utime(kopi, (1, 1))  # gammel: prosessen som tok den, er borte
    assert tj.tom_loggko() == 2
    assert len(_nedlastinger(tj)) == 1
    assert not loggko.har_poster(mappe)
