"""Avvik mot en signert avtale: melding, skjema, svar fra den andre parten, lukking, frister,
påminnelser, personopplysninger og søk. Ekte database, LibreOffice og SMTP på loopback."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.avvik import lesing, varsler
from dokumenter.avvik import skriving as avvik_skriving
from dokumenter.avvik.regler import Melder
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.drift import arkivdrift
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.models import Avtale, Avvik, Avviksskjema, Bruker
from dokumenter.parter import skriving as parter
from dokumenter.sider import sok as sporring
from dokumenter.sok import indeksering
from tests.stotte.oppsett import hent, hent_bruker, lag_saksbehandler

pytestmark = pytest.mark.libreoffice
NETT = "http://localhost"  # nettadressen i testenes innstillinger


def data(**endring):
    hendelse = endring.get("hendelsesdato", (date.today() - timedelta(days=3)).isoformat())
    return {
        "paragraf": "§ 6 Varsling før løslatelse",
        "kategori": "varsling",
        "hendelsesdato": hendelse,
        "oppdaget": hendelse,
        "hva_skjedde": "En innsatt ble løslatt uten varsel til kommunen.",
        "konsekvens": "Personen sto uten bolig den første natten.",
        "strakstiltak": "Midlertidig bolig ble skaffet samme kveld.",
        "person_ref": "Sak 2026/117",
        **endring,
    }


def lag_oppsett(tj):
    """Saksbehandleren med e-post, Bodø og Mo med hver sin partnerbruker, og en inngått avtale
    med Bodø (svarfrist 14 dager)."""
    saksbehandler = lag_saksbehandler(tj)
    with tj.transaksjon() as s:
        s.get(Bruker, saksbehandler.id).epost = "kari@kommune.example.no"
    bodo = parter.opprett_part(
        tj,
        {
            "navn": "Bodø fengsel",
            "type": "fengsel",
            "orgnr": fiktivt_orgnr(1),
            "kontaktpersoner": [{"navn": "Kåre Ødegård", "epost": "kare@bodo.example.no"}],
        },
    )
    mo = parter.opprett_part(
        tj, {"navn": "Mo fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(2)}
    )
    partner = brukere.opprett_partnerbruker(
        tj, bodo.id, "Kåre Ødegård", "kare@bodo.example.no", "passord-12345"
    )
    annen = brukere.opprett_partnerbruker(
        tj, mo.id, "Mona Mo", "mona@mo.example.no", "passord-12345"
    )
    verdier = {
        **tj.mal(produksjon.MAL).standardverdier(),
        **AVTALEFELT,
        "avvik_svarfrist_dager": 14,
    }
    avtale = skriving.opprett_utkast(tj, bodo.id, verdier, saksbehandler.id)
    with tj.sesjoner() as s:
        pdf = tj.lager.les(s.get(Avtale, avtale.id).siste_versjon.dokument("pdf").sha256)
    signering.last_opp_signert(tj, avtale.id, pdf, saksbehandler.id)
    kommune = Melder(saksbehandler.id, "saksbehandler")
    return (
        avtale.id,
        kommune,
        Melder(partner.id, "partner", bodo.id),
        Melder(annen.id, "partner", mo.id),
    )


@pytest.fixture
def oppskrift():
    """Byggingen over kjøres én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_oppsett


@pytest.fixture
def saksbehandler(tj):
    return hent_bruker(tj, "kari")


@pytest.fixture
def oppsett(tj, forberedt):
    avtale_id, *meldere = forberedt
    return (hent(tj, Avtale, avtale_id), *meldere)


