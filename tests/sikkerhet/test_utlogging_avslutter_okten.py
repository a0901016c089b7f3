"""Funn 2a: en informasjonskapsel kopiert før «Logg ut» kunne fortsatt lese sider og lagre
endringer (ansatte og partnere). Øktene står nå i databasen, og kapselen har bare en
tilfeldig nøkkel: utlogging, deaktivering, ny rolle og nytt passord avslutter alle brukerens
økter straks, også på en annen node som deler databasen."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from dokumenter.brukere import kontoer, okter
from dokumenter.models import Okt, Part
from dokumenter.tjenester import apne
from tests.stotte.oppsett import PASSORD
from web import create_app

KAPSEL = "okt"


def kapsel(k) -> str:
    return k.get_cookie(KAPSEL).value


def med_kapsel(app, verdi: str):
    """En annen nettleser (angriperen) med en kopi av kapselen."""
    k = app.test_client()
    k.set_cookie(KAPSEL, verdi)
    return k


def antall_parter(tj) -> int:
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(Part))


def test_kopiert_kapsel_fra_en_ansatt_virker_ikke_etter_utlogging(app, tj, kari, logg_inn, csrf):
    k, _ = logg_inn("kari")
    kopi = med_kapsel(app, kapsel(k))
    token = csrf(kopi, "/parter/ny")  # kopien virker før utloggingen
    assert kopi.get("/").status_code == 200

    assert k.post("/logg-ut", data={"csrf_token": csrf(k, "/")}).status_code == 302

    svar = kopi.get("/")
    assert svar.status_code == 302 and svar.headers["Location"].startswith("/logg-inn")
    svar = kopi.post(
        "/parter/ny",
        data={"navn": "Ny part", "type": "fengsel", "orgnr": "974760673", "csrf_token": token},
    )
    assert svar.status_code in (302, 400) and antall_parter(tj) == 0
    assert kopi.get("/avtaler/").status_code == 302


def test_kopiert_kapsel_fra_en_partner_virker_ikke_etter_utlogging(
    app, tj, partner, logg_inn, csrf
):
    k, _ = logg_inn(partner.brukernavn, portal=True)
    kopi = med_kapsel(app, kapsel(k))
    token = csrf(kopi, "/portal/konto/passord")
    assert kopi.get("/portal/").status_code == 200

    assert k.post("/portal/logg-ut", data={"csrf_token": csrf(k, "/portal/")}).status_code == 302

    assert kopi.get("/portal/").headers["Location"].startswith("/portal/logg-inn")
    nytt = "Kopiert-kapsel-bytter-passord-9"
    svar = kopi.post(
        "/portal/konto/passord",
        data={"naavaerende": PASSORD, "passord": nytt, "gjenta": nytt, "csrf_token": token},
    )
    assert svar.status_code in (302, 400)
    _, svar = logg_inn(partner.brukernavn, portal=True)  # passordet er ikke byttet
    assert svar.headers["Location"] == "/portal/"


def test_utlogging_avslutter_alle_brukerens_okter(app, kari, logg_inn, csrf):
    jobb, _ = logg_inn("kari", ip="10.0.0.1")
    hjemme, _ = logg_inn("kari", ip="10.0.0.2")
    assert hjemme.get("/").status_code == 200
    jobb.post("/logg-ut", data={"csrf_token": csrf(jobb, "/")})
    assert hjemme.get("/").status_code == 302


def test_kapselen_har_bare_en_tilfeldig_nokkel_og_databasen_bare_hashen(tj, kari, logg_inn):
    k, _ = logg_inn("kari")
    verdi = kapsel(k)
    assert len(verdi) >= 43 and "." not in verdi  # 256 bit, ikke en signert datapakke
    with tj.sesjoner() as s:
        rader = s.scalars(select(Okt).where(Okt.bruker_id == kari.id)).all()
    assert [r.nokkel_hash for r in rader] == [hashlib.sha256(verdi.encode()).hexdigest()]
    assert verdi not in rader[0].data


def test_innlogging_gir_ny_nokkel_og_en_plantet_nokkel_blir_aldri_innlogget(app, kari, logg_inn):
    offer = app.test_client()
    offer.get("/logg-inn")  # anonym økt med CSRF-nøkkel
    plantet = kapsel(offer)
    angriper = med_kapsel(app, plantet)  # angriperen kjenner nøkkelen før offeret logger inn

    logg_inn("kari", klient=offer)

    assert kapsel(offer) != plantet
    assert offer.get("/").status_code == 200
    assert angriper.get("/").status_code == 302


def test_ny_innlogging_gir_ny_nokkel_selv_for_samme_bruker(kari, logg_inn):
    k, _ = logg_inn("kari")
    for_ = kapsel(k)
    logg_inn("kari", klient=k)
    assert kapsel(k) != for_


@pytest.mark.parametrize("endring", ["deaktiver", "endre_rolle", "bytt_passord"])
def test_endringer_i_kontoen_avslutter_oktene_straks(tj, app, kari, admin, logg_inn, endring):
    k, _ = logg_inn("kari")
    assert k.get("/").status_code == 200
    if endring == "deaktiver":
        kontoer.deaktiver(tj, admin.id, kari.id)
    elif endring == "endre_rolle":
        kontoer.endre_rolle(tj, admin.id, kari.id, "lesetilgang")
    else:
        nytt = "Nytt-passord-fra-annen-maskin-4"
        kontoer.bytt_passord(tj, kari.id, PASSORD, nytt, nytt)
    assert okter.antall(tj, kari.id) == 0
    assert k.get("/").status_code == 302


def test_utlogging_pa_en_node_gjelder_straks_pa_den_andre(tj, kari, logg_inn, csrf):
    """To app-noder med hver sin tilkobling til samme database: ingenting i minnet."""
    annen_tj = apne(tj.innstillinger)
    try:
        node_b = create_app(annen_tj, TESTING=True)
        k, _ = logg_inn("kari")  # node A
        pa_b = med_kapsel(node_b, kapsel(k))
        assert pa_b.get("/").status_code == 200
        k.post("/logg-ut", data={"csrf_token": csrf(k, "/")})
        assert pa_b.get("/").status_code == 302
    finally:
        annen_tj.lukk()
