"""R4: sikkerhetskopien ga opp ved den første skadde filen (ingen kopi i det hele tatt), og
`verifiser` nevnte en skadet fil bare med SHA-256. Nå kopieres alt som kan kopieres, hver
skadet fil nevnes med hva den er (avtale, versjon, art og sti), og svaret er 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from arkiv.lager import Fillager
from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.drift import arkivdrift
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.models import Avtale, Malfil
from dokumenter.parter import skriving as parter
from tests.sikkerhet.krasjbarn import StubbKonverterer


@pytest.fixture
def arkiv_med_skader(tj, saksbehandler):
    """Avtale med to versjoner; versjon 1s PDF/A er endret og versjon 2s DOCX mangler."""
    tj.konverterer = StubbKonverterer()
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    part = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    avtale = skriving.opprett_utkast(tj, part.id, verdier, saksbehandler.id)
    skriving.lagre_versjon(tj, avtale.id, {**verdier, "varslingsfrist_dager": 40}, saksbehandler.id)
    with tj.sesjoner() as s:
        v1, v2 = s.get(Avtale, avtale.id).versjoner
        endret, mangler = v1.dokument("pdf").sha256, v2.dokument("docx").sha256
        alle = len(arkivdrift.forventede_filer(s))
        assert s.query(Malfil).count() == 1
    tj.lager.sti(endret).write_bytes(b"flippet bytes")
    tj.lager.sti(mangler).unlink()
    return avtale, endret, mangler, alle


def _kjor(tj, *args):
    env = {**os.environ, "DOKUMENTER_INSTANS": str(tj.innstillinger.instans)}
    return subprocess.run(
        [sys.executable, "-m", "dokumenter", "arkiv", *args],
        env=env,
        cwd=REPO_ROT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sikkerhetskopi_kopierer_resten_og_nevner_hver_skadet_fil(tj, arkiv_med_skader, tmp_path):
    avtale, endret, mangler, alle = arkiv_med_skader
    r = _kjor(tj, "sikkerhetskopi", str(tmp_path / "kopi"))
    assert r.returncode == 1, r.stdout + r.stderr
    ut = r.stdout
    assert f"avtale {avtale.id} (Bodø fengsel), versjon 1, PDF/A" in ut
    assert f"avtale {avtale.id} (Bodø fengsel), versjon 2, DOCX" in ut
    assert str(tj.lager.sti(endret)) in ut and str(tj.lager.sti(mangler)) in ut
    assert "endret eller skadet" in ut and "mangler i arkivet" in ut
    assert "2 filer kunne ikke kopieres" in ut

    kopi = tmp_path / "kopi"
    manifest = json.loads((kopi / "sikkerhetskopi.json").read_text())
    assert manifest["filer"] == alle - 2
    assert {f["sha256"] for f in manifest["feil"]} == {endret, mangler}
    kopierte = {p.name for p in Fillager(kopi / "arkiv").alle()}
    assert len(kopierte) == alle - 2 and endret not in kopierte and mangler not in kopierte
    assert not list(tmp_path.glob("kopi.delvis-*"))


def test_verifiser_nevner_filene_pa_samme_mate(tj, arkiv_med_skader):
    avtale, endret, mangler, _ = arkiv_med_skader
    r = _kjor(tj, "verifiser")
    assert r.returncode == 1
    assert "Endret (SHA-256 stemmer ikke): 1" in r.stdout and "Mangler: 1" in r.stdout
    for sha, hva in ((endret, "versjon 1, PDF/A"), (mangler, "versjon 2, DOCX")):
        linje = next(x for x in r.stdout.splitlines() if sha in x)
        assert f"avtale {avtale.id} (Bodø fengsel), {hva}" in linje
        assert str(tj.lager.sti(sha)) in linje


def test_beskrivelse_av_malfil_og_ukjent_fil(tj, arkiv_med_skader):
    with tj.sesjoner() as s:
        mal = s.query(Malfil).one()
    malfil, ukjent = arkivdrift.beskriv(tj, [mal.sha256, "ab" * 32])
    assert malfil.hva == (f"mal «samarbeidsavtale» versjon {mal.versjon}, malfil (DOCX)",)
    assert "ingen rad i databasen peker på filen" in ukjent.tekst