@pytest.mark.begge_databaser
def test_kommunen_melder_parten_svarer_kommunen_lukker(tj, oppsett, smtp_sink):
    avtale, kommune, partner, _ = oppsett
    a = avvik_skriving.registrer(tj, avtale.id, data(), kommune, fra="test")
    assert a.status == "aapen" and a.nummer == f"{date.today().year}-001"
    assert avvik_skriving.send(tj, a.id, kommune) == []
    melding = smtp_sink.vent_pa("kare@bodo.example.no")[0]
    assert f"{NETT}/portal/avvik/{a.id}" in melding.tekst and a.nummer in melding.emne
    assert "Sak 2026/117" not in melding.tekst  # personreferansen går aldri i e-post

    sendt = lesing.hent(tj, a.id, kommune)
    assert sendt.status == "sendt" and sendt.svarfrist >= date.today() + timedelta(days=14)
    assert sendt.svarfrist.weekday() < 5 and sendt.person_ref == "Sak 2026/117"
    assert lesing.hent(tj, a.id, partner).person_ref == ""  # partneren ser den ikke

    with pytest.raises(Valideringsfeil, match="andre parten"):
        avvik_skriving.besvar(tj, a.id, "Feil", "", kommune)
    avvik_skriving.besvar(
        tj, a.id, "Varselet ble sendt til feil adresse.", "Ny rutine for varsling.", partner
    )
    assert smtp_sink.vent_pa("kari@kommune.example.no")
    avvik_skriving.lukk(tj, a.id, "Rutinen er gjennomgått i møte.", kommune)

    lukket = lesing.hent(tj, a.id, kommune)
    assert lukket.status == "lukket" and [s.anledning for s in lukket.skjemaer] == [
        "sendt",
        "besvart",
        "lukket",
    ]
    navn, pdf = lesing.les_skjema(tj, lukket.skjemaer[-1].id, "pdf", partner)
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for forventet in (
        "Varselet ble sendt til feil adresse.",
        "Ny rutine for varsling.",
        "Rutinen er gjennomgått",
        a.nummer,
        "Bodø fengsel",
    ):
        assert forventet in tekst, forventet
    assert "Sak 2026/117" not in tekst and navn.endswith(".pdf")
    assert arkivdrift.verifiser(tj).ren


def test_partneren_melder_i_portalen_og_ser_bare_egne(tj, oppsett, smtp_sink):
    avtale, kommune, partner, annen = oppsett
    with pytest.raises(IkkeFunnet):
        avvik_skriving.registrer(tj, avtale.id, data(), annen)
    a = avvik_skriving.registrer(tj, avtale.id, data(person_ref=""), partner)
    avvik_skriving.send(tj, a.id, partner)
    assert smtp_sink.vent_pa("kari@kommune.example.no")  # den ansvarlige i kommunen
    for kall in (
        lambda: lesing.hent(tj, a.id, annen),
        lambda: lesing.for_avtale(tj, avtale.id, annen),
        lambda: avvik_skriving.besvar(tj, a.id, "x", "", annen),
        lambda: lesing.les_skjema(tj, lesing.hent(tj, a.id, partner).skjemaer[0].id, "pdf", annen),
    ):
        with pytest.raises(IkkeFunnet):
            kall()
    with pytest.raises(Valideringsfeil, match="Bare kommunen"):
        avvik_skriving.lukk(tj, a.id, "Lukk", partner)
    avvik_skriving.besvar(tj, a.id, "Kommunen hadde ikke fått varselet.", "", kommune)
    assert lesing.hent(tj, a.id, partner).status == "besvart"


