"""Funn 8: en id over 64 bit i adressen ga 500 (OverflowError fra SQLite; PostgreSQL gir
«integer out of range» allerede over 32 bit, for nøklene er integer). `int` i rutene er nå
begrenset til det databasen kan slå opp (web.Heltall, Tjenester.storste_id), så større tall
gir 404 som enhver ukjent id."""

from __future__ import annotations

import pytest

RUTER = [
    "/avtaler/{}",
    "/avtaler/{}/endre",
    "/parter/{}",
    "/avvik/{}",
    "/planer/{}",
    "/signert/{}",
]
PORTALRUTER = ["/portal/avtaler/{}", "/portal/dokument/{}", "/portal/signert/{}"]


@pytest.mark.begge_databaser
def test_store_id_gir_404_og_aldri_500(tj, kari, partner, logg_inn):
    ansatt, _ = logg_inn("kari")
    part, _ = logg_inn(partner.brukernavn, portal=True)
    svar = []
    for tall in (2**31, 2**63, 2**64, 10**40):
        svar += [(r, ansatt.get(r.format(tall)).status_code) for r in RUTER]
        svar += [(r, part.get(r.format(tall)).status_code) for r in PORTALRUTER]
    assert {kode for _, kode in svar} == {404}, svar


@pytest.mark.begge_databaser
def test_storste_lovlige_id_er_bare_ukjent(tj, kari, logg_inn):
    ansatt, _ = logg_inn("kari")
    for tall in (tj.storste_id, tj.storste_id + 1):
        assert ansatt.get(f"/avtaler/{tall}").status_code == 404
        assert ansatt.get(f"/parter/{tall}").status_code == 404
