"""Avvik, evaluering, forsidens nøkkeltall og kalenderen via Flask-testklienten: ekte database,
ekte arkiv, ekte LibreOffice, ekte SMTP (sinken på loopback), CSRF på."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select, update

from dokumenter.avtaler import produksjon, skriving
from dokumenter.avvik import lesing
from dokumenter.avvik import skriving as avvik_skriving
from dokumenter.avvik.regler import Melder
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT
from dokumenter.models import Avtale, Avvik, Evaluering
from tests.stotte.avtaler import inngatt_avtale
from tests.stotte.oppsett import PASSORD, hent_bruker
from tests.stotte.web import PARTNERPASSORD, csrf, html, innlogget, lag_part, portal_inn, post

pytestmark = pytest.mark.libreoffice

PERSONREF = "Sak 2026/117"
KARI = "kari@kommune.example"
ANNE = "a@bodo.example"
BJORN = "b@mo.example"


def lag_verden(tj):
    """Kari (saksbehandler), Lesa (lesetilgang), Bodø og Mo med hver sin partnerbruker, og en
    inngått avtale med Bodø som Kari er ansvarlig for."""
    kari = brukere.opprett_bruker(
        tj, "kari", "Kari Saksbehandler", "saksbehandler", PASSORD, epost=KARI
    )
    brukere.opprett_bruker(tj, "lesa", "Lesa Leser", "lesetilgang", PASSORD)
    bodo = lag_part(tj, "Bodø fengsel", 1, ANNE)
    mo = lag_part(tj, "Mo fengsel", 2, BJORN)
    brukere.opprett_partnerbruker(tj, bodo, "Anne Bodø", ANNE, PARTNERPASSORD)
    brukere.opprett_partnerbruker(tj, mo, "Bjørn Mo", BJORN, PARTNERPASSORD)
    return {"kari": kari.id, "bodo": bodo, "mo": mo, "aid": inngatt_avtale(tj, bodo, kari.id)}


@pytest.fixture
def oppskrift():
    """Byggingen over kjøres én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_verden


@pytest.fixture
def verden(tj, forberedt):
    return {**forberedt, "kari": hent_bruker(tj, "kari")}


def avviksdata(**endring) -> dict:
    hendelse = endring.get("hendelsesdato", (date.today() - timedelta(days=3)).isoformat())
    return {
        "paragraf": "§ 6 Varsling før løslatelse",
        "kategori": "varsling",
        "hendelsesdato": hendelse,
        "oppdaget": hendelse,
        "hva_skjedde": "En innsatt ble løslatt uten varsel til kommunen.",
        "konsekvens": "Ola Nordmann sto uten bolig den første natten.",
        "strakstiltak": "Midlertidig bolig ble skaffet samme kveld.",
        "person_ref": PERSONREF,
        **endring,
    }


def avviks_id(tj) -> int:
    with tj.sesjoner() as s:
        return s.scalar(select(Avvik.id).order_by(Avvik.id.desc()).limit(1))


def hent(tj, avvik_id: int) -> Avvik:
    with tj.sesjoner() as s:
        return s.get(Avvik, avvik_id)


# --- Avvik ----------------------------------------------------------------------------------


