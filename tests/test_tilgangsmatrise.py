"""Hver rute i appen × hver rolle: anonym, partner A, partner B og hver ansattrolle.

Rutene hentes fra appen selv (url_map), så en ny rute uten regel her får testen til å feile.
Id-ene i URL-ene peker på partner A sine ting og på partner B sine, så direkte lenker til en
annen partners avtaler, dokumenter og signerte kopier prøves for hver rute som tar en id.
CSRF er slått av i matrisen (den prøver tilgang, ikke skjemaer); egen test under viser at
hver POST-rute krever CSRF-nøkkel.
"""

from __future__ import annotations

import pytest

from tests.stotte.tilgangsmatrise import (
    OFFENTLIGE,
    ROLLER,
    UTLOGGING,
    forventet,
    klient,
    lag_verden,
)
from web import create_app

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def oppskrift():
    """Verdenen bygges én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_verden


@pytest.fixture
def verden(forberedt):
    return forberedt


def test_hver_rute_for_hver_rolle(tj, verden):
    # Et arkivuttrekk admin starter, registreres, men kjøres ikke (matrisen prøver tilgangen).
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False, BAKGRUNN=lambda *_: None)
    klienter = {rolle: klient(app, rolle) for rolle in ROLLER}
    avvik = []
    tilfeller = [
        (metode, regel, eier, rolle)
        for regel in app.url_map.iter_rules()
        if regel.endpoint not in OFFENTLIGE | UTLOGGING
        # Planrutene (og overgangen, som hører til planen) har sin egen matrise
        # (test_plan_tilgangsmatrise.py): tilgangen der avhenger av relasjonen til planen.
        and not regel.endpoint.startswith(("planer.", "planportal.", "overgang."))
        for metode in regel.methods - {"HEAD", "OPTIONS"}
        # Ruter uten id tilhører ingen partner; ruter med id prøves med A sine og B sine.
        for eier in (("a", "b") if regel.arguments else ("-",))
        for rolle in ROLLER
    ]
    # Alle GET først: en tillatt POST kan endre verden (f.eks. en ny versjon).
    tilfeller.sort(key=lambda t: (t[0] != "GET", t[1].rule, t[2], ROLLER.index(t[3])))
    for metode, regel, eier, rolle in tilfeller:
        verdier = verden["a" if eier == "-" else eier]
        url = regel.build(verdier, append_unknown=False)[1] if regel.arguments else regel.rule
        svar = klienter[rolle].open(url, method=metode, data={})
        venter = forventet(regel.endpoint, rolle, eier)
        kode = svar.status_code
        if venter == "tillatt":
            # Ansatte kan få 404 når en rute mangler parametre (sammenligning); en partner
            # som får 404 på egne ting er derimot nektet noe den skal ha.
            nektet = (401, 403, 404, 500) if rolle.startswith("partner_") else (401, 403, 500)
            ok = kode not in nektet
        else:
            ok = kode in venter
        if rolle == "anonym" and kode == 302:
            maal = "/portal/logg-inn" if regel.endpoint.startswith("portal.") else "/logg-inn"
            ok = ok and svar.headers["Location"].startswith(maal)
        # En annen partners navn skal aldri stå i et svar til en partner.
        if rolle.startswith("partner_"):
            fremmed = verden["b" if rolle == "partner_a" else "a"]["navn"]
            ok = ok and fremmed.encode() not in svar.get_data()
        if not ok:
            avvik.append(f"{rolle:13} {metode:4} {url:45} fikk {kode}, ventet {venter}")
    assert not avvik, "\n".join(avvik)
    assert len(tilfeller) > 300


def test_partnere_ser_bare_egen_institusjon_i_oversikten(tj, verden):
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    a = klient(app, "partner_a")
    side = a.get("/portal/").get_data(as_text=True)
    assert "Bodø fengsel" in side and "Mo fengsel" not in side
    assert a.get("/api/sok?q=fengsel").status_code == 403
    for rute in (
        "/portal/avtaler/{avtale_id}",
        "/portal/signert/{kopi_id}",
        "/portal/dokument/{dokument_id}",
    ):
        assert a.get(rute.format(**verden["a"])).status_code == 200
        assert a.get(rute.format(**verden["b"])).status_code == 404


def test_hver_post_rute_krever_csrf(tj, verden):
    app = create_app(tj, TESTING=True)
    for rolle in ("admin", "partner_a", "anonym"):
        k = klient(app, rolle)
        for regel in app.url_map.iter_rules():
            if "POST" not in regel.methods:
                continue
            url = (
                regel.build(verden["a"], append_unknown=False)[1] if regel.arguments else regel.rule
            )
            assert k.post(url, data={}).status_code == 400, (rolle, url)
