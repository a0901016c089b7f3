"""Arkivlageret: innholdsadressert, atomisk, og ærlig om feil; mappen og objektlageret
(SeaweedFS) gjennom samme tester (fixturen `lager`)."""

from __future__ import annotations

import hashlib

import pytest

from arkiv.lager import Fillager, LagerFeil
from tests.stotte.arkivlager import fjern_forbi, skriv_forbi


def test_lagre_og_lese_igjen(lager):
    data = "Løslatelse æøå".encode()
    f = lager.lagre(data)
    assert f.sha256 == hashlib.sha256(data).hexdigest()
    assert f.storrelse == len(data)
    assert lager.les(f.sha256) == data
    assert lager.lagre(data) == f  # samme innhold, samme fil
    assert list(lager.shaer()) == [f.sha256]
    assert lager.sha256_av(f.sha256) == (f.sha256, len(data))


def test_shaer_er_sortert(lager):
    shaer = [lager.lagre(f"fil {i}".encode()).sha256 for i in range(25)]
    assert list(lager.shaer()) == sorted(shaer)


def test_bare_filene_i_mappen(tmp_path):
    lager = Fillager(tmp_path)
    f = lager.lagre(b"x")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f.sha256]


def test_endret_fil_oppdages(lager):
    f = lager.lagre(b"original")
    skriv_forbi(lager, f.sha256, b"endret!!")
    with pytest.raises(LagerFeil, match="endret eller skadet"):
        lager.les(f.sha256)


def test_manglende_fil_gir_norsk_melding(lager):
    with pytest.raises(LagerFeil, match="mangler i arkivet"):
        lager.les("0" * 64)
    with pytest.raises(LagerFeil, match="mangler i arkivet"):
        lager.sha256_av("0" * 64)


def test_slett(lager):
    f = lager.lagre(b"skal bort")
    assert lager.slett(f.sha256) and not lager.finnes(f.sha256)
    assert not lager.slett(f.sha256)


def test_kopier_til(lager, tmp_path):
    f = lager.lagre(b"til uttrekket" * 1000)
    lager.kopier_til(f.sha256, tmp_path / "ut")
    assert (tmp_path / "ut").read_bytes() == b"til uttrekket" * 1000
    fjern_forbi(lager, f.sha256)
    assert not lager.finnes(f.sha256)


def test_ugyldig_nokkel_avvises(lager):
    with pytest.raises(ValueError):
        lager.plassering("../../etc/passwd")


def test_arkiv_som_er_en_fil_gir_lagerfeil_og_ingen_rester(tmp_path):
    blokk = tmp_path / "arkiv"
    blokk.write_text("ikke en mappe")
    with pytest.raises(LagerFeil, match="Kunne ikke skrive til arkivet"):
        Fillager(blokk).lagre(b"x")
    assert blokk.read_text() == "ikke en mappe"
