"""Funn 4: øktkapselen manglet Secure, og svarene manglet Strict-Transport-Security. Med
DOKUMENTER_HTTPS=1 får kapselen Secure og __Host-prefikset (ingen Domain, sti /), og hvert
svar HSTS. Standard er av, så `make run` virker på http://127.0.0.1."""

from __future__ import annotations

import pytest

from dokumenter.felles.innstillinger import Innstillinger
from web import create_app


def test_innstillingen_leses_fra_miljoet(tmp_path):
    assert Innstillinger.fra_miljo(tmp_path, miljo={}).https is False
    assert Innstillinger.fra_miljo(tmp_path, miljo={"DOKUMENTER_HTTPS": "1"}).https is True
    with pytest.raises(ValueError, match="DOKUMENTER_HTTPS må være 1 eller 0"):
        Innstillinger.fra_miljo(tmp_path, miljo={"DOKUMENTER_HTTPS": "ja"})


def test_over_https_er_kapselen_secure_host_og_svarene_har_hsts(tj, kari, csrf):
    tj.innstillinger = tj.innstillinger.med(https=True)
    app = create_app(tj, TESTING=True)
    k = app.test_client()
    side = k.get("/logg-inn", base_url="https://localhost")
    assert side.headers["Strict-Transport-Security"] == "max-age=31536000"
    kapsel = side.headers["Set-Cookie"]
    assert kapsel.startswith("__Host-okt=")
    deler = {d.strip().split("=")[0].lower() for d in kapsel.split(";")}
    assert {"secure", "httponly", "samesite", "path"} <= deler and "domain" not in deler
    assert "Path=/" in kapsel and "SameSite=Lax" in kapsel


def test_uten_https_ingen_secure_og_ingen_hsts(app):
    svar = app.test_client().get("/logg-inn")
    assert "Strict-Transport-Security" not in svar.headers
    kapsel = svar.headers["Set-Cookie"]
    assert kapsel.startswith("okt=") and "Secure" not in kapsel and "HttpOnly" in kapsel