def test_kommunen_melder_parten_svarer_i_portalen_kommunen_lukker(app, tj, verden, smtp_sink):
    aid = verden["aid"]
    kari = innlogget(app, "kari")

    side = html(kari.get(f"/avtaler/{aid}"))
    assert 'aria-labelledby="avvik"' in side and "Ingen avvik er meldt." in side
    assert f'href="/avtaler/{aid}/avvik/ny"' in side
    skjema = html(kari.get(f"/avtaler/{aid}/avvik/ny"))
    assert "Personreferanse (valgfri, personopplysning)" in skjema
    assert "Ikke skriv navn eller andre personopplysninger her" in skjema

    # Fødselsnummer i fritekst stopper lagringen; feilen står ved feltet.
    svar = post(
        kari,
        f"/avtaler/{aid}/avvik/ny",
        f"/avtaler/{aid}/avvik/ny",
        avviksdata(hva_skjedde="Gjelder 01017012345."),
    )
    assert svar.status_code == 400
    assert "fødselsnummer" in html(svar) and 'aria-invalid="true"' in html(svar)
    assert avviks_id(tj) is None

    # Et navn gir bare en advarsel: avviket lagres.
    svar = post(kari, f"/avtaler/{aid}/avvik/ny", f"/avtaler/{aid}/avvik/ny", avviksdata())
    assert svar.status_code == 302
    avvik_id = avviks_id(tj)
    assert svar.headers["Location"] == f"/avvik/{avvik_id}"
    side = html(kari.get(f"/avvik/{avvik_id}"))
    assert "er registrert" in side and "ser ut til å inneholde et navn" in side
    assert "melding-advarsel" in side
    assert PERSONREF in side  # saksbehandleren ser personreferansen
    assert hent(tj, avvik_id).status == "aapen"

    # Send: skjemaet lages og parten får e-post med lenke til portalen.
    svar = post(kari, f"/avvik/{avvik_id}", f"/avvik/{avvik_id}/send", {}, follow_redirects=True)
    assert "Avviket er sendt" in html(svar)
    epost = smtp_sink.vent_pa(ANNE)[0]
    assert f"http://localhost/portal/avvik/{avvik_id}" in epost.tekst
    assert PERSONREF not in epost.tekst
    assert hent(tj, avvik_id).status == "sendt"
    assert "Send avviket" not in html(svar)  # allerede sendt

    # Parten ser avviket (uten personreferansen), laster ned skjemaet og svarer.
    anne, _ = portal_inn(app, ANNE)
    avtaleside = html(anne.get(f"/portal/avtaler/{aid}"))
    assert f'href="/portal/avvik/{avvik_id}"' in avtaleside
    side = html(anne.get(f"/portal/avvik/{avvik_id}"))
    assert "Svar på avviket" in side and "Kommunen venter på svaret ditt" in side
    assert PERSONREF not in side and PERSONREF not in avtaleside
    pdf_lenke = re.search(r'href="(/portal/avvik/skjema/\d+\.pdf)"', side).group(1)
    pdf = anne.get(pdf_lenke)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    tekst = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Bodø fengsel" in tekst and PERSONREF not in tekst
    docx = anne.get(pdf_lenke.replace(".pdf", ".docx"))
    assert docx.status_code == 200 and docx.data[:2] == b"PK"

    # En annen institusjon får 404 på alt som gjelder avviket.
    bjorn, _ = portal_inn(app, BJORN)
    t = csrf(html(bjorn.get("/portal/")))
    assert bjorn.get(f"/portal/avvik/{avvik_id}").status_code == 404
    assert bjorn.get(pdf_lenke).status_code == 404
    assert bjorn.get(f"/portal/avtaler/{aid}/avvik/ny").status_code == 404
    for url in (f"/portal/avvik/{avvik_id}/svar", f"/portal/avvik/{avvik_id}/send"):
        assert bjorn.post(url, data={"forklaring": "x", "csrf_token": t}).status_code == 404
    assert "Bodø" not in html(bjorn.get("/portal/"))

    svar = post(
        anne,
        f"/portal/avvik/{avvik_id}",
        f"/portal/avvik/{avvik_id}/svar",
        {
            "forklaring": "Varselet ble sendt til feil adresse.",
            "tiltak": "Ny rutine for varsling.",
        },
        follow_redirects=True,
    )
    side = html(svar)
    assert "Svaret er sendt til kommunen." in side and "Ny rutine for varsling." in side
    assert "Svar på avviket" not in side and PERSONREF not in side
    assert f"http://localhost/avvik/{avvik_id}" in smtp_sink.vent_pa(KARI)[0].tekst

    # Kommunen lukker (tom merknad først: feilen står ved feltet).
    side = html(kari.get(f"/avvik/{avvik_id}"))
    assert "Varselet ble sendt til feil adresse." in side and "Lukk avviket" in side
    svar = post(kari, f"/avvik/{avvik_id}", f"/avvik/{avvik_id}/lukk", {"merknad": " "})
    assert svar.status_code == 400 and 'aria-invalid="true"' in html(svar)
    svar = post(
        kari,
        f"/avvik/{avvik_id}",
        f"/avvik/{avvik_id}/lukk",
        {"merknad": "Rutinen er gjennomgått i møte."},
        follow_redirects=True,
    )
    assert "Avviket er lukket." in html(svar)
    lukket = lesing.hent(tj, avvik_id, Melder(verden["kari"].id, "saksbehandler"))
    assert lukket.status == "lukket"
    assert [s.anledning for s in lukket.skjemaer] == ["sendt", "besvart", "lukket"]
    side = html(anne.get(f"/portal/avvik/{avvik_id}"))
    assert side.count("/portal/avvik/skjema/") == 6 and PERSONREF not in side
    assert "Rutinen er gjennomgått i møte." in side
    assert "Lukket" in html(kari.get("/avvik/"))