def test_ugyldig_avvik_endrer_ingenting(tj, oppsett, saksbehandler):
    avtale, kommune, _, _ = oppsett
    ugyldige = [
        (data(paragraf=""), "paragraf"),
        (data(kategori="tull"), "kategori"),
        (data(hendelsesdato="31.02.2026"), "hendelsesdato"),
        (data(hendelsesdato=(date.today() + timedelta(days=1)).isoformat()), "fram i tid"),
        (data(hva_skjedde="x" * 5001), "høyst 5000"),
        (data(konsekvens="Gjelder 01019912345 som ble løslatt"), "fødselsnummer"),
    ]
    for verdier, melding in ugyldige:
        with pytest.raises(Valideringsfeil, match=melding):
            avvik_skriving.registrer(tj, avtale.id, verdier, kommune)
    lesetilgang = brukere.opprett_bruker(tj, "lise", "Lise", "lesetilgang", "passord-12345")
    with pytest.raises(Valideringsfeil, match="lesetilgang"):
        avvik_skriving.registrer(tj, avtale.id, data(), Melder(lesetilgang.id, "lesetilgang"))
    utkast = skriving.opprett_utkast(
        tj,
        avtale.part_id,
        {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT},
        saksbehandler.id,
    )
    with pytest.raises(Valideringsfeil, match="inngått avtale"):
        avvik_skriving.registrer(tj, utkast.id, data(), kommune)
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Avvik)) == 0
    assert avvik_skriving.advarsler("Ola Nordmann ble løslatt") and not avvik_skriving.advarsler(
        "ble løslatt"
    )


def test_forfalte_avvik_og_paminnelse(tj, oppsett, smtp_sink):
    avtale, kommune, _partner, _ = oppsett
    a = avvik_skriving.registrer(tj, avtale.id, data(), kommune)
    avvik_skriving.send(tj, a.id, kommune)
    assert varsler.forfalte(tj) == []
    with pytest.raises(Valideringsfeil, match="svarfristen"):
        avvik_skriving.lukk(tj, a.id, "Ingen svar", kommune)
    with tj.transaksjon() as s:
        s.execute(update(Avvik).values(svarfrist=date.today() - timedelta(days=1)))
    assert [x.id for x in varsler.forfalte(tj)] == [a.id]
    smtp_sink.tom()
    assert varsler.send_paminnelser(tj) == (1, [])
    assert smtp_sink.vent_pa("kare@bodo.example.no")[0].emne.startswith("Påminnelse")
    assert varsler.send_paminnelser(tj) == (0, [])  # ikke igjen samme uke
    avvik_skriving.lukk(tj, a.id, "Lukket uten svar etter purring.", kommune)


def test_avvik_er_sokbare_uten_personreferanse(tj, oppsett):
    avtale, kommune, _, _ = oppsett
    a = avvik_skriving.registrer(tj, avtale.id, data(), kommune)
    treff = sporring.sok(tj, "løslatt varsel", "saksbehandler").treff
    # Avviket har begge ordene og kommer først; avtalen treffes bare via «prøveløslatt».
    assert [(t.art, t.objekt_id) for t in treff] == [("avvik", a.id), ("avtale", avtale.id)]
    assert sporring.sok(tj, "117", "saksbehandler").totalt == 0
    indeksering.reindekser(tj)
    treff = sporring.sok(tj, "løslatt varsel", "admin").treff
    assert [t.art for t in treff] == ["avvik", "avtale"]


def test_statistikk_per_paragraf_kategori_og_kvartal(tj, oppsett):
    avtale, kommune, partner, _ = oppsett
    for dato, paragraf, kategori, melder in (
        ("2026-01-10", "§ 6 Varsling før løslatelse", "varsling", kommune),
        ("2026-02-11", "§ 6 Varsling før løslatelse", "varsling", partner),
        ("2026-05-02", "§ 4 Rutiner for samarbeidet", "bolig", kommune),
        ("2025-12-31", "§ 6 Varsling før løslatelse", "varsling", kommune),
    ):
        avvik_skriving.registrer(
            tj, avtale.id, data(hendelsesdato=dato, paragraf=paragraf, kategori=kategori), melder
        )
    st = lesing.statistikk(tj, avtale.id, date(2026, 1, 1), date(2026, 12, 31))
    assert st["antall"] == 3
    assert st["paragraf"] == {"§ 6 Varsling før løslatelse": 2, "§ 4 Rutiner for samarbeidet": 1}
    assert st["kategori"] == {"bolig": 1, "varsling": 2}
    assert st["kvartal"] == {"2026 K1": 2, "2026 K2": 1}
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Avviksskjema)) == 0


