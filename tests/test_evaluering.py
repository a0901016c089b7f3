"""Den årlige evalueringen og forsidens tall, mot ekte database, LibreOffice og SMTP."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import func, select, update

from dokumenter.avtaler import oversikt, produksjon, skriving
from dokumenter.avvik import skriving as avvik
from dokumenter.avvik.regler import Melder
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.evaluering import kalender, lesing, paminnelser
from dokumenter.evaluering import skriving as evaluering_skriving
from dokumenter.felles import frister
from dokumenter.felles.feil import Oppsettsfeil, Valideringsfeil
from dokumenter.models import Avtale, AvtaleVersjon, Bruker, Evaluering
from dokumenter.parter import skriving as parter
from dokumenter.sider import sok as sok
from tests.stotte.avtaler import inngatt_avtale
from tests.stotte.oppsett import hent, hent_bruker, lag_saksbehandler

pytestmark = pytest.mark.libreoffice
NETT = "http://localhost"  # nettadressen i testenes innstillinger


def ny_inngatt_avtale(tj, bruker_id, navn, nr, type_="fengsel"):
    """En ny part og en inngått avtale med den."""
    part = parter.opprett_part(tj, {"navn": navn, "type": type_, "orgnr": fiktivt_orgnr(nr)})
    return hent(tj, Avtale, inngatt_avtale(tj, part.id, bruker_id))


def data(**endring):
    return {
        "dato": date.today().isoformat(),
        "deltakere_kommune": "Kari Saksbehandler, rustjenesten",
        "deltakere_part": "Kåre Ødegård, Bodø fengsel",
        "fungert": "Varsling før løslatelse har fungert godt.",
        "ikke_fungert": "Boligsøknader kom for sent i to saker.",
        "beslutning": "viderefores",
        **endring,
    }


def lag_avtale(tj):
    """Saksbehandleren med e-post og en inngått avtale med Bodø med tre avvik meldt i dag."""
    saksbehandler = lag_saksbehandler(tj)
    with tj.transaksjon() as s:
        s.get(Bruker, saksbehandler.id).epost = "kari@kommune.example.no"
    a = ny_inngatt_avtale(tj, saksbehandler.id, "Bodø fengsel", 1)
    kommune = Melder(saksbehandler.id, "saksbehandler")
    # Perioden for første evaluering starter da avtalen ble signert (i dag).
    for dato, paragraf, kategori in (
        (date.today(), "§ 6 Varsling før løslatelse", "varsling"),
        (date.today(), "§ 6 Varsling før løslatelse", "varsling"),
        (date.today(), "§ 4 Rutiner for samarbeidet", "bolig"),
    ):
        avvik.registrer(
            tj,
            a.id,
            {
                "paragraf": paragraf,
                "kategori": kategori,
                "hendelsesdato": dato.isoformat(),
                "oppdaget": dato.isoformat(),
                "hva_skjedde": "Løslatt uten varsel.",
            },
            kommune,
        )
    return a.id


@pytest.fixture
def oppskrift():
    """Byggingen over kjøres én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_avtale


@pytest.fixture
def saksbehandler(tj):
    return hent_bruker(tj, "kari")


@pytest.fixture
def avtale(tj, forberedt):
    return hent(tj, Avtale, forberedt)


def status(tj, avtale_id):
    with tj.sesjoner() as s:
        a = s.get(Avtale, avtale_id)
        return a.status, a.neste_evaluering, a.gjeldende_versjon


@pytest.mark.begge_databaser
def test_videreforing_teller_avvik_lager_rapport_og_ny_frist(tj, avtale, saksbehandler):
    grunnlag = evaluering_skriving.forslag(tj, avtale.id)
    assert grunnlag["antall_avvik"] == 3
    assert grunnlag["per_paragraf"] == {
        "§ 6 Varsling før løslatelse": 2,
        "§ 4 Rutiner for samarbeidet": 1,
    }
    ev = evaluering_skriving.evaluer(tj, avtale.id, data(), saksbehandler.id, fra="test")
    forventet = frister.neste_evaluering(date.today(), 12)  # mønsteravtalen: desember
    assert (ev.antall_avvik, ev.neste_evaluering) == (3, forventet)
    assert status(tj, avtale.id) == ("inngaatt", forventet, 1)
    _, pdf = lesing.les_rapport(tj, ev.id, "pdf", saksbehandler.id)
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for del_ in (
        "Bodø fengsel",
        "Boligsøknader kom for sent",
        "§ 6 Varsling før løslatelse",
        "videreføres",
    ):
        assert del_ in tekst, del_
    assert [t.art for t in sok.sok(tj, "boligsøknader", "admin").treff] == ["evaluering"]


def test_revisjon_gir_nytt_utkast_og_oppsigelse_avslutter(tj, avtale, saksbehandler):
    evaluering_skriving.evaluer(tj, avtale.id, data(beslutning="revideres"), saksbehandler.id)
    st, neste, versjon = status(tj, avtale.id)
    assert (st, neste, versjon) == ("til_revisjon", None, 2)
    with tj.sesjoner() as s:
        v2 = s.scalar(select(AvtaleVersjon).where(AvtaleVersjon.nummer == 2))
        assert v2.grunn == "Utkast til revisjon etter evaluering"
    with pytest.raises(Valideringsfeil, match="inngåtte"):
        evaluering_skriving.evaluer(tj, avtale.id, data(), saksbehandler.id)

    annen = ny_inngatt_avtale(tj, saksbehandler.id, "Mo fengsel", 2)
    with pytest.raises(Valideringsfeil, match="sies opp"):
        evaluering_skriving.evaluer(tj, annen.id, data(beslutning="sies_opp"), saksbehandler.id)
    evaluering_skriving.evaluer(
        tj,
        annen.id,
        data(beslutning="sies_opp", begrunnelse="Fengselet legges ned."),
        saksbehandler.id,
    )
    with tj.sesjoner() as s:
        a = s.get(Avtale, annen.id)
        assert (a.status, a.avsluttet_dato, a.status_begrunnelse) == (
            "avsluttet",
            date.today(),
            "Fengselet legges ned.",
        )


