"""Lenkene i e-post: kommandolinjens faste stier og nettsidens ruter gir de samme adressene,
og de bygges fra den konfigurerte nettadressen, aldri fra forespørselen."""

from __future__ import annotations

import pytest

from dokumenter.felles.lenker import Stilenker
from web import create_app
from web.lenker import Weblenker

ADRESSER = ("https://avtaler.kommune.example.no", "http://127.0.0.1:5000", "https://x.no/app")


@pytest.mark.parametrize("nettadresse", ADRESSER)
def test_stilenker_og_weblenker_er_like(tj, nettadresse):
    app = create_app(tj)
    sti, web = Stilenker(nettadresse), Weblenker(app, nettadresse)
    for partner in (False, True):
        assert sti.avtale(7, partner) == web.avtale(7, partner)
        assert sti.signer_avtale(7, partner) == web.signer_avtale(7, partner)
        assert sti.plan(3, partner) == web.plan(3, partner)
        assert sti.avvik(5, partner) == web.avvik(5, partner)
    assert sti.invitasjon("abc") == web.invitasjon("abc")
    assert web.avtale(7).startswith(nettadresse.rstrip("/") + "/")


def test_lenkene_bruker_ikke_host_fra_foresporselen(tj):
    app = create_app(tj)
    with app.test_request_context("/", headers={"Host": "angriper.example"}):
        assert tj.lenker.invitasjon("n").startswith("http://localhost/portal/invitasjon/")
