"""R8: en bruker fikk vite at en lagring feilet, selv om den var committet (tidsavbrudd eller
brutt forbindelse etter commit), og fikk en konflikt da skjemaet ble sendt på nytt. Nå har
skjemaet en engangsnøkkel som lagres på versjonen: samme skjema sendt igjen gir «Versjon N
var allerede lagret» og ingen ny versjon. Det samme gjelder nytt utkast og planversjoner."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from dokumenter import tjenester
from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.drift import arkivdrift
from dokumenter.models import Avtale, AvtaleVersjon
from dokumenter.parter import skriving as parter
from tests.sikkerhet.krasjbarn import StubbKonverterer
from tests.stotte.oppsett import PASSORD
from web import create_app

SKJEMAFELT = {
    "kommune_navn": "Rana kommune",
    "kommune_enhet": "Rustjenesten",
    "kommune_kontakt_navn": "Kari Fjellheim",
    "kommune_kontakt_telefon": "75 14 50 00",
    "kommune_kontakt_epost": "rus@example.no",
    "varslingsfrist_dager": "45",
    "avvik_svarfrist_dager": "28",
    "gyldig_fra": "2007-06-01",
    "oppsigelsestid_maaneder": "3",
    "evaluering_maaned": "desember",
}


def _felt(html: str, navn: str) -> str:
    return re.search(rf'name="{navn}"[^>]*value="([^"]*)"', html).group(1)


@pytest.fixture
def stubb(tj):
    tj.konverterer = StubbKonverterer()
    return tj


@pytest.fixture
def part(stubb):
    return parter.opprett_part(
        stubb, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )


@pytest.fixture
def avtale(stubb, part, saksbehandler):
    verdier = {**stubb.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    return skriving.opprett_utkast(stubb, part.id, verdier, saksbehandler.id)


@pytest.fixture
def klient(stubb, saksbehandler):
    k = create_app(stubb, TESTING=True).test_client()
    side = k.get("/logg-inn").get_data(as_text=True)
    k.post(
        "/logg-inn",
        data={"brukernavn": "kari", "passord": PASSORD, "csrf_token": _felt(side, "csrf_token")},
    )
    return k


def _skjema(klient, url: str, **ekstra) -> dict:
    """Skjemaet slik nettleseren sender det: med CSRF, versjon og engangsnøkkel fra siden."""
    side = klient.get(url).get_data(as_text=True)
    data = {**SKJEMAFELT, "csrf_token": _felt(side, "csrf_token"), **ekstra}
    data["token"] = _felt(side, "token")
    if 'name="versjon"' in side:
        data["versjon"] = _felt(side, "versjon")
    assert len(data["token"]) >= 16
    return data


def _antall(tj, modell) -> int:
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(modell))


def test_samme_skjema_sendt_to_ganger_lagrer_en_versjon(stubb, avtale, klient):
    url = f"/avtaler/{avtale.id}/endre"
    data = _skjema(klient, url)
    forste = klient.post(url, data=data, follow_redirects=True)
    assert "Versjon 2 er lagret." in forste.get_data(as_text=True)
    andre = klient.post(url, data=data, follow_redirects=True)
    tekst = andre.get_data(as_text=True)
    assert andre.status_code == 200 and "Versjon 2 var allerede lagret." in tekst
    assert "lagret av en annen" not in tekst
    assert _antall(stubb, AvtaleVersjon) == 2


def test_svaret_gikk_tapt_etter_commit(stubb, avtale, klient, monkeypatch):
    """Commit skjedde, men brukeren fikk en feil (her: forbindelsen brøt etter commit)."""
    url = f"/avtaler/{avtale.id}/endre"
    data = _skjema(klient, url)

    def brutt(navn: str) -> None:
        if navn == "etter_filene":  # commit og filene er på plass; svaret har ikke gått ut
            raise ConnectionResetError("forbindelsen ble brutt")

    monkeypatch.setattr(tjenester, "feilpunkt", brutt)
    with pytest.raises(ConnectionResetError):
        klient.post(url, data=data)
    monkeypatch.undo()
    assert _antall(stubb, AvtaleVersjon) == 2  # lagret, selv om brukeren ikke fikk vite det
    svar = klient.post(url, data=data)
    assert svar.status_code == 302 and svar.location.endswith(f"/avtaler/{avtale.id}")
    side = klient.get(svar.location).get_data(as_text=True)
    assert "Versjon 2 var allerede lagret." in side
    assert _antall(stubb, AvtaleVersjon) == 2


def test_nytt_utkast_sendt_to_ganger_gir_ett_utkast(stubb, part, klient):
    data = _skjema(klient, "/avtaler/ny", part_id=str(part.id))
    assert klient.post("/avtaler/ny", data=data).status_code == 302
    svar = klient.post("/avtaler/ny", data=data, follow_redirects=True)
    assert "Utkastet var allerede laget." in svar.get_data(as_text=True)
    assert _antall(stubb, Avtale) == 1 and _antall(stubb, AvtaleVersjon) == 1


def test_samtidig_innsending_med_samme_nokkel(stubb, avtale, saksbehandler):
    """Dobbeltklikk: to forespørsler med samme nøkkel samtidig gir én versjon, begge svar ok."""
    verdier = {**stubb.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    token = "dobbeltklikk-0123456789"
    svar = []

    def lagre(frist):
        v = skriving.lagre_versjon(
            stubb,
            avtale.id,
            {**verdier, "varslingsfrist_dager": frist},
            saksbehandler.id,
            forventet_versjon=1,
            token=token,
        )
        svar.append(v.nummer)

    traader = [threading.Thread(target=lagre, args=(f,)) for f in (40, 40)]
    for t in traader:
        t.start()
    for t in traader:
        t.join()
    assert svar == [2, 2]
    assert _antall(stubb, AvtaleVersjon) == 2
    assert arkivdrift.verifiser(stubb).ren  # den andres filer er ryddet bort
    with stubb.sesjoner() as s:
        assert (
            s.scalar(select(AvtaleVersjon.skjema_token).where(AvtaleVersjon.nummer == 2)) == token
        )


def test_planversjon_sendt_to_ganger_lagres_en_gang(stubb):
    from dokumenter.models import PlanVersjon
    from dokumenter.planer import lagring
    from tests.stotte.planverden import innhold, lag_planverden

    verden = lag_planverden(stubb, med_versjon=False)
    koord = verden.brukere["koordinator"]
    token = "planskjema-0123456789"
    assert lagring.lagre_versjon(stubb, verden.plan_id, innhold(), koord, 0, token=token) == 1
    # Samme skjema igjen (åpnet på versjon 0): ingen konflikt, ingen ny versjon.
    assert lagring.lagre_versjon(stubb, verden.plan_id, innhold(), koord, 0, token=token) == 1
    assert lagring.lagret_med_token(stubb, verden.plan_id, token) == 1
    assert _antall(stubb, PlanVersjon) == 1