def test_parten_melder_i_portalen_og_kommunen_svarer(app, tj, verden, smtp_sink):
    aid = verden["aid"]
    anne, _ = portal_inn(app, ANNE)
    side = html(anne.get(f"/portal/avtaler/{aid}"))
    assert f'href="/portal/avtaler/{aid}/avvik/ny"' in side
    skjema = html(anne.get(f"/portal/avtaler/{aid}/avvik/ny"))
    assert "Personreferanse" not in skjema  # personreferansen er kommunens
    assert "Ikke skriv navn eller andre personopplysninger her" in skjema

    svar = post(
        anne,
        f"/portal/avtaler/{aid}/avvik/ny",
        f"/portal/avtaler/{aid}/avvik/ny",
        avviksdata(kategori=""),
    )
    assert svar.status_code == 400 and "Velg en kategori." in html(svar)
    svar = post(
        anne,
        f"/portal/avtaler/{aid}/avvik/ny",
        f"/portal/avtaler/{aid}/avvik/ny",
        avviksdata(person_ref="forsøkt sniket inn"),
        follow_redirects=True,
    )
    avvik_id = avviks_id(tj)
    side = html(svar)
    assert "er sendt til kommunen" in side and "ser ut til å inneholde et navn" in side
    assert hent(tj, avvik_id).status == "sendt"
    assert hent(tj, avvik_id).person_ref == ""  # feltet finnes ikke i portalskjemaet
    assert f"http://localhost/avvik/{avvik_id}" in smtp_sink.vent_pa(KARI)[0].tekst
    assert "Svar på avviket" not in side  # parten svarer ikke på sitt eget avvik

    kari = innlogget(app, "kari")
    side = html(kari.get(f"/avvik/{avvik_id}"))
    assert "Svar på avviket" in side and "Lukk avviket" not in side
    svar = post(
        kari,
        f"/avvik/{avvik_id}",
        f"/avvik/{avvik_id}/svar",
        {"forklaring": "Vi har ikke fått varsel.", "tiltak": ""},
        follow_redirects=True,
    )
    assert "Svaret er registrert" in html(svar)
    assert f"http://localhost/portal/avvik/{avvik_id}" in smtp_sink.vent_pa(ANNE)[-1].tekst
    assert "Vi har ikke fått varsel." in html(anne.get(f"/portal/avvik/{avvik_id}"))


def test_lesetilgang_ser_men_far_403_pa_alt_som_endrer(app, tj, verden):
    aid = verden["aid"]
    kari_melder = Melder(verden["kari"].id, "saksbehandler")
    a = avvik_skriving.registrer(tj, aid, avviksdata(), kari_melder)
    lesa = innlogget(app, "lesa")
    assert a.nummer in html(lesa.get("/avvik/"))
    side = html(lesa.get(f"/avvik/{a.id}"))
    assert a.nummer in side and PERSONREF not in side  # bare for skrivetilgang
    assert "Send avviket" not in side
    avtaleside = html(lesa.get(f"/avtaler/{aid}"))
    assert a.nummer in avtaleside and "Meld avvik" not in avtaleside
    assert "Registrer evaluering" not in avtaleside
    t = csrf(side)
    assert lesa.get(f"/avtaler/{aid}/avvik/ny").status_code == 403
    assert lesa.get(f"/avtaler/{aid}/evaluering/ny").status_code == 403
    for url in (
        f"/avtaler/{aid}/avvik/ny",
        f"/avvik/{a.id}/send",
        f"/avvik/{a.id}/svar",
        f"/avvik/{a.id}/lukk",
        f"/avtaler/{aid}/evaluering/ny",
    ):
        assert lesa.post(url, data={"csrf_token": t, "merknad": "x"}).status_code == 403, url
    assert hent(tj, a.id).status == "aapen"