# --- Avtalens regler for avvik (§ 9): paragraf, oppdaget, fem virkedager, alvorlighet ------


def test_paragrafen_velges_fra_avtalens_egne(tj, oppsett):
    from dokumenter.avtaler import gjeldende

    avtale, kommune, _, _ = oppsett
    paragrafer = gjeldende.paragrafer(tj, avtale.id)
    assert "§ 6 Varsling før løslatelse" in paragrafer and "§ 9 Avvikshåndtering" in paragrafer
    with pytest.raises(Valideringsfeil) as e:
        avvik_skriving.registrer(tj, avtale.id, data(paragraf="§ 99 Finnes ikke"), kommune)
    assert "paragraf" in e.value.feil
    # Nummeret alene eller en annen skrivemåte gir avtalens egen overskrift.
    for skrevet in ("§ 6", "6", "§  6   varsling FØR løslatelse"):
        a = avvik_skriving.registrer(tj, avtale.id, data(paragraf=skrevet), kommune)
        assert a.paragraf == "§ 6 Varsling før løslatelse"
    st = lesing.statistikk(tj, avtale.id, date.today() - timedelta(days=30), date.today())
    assert st["paragraf"] == {"§ 6 Varsling før løslatelse": 3}


def test_sendt_mer_enn_fem_virkedager_etter_oppdaget_krever_begrunnelse(tj, oppsett):
    from dokumenter.felles import frister
    from dokumenter.models import Hendelse

    avtale, kommune, _, _ = oppsett
    oppdaget = date.today() - timedelta(days=21)
    a = avvik_skriving.registrer(
        tj,
        avtale.id,
        data(hendelsesdato=oppdaget.isoformat(), alvorlighet="gjentatt_alvorlig"),
        kommune,
    )
    virkedager = frister.virkedager_mellom(oppdaget, date.today())
    with pytest.raises(Valideringsfeil, match=f"for {virkedager} virkedager siden") as e:
        avvik_skriving.send(tj, a.id, kommune)
    assert "sen_begrunnelse" in e.value.feil
    assert lesing.hent(tj, a.id, kommune).status == "aapen"  # ingenting er endret
    assert lesing.hent(tj, a.id, kommune).skjemaer == []
    avvik_skriving.send(tj, a.id, kommune, sen_begrunnelse="Oppdaget under ferieavvikling.")
    sendt = lesing.hent(tj, a.id, kommune)
    assert sendt.sen_begrunnelse == "Oppdaget under ferieavvikling."
    _, pdf = lesing.les_skjema(tj, sendt.skjemaer[0].id, "pdf", kommune)
    tekst = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Oppdaget under ferieavvikling." in tekst
    assert "Gjentatt og alvorlig" in tekst
    # Avtalens dato er datoen avtalen gjelder fra, og kommunen er enheten.
    assert "1. januar 2008" in tekst and "Rana kommune ved Rustjenesten" in tekst
    with tj.sesjoner() as s:
        logget = s.scalars(select(Hendelse.detaljer).where(Hendelse.type == "avvik_sendt")).one()
    assert logget["sen_begrunnelse"] == "Oppdaget under ferieavvikling."
    assert logget["virkedager_etter_oppdaget"] == virkedager


def test_oppdaget_kan_ikke_vaere_for_hendelsen_eller_fram_i_tid(tj, oppsett):
    avtale, kommune, _, _ = oppsett
    idag = date.today()
    for endring, felt in (
        ({"oppdaget": (idag - timedelta(days=10)).isoformat()}, "oppdaget"),
        ({"oppdaget": (idag + timedelta(days=1)).isoformat()}, "oppdaget"),
        ({"oppdaget": ""}, "oppdaget"),
        ({"alvorlighet": "middels"}, "alvorlighet"),
    ):
        with pytest.raises(Valideringsfeil) as e:
            avvik_skriving.registrer(tj, avtale.id, data(**endring), kommune)
        assert felt in e.value.feil
