"""Ansattsidene via Flask-testklienten: ekte database, ekte arkiv, CSRF på."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select

from dokumenter.brukere import kontoer as brukere
from dokumenter.models import Avtale, AvtaleVersjon, Part
from tests.stotte.oppsett import PASSORD, filer_i_arkivet
from tests.stotte.web import AVTALEFELT, csrf, logg_inn, ny_part, part_id, post_skjema

ORGNR = "974760673"


def antall(tj, modell):
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(modell))


STAB_GET = [
    "/",
    "/parter/",
    "/parter/ny",
    "/parter/1",
    "/parter/1/endre",
    "/avtaler/",
    "/avtaler/ny",
    "/avtaler/1",
    "/avtaler/1/endre",
    "/avtaler/dokument/1",
]
STAB_POST = [
    "/parter/ny",
    "/parter/1/endre",
    "/avtaler/ny",
    "/avtaler/1/endre",
    "/avtaler/1/status",
    "/avtaler/1/ansvar",
    "/logg-ut",
]


@pytest.mark.parametrize("url", STAB_GET)
def test_alle_ansattsider_krever_innlogging(app, url):
    svar = app.test_client().get(url)
    assert svar.status_code == 302
    assert "/logg-inn" in svar.headers["Location"]


@pytest.mark.parametrize("url", STAB_POST)
def test_post_uten_csrf_avvises(klient, url):
    svar = klient.post(url, data={"navn": "x"})
    assert svar.status_code == 400
    assert "sikkerhetsnøkkel" in svar.get_data(as_text=True)


def test_feil_passord_gir_norsk_melding(app, saksbehandler):
    svar = logg_inn(app.test_client(), "kari", "feil-passord")
    assert "Feil brukernavn eller passord." in svar.get_data(as_text=True)


def test_innlogging_videresender_bare_til_egne_sider(app, saksbehandler):
    k = app.test_client()
    side = k.get("/logg-inn").get_data(as_text=True)
    svar = k.post(
        "/logg-inn?next=//ond.example/",
        data={"brukernavn": "kari", "passord": PASSORD, "csrf_token": csrf(side)},
    )
    assert svar.headers["Location"] == "/"


def test_sikkerhetshoder(klient):
    h = klient.get("/").headers
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff"


def test_registrere_part_og_se_den_i_listen(klient, tj):
    svar = ny_part(klient)
    tekst = svar.get_data(as_text=True)
    assert "er registrert" in tekst
    assert "974 760 673" in tekst
    assert "Åse Ødegård" in klient.get("/parter/").get_data(as_text=True)


def test_ugyldig_orgnr_vises_ved_feltet_og_ingenting_lagres(klient, tj):
    svar = ny_part(klient, orgnr="974760674", navn="<script>alert(1)</script>")
    tekst = svar.get_data(as_text=True)
    assert "kontrollsifferet stemmer ikke" in tekst
    assert 'aria-invalid="true"' in tekst
    assert "<script>alert(1)</script>" not in tekst
    assert antall(tj, Part) == 0


@pytest.mark.libreoffice
def test_lage_utkast_forhandsvise_og_laste_ned(klient, tj, lagertype, i_s3):
    if lagertype == "s3":
        i_s3(tj)  # arkivet i objektlageret (SeaweedFS), som bak en lastbalanserer
    ny_part(klient)
    pid = part_id(tj)
    svar = post_skjema(klient, f"/avtaler/ny?part={pid}", {**AVTALEFELT, "part_id": pid})
    tekst = svar.get_data(as_text=True)
    assert "Utkastet er laget" in tekst
    assert "Forhåndsvisning" in tekst
    assert "løslatelse" in tekst
    assert "1. juni 2007" in tekst

    with tj.sesjoner() as s:
        versjon = s.scalars(select(AvtaleVersjon)).one()
        docx_id, pdf_id = versjon.dokument("docx").id, versjon.dokument("pdf").id
    docx = klient.get(f"/avtaler/dokument/{docx_id}")
    assert docx.status_code == 200
    assert "attachment" in docx.headers["Content-Disposition"]
    assert "Bodø fengsel" in "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    pdf = klient.get(f"/avtaler/dokument/{pdf_id}")
    assert pdf.mimetype == "application/pdf"
    assert "Bodø fengsel" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    with tj.sesjoner() as s:
        assert {d.sha256 for d in s.scalars(select(AvtaleVersjon)).one().dokumenter} <= set(
            tj.lager.shaer()
        )


def test_manglende_felt_gir_meldinger_og_ingen_rader_eller_filer(klient, tj):
    ny_part(klient)
    pid = part_id(tj)
    felt = {
        **AVTALEFELT,
        "kommune_kontakt_navn": "",
        "varslingsfrist_dager": "mange",
        "kommune_kontakt_epost": "x" * 10_000,
        "part_id": pid,
    }
    tekst = post_skjema(klient, "/avtaler/ny", felt).get_data(as_text=True)
    assert "må fylles ut" in tekst
    assert "Skriv et helt tall." in tekst
    assert "for lang" in tekst
    assert antall(tj, Avtale) == 0
    assert filer_i_arkivet(tj) == []


@pytest.mark.libreoffice
def test_ny_versjon_status_og_ansvar(klient, tj):
    brukere.opprett_bruker(tj, "ola", "Ola Overtaker", "saksbehandler", PASSORD)
    ny_part(klient)
    pid = part_id(tj)
    post_skjema(klient, "/avtaler/ny", {**AVTALEFELT, "part_id": pid})
    with tj.sesjoner() as s:
        aid = s.scalar(select(Avtale.id))
    svar = post_skjema(
        klient,
        f"/avtaler/{aid}/endre",
        {
            **AVTALEFELT,
            "varslingsfrist_dager": "45",
            "grunn": "Endret frist etter møte",
            "versjon": "1",
        },
    )
    assert "Versjon 2 er lagret" in svar.get_data(as_text=True)

    # Et skjema åpnet på versjon 1 kan ikke lenger lagres over versjon 2.
    svar = post_skjema(klient, f"/avtaler/{aid}/endre", {**AVTALEFELT, "versjon": "1"})
    assert "er lagret av en annen" in svar.get_data(as_text=True)

    side = klient.get(f"/avtaler/{aid}").get_data(as_text=True)
    svar = klient.post(
        f"/avtaler/{aid}/status",
        data={"status": "ikke_inngaatt", "begrunnelse": "", "csrf_token": csrf(side)},
        follow_redirects=True,
    )
    assert "Skriv en begrunnelse" in svar.get_data(as_text=True)
    with tj.sesjoner() as s:
        ola = s.scalar(select(brukere.Bruker.id).where(brukere.Bruker.brukernavn == "ola"))
    svar = klient.post(
        f"/avtaler/{aid}/ansvar",
        data={
            "til": ola,
            "merknad": "Prosjektleder tilbake i gammel jobb",
            "csrf_token": csrf(side),
        },
        follow_redirects=True,
    )
    tekst = svar.get_data(as_text=True)
    assert "Ansvaret er overført" in tekst
    assert "til Ola Overtaker" in tekst
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, aid)
        assert avtale.ansvarlig_id == ola
        assert avtale.status == "utkast"
        assert [v.nummer for v in avtale.versjoner] == [1, 2]


def test_lesetilgang_kan_se_men_ikke_endre(app, tj):
    brukere.opprett_bruker(tj, "leser", "Lise Leser", "lesetilgang", PASSORD)
    k = app.test_client()
    logg_inn(k, "leser")
    assert k.get("/parter/").status_code == 200
    assert k.get("/parter/ny").status_code == 403
    side = k.get("/").get_data(as_text=True)
    svar = k.post("/parter/ny", data={"navn": "X", "csrf_token": csrf(side)})
    assert svar.status_code == 403
    assert antall(tj, Part) == 0


def test_ukjent_avtale_gir_404(klient):
    assert klient.get("/avtaler/999").status_code == 404
    assert klient.get("/avtaler/dokument/999").status_code == 404


def test_for_stor_innsending_avvises_med_norsk_melding(klient, tj):
    side = klient.get("/parter/ny").get_data(as_text=True)
    svar = klient.post(
        "/parter/ny", data={"navn": "x" * (3 * 1024 * 1024), "csrf_token": csrf(side)}
    )
    assert svar.status_code == 413
    assert "for stor" in svar.get_data(as_text=True)
    assert antall(tj, Part) == 0


def test_manglende_libreoffice_gir_norsk_melding_og_skjemaet_beholdes(app, klient, tj, tmp_path):
    from dokumenter.infrastruktur.konvertering import VarmKonverterer

    ny_part(klient)
    pid = part_id(tj)
    tj.konverterer = VarmKonverterer(tmp_path / "finnes-ikke")
    try:
        svar = post_skjema(
            klient, "/avtaler/ny", {**AVTALEFELT, "kommune_kontakt_navn": "Kari X", "part_id": pid}
        )
    finally:
        tj.konverterer.lukk()
    tekst = svar.get_data(as_text=True)
    assert svar.status_code == 200
    assert "make run" in tekst
    assert 'value="Kari X"' in tekst
    assert antall(tj, Avtale) == 0
    assert filer_i_arkivet(tj) == []


@pytest.mark.libreoffice
def test_oversikten_med_demodata(klient, tj):
    from dokumenter.cli.demo import last_demodata

    assert last_demodata(tj) == (10, 10)
    assert last_demodata(tj) == (0, 0)
    tekst = klient.get("/").get_data(as_text=True)
    tabeller = re.findall(r"<caption>(.*?)</caption>(.*?)</table>", tekst, re.S)
    assert [t[0] for t in tabeller] == ["Kriminalomsorgen", "Spesialisthelsetjenesten"]

    def rader(html):
        ut = {}
        for rad in re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]:
            navn = re.search(r'<a href="[^"]+">([^<]+)</a>', rad).group(1)
            ut[navn] = re.search(r'class="skjult">([^<]+)<', rad).group(1)
        return ut

    kriminal, helse = rader(tabeller[0][1]), rader(tabeller[1][1])
    assert set(kriminal.values()) == {"Inngått avtale"}
    assert len(kriminal) == 5
    assert helse["Nordlandsklinikken"] == "Inngått avtale"
    for navn in ("Sigma Nord", "Tromsklinikken/Færingen", "Finnmarksklinikken", "Klinikk Nord"):
        assert helse[navn] == "Ikke inngått"
    assert "Avslått skriftlig" in tabeller[1][1]


@pytest.mark.libreoffice
def test_konflikt_viser_hva_den_andre_endret_og_sammenligning(app, klient, tj):
    ny_part(klient)
    pid = part_id(tj)
    post_skjema(klient, "/avtaler/ny", {**AVTALEFELT, "part_id": pid})
    with tj.sesjoner() as s:
        aid = s.scalar(select(Avtale.id))
    # To saksbehandlere åpner versjon 1. Ola lagrer først.
    brukere.opprett_bruker(tj, "ola", "Ola Overtaker", "saksbehandler", PASSORD)
    ola = app.test_client()
    logg_inn(ola, "ola")
    kari_side = klient.get(f"/avtaler/{aid}/endre").get_data(as_text=True)
    post_skjema(
        ola,
        f"/avtaler/{aid}/endre",
        {**AVTALEFELT, "varslingsfrist_dager": "60", "grunn": "Møte med fengselet", "versjon": "1"},
    )
    kari_data = {**AVTALEFELT, "evaluering_maaned": "mars", "versjon": "1"}
    svar = klient.post(f"/avtaler/{aid}/endre", data={**kari_data, "csrf_token": csrf(kari_side)})
    tekst = svar.get_data(as_text=True)
    assert "Endret av andre mens du skrev" in tekst
    assert "Ola Overtaker lagret versjon 2" in tekst
    assert re.search(r"Varslingsfrist \(dager\)</th><td>30</td><td>60</td>", tekst)
    assert 'value="mars"' in tekst  # Karis verdier er ikke tapt
    assert 'name="versjon" type="hidden" value="2"' in tekst
    # Nå lagrer Kari bevisst oppå versjon 2.
    svar = klient.post(
        f"/avtaler/{aid}/endre",
        data={**kari_data, "versjon": "2", "csrf_token": csrf(tekst)},
        follow_redirects=True,
    )
    assert "Versjon 3 er lagret" in svar.get_data(as_text=True)

    side = klient.get(f"/avtaler/{aid}/sammenlign?fra=1&til=2").get_data(as_text=True)
    assert "<ins>60</ins>" in side and "<del>30</del>" in side
    assert "endret" in side and "uendret" in side
    docx = klient.get(f"/avtaler/{aid}/sammenlign.docx?fra=1&til=3")
    assert docx.status_code == 200
    assert "Endringer" in docx.headers["Content-Disposition"]
    assert klient.get(f"/avtaler/{aid}/sammenlign?fra=1&til=9").status_code == 404

    vis = klient.get(f"/avtaler/{aid}").get_data(as_text=True)
    assert "Revisjonslogg" in vis and "Versjon 2: Møte med fengselet" in vis
    assert "web 127.0.0.1" in vis


def test_api_sok_uten_innlogging_gir_401_json(app):
    svar = app.test_client().get("/api/sok?q=avtale")
    assert svar.status_code == 401
    assert svar.get_json() == {"feil": "Du må være logget inn."}


@pytest.mark.libreoffice
def test_sokesiden_og_json_med_samme_parametre(klient, tj):
    ny_part(klient)
    pid = part_id(tj)
    post_skjema(klient, "/avtaler/ny", {**AVTALEFELT, "part_id": pid})
    side = klient.get("/sok?q=l%C3%B8slatelse&partstype=fengsel").get_data(as_text=True)
    assert "1 treff" in side
    assert "<mark>" in side and "Samarbeidsavtale med Bodø fengsel" in side
    assert "<strong>Fengsel</strong> (1)" in side  # valgt avgrensning
    data = klient.get("/api/sok?q=l%C3%B8slatelse&partstype=fengsel").get_json()
    assert data["totalt"] == 1 and data["treff"][0]["part"] == "Bodø fengsel"
    assert data["fasetter"]["partstype"] == [{"verdi": "fengsel", "antall": 1}]
    feil = klient.get("/sok?q=avtale+AND+(")
    assert feil.status_code == 200
    assert "Søket kunne ikke tolkes helt" in feil.get_data(as_text=True)
    assert klient.get("/api/sok?q=%22x&side=abc").status_code == 200
    # ASCII-skrivemåten finner Bodø; en skrivefeil gir «Mente du» på siden og i JSON
    assert klient.get("/api/sok?q=bodo+loslatelse").get_json()["totalt"] == 1
    rettet = klient.get("/sok?q=l%C3%B8slatlese").get_data(as_text=True)
    assert 'Mente du: <a href="/sok?q=l%C3%B8slatelse&amp;side=1">løslatelse</a>?' in rettet
    data = klient.get("/api/sok?q=l%C3%B8slatlese").get_json()
    assert data["totalt"] == 0 and data["forslag"] == "løslatelse"
    assert klient.get("/api/sok?q=l%C3%B8slatelse").get_json()["forslag"] == ""
