"""R7: delvise utdata ble liggende: halve sikkerhetskopier (1,2 GB) og halvbygde
indeksgenerasjoner ble aldri ryddet. Nå skrives de under et midlertidig navn i samme mappe
(`DEST.delvis-*`, `delvis-gen-*`), får sitt navn først når de er ferdige, og rester fra
tidligere kjøringer fjernes ved neste kjøring; det som er låst (pågår), røres ikke."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest

from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.drift import arkivdrift
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.parter import skriving as parter
from dokumenter.sok import indeksering
from tests.sikkerhet.krasjbarn import StubbKonverterer


@pytest.fixture
def avtale(tj, saksbehandler):
    tj.konverterer = StubbKonverterer()
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    part = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    return skriving.opprett_utkast(tj, part.id, verdier, saksbehandler.id)


def _gammel_mappe(sti, last=False):
    sti.mkdir()
    (sti / "stor.bin").write_bytes(b"x" * 1000)
    (sti / ".las").touch()
    os.utime(sti, (1, 1))
    if last:
        fd = os.open(sti / ".las", os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd
    return None


def test_avbrutt_sikkerhetskopi_ryddes_ved_neste_kjoring(tj, avtale, tmp_path):
    dest = tmp_path / "kopi"
    r = subprocess.run(
        [sys.executable, "-m", "dokumenter", "arkiv", "sikkerhetskopi", str(dest)],
        env={
            **os.environ,
            "DOKUMENTER_INSTANS": str(tj.innstillinger.instans),
            "DOKUMENTER_FEILPUNKT": "sikkerhetskopi_fil",
        },
        cwd=REPO_ROT,
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 86  # drept midt i kopien
    assert not dest.exists()
    [rest] = tmp_path.glob("kopi.delvis-*")

    pagar = tmp_path / "kopi.delvis-pagar"
    fd = _gammel_mappe(pagar, last=True)  # en annen kopi til samme mål som pågår nå
    try:
        info = arkivdrift.lag_sikkerhetskopi(tj, dest)
        assert info["feil"] == [] and (dest / "sikkerhetskopi.json").exists()
        assert not rest.exists()
        assert pagar.exists()
        assert not (dest / ".las").exists()
    finally:
        os.close(fd)
    assert list(tmp_path.glob("kopi.delvis-*")) == [pagar]


def test_halvbygde_indeksgenerasjoner_ryddes_ved_neste_reindeksering(tj, avtale):
    indeks = tj.indeks
    mappe = indeks.mappe
    aktiv = os.readlink(mappe / "aktiv")
    avbrutt = mappe / "delvis-gen-avbrutt"
    gammel = mappe / "gen-gammel"
    pagar = mappe / "delvis-gen-pagar"
    _gammel_mappe(avbrutt)
    _gammel_mappe(gammel)
    fd = _gammel_mappe(pagar, last=True)
    try:
        assert indeksering.reindekser(tj) == 1
        navn = sorted(p.name for p in mappe.iterdir() if p.is_dir() and not p.is_symlink())
        ny = os.readlink(mappe / "aktiv")
        assert ny != aktiv and ny.startswith("gen-")
        assert navn == sorted([ny, "delvis-gen-pagar"])
    finally:
        os.close(fd)
    assert indeks.rydd_rester() == ["delvis-gen-pagar"]
