"""Varslene: e-post til motparten når den må gjøre noe (til gjennomgang, kommentar), lagret i
varselloggen som sendt eller feilet, feilene synlige for avsenderen, og påminnelser som bare
teller når e-posten gikk. Ekte database, ekte LibreOffice og ekte SMTP-tjener på loopback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from dokumenter.avtaler import portal, skriving
from dokumenter.brukere import kontoer
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.evaluering import paminnelser
from dokumenter.models import Avtale, Bruker, Varsel
from dokumenter.parter import skriving as parter
from dokumenter.varsler import lesing
from tests.stotte.avtaler import avtalefelt, inngatt_avtale
from tests.stotte.oppsett import PASSORD, hent_bruker, lag_saksbehandler
from tests.stotte.web import csrf, portal_inn

pytestmark = pytest.mark.libreoffice


def lag_oppsett(tj):
    """Bodø fengsel med én portalbruker, Mo uten; en avtale i utkast med hver."""
    kari = lag_saksbehandler(tj)
    with tj.transaksjon() as s:
        s.get(Bruker, kari.id).epost = "kari@kommune.example.no"
    bodo = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    mo = parter.opprett_part(
        tj, {"navn": "Mo fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(2)}
    )
    kare = kontoer.opprett_partnerbruker(
        tj, bodo.id, "Kåre Ødegård", "kare@bodo.example.no", PASSORD
    )
    a = skriving.opprett_utkast(tj, bodo.id, avtalefelt(tj), kari.id, fra="test")
    b = skriving.opprett_utkast(tj, mo.id, avtalefelt(tj), kari.id, fra="test")
    return {"bodo": a.id, "mo": b.id, "kare": kare.id, "kari": kari.id, "bodo_id": bodo.id}


@pytest.fixture
def oppskrift():
    return lag_oppsett


@pytest.fixture
def saksbehandler(tj):
    return hent_bruker(tj, "kari")


def varsler(tj, **vilkar) -> list[tuple]:
    with tj.sesjoner() as s:
        rader = s.scalars(select(Varsel).filter_by(**vilkar).order_by(Varsel.id))
        return [(v.bruker_id, v.adresse, v.hendelse, v.objekt_id, v.status) for v in rader]


def test_til_gjennomgang_gir_partens_portalbrukere_epost_og_lagres(tj, forberedt, smtp_sink):
    v = forberedt
    feil = skriving.sett_status(tj, v["bodo"], "til_gjennomgang", v["kari"], fra="test")
    assert feil == []
    (epost,) = smtp_sink.vent_pa("kare@bodo.example.no")
    assert "til gjennomgang" in epost.emne
    assert f"http://localhost/portal/avtaler/{v['bodo']}" in epost.tekst
    assert varsler(tj, hendelse="til_gjennomgang") == [
        (v["kare"], "kare@bodo.example.no", "til_gjennomgang", v["bodo"], "sendt")
    ]
    with tj.sesjoner() as s:
        assert [x.hendelse for x in lesing.for_bruker(s, v["kare"])] == ["til_gjennomgang"]


def test_til_gjennomgang_uten_portalbrukere_er_en_synlig_feil(tj, forberedt, smtp_sink):
    v = forberedt
    (feil,) = skriving.sett_status(tj, v["mo"], "til_gjennomgang", v["kari"])
    assert "Ingen hos Mo fengsel har tilgang til portalen" in feil
    with tj.sesjoner() as s:  # statusen står likevel: e-posten ruller ikke tilbake handlingen
        assert s.get(Avtale, v["mo"]).status == "til_gjennomgang"
        (rad,) = lesing.feilet_for(s, "avtale", v["mo"])
        assert rad.bruker_id is None and rad.status == "feilet" and "Mo fengsel" in rad.feil
    assert smtp_sink.meldinger() == []


def test_kommentar_gir_den_ansvarlige_epost_uten_teksten(tj, forberedt, smtp_sink):
    v = forberedt
    skriving.sett_status(tj, v["bodo"], "til_gjennomgang", v["kari"])
    smtp_sink.tom()
    tekst = "Vi ønsker 45 dagers varslingsfrist."
    assert portal.kommenter(tj, v["bodo"], v["bodo_id"], v["kare"], tekst) == []
    (epost,) = smtp_sink.vent_pa("kari@kommune.example.no")
    assert "Kommentar fra Bodø fengsel" in epost.emne and tekst not in epost.tekst
    assert f"http://localhost/avtaler/{v['bodo']}" in epost.tekst
    assert varsler(tj, hendelse="kommentar") == [
        (v["kari"], "kari@kommune.example.no", "kommentar", v["bodo"], "sendt")
    ]


def test_kommentar_til_ansvarlig_uten_epost_feiler_synlig(tj, forberedt, smtp_sink):
    v = forberedt
    skriving.sett_status(tj, v["bodo"], "til_gjennomgang", v["kari"])
    with tj.transaksjon() as s:
        s.get(Bruker, v["kari"]).epost = ""
    (feil,) = portal.kommenter(tj, v["bodo"], v["bodo_id"], v["kare"], "Hei")
    assert "Kari Saksbehandler" in feil
    with tj.sesjoner() as s:
        assert [x.hendelse for x in lesing.feilet_for(s, "avtale", v["bodo"])] == ["kommentar"]


def test_evalueringspaminnelse_teller_bare_naar_eposten_gikk(tj, forberedt, smtp_sink):
    v = forberedt
    avtale_id = inngatt_avtale(tj, v["bodo_id"], v["kari"])
    with tj.transaksjon() as s:
        s.get(Avtale, avtale_id).neste_evaluering = date.today() + timedelta(days=10)
        s.get(Bruker, v["kari"]).epost = ""
    antall, feil = paminnelser.send_paminnelser(tj)
    assert antall == 0 and len(feil) == 1
    with tj.sesjoner() as s:
        assert s.get(Avtale, avtale_id).evaluering_paminnet is None  # prøver igjen neste gang
    with tj.transaksjon() as s:
        s.get(Bruker, v["kari"]).epost = "kari@kommune.example.no"
    assert paminnelser.send_paminnelser(tj) == (1, [])
    smtp_sink.vent_pa("kari@kommune.example.no")
    with tj.sesjoner() as s:
        assert s.get(Avtale, avtale_id).evaluering_paminnet is not None
    assert [r[4] for r in varsler(tj, hendelse="evaluering_forfaller")] == ["feilet", "sendt"]


# --- Nettsidene -------------------------------------------------------------------------------


def test_statusendring_viser_epostfeilen_for_avsenderen(klient, tj, forberedt):
    v = forberedt
    side = klient.get(f"/avtaler/{v['mo']}").get_data(as_text=True)
    assert 'id="varselfeil"' not in side
    svar = klient.post(
        f"/avtaler/{v['mo']}/status",
        data={"status": "til_gjennomgang", "csrf_token": csrf(side)},
        follow_redirects=True,
    )
    html = svar.get_data(as_text=True)
    assert "E-post ble ikke sendt" in html and "Ingen hos Mo fengsel" in html
    side = klient.get(f"/avtaler/{v['mo']}").get_data(as_text=True)  # står også på siden
    assert 'id="varselfeil"' in side and "Avtale sendt til gjennomgang" in side


def test_portalen_forklarer_hvorfor_kommentarfeltet_mangler(app, tj, forberedt):
    v = forberedt
    skriving.sett_status(tj, v["bodo"], "til_gjennomgang", v["kari"])
    partner, _ = portal_inn(app, "kare@bodo.example.no", PASSORD)
    side = partner.get(f"/portal/avtaler/{v['bodo']}").get_data(as_text=True)
    assert "Send kommentar" in side
    with tj.transaksjon() as s:  # som under signering (statusen alene styrer skjemaet)
        s.get(Avtale, v["bodo"]).status = "til_signering"
    side = partner.get(f"/portal/avtaler/{v['bodo']}").get_data(as_text=True)
    assert "Send kommentar" not in side
    assert "sendt til signering, så teksten kan ikke kommenteres" in side
