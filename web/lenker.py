"""Lenkene i e-post bygd fra appens egne ruter og den konfigurerte nettadressen (aldri fra
Host-headeren i en forespørsel, som en angriper styrer). Virker også utenfor en forespørsel,
for jobber som kjører i bakgrunnen."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask


class Weblenker:
    def __init__(self, app: Flask, nettadresse: str) -> None:
        deler = urlsplit(nettadresse.rstrip("/"))
        self._bygg = app.url_map.bind(
            deler.netloc, script_name=deler.path or "/", url_scheme=deler.scheme or "http"
        ).build

    def _url(self, endepunkt: str, **verdier: object) -> str:
        return self._bygg(endepunkt, verdier, force_external=True)

    def avtale(self, avtale_id: int, partner: bool = False) -> str:
        return self._url("portal.avtale" if partner else "avtaler.vis", avtale_id=avtale_id)

    def signer_avtale(self, avtale_id: int, partner: bool = False) -> str:
        return self._url("portal.signer" if partner else "avtaler.signer", avtale_id=avtale_id)

    def plan(self, plan_id: int, partner: bool = False) -> str:
        return self._url("planportal.vis" if partner else "planer.vis", plan_id=plan_id)

    def avvik(self, avvik_id: int, partner: bool = False) -> str:
        return self._url("portal.avvik" if partner else "avvik.vis", avvik_id=avvik_id)

    def invitasjon(self, nokkel: str) -> str:
        return self._url("portal.invitasjon", nokkel=nokkel)

    def kontolenke(self, nokkel: str, partner: bool = False) -> str:
        return self._url("portal.kontolenke" if partner else "kontolenke.vis", nokkel=nokkel)