def test_ugyldig_evaluering_endrer_ingenting(tj, avtale, saksbehandler):
    for verdier, melding in (
        (data(dato=(date.today() + timedelta(days=1)).isoformat()), "fram i tid"),
        (data(deltakere_part=""), "Må fylles ut"),
        (data(beslutning="kanskje"), "beslutning"),
        (data(neste_evaluering=date.today().isoformat()), "etter denne"),
        (data(dato="32.13.2026"), "Ugyldig dato"),
    ):
        with pytest.raises(Valideringsfeil, match=melding):
            evaluering_skriving.evaluer(tj, avtale.id, verdier, saksbehandler.id)
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Evaluering)) == 0


def test_frister_paminnelser_og_kalender(tj, avtale, saksbehandler, smtp_sink):
    idag = date.today()
    with tj.transaksjon() as s:
        s.execute(update(Avtale).values(neste_evaluering=idag + timedelta(days=30)))
    forfalte, snart = paminnelser.frister_oversikt(tj, idag)
    assert forfalte == [] and snart == [(avtale.id, "Bodø fengsel", idag + timedelta(30), 30)]
    assert paminnelser.send_paminnelser(tj) == (1, [])
    assert "om 30 dager" in smtp_sink.vent_pa("kari@kommune.example.no")[0].tekst
    assert paminnelser.send_paminnelser(tj) == (0, [])  # ikke igjen før 14 dager

    navn, ics = kalender.mote_ics(tj, avtale.id)
    hendelse = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert hendelse["SUMMARY"] == "Evaluering: samarbeidsavtale med Bodø fengsel"
    assert hendelse.decoded("DTSTART").date() == idag + timedelta(days=30)
    assert navn.endswith(".ics")
    assert str(hendelse["ORGANIZER"]) == "mailto:kari@kommune.example.no"  # den ansvarlige
    assert b"This timezone" not in ics
    with tj.transaksjon() as s:  # uten e-post hos den ansvarlige: kommunens avsenderadresse
        s.get(Avtale, avtale.id).ansvarlig.epost = ""
    with pytest.raises(Oppsettsfeil, match="arrangør"):  # standardavsenderen er ugyldig
        kalender.mote_ics(tj, avtale.id)
    smtp, tj.smtp = tj.smtp, replace(tj.smtp, avsender="Kommunen <post@kommune.example.no>")
    try:
        hendelse = Calendar.from_ical(kalender.mote_ics(tj, avtale.id)[1]).walk("VEVENT")[0]
    finally:
        tj.smtp = smtp
    assert str(hendelse["ORGANIZER"]) == "mailto:post@kommune.example.no"
    with tj.transaksjon() as s:
        s.get(Avtale, avtale.id).ansvarlig.epost = "kari@kommune.example.no"

    nokkel = kalender.ny_kalendernokkel(tj, saksbehandler.id)
    feed = Calendar.from_ical(kalender.kalender_feed(tj, nokkel))
    assert len(feed.walk("VEVENT")) == 1
    ny = kalender.ny_kalendernokkel(tj, saksbehandler.id)
    assert kalender.kalender_feed(tj, nokkel) is None and kalender.kalender_feed(tj, ny)
    partner = brukere.opprett_partnerbruker(
        tj, avtale.part_id, "Kåre", "kare@bodo.example.no", "passord-12345"
    )
    assert kalender.kalender_feed(tj, kalender.ny_kalendernokkel(tj, partner.id)) is None


@pytest.mark.begge_databaser
def test_forsidens_tall_fra_kjent_historikk(tj, avtale, saksbehandler):
    klinikk = ny_inngatt_avtale(
        tj, saksbehandler.id, "Nordlandsklinikken", 2, "behandlingsinstitusjon"
    )
    utkast = skriving.opprett_utkast(
        tj,
        klinikk.part_id,
        {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT},
        saksbehandler.id,
    )
    kommune = Melder(saksbehandler.id, "saksbehandler")
    gammelt = avvik.registrer(
        tj,
        klinikk.id,
        {
            "paragraf": "§ 5",
            "oppdaget": date.today(),
            "kategori": "annet",
            "hva_skjedde": "Utskrevet uten plan.",
            "hendelsesdato": (date.today() - timedelta(days=400)).isoformat(),
        },
        kommune,
    )
    avvik.send(tj, gammelt.id, kommune)
    with tj.transaksjon() as s:
        s.execute(
            update(Avtale)
            .where(Avtale.id == avtale.id)
            .values(neste_evaluering=date.today() - timedelta(days=3))
        )
    t = oversikt.nokkeltall(tj)
    assert t.per_status == {"inngaatt": 2, "utkast": 1}
    assert t.per_sektor_status == {
        "Kriminalomsorgen": {"inngaatt": 1},
        "Spesialisthelsetjenesten": {"inngaatt": 1, "utkast": 1},
    }
    assert (t.avvik_apne, t.avvik_forfalte) == (4, 0)
    assert (t.evalueringer_forfalte, t.evalueringer_snart) == (1, 0)
    assert t.avvik_per_part_12mnd == {"Bodø fengsel": 3}  # avviket fra 400 dager siden teller ikke
    png, alt = oversikt.diagram_avvik_per_part(tj)
    assert png.startswith(b"\x89PNG") and "Bodø fengsel: 3" in alt
    assert utkast.part_id == klinikk.part_id
