"""Funn 7: demo-postkassen. `python -m web` starter ikke uten SMTP og uten DOKUMENTER_DEMO=1,
`/demo/epost` finnes bare i demo og bare for denne maskinen, og i demo sier hver side DEMO med
store bokstaver (tekst, ikke bare farge), også i partnerportalen."""

from __future__ import annotations

import re
import socket

from web import create_app

DEMOFELT = re.compile(r'<p class="demo" role="note"><strong>DEMO</strong>')


def test_python_m_web_starter_ikke_uten_smtp_og_uten_demo(webtjener):
    prosess, port = webtjener(vent=False)
    assert prosess.wait(timeout=60) != 0
    feil = prosess.stderr.read()
    assert "Appen starter ikke: e-post er ikke satt opp." in feil
    assert "DOKUMENTER_DEMO=1" in feil
    with socket.socket() as s:  # ingen lytter igjen på porten
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_demopostkassen_finnes_ikke_uten_demo(app, tj):
    assert app.test_client().get("/demo/epost").status_code == 404


def test_demopostkassen_svarer_bare_denne_maskinen(tj, tmp_path):
    tj.innstillinger = tj.innstillinger.med(demo=True)
    app = create_app(tj, TESTING=True, DEMO_EPOSTMAPPE=tmp_path / "epost")
    k = app.test_client()
    assert k.get("/demo/epost").status_code == 200
    for adresse in ("10.0.0.9", "192.168.1.20", "2001:db8::1"):
        svar = k.get("/demo/epost", environ_base={"REMOTE_ADDR": adresse})
        assert svar.status_code == 404, adresse


def test_hver_side_sier_demo_i_demo(tj, tmp_path, kari, partner):
    tj.innstillinger = tj.innstillinger.med(demo=True)
    app = create_app(tj, TESTING=True, DEMO_EPOSTMAPPE=tmp_path / "epost")
    for side in ("/logg-inn", "/portal/logg-inn", "/finnes-ikke", "/demo/epost"):
        html = app.test_client().get(side).get_data(as_text=True)
        assert DEMOFELT.search(html), side
        assert "<title>DEMO – " in html, side


def test_ingen_demomerking_ellers(app, kari):
    html = app.test_client().get("/logg-inn").get_data(as_text=True)
    assert not DEMOFELT.search(html) and "DEMO" not in html
