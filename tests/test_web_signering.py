"""Signering, partnerportalen og tilgangsskillet via Flask-testklienten: ekte database, ekte
arkiv, ekte SMTP (sinken på loopback), ekte LibreOffice og forsegling, CSRF på."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.models import Avtale, Bruker, Kommentar, Kontaktperson, SignertKopi
from tests.stotte.oppsett import PASSORD
from tests.stotte.web import (
    AVTALEFELT,
    PARTNERPASSORD,
    csrf,
    innlogget,
    lag_part,
    logg_inn,
    ny_part,
    part_id,
    portal_inn,
    post_skjema,
    token,
)

KODE = re.compile(r"signere samarbeidsavtalen med .+ er (\d{6})\.")
LENKE = re.compile(r"http://localhost/portal/invitasjon/\S+")


@pytest.fixture
def kari(tj):
    """Saksbehandler med e-post (engangskoden sendes dit)."""
    return brukere.opprett_bruker(
        tj, "kari", "Kari Saksbehandler", "saksbehandler", PASSORD, epost="kari@kommune.example"
    )


@pytest.fixture
def ansatt(app, kari):
    return innlogget(app, "kari")


@pytest.fixture
def to_parter(tj):
    """To institusjoner med hver sin partnerbruker."""
    a = lag_part(tj, "Bodø fengsel", 1, "a@bodo.example")
    b = lag_part(tj, "Mo fengsel", 2, "b@mo.example")
    brukere.opprett_partnerbruker(tj, a, "Anne Bodø", "a@bodo.example", PARTNERPASSORD)
    brukere.opprett_partnerbruker(tj, b, "Bjørn Mo", "b@mo.example", PARTNERPASSORD)
    return a, b


def bruker_id(tj, brukernavn: str) -> int:
    with tj.sesjoner() as s:
        return s.scalar(select(Bruker.id).where(Bruker.brukernavn == brukernavn))


def status(tj, avtale_id: int) -> str:
    with tj.sesjoner() as s:
        return s.get(Avtale, avtale_id).status


def kode_fra_epost(smtp_sink, til: str, antall: int) -> str:
    meldinger = smtp_sink.vent_pa(til, antall)
    return KODE.search(meldinger[-1].tekst).group(1)


# --- Tilgang -------------------------------------------------------------------------------


def test_partner_logger_inn_og_havner_i_portalen(app, to_parter):
    k, svar = portal_inn(app, "a@bodo.example")
    assert svar.status_code == 302 and svar.headers["Location"] == "/portal/"
    side = k.get("/portal/").get_data(as_text=True)
    assert "Avtaleportal for samarbeidspartnere" in side
    assert '<body class="portal">' in side
    assert "Til gjennomgang" in side and "Signerte avtaler" in side
    assert 'aria-current="page"' in side

    # Partner som logger inn på ansattsiden, sendes også til portalen.
    _k2, svar = portal_inn(app, "b@mo.example", url="/logg-inn")
    assert svar.headers["Location"] == "/portal/"


def test_ansatt_som_logger_inn_i_portalen_sendes_til_forsiden(app, kari):
    k, svar = portal_inn(app, "kari", PASSORD)
    assert svar.headers["Location"] == "/"
    assert k.get("/").status_code == 200


def _url(regel) -> str:
    return re.sub(r"<(?:int:)?[^>]+>", "1", regel.rule)


def _ansattregler(app):
    # kontolenke: engangslenkene for nytt passord og ny e-post (nøkkelen er tilgangen).
    # tilgjengelighet: erklæringen er offentlig.
    apne = (
        "static",
        "auth.",
        "portal.",
        "planportal.",
        "demopost.",
        "kontolenke.",
        "tilgjengelighet.",
    )
    return [r for r in app.url_map.iter_rules() if not r.endpoint.startswith(apne)]


def test_partner_far_403_pa_alle_ansattsider_og_api(app, to_parter):
    k, _ = portal_inn(app, "a@bodo.example")
    t = token(k)
    regler = _ansattregler(app)
    assert {"avtaler.vis", "parter.liste", "sok.side", "sok.api", "oversikt.forside"} <= {
        r.endpoint for r in regler
    }
    for regel in regler:
        url = _url(regel)
        if "GET" in regel.methods:
            assert k.get(url).status_code == 403, url
        if "POST" in regel.methods:
            assert k.post(url, data={"csrf_token": t}).status_code == 403, url
    for url in ("/avtaler/", "/parter/", "/sok", "/sok?q=avtale"):
        svar = k.get(url)
        assert svar.status_code == 403
        assert "Mine avtaler" in svar.get_data(as_text=True)  # feilsiden i portalens drakt
    api = k.get("/api/sok?q=avtale")
    assert api.status_code == 403
    assert api.get_json() == {"feil": "Du har ikke tilgang til dette."}


def test_ansatt_far_403_i_portalen_og_anonym_sendes_til_portalinnlogging(app, ansatt):
    for url in ("/portal/", "/portal/avtaler/1", "/portal/dokument/1", "/portal/signert/1"):
        assert ansatt.get(url).status_code == 403, url
    svar = ansatt.post("/portal/avtaler/1/signer/kode", data={"csrf_token": token(ansatt, "/")})
    assert svar.status_code == 403
    anonym = app.test_client().get("/portal/avtaler/1")
    assert anonym.status_code == 302
    assert anonym.headers["Location"].startswith("/portal/logg-inn")


def test_innlogging_begrenses_etter_fem_feil(app, kari):
    k = app.test_client()
    for _ in range(5):
        svar = logg_inn(k, "kari", "feil-passord")
        assert svar.status_code == 200
        assert "Feil brukernavn eller passord." in svar.get_data(as_text=True)
    svar = logg_inn(k, "kari")  # riktig passord hjelper ikke nå
    assert svar.status_code == 429
    assert "For mange mislykkede forsøk" in svar.get_data(as_text=True)
    _, svar = portal_inn(app, "kari", PASSORD)
    assert svar.status_code == 429


def test_invitasjonen_setter_passord_en_gang(app, ansatt, tj, smtp_sink):
    ny_part(ansatt)
    pid = part_id(tj)
    with tj.sesjoner() as s:
        kp = s.scalar(select(Kontaktperson.id).where(Kontaktperson.part_id == pid))
    side = ansatt.get(f"/parter/{pid}").get_data(as_text=True)
    assert "Inviter til portalen" in side
    svar = ansatt.post(
        f"/parter/{pid}/kontakt/{kp}/inviter",
        data={"csrf_token": csrf(side)},
        follow_redirects=True,
    )
    tekst = svar.get_data(as_text=True)
    assert "Invitasjonen til portalen er sendt til ase@example.no" in tekst
    assert "Invitert" in tekst
    epost = smtp_sink.vent_pa("ase@example.no")[0]
    lenke = LENKE.search(epost.tekst).group(0).removeprefix("http://localhost")

    gjest = app.test_client()
    skjema = gjest.get(lenke)
    assert skjema.status_code == 200
    assert skjema.headers["Cache-Control"] == "no-store"
    t = csrf(skjema.get_data(as_text=True))
    feil = gjest.post(lenke, data={"passord": "kort", "gjenta": "kort", "csrf_token": t})
    assert "minst 12 tegn" in feil.get_data(as_text=True)
    ok = gjest.post(
        lenke, data={"passord": PARTNERPASSORD, "gjenta": PARTNERPASSORD, "csrf_token": t}
    )
    assert ok.status_code == 302 and ok.headers["Location"].startswith("/portal/logg-inn")

    assert gjest.get(lenke).status_code == 410
    igjen = gjest.post(lenke, data={"passord": "x" * 12, "gjenta": "x" * 12, "csrf_token": t})
    assert igjen.status_code == 410
    assert "allerede brukt" in igjen.get_data(as_text=True)
    assert gjest.get("/portal/invitasjon/tull").status_code == 410

    _, svar = portal_inn(app, "ase@example.no")
    assert svar.headers["Location"] == "/portal/"
    assert "Har tilgang" in ansatt.get(f"/parter/{pid}").get_data(as_text=True)


# --- Med dokumenter -------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_andres_avtaler_gir_404_og_skannet_kopi(app, ansatt, tj, kari, to_parter):
    a, _ = to_parter
    mal = tj.mal(produksjon.MAL)
    avtale = skriving.opprett_utkast(tj, a, {**mal.standardverdier(), **AVTALEFELT}, kari.id)
    aid = avtale.id
    anne, _ = portal_inn(app, "a@bodo.example")
    bjorn, _ = portal_inn(app, "b@mo.example")
    assert anne.get(f"/portal/avtaler/{aid}").status_code == 404  # utkast: ikke sendt ennå

    skriving.sett_status(tj, aid, "til_gjennomgang", kari.id)
    with tj.sesjoner() as s:
        pdf = s.get(Avtale, aid).siste_versjon.dokument("pdf")
        pdf_id, pdf_sha = pdf.id, pdf.sha256
    side = anne.get(f"/portal/avtaler/{aid}").get_data(as_text=True)
    assert "løslatelse" in side  # forhåndsvisningen
    assert "Kari Saksbehandler" not in side  # ansvarlig og revisjonslogg vises ikke
    assert anne.get(f"/portal/dokument/{pdf_id}").status_code == 200
    t = token(bjorn)
    for url in (f"/portal/avtaler/{aid}", f"/portal/avtaler/{aid}/signer"):
        assert bjorn.get(url).status_code == 404, url
    assert bjorn.get(f"/portal/dokument/{pdf_id}").status_code == 404
    svar = bjorn.post(f"/portal/avtaler/{aid}/kommentar", data={"tekst": "Hei", "csrf_token": t})
    assert svar.status_code == 404
    assert (
        bjorn.post(f"/portal/avtaler/{aid}/signer/kode", data={"csrf_token": t}).status_code == 404
    )

    # En fil som ikke er PDF: tydelig feil, ingen endring.
    side = ansatt.get(f"/avtaler/{aid}").get_data(as_text=True)
    assert "Last opp skannet signert kopi" in side
    t_a = csrf(side)
    svar = ansatt.post(
        f"/avtaler/{aid}/signert-kopi",
        data={"fil": (io.BytesIO(b"Dette er ikke en PDF"), "kopi.pdf"), "csrf_token": csrf(side)},
        content_type="multipart/form-data",
    )
    assert svar.status_code == 400
    tekst = svar.get_data(as_text=True)
    assert "Filen er ikke en PDF." in tekst and 'aria-invalid="true"' in tekst
    assert status(tj, aid) == "til_gjennomgang"
    with tj.sesjoner() as s:
        assert signering.signerte_kopier(s, aid) == []

    # Skannede filer kan være store (opptil 20 MB), men ikke større; andre skjemaer 2 MB.
    stor = ansatt.post(
        f"/avtaler/{aid}/signert-kopi",
        data={"fil": (io.BytesIO(b"%PDF-" + b"0" * (3 * 2**20)), "x.pdf"), "csrf_token": t_a},
        content_type="multipart/form-data",
    )
    assert stor.status_code == 400 and "skadet" in stor.get_data(as_text=True)
    for_stor = ansatt.post(
        f"/avtaler/{aid}/signert-kopi",
        data={"fil": (io.BytesIO(b"%PDF-" + b"0" * (22 * 2**20)), "x.pdf"), "csrf_token": t_a},
        content_type="multipart/form-data",
    )
    assert for_stor.status_code == 413
    assert "Filen er for stor (maks 20 MB)" in for_stor.get_data(as_text=True)
    assert status(tj, aid) == "til_gjennomgang"

    # En ekte PDF (i demoen: avtalens egen PDF/A) gjør avtalen inngått.
    svar = ansatt.post(
        f"/avtaler/{aid}/signert-kopi",
        data={"fil": (io.BytesIO(tj.lager.les(pdf_sha)), "kopi.pdf"), "csrf_token": csrf(side)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Den signerte kopien er lagret" in svar.get_data(as_text=True)
    assert status(tj, aid) == "inngaatt"
    with tj.sesjoner() as s:
        kopi_id = s.scalar(select(SignertKopi.id))
    assert anne.get(f"/portal/signert/{kopi_id}").data == tj.lager.les(pdf_sha)
    assert bjorn.get(f"/portal/signert/{kopi_id}").status_code == 404
    assert anne.get(f"/portal/dokument/{pdf_id}").status_code == 404  # ikke lenger til parten
    assert "Signerte avtaler" in anne.get("/portal/").get_data(as_text=True)
    assert f"/portal/avtaler/{aid}" not in bjorn.get("/portal/").get_data(as_text=True)


@pytest.mark.libreoffice
def test_hel_signeringsrunde_gjennom_nettsidene(app, ansatt, tj, kari, smtp_sink):
    # Parten, avtalen og en invitert kontaktperson.
    ny_part(ansatt)
    pid = part_id(tj)
    post_skjema(ansatt, "/avtaler/ny", {**AVTALEFELT, "part_id": pid})
    with tj.sesjoner() as s:
        aid = s.scalar(select(Avtale.id))
        kp = s.scalar(select(Kontaktperson.id).where(Kontaktperson.part_id == pid))
    side = ansatt.get(f"/parter/{pid}").get_data(as_text=True)
    ansatt.post(f"/parter/{pid}/kontakt/{kp}/inviter", data={"csrf_token": csrf(side)})
    lenke = LENKE.search(smtp_sink.vent_pa("ase@example.no")[0].tekst).group(0)
    post_skjema(app.test_client(), lenke, {"passord": PARTNERPASSORD, "gjenta": PARTNERPASSORD})
    ase, _ = portal_inn(app, "ase@example.no")
    ase_id = bruker_id(tj, "ase@example.no")

    # Statusskjemaet tilbyr bare lovlige manuelle steg (aldri «Inngått» fra utkast).
    side = ansatt.get(f"/avtaler/{aid}").get_data(as_text=True)
    valg = re.findall(r'<option[^>]*value="([a-z_]+)"', side.split('id="endre-status"')[1])
    assert valg[:2] == ["til_gjennomgang", "ikke_inngaatt"]
    assert "inngaatt" not in valg and "til_signering" not in valg
    svar = ansatt.post(
        f"/avtaler/{aid}/status",
        data={"status": "inngaatt", "begrunnelse": "", "csrf_token": csrf(side)},
        follow_redirects=True,
    )
    assert "siste signatur" in svar.get_data(as_text=True)
    assert status(tj, aid) == "utkast"
    svar = ansatt.post(
        f"/avtaler/{aid}/status",
        data={"status": "til_gjennomgang", "begrunnelse": "", "csrf_token": csrf(side)},
        follow_redirects=True,
    )
    assert "Til gjennomgang hos parten" in svar.get_data(as_text=True)

    # Parten leser og kommenterer.
    oversikt = ase.get("/portal/").get_data(as_text=True)
    assert f"/portal/avtaler/{aid}" in oversikt.split('id="gjennomgang"')[1].split("</section>")[0]
    side = ase.get(f"/portal/avtaler/{aid}").get_data(as_text=True)
    assert "Kommentar til kommunen" in side
    pdf = ase.get(re.search(r'href="(/portal/dokument/\d+)"', side).group(1))
    assert "Bodø fengsel" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    svar = ase.post(
        f"/portal/avtaler/{aid}/kommentar",
        data={"tekst": "Vi ønsker 45 dagers varsel.", "csrf_token": csrf(side)},
        follow_redirects=True,
    )
    assert "Kommentaren er sendt" in svar.get_data(as_text=True)
    with tj.sesjoner() as s:
        assert s.scalar(select(Kommentar.tekst)) == "Vi ønsker 45 dagers varsel."
    side = ansatt.get(f"/avtaler/{aid}").get_data(as_text=True)
    assert "Vi ønsker 45 dagers varsel." in side

    # Kommunen sender til signering: Kari først, så kontaktpersonen hos parten.
    assert f'value="part:{ase_id}"' in side
    svar = ansatt.post(
        f"/avtaler/{aid}/signering",
        data={
            "rader-0-person": f"kommune:{kari.id}",
            "rader-0-rolle": "Kommunalsjef",
            "rader-1-person": f"part:{ase_id}",
            "rader-1-rolle": "Fengselsleder",
            "rader-2-person": "",
            "rader-3-person": "",
            "frist_dager": "30",
            "paminnelse_dager": "7",
            "csrf_token": csrf(side),
        },
        follow_redirects=True,
    )
    assert "Avtalen er sendt til signering" in svar.get_data(as_text=True)
    assert status(tj, aid) == "til_signering"
    # Kari fikk først e-post om partens kommentar, så om sin tur til å signere.
    eposter = smtp_sink.vent_pa("kari@kommune.example", 2)
    assert "Kommentar fra" in eposter[0].emne and "til signering" in eposter[1].emne

    # Parten kan ikke signere før det er deres tur.
    side = ase.get(f"/portal/avtaler/{aid}/signer").get_data(as_text=True)
    assert "ikke din tur" in side
    svar = ase.post(
        f"/portal/avtaler/{aid}/signer/kode",
        data={"csrf_token": csrf(side)},
        follow_redirects=True,
    )
    assert "Det er ikke din tur ennå" in svar.get_data(as_text=True)

    # Kari ber om kode og signerer.
    side = ansatt.get(f"/avtaler/{aid}/signer").get_data(as_text=True)
    assert "Send engangskode" in side and "løslatelse" in side
    svar = ansatt.post(
        f"/avtaler/{aid}/signer/kode", data={"csrf_token": csrf(side)}, follow_redirects=True
    )
    assert "engangskode er sendt" in svar.get_data(as_text=True)
    kode = kode_fra_epost(smtp_sink, "kari@kommune.example", 2)
    svar = ansatt.post(
        f"/avtaler/{aid}/signer",
        data={"kode": kode, "csrf_token": csrf(side)},
        follow_redirects=True,
    )
    assert "Du har signert. Neste signerer" in svar.get_data(as_text=True)

    # Parten varsles, skriver feil kode først, så riktig.
    varsel = smtp_sink.vent_pa("ase@example.no", 2)[-1]
    assert f"/portal/avtaler/{aid}/signer" in varsel.tekst
    side = ase.get(f"/portal/avtaler/{aid}/signer").get_data(as_text=True)
    assert "Send engangskode" in side
    ase.post(f"/portal/avtaler/{aid}/signer/kode", data={"csrf_token": csrf(side)})
    kode = kode_fra_epost(smtp_sink, "ase@example.no", 3)
    feil = ase.post(
        f"/portal/avtaler/{aid}/signer",
        data={"kode": "000000" if kode != "000000" else "111111", "csrf_token": csrf(side)},
    )
    assert feil.status_code == 400
    assert "Feil kode. 4 forsøk igjen." in feil.get_data(as_text=True)
    svar = ase.post(
        f"/portal/avtaler/{aid}/signer",
        data={"kode": kode, "csrf_token": csrf(side)},
        follow_redirects=True,
    )
    assert "avtalen er inngått" in svar.get_data(as_text=True)
    assert status(tj, aid) == "inngaatt"

    # Begge laster ned den samme forseglede kopien.
    with tj.sesjoner() as s:
        kopi = s.scalars(select(SignertKopi)).one()
        kopi_id, sha = kopi.id, kopi.sha256
    assert kopi.type == "forseglet"
    fra_kommunen = ansatt.get(f"/avtaler/signert/{kopi_id}")
    fra_portalen = ase.get(f"/portal/signert/{kopi_id}")
    assert fra_kommunen.status_code == fra_portalen.status_code == 200
    assert hashlib.sha256(fra_kommunen.data).hexdigest() == sha
    assert hashlib.sha256(fra_portalen.data).hexdigest() == sha
    assert sha in ansatt.get(f"/avtaler/{aid}").get_data(as_text=True)
    assert sha in ase.get(f"/portal/avtaler/{aid}").get_data(as_text=True)
    assert "Signert: " in smtp_sink.vent_pa("ase@example.no", 4)[-1].emne
