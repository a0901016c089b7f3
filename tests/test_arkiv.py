"""Fillageret: innholdsadressert, atomisk, og ærlig om feil."""

from __future__ import annotations

import hashlib

import pytest

from arkiv.lager import Fillager, LagerFeil


def test_lagre_og_lese_igjen(tmp_path):
    lager = Fillager(tmp_path)
    data = "Løslatelse æøå".encode()
    f = lager.lagre(data)
    assert f.sha256 == hashlib.sha256(data).hexdigest()
    assert f.storrelse == len(data)
    assert lager.les(f.sha256) == data
    assert lager.lagre(data) == f  # samme innhold, samme fil
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f.sha256]


def test_endret_fil_oppdages(tmp_path):
    lager = Fillager(tmp_path)
    f = lager.lagre(b"original")
    lager.sti(f.sha256).write_bytes(b"endret!!")
    with pytest.raises(LagerFeil, match="endret eller skadet"):
        lager.les(f.sha256)


def test_manglende_fil_gir_norsk_melding(tmp_path):
    with pytest.raises(LagerFeil, match="mangler i arkivet"):
        Fillager(tmp_path).les("0" * 64)


def test_ugyldig_nokkel_avvises(tmp_path):
    with pytest.raises(ValueError):
        Fillager(tmp_path).sti("../../etc/passwd")


def test_arkiv_som_er_en_fil_gir_lagerfeil_og_ingen_rester(tmp_path):
    blokk = tmp_path / "arkiv"
    blokk.write_text("ikke en mappe")
    with pytest.raises(LagerFeil, match="Kunne ikke skrive til arkivet"):
        Fillager(blokk).lagre(b"x")
    assert blokk.read_text() == "ikke en mappe"
