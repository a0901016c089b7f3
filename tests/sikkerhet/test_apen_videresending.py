"""Funn 1: åpen videresending etter innlogging. `POST /logg-inn?next=////ond.example/x` ga
`302 Location: //ond.example/x`. Nå godtas bare en relativ sti på nettstedet (én «/» først,
ingen «//», ingen «\\», ingen ordning, ingen kontrolltegn eller mellomrom), også dekodet, både
for ansatte og i partnerportalen."""

from __future__ import annotations

import pytest

from web.auth import trygg_neste

OMVEIER = [
    "//ond.example/x",
    "////ond.example/x",
    "///ond.example/x",
    "/\\ond.example/x",
    "\\\\ond.example/x",
    "\\/ond.example/x",
    "/%2F/ond.example/x",
    "/%2f%2fond.example/x",
    "/%252F/ond.example/x",
    "/%5Cond.example/x",
    "https://ond.example/x",
    "HTTPS://ond.example",
    "http:ond.example",
    "//ond.example@eget.example",
    "/\t/ond.example/x",
    "/\n/ond.example/x",
    "/%09/ond.example/x",
    "/%0d%0a/ond.example",
    " //ond.example/x",
    "\t//ond.example",
    "/ /ond.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ond.example/x",
    "/\u3000/ond.example",
    "/\u200b/ond.example",
]


@pytest.mark.parametrize("neste", OMVEIER)
def test_trygg_neste_avviser_omveier(neste):
    assert trygg_neste(neste, "/standard") == "/standard"


@pytest.mark.parametrize("neste", ["/", "/avtaler/3", "/sok?q=b%C3%B8", "/portal/avtaler/1"])
def test_trygg_neste_godtar_egne_stier(neste):
    assert trygg_neste(neste, "/standard") == neste


def test_ansattinnloggingen_sender_aldri_til_et_annet_nettsted(logg_inn, kari):
    feil = []
    for neste in OMVEIER:
        _, svar = logg_inn("kari", neste=neste)
        if svar.status_code != 302 or svar.headers["Location"] != "/":
            feil.append((neste, svar.status_code, svar.headers.get("Location")))
    assert not feil


def test_portalinnloggingen_sender_aldri_til_et_annet_nettsted(logg_inn, partner):
    feil = []
    for neste in ["/portal//ond.example/x", "/portal/%2F%2Fond.example", "/portal\\x", *OMVEIER]:
        _, svar = logg_inn(partner.brukernavn, portal=True, neste=neste)
        if svar.status_code != 302 or svar.headers["Location"] != "/portal/":
            feil.append((neste, svar.status_code, svar.headers.get("Location")))
    assert not feil


def test_egne_sider_fungerer_fortsatt(logg_inn, kari, partner):
    _, svar = logg_inn("kari", neste="/avtaler/")
    assert svar.headers["Location"] == "/avtaler/"
    _, svar = logg_inn(partner.brukernavn, portal=True, neste="/portal/planer/")
    assert svar.headers["Location"] == "/portal/planer/"