def test_nye_ruter_nekter_feil_side(app, tj, verden):
    aid = verden["aid"]
    a = avvik_skriving.registrer(tj, aid, avviksdata(), Melder(verden["kari"].id, "saksbehandler"))
    anne, _ = portal_inn(app, ANNE)
    kari = innlogget(app, "kari")
    for url in (
        "/avvik/",
        f"/avvik/{a.id}",
        f"/avtaler/{aid}/avvik/ny",
        f"/avtaler/{aid}/evaluering/ny",
        f"/avtaler/{aid}/evaluering.ics",
        "/oversikt/avvik-per-part.png",
    ):
        assert anne.get(url).status_code == 403, url
        anonym = app.test_client().get(url)
        assert anonym.status_code == 302 and anonym.headers["Location"].startswith("/logg-inn")
    for url in (f"/portal/avvik/{a.id}", f"/portal/avtaler/{aid}/avvik/ny"):
        assert kari.get(url).status_code == 403, url
        anonym = app.test_client().get(url)
        assert anonym.headers["Location"].startswith("/portal/logg-inn"), url
    # Avvik kan bare meldes mot inngåtte avtaler.
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    utkast = skriving.opprett_utkast(tj, verden["bodo"], felt, verden["kari"].id).id
    assert "Meld avvik" not in html(kari.get(f"/avtaler/{utkast}"))
    side = kari.get(f"/avtaler/{utkast}/avvik/ny")
    assert side.status_code == 200 and "bare meldes mot en inngått avtale" in html(side)
    assert (
        post(kari, f"/avtaler/{aid}", f"/avtaler/{utkast}/avvik/ny", avviksdata()).status_code
        == 400
    )


# --- Forsiden -------------------------------------------------------------------------------


def celler(tabell: str) -> dict[str, list[str]]:
    """Radoverskrift -> cellene i raden."""
    ut = {}
    for rad in re.findall(r"<tr>(.*?)</tr>", tabell, re.S):
        if m := re.search(r'<th scope="row">(.*?)</th>', rad, re.S):
            navn = re.sub(r"<[^>]+>", "", m.group(1)).strip()
            ut[navn] = [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", rad, re.S)
            ]
    return ut


def tabell(side: str, caption: str) -> str:
    return re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", side, re.S)[1]


