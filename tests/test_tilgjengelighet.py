"""Roller og lenker: ingen side viser en lenke eller et skjema til noe rollen blir nektet.

For ansatte med lesetilgang og for saksbehandlere: hver side i tilgangsmatrisen hentes med
Flask-testklienten, hver lenke og hvert skjema på siden følges (lenkene med GET, skjemaene
med sin metode og tomme data, CSRF av), og ingen av dem skal gi 403. Skjemaene sendes etter at
alle lenkene er prøvd, siden en tillatt POST kan endre verden. Pluss feilsiden for 403 (hva
som mangler og en vei tilbake) og tilgjengelighetserklæringen (offentlig, i bunnen av hver
side).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.stotte.tilgangsmatrise import klient
from tests.stotte.tilgjengelighet import kan_se, lag_tilgjengelighetsverden, sider
from web import create_app

pytestmark = pytest.mark.libreoffice

# Skjemaer som ikke prøves: utloggingen (klienten ville mistet økten midt i gjennomgangen).
HOPP_OVER = ("/logg-ut", "/portal/logg-ut")


@pytest.fixture
def oppskrift():
    return lag_tilgjengelighetsverden


@pytest.fixture
def verden(forberedt):
    return forberedt


class Lenker(HTMLParser):
    """Lenkene (a href) og skjemaene (action, method) på en side."""

    def __init__(self) -> None:
        super().__init__()
        self.lenker: list[str] = []
        self.skjemaer: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.lenker.append(a["href"])
        elif tag == "form":
            self.skjemaer.append(((a.get("method") or "get").upper(), a.get("action") or ""))


def _lokal(side_url: str, maal: str) -> str | None:
    """Stien (med spørrestreng) for en lenke til dette nettstedet; None for andre nettsteder,
    mailto: og ankre på samme side."""
    if maal.startswith(("mailto:", "tel:", "#")):
        return None
    deler = urlsplit(urljoin("http://lokal" + side_url, maal))
    if deler.netloc != "lokal":
        return None
    return deler.path + (f"?{deler.query}" if deler.query else "")


@pytest.mark.parametrize("rolle", ["lesetilgang", "saksbehandler"])
def test_ingen_lenke_eller_knapp_til_noe_rollen_nektes(tj, verden, rolle):
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False, BAKGRUNN=lambda *_: None)
    k = klient(app, rolle)
    lenker: dict[str, str] = {}  # mål -> siden det sto på
    skjemaer: dict[tuple[str, str], str] = {}
    besokt = 0
    for side in sider(app, verden):
        # Innloggingssidene er for dem som ikke er logget inn (portalens lenker til /portal/).
        if not kan_se(side, rolle) or side.endepunkt.endswith("logg_inn"):
            continue
        svar = k.get(side.url)
        if svar.status_code != 200 or svar.mimetype != "text/html":
            continue
        besokt += 1
        tolker = Lenker()
        tolker.feed(svar.get_data(as_text=True))
        for maal in tolker.lenker:
            if (sti := _lokal(side.url, maal)) is not None:
                lenker.setdefault(sti, side.url)
        for metode, handling in tolker.skjemaer:
            sti = _lokal(side.url, handling or side.url)
            if sti is not None and not sti.startswith(HOPP_OVER):
                skjemaer.setdefault((metode, sti), side.url)
    assert besokt > 20, besokt
    nektet = []
    for sti, fra in sorted(lenker.items()):
        if k.get(sti).status_code == 403:
            nektet.append(f"lenke  {sti} (på {fra})")
    for (metode, sti), fra in sorted(skjemaer.items(), key=lambda s: s[0][0] != "GET"):
        if k.open(sti, method=metode, data={}).status_code == 403:
            nektet.append(f"skjema {metode} {sti} (på {fra})")
    assert not nektet, f"{rolle} ser handlinger hen nektes:\n" + "\n".join(nektet)


def test_feilsiden_for_403_sier_hva_som_mangler_og_gir_en_vei_tilbake(tj, verden):
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    k = klient(app, "lesetilgang")
    svar = k.get("/avtaler/ny", headers={"Referer": "http://localhost/avtaler/"})
    tekst = svar.get_data(as_text=True)
    assert svar.status_code == 403
    assert "Dette krever skrivetilgang (rollen saksbehandler eller administrator)" in tekst
    assert "med rollen lesetilgang" in tekst
    assert 'href="/avtaler/">Tilbake til siden du kom fra' in tekst
    assert 'href="/">Til oversikten' in tekst
    # Bare for administratorer: sier det, ingen referer gir ingen tilbake-lenke.
    tekst = k.get("/brukere/").get_data(as_text=True)
    assert "Dette kan bare administratorer gjøre." in tekst
    assert "Tilbake til siden du kom fra" not in tekst
    # En partner på ansattsidene får vite at portalen er stedet, med lenke dit.
    tekst = klient(app, "partner_a").get("/avtaler/").get_data(as_text=True)
    assert "Samarbeidspartnere bruker portalen" in tekst
    assert 'href="/portal/">Til mine avtaler' in tekst


def test_tilgjengelighetserklaeringen_er_offentlig_og_lenket_fra_hver_side(tj, verden):
    app = create_app(tj, TESTING=True)
    anonym = app.test_client()
    svar = anonym.get("/tilgjengelighet")
    tekst = svar.get_data(as_text=True)
    assert svar.status_code == 200
    for krav in ("WCAG 2.1", "forskrift om universell utforming", "axe-core 4.12.1", "320"):
        assert krav in tekst, krav
    assert "ikke merket" in tekst  # PDF/A uten PDF/UA er et kjent avvik
    assert "DOKUMENTER_TILGJENGELIGHET_KONTAKT" in tekst  # ikke fylt inn i testinstansen
    admin = klient(app, "admin")
    for k, url in ((anonym, "/logg-inn"), (anonym, "/portal/logg-inn"), (admin, "/")):
        assert 'href="/tilgjengelighet"' in k.get(url).get_data(as_text=True), url
    tj.innstillinger = tj.innstillinger.med(tilgjengelighet_kontakt="uu@kommune.example")
    tekst = anonym.get("/tilgjengelighet").get_data(as_text=True)
    assert 'href="mailto:uu@kommune.example"' in tekst
