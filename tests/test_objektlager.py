"""Objektlageret (S3, her SeaweedFS) for seg: ingen ny opplasting av det som finnes,
oppryddingen etter avbrutte lagringer med ryddefristen, kontroll med mange objekter, og
tydelige norske feil når bøtta ikke kan nås (uten at noe endres)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from arkiv import kontroll, sikkerhetskopi
from arkiv.lager import LagerFeil
from dokumenter.felles.feil import Oppsettsfeil
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.tjenester import apne, lag_lager
from tests.stotte.arkivlager import fjern_forbi, skriv_forbi
from tests.stotte.oppsett import lag_innstillinger


@pytest.fixture
def s3lager(s3server, ny_boks, tmp_path):
    return lag_lager(lag_innstillinger(tmp_path).med(s3=s3server.oppsett(ny_boks())))


def tell_opplastinger(lager) -> list[str]:
    nokler: list[str] = []
    lager.klient.meta.events.register(
        "before-call.s3.PutObject", lambda params, **_: nokler.append(params["url_path"])
    )
    return nokler


def test_objekt_som_finnes_lastes_ikke_opp_igjen(s3lager):
    f = s3lager.lagre(b"en gang")
    opplastinger = tell_opplastinger(s3lager)
    with s3lager.innlegg() as inn:
        inn.lagre(b"en gang")
        inn.lagre(b"ny")
        inn.forbered()
        inn.fullfor()
    assert not any(f.sha256 in n for n in opplastinger)
    assert len([n for n in opplastinger if "/filer/" in n]) == 1  # bare «ny»
    assert list(s3lager._merker()) == []  # merket er borte etter fullfor


def test_avbrutt_lagring_ryddes_forst_etter_fristen(s3lager):
    registrert = s3lager.lagre(b"gammel og registrert").sha256
    inn = s3lager.innlegg()
    ny = inn.lagre(b"ny, aldri registrert").sha256
    inn.lagre(b"gammel og registrert")
    inn.forbered()  # ... og så dør prosessen før commit
    assert s3lager.finnes(ny) and len(list(s3lager._merker())) == 1

    r = s3lager.gjenopprett(lambda sha: sha == registrert)
    assert (r.fullfort, r.forkastet) == (0, 0)  # merket er yngre enn en time
    assert s3lager.finnes(ny)

    s3lager.ryddefrist = 0
    r = s3lager.gjenopprett(lambda sha: sha == registrert)
    assert r.forkastet == 1 and not s3lager.finnes(ny) and s3lager.finnes(registrert)
    assert list(s3lager._merker()) == []


def test_oppryddingen_sparer_objekt_en_pagaende_lagring_bruker(s3lager):
    s3lager.ryddefrist = 3
    dod = s3lager.innlegg()
    felles = dod.lagre(b"felles").sha256
    dod.forbered()  # ... og dør før commit
    time.sleep(4)  # merket er eldre enn fristen
    levende = s3lager.innlegg()  # en annen node, midt i en lagring av det samme innholdet
    levende.lagre(b"felles")
    levende.forbered()
    s3lager.gjenopprett(lambda _sha: False)
    assert s3lager.finnes(felles)  # den pågående lagringen bruker det
    assert [m for m, _ in s3lager._merker()] == [levende.merke]
    levende.fullfor()
    assert s3lager.les(felles) == b"felles"


def test_fullfor_laster_opp_igjen_det_som_forsvant_under_lagringen(s3lager):
    f = s3lager.lagre(b"fantes fra for")
    with s3lager.innlegg() as inn:
        inn.lagre(b"fantes fra for")
        inn.forbered()
        fjern_forbi(s3lager, f.sha256)  # en opprydding på en annen node
        inn.fullfor()  # etter commit
    assert s3lager.les(f.sha256) == b"fantes fra for"


def test_forkast_fjerner_de_nye_og_merket(s3lager):
    gammel = s3lager.lagre(b"gammel").sha256
    inn = s3lager.innlegg()
    ny = inn.lagre(b"ny").sha256
    inn.lagre(b"gammel")
    inn.forbered()
    inn.forkast(lambda _sha: False)  # commit feilet
    assert not s3lager.finnes(ny) and s3lager.finnes(gammel)
    assert list(s3lager._merker()) == []


def test_verifiser_over_flere_sider_med_objekter(s3lager):
    """Mer enn 1000 objekter (én side i listingen): flettingen går over sidene."""
    data = [f"fil {i}".encode() for i in range(1100)]
    with ThreadPoolExecutor(8) as ut:
        filer = list(ut.map(s3lager.lagre, data))
    forventet = {f.sha256: f.storrelse for f in filer}
    borte, skadet = sorted(forventet)[500], sorted(forventet)[1050]
    fjern_forbi(s3lager, borte)
    skriv_forbi(s3lager, skadet, b"annet innhold")
    skriv_forbi(s3lager, "f" * 64, b"foreldreloes")
    r = kontroll.verifiser(s3lager, forventet)
    assert (r.mangler, r.endret, r.foreldrelose) == ([borte], [skadet], ["f" * 64])
    assert r.kontrollert == 1099


@pytest.mark.parametrize(
    "hva, melding",
    [
        ("utilgjengelig", "Kunne ikke nå objektlageret på http://127.0.0.1:1"),
        ("feil_hemmelighet", "avviste nøkkelen"),
        ("ukjent_boks", "Bøtta «finnes-ikke» finnes ikke i objektlageret"),
    ],
)
def test_feil_oppsett_gir_norsk_feil_og_endrer_ingenting(s3server, ny_boks, tmp_path, hva, melding):
    riktig = s3server.oppsett(ny_boks())
    oppsett = {
        "utilgjengelig": replace(riktig, url="http://127.0.0.1:1"),
        "feil_hemmelighet": replace(riktig, hemmelighet="feil"),
        "ukjent_boks": replace(riktig, boks="finnes-ikke"),
    }[hva]
    inn = lag_innstillinger(tmp_path / "instans").med(s3=oppsett)
    with pytest.raises(Oppsettsfeil, match=melding):
        apne(inn)
    assert not (tmp_path / "instans").exists()  # ingen database, ingen mapper
    assert list(lag_lager(inn.med(s3=riktig)).shaer()) == []


def test_cli_med_feil_oppsett_gir_norsk_melding(s3server, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")},
        **s3server.miljo("finnes-ikke"),
        "DOKUMENTER_INSTANS": str(tmp_path / "instans"),
    }
    r = subprocess.run(
        [sys.executable, "-m", "dokumenter", "arkiv", "verifiser"],
        env=env,
        cwd=REPO_ROT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert "Feil: Bøtta «finnes-ikke» finnes ikke" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "instans").exists()


def test_cli_gjenopprett_til_botte_som_mangler_gir_norsk_melding(s3server, tmp_path):
    kopi = tmp_path / "kopi"
    kopi.mkdir()
    (kopi / "dokumenter.sqlite3").write_bytes(b"")
    sikkerhetskopi.skriv_manifest(
        kopi, database="dokumenter.sqlite3", database_sha256=hashlib.sha256(b"").hexdigest()
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")},
        **s3server.miljo("finnes-ikke"),
        "DOKUMENTER_INSTANS": str(tmp_path / "instans"),
    }
    r = subprocess.run(
        [sys.executable, "-m", "dokumenter", "arkiv", "gjenopprett", str(kopi)],
        env=env,
        cwd=REPO_ROT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "Feil: Bøtta «finnes-ikke» finnes ikke" in r.stderr
    assert not (tmp_path / "instans").exists()


def test_nettsiden_starter_ikke_uten_bytta(s3server, tmp_path):
    """`python -m web` stopper med en norsk melding (ingen traceback) før arbeiderne starter."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOKUMENTER_")},
        **s3server.miljo("finnes-ikke"),
        "DOKUMENTER_INSTANS": str(tmp_path / "instans"),
        "DOKUMENTER_DEMO": "1",
        "PORT": "0",
    }
    r = subprocess.run(
        [sys.executable, "-m", "web"],
        env=env,
        cwd=REPO_ROT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1, r.stderr
    assert "Appen starter ikke: Bøtta «finnes-ikke» finnes ikke" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_innstillingene_fra_miljoet():
    miljo = {
        "DOKUMENTER_S3_URL": "http://127.0.0.1:8333",
        "DOKUMENTER_S3_BOKS": "arkiv",
        "DOKUMENTER_S3_NOKKEL": "n",
        "DOKUMENTER_S3_HEMMELIGHET": "hemmelig-verdi",
    }
    s3 = Innstillinger.fra_miljo("/tmp/x", miljo).s3
    assert (s3.url, s3.boks, s3.region) == ("http://127.0.0.1:8333", "arkiv", None)
    assert s3.ryddefrist == 3600 and "hemmelig-verdi" not in repr(s3)
    assert Innstillinger.fra_miljo("/tmp/x", {}).s3 is None
    with pytest.raises(ValueError, match="krever også DOKUMENTER_S3_HEMMELIGHET"):
        Innstillinger.fra_miljo("/tmp/x", {**miljo, "DOKUMENTER_S3_HEMMELIGHET": ""})
    with pytest.raises(ValueError, match="må begynne med http"):
        Innstillinger.fra_miljo("/tmp/x", {**miljo, "DOKUMENTER_S3_URL": "127.0.0.1:8333"})


def test_lagerfeil_er_i_prosjektets_feiltre(s3lager):
    with pytest.raises(LagerFeil):
        s3lager.les("1" * 64)