def test_forsiden_viser_tallene_fra_en_kjent_historikk(app, tj, verden):
    kari_id = verden["kari"].id
    kommune = Melder(kari_id, "saksbehandler")
    bodo, mo = verden["aid"], inngatt_avtale(tj, verden["mo"], kari_id)
    tromso = lag_part(tj, "Tromsø fengsel", 3, "t@tromso.example")
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    skriving.opprett_utkast(tj, tromso, felt, kari_id)

    apen = avvik_skriving.registrer(tj, bodo, avviksdata(), kommune)
    forfalt = avvik_skriving.registrer(
        tj, bodo, avviksdata(paragraf="§ 4 Rutiner for samarbeidet"), kommune
    )
    avvik_skriving.send(tj, forfalt.id, kommune)
    gammel = (date.today() - timedelta(days=400)).isoformat()
    avvik_skriving.registrer(tj, mo, avviksdata(hendelsesdato=gammel), kommune)  # eldre enn 12 mnd
    with tj.transaksjon() as s:
        s.execute(
            update(Avvik)
            .where(Avvik.id == forfalt.id)
            .values(svarfrist=date.today() - timedelta(days=2))
        )
        s.execute(
            update(Avtale)
            .where(Avtale.id == bodo)
            .values(neste_evaluering=date.today() - timedelta(days=10))
        )
        s.execute(
            update(Avtale)
            .where(Avtale.id == mo)
            .values(neste_evaluering=date.today() + timedelta(days=30))
        )

    kari = innlogget(app, "kari")
    side = html(kari.get("/"))
    tall = {
        tekst.strip(): int(n)
        for n, tekst in re.findall(r'<span class="tall">(\d+)</span>([^<]+)</a>', side)
    }
    assert tall == {
        "avvik som ikke er lukket": 3,
        "avvik med forfalt svarfrist": 1,
        "forfalte evalueringer": 1,
        "evalueringer innen 60 dager": 1,
    }
    assert 'href="/avvik/?status=forfalt"' in side

    status = celler(tabell(side, "Avtaler per sektor og status"))
    koder = list(skriving.STATUSER)
    kriminal = dict(zip([*koder, "sum"], status["Kriminalomsorgen"], strict=True))
    assert (kriminal["inngaatt"], kriminal["utkast"], kriminal["sum"]) == ("2", "1", "3")
    assert status["Alle sektorer"][-1] == "3"

    frister = tabell(side, "Evalueringer som er forfalt eller forfaller innen 60 dager")
    rader = celler(frister)
    assert rader["Bodø fengsel"][1] == "Forfalt for 10 dager siden"
    assert rader["Mo fengsel"][1] == "Om 30 dager"
    assert f'href="/avtaler/{bodo}"' in frister and f'href="/avtaler/{mo}"' in frister

    # Diagrammet og de samme tallene som tabell; Mo sitt avvik er eldre enn 12 måneder.
    img = re.search(r'<img src="/oversikt/avvik-per-part.png" alt="([^"]+)"', side)
    assert img and img[1] == "Avvik per part: Bodø fengsel: 2."
    assert celler(tabell(side, "Avvik per part siste 12 måneder (etter dato for hendelsen)")) == {
        "Bodø fengsel": ["2"]
    }
    png = kari.get("/oversikt/avvik-per-part.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG")

    # Rana-oversikten står først, nøkkeltallene ved siden av (etter den i HTML-en), og
    # diagrammet etter dem.
    assert "<caption>Kriminalomsorgen</caption>" in side
    rekkefolge = [
        'id="parter-per-sektor"',
        'id="nokkeltall"',
        'id="per-status"',
        'id="evalueringer"',
        'id="avvik-per-part"',
    ]
    plasser = [side.index(m) for m in rekkefolge]
    assert plasser == sorted(plasser)
    assert side.index('class="forside-topp"') < plasser[0]

    # Lenkene fra nøkkeltallene.
    liste = html(kari.get("/avvik/?status=forfalt"))
    assert forfalt.nummer in liste and apen.nummer not in liste
    liste = html(kari.get("/avvik/"))
    assert liste.index(forfalt.nummer) < liste.index(apen.nummer)  # forfalt først
    assert "(forfalt)" in liste


def test_forsiden_viser_en_signert_avtale_under_revisjon_som_inngaatt(app, tj, verden):
    """En signert avtale som revideres, gjelder fortsatt: «Inngått (revisjon pågår)», ikke
    «Under arbeid» – også når den nye versjonen er sendt til parten."""
    kari_id, bodo = verden["kari"].id, verden["aid"]
    kari = innlogget(app, "kari")
    for status in ("til_revisjon", "til_gjennomgang"):
        skriving.sett_status(tj, bodo, status, kari_id, "", fra="test")
        rader = celler(tabell(html(kari.get("/")), "Kriminalomsorgen"))
        rad = next(v for k, v in rader.items() if k.startswith("Bodø fengsel"))
        assert "Inngått (revisjon pågår)" in rad[0] and rad[1] == "", (status, rad)
        alle = html(kari.get("/oversikt/parter?sektor=kriminalomsorgen"))
        assert "<td>Inngått (revisjon pågår)</td>" in alle


# --- Kalender og evaluering -----------------------------------------------------------------


def hendelser(data: bytes) -> list:
    return [k for k in Calendar.from_ical(data).walk() if k.name == "VEVENT"]


