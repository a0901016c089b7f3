"""Arkivet i nettsiden: administratoren starter et arkivuttrekk (kjørt utenfor
forespørselen), ser framdriften og laster det ned som TAR; andre ansatte får 403. Avtalesiden
viser saken i arkivet, og en saksbehandler skjermer den med begrunnelse. Meldinger til
sak/arkiv som står fast, vises og kan sendes på nytt."""

from __future__ import annotations

import io
import tarfile

import pytest
from sqlalchemy import select

from dokumenter.brukere import kontoer as brukere
from dokumenter.models import Arkivmelding, Skjermingsendring, Uttrekksjobb
from dokumenter.noark import utboks
from tests.stotte.noarkverden import lag_meldinger
from tests.stotte.oppsett import PASSORD
from tests.stotte.web import csrf, logg_inn
from web import create_app

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def oppsett(tj, saksbehandler):
    admin = brukere.opprett_bruker(tj, "sjef", "Sjefen", "admin", PASSORD)
    avtale_id = lag_meldinger(tj, saksbehandler.id, 2)
    return admin, avtale_id


def _post(k, side_url, url, data):
    side = k.get(side_url).get_data(as_text=True)
    return k.post(url, data={**data, "csrf_token": csrf(side)})


def test_uttrekk_fra_nettsiden_og_skjerming(tj, oppsett):
    admin, avtale_id = oppsett
    jobber_kjort = []

    def med_en_gang(funksjon, *argumenter):  # i drift: en egen tråd (jobber.i_traad)
        jobber_kjort.append(argumenter[1])
        funksjon(*argumenter)

    app = create_app(tj, TESTING=True, BAKGRUNN=med_en_gang)
    kari = app.test_client()
    logg_inn(kari, "kari")
    assert kari.get("/arkiv/").status_code == 403
    side = kari.get(f"/avtaler/{avtale_id}").get_data(as_text=True)
    assert "Saksnummer" in side and "Utgående dokument" in side

    # Skjerming av saken: begrunnelse kreves, endringen logges.
    skjerming = f"/avtaler/{avtale_id}/skjerming"
    svar = _post(kari, f"/avtaler/{avtale_id}", skjerming, {"skjermet": "1", "skjermingsgrunn": ""})
    assert svar.status_code == 302
    with tj.sesjoner() as s:
        assert s.scalar(select(Skjermingsendring)) is None
    grunn = "Gjelder en navngitt person."
    _post(kari, f"/avtaler/{avtale_id}", skjerming, {"skjermet": "1", "skjermingsgrunn": grunn})
    side = kari.get(f"/avtaler/{avtale_id}").get_data(as_text=True)
    assert "Unntatt offentlighet" in side and "Opphev skjermingen" in side

    sjef = app.test_client()
    logg_inn(sjef, "sjef")
    side = sjef.get("/arkiv/").get_data(as_text=True)
    assert "Nytt arkivuttrekk" in side and "Ingen meldinger står fast." in side
    svar = _post(sjef, "/arkiv/", "/arkiv/uttrekk", {"fra": "", "til": "", "arkivdel": ""})
    assert svar.status_code == 302 and jobber_kjort
    jobb = sjef.get(svar.headers["Location"]).get_data(as_text=True)
    assert "Ferdig" in jobb and "Last ned TAR" in jobb
    with tj.sesjoner() as s:
        j = s.scalar(select(Uttrekksjobb))
        assert (j.status, j.startet_av_id) == ("ferdig", admin.id)
    tar = sjef.get(f"/arkiv/uttrekk/{j.id}.tar")
    assert tar.status_code == 200 and tar.headers["Cache-Control"] == "no-store"
    with tarfile.open(fileobj=io.BytesIO(tar.data)) as t:
        navn = t.getnames()
    assert f"uttrekk-{j.id}/arkivstruktur.xml" in navn
    assert any(n.startswith(f"uttrekk-{j.id}/dokumenter/") for n in navn)
    assert kari.get(f"/arkiv/uttrekk/{j.id}.tar").status_code == 403


def test_meldinger_som_star_fast_kan_sendes_pa_nytt(tj, oppsett):
    app = create_app(tj, TESTING=True)
    with tj.transaksjon() as s:
        m = s.scalar(select(Arkivmelding).order_by(Arkivmelding.id))
        m.status, m.forsok, m.feil = "feilet", 10, "Integrasjonen var nede."
    sjef = app.test_client()
    logg_inn(sjef, "sjef")
    side = sjef.get("/arkiv/").get_data(as_text=True)
    assert "Integrasjonen var nede." in side
    svar = _post(sjef, "/arkiv/", f"/arkiv/utboks/{m.id}/send-igjen", {})
    assert svar.status_code == 302
    assert utboks.send_utboks(tj).sendt  # begge meldingene, den feilede også
    with tj.sesjoner() as s:
        assert {m.status for m in s.scalars(select(Arkivmelding))} == {"sendt"}
