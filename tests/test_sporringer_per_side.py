"""Ingen N+1: hver hovedside for ansatte og i portalen sender like mange SQL-setninger med 3
som med 60 avtaler (med versjoner, avvik, evalueringer og planer). Setningene telles med
`before_cursor_execute` på motoren, for den andre visningen av siden (den første kan logge
planvisninger og varme opp søkeren)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from dokumenter.infrastruktur import kryptering
from dokumenter.noark import koble_til
from dokumenter.tjenester import Tjenester, apne
from tests.stotte.oppsett import lag_innstillinger
from tests.stotte.web import logg_inn, portal_inn
from tests.stotte.ytelsesverden import PARTNER, PARTNERPASSORD, Verden, lag_verden
from web import create_app

pytestmark = pytest.mark.libreoffice

LITEN, STOR = 3, 60


def _ansattsider(v: Verden) -> dict[str, str]:
    """Sidene for ansatte: navn -> adresse i denne verdenen."""
    return {
        "forsiden": "/",
        "avtalelisten": "/avtaler/",
        "avtalelisten sortert": "/avtaler/?sorter=part&retning=synkende",
        "avtalesiden": f"/avtaler/{v.fokus}",
        "avtalesiden side 2": f"/avtaler/{v.fokus}?vside=2&hside=2",
        "ny versjon": f"/avtaler/{v.fokus}/endre",
        "sammenligning": f"/avtaler/{v.fokus}/sammenlign",
        "partslisten": "/parter/",
        "partssiden": f"/parter/{v.fokus_part}",
        "avvikslisten": "/avvik/",
        "avvikslisten forfalt": "/avvik/?status=forfalt",
        "avvikssiden": f"/avvik/{v.avvik}",
        "planlisten": "/planer/",
        "plansiden": f"/planer/{v.plan}",
        "innsynsloggen": f"/planer/{v.plan}/innsyn",
        "søket": "/sok?q=varsel",
        "søkefasetten": "/sok/fasett/part?q=varsel",
        "sektoroversikten": "/oversikt/parter?sektor=kriminalomsorgen",
        "evalueringsfristene": "/evalueringer/frister?frist=snart",
        "diagrammet": "/oversikt/avvik-per-part.png",
        "statistikken": "/oversikt/vanskeligstilte",
        "overgangen": f"/planer/{v.plan}/overgang",
    }


def _portalsider(v: Verden) -> dict[str, str]:
    return {
        "portalen": "/portal/",
        "avtalen i portalen": f"/portal/avtaler/{v.fokus}",
        "avviket i portalen": f"/portal/avvik/{v.avvik}",
        "planlisten i portalen": "/portal/planer/",
        "planen i portalen": f"/portal/planer/{v.plan}",
    }


@contextmanager
def _tjenester(rot, konverterer, smtp_sink, demosegl) -> Iterator[Tjenester]:
    (rot / "segl").mkdir()
    shutil.copy(demosegl.nokkel, rot / "segl" / "nokkel.pem")
    shutil.copy(demosegl.sertifikat, rot / "segl" / "sertifikat.pem")
    kryptering.lag_nokkelfil(lag_innstillinger(rot))
    tj = koble_til(apne(lag_innstillinger(rot)))
    tj.konverterer = konverterer
    tj.smtp = smtp_sink.oppsett()
    try:
        yield tj
    finally:
        tj._konverterer = None
        tj.lukk()


def _telling(tj: Tjenester, sider: dict[str, str], klient) -> dict[str, int]:
    """Antall SQL-setninger for den andre visningen av hver side (som må svare 200)."""
    motor = tj.sesjoner.kw["bind"]
    antall: dict[str, int] = {}
    teller = [0]

    def tell(*_args: object) -> None:
        teller[0] += 1

    for navn, side in sider.items():
        assert klient.get(side).status_code == 200, side
        event.listen(motor, "before_cursor_execute", tell)
        try:
            teller[0] = 0
            svar = klient.get(side)
        finally:
            event.remove(motor, "before_cursor_execute", tell)
        assert svar.status_code == 200, side
        antall[navn] = teller[0]
    return antall


@pytest.fixture(scope="module")
def tellinger(tmp_path_factory, konverterer, smtp_sink, demosegl) -> dict[int, dict]:
    """Setningene per side i den lille og den store verdenen."""
    ut = {}
    for antall in (LITEN, STOR):
        rot = tmp_path_factory.mktemp(f"verden{antall}")
        with _tjenester(rot, konverterer, smtp_sink, demosegl) as tj:
            v = lag_verden(tj, antall)
            app = create_app(tj, TESTING=True)
            ansatt = app.test_client()
            logg_inn(ansatt, "kari")
            partner, _ = portal_inn(app, PARTNER, PARTNERPASSORD)
            ut[antall] = {
                "ansatt": _telling(tj, _ansattsider(v), ansatt),
                "portal": _telling(tj, _portalsider(v), partner),
            }
    return ut


@pytest.mark.parametrize("hvem", ["ansatt", "portal"])
def test_like_mange_sporringer_med_3_og_60_avtaler(tellinger, hvem):
    liten, stor = tellinger[LITEN][hvem], tellinger[STOR][hvem]
    vokser = {side: (liten[side], stor[side]) for side in liten if stor[side] > liten[side]}
    assert vokser == {}, f"Flere spørringer med {STOR} enn med {LITEN} avtaler: {vokser}"
    # Og et fast tak: avtalesiden (versjoner, avvik, planer, signering, arkivsaken og
    # revisjonsloggen) er den dyreste med 55 setninger uansett antall avtaler.
    assert max(stor.values()) < 70, stor