def test_moteinnkalling_og_kalenderabonnement(app, tj, verden):
    aid = verden["aid"]
    with tj.sesjoner() as s:
        neste = s.get(Avtale, aid).neste_evaluering
    assert neste is not None  # satt da avtalen ble inngått
    kari = innlogget(app, "kari")
    side = html(kari.get(f"/avtaler/{aid}"))
    assert "Last ned møteinnkalling (.ics)" in side
    ics = kari.get(f"/avtaler/{aid}/evaluering.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    [mote] = hendelser(ics.data)
    assert "Bodø fengsel" in str(mote["SUMMARY"]) and mote.decoded("DTSTART").date() == neste

    # Ny kalenderlenke: vises én gang, og feeden virker uten innlogging.
    forside = html(kari.get("/"))
    assert "Lag ny kalenderlenke" in forside
    svar = kari.post("/kalenderlenke", data={"csrf_token": csrf(forside)})
    assert svar.status_code == 200 and svar.headers["Cache-Control"] == "no-store"
    adresse = re.search(r'value="(http://localhost/kalender/[^"]+\.ics)"', html(svar))[1]
    sti = adresse.removeprefix("http://localhost")
    feed = app.test_client().get(sti)
    assert feed.status_code == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    [mote] = hendelser(feed.data)
    assert mote.decoded("DTSTART").date() == neste

    # En ny lenke gjør den gamle ugyldig; ukjente nøkler gir 404.
    kari.post("/kalenderlenke", data={"csrf_token": csrf(forside)})
    assert app.test_client().get(sti).status_code == 404
    assert app.test_client().get("/kalender/ukjent-nokkel.ics").status_code == 404
    assert app.test_client().get("/kalender/" + "x" * 500 + ".ics").status_code == 404
    assert kari.post("/kalenderlenke", data={}).status_code == 400  # CSRF


def test_evaluering_som_revideres_gir_versjon_n_pluss_1(app, tj, verden):
    aid = verden["aid"]
    kommune = Melder(verden["kari"].id, "saksbehandler")
    # Perioden begynner da avtalen ble signert (i dag); avvik fra før regnes ikke med.
    a = avvik_skriving.registrer(
        tj, aid, avviksdata(hendelsesdato=date.today().isoformat()), kommune
    )
    kari = innlogget(app, "kari")
    side = html(kari.get(f"/avtaler/{aid}"))
    assert (
        f'href="/avtaler/{aid}/evaluering/ny"' in side and "Avtalen er ikke evaluert ennå." in side
    )

    url = f"/avtaler/{aid}/evaluering/ny"
    skjema = html(kari.get(url))
    assert a.nummer in tabell(skjema, "Avvik i perioden, etter dato for hendelsen")
    assert celler(tabell(skjema, "Antall per paragraf")) == {"§ 6 Varsling før løslatelse": ["1"]}
    assert "Varsling før løslatelse eller utskrivning" in tabell(skjema, "Antall per kategori")
    assert f'value="{date.today().isoformat()}"' in skjema  # møtedatoen foreslås

    data = {
        "dato": date.today().isoformat(),
        "deltakere_kommune": "Kari Saksbehandler",
        "deltakere_part": "",
        "fungert": "Faste møter.",
        "ikke_fungert": "Varsling før løslatelse.",
        "beslutning": "revideres",
    }
    svar = post(kari, url, url, data)
    assert svar.status_code == 400 and 'aria-invalid="true"' in html(svar)
    svar = post(kari, url, url, {**data, "deltakere_part": "Anne Bodø"}, follow_redirects=True)
    side = html(svar)
    assert "versjon 2 er laget som nytt utkast" in side
    assert '<span class="status status-til_revisjon">' in side
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, aid)
        assert (avtale.status, avtale.gjeldende_versjon) == ("til_revisjon", 2)
        ev_id = s.scalar(select(Evaluering.id))
    assert "Forhåndsvisning av versjon 2" in side
    evalueringer = celler(tabell(side, "Tidligere evalueringer, nyeste først"))
    [(_dato, rad)] = evalueringer.items()
    assert rad[0] == "Revideres" and rad[1] == "1"
    pdf = kari.get(f"/evaluering/{ev_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Bodø fengsel" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert kari.get(f"/evaluering/{ev_id}.docx").data[:2] == b"PK"
    assert kari.get(f"/evaluering/{ev_id}.exe").status_code == 404
    # Avtalen er ikke inngått lenger: ingen ny evaluering før den er signert på nytt.
    assert "Registrer evaluering" not in side
    assert "Bare inngåtte avtaler evalueres." in html(kari.get(url))
