"""§ 10-tallene og oversikten over vanskeligstilte: regnet ut av overgangene, med definisjoner,
og skjermet så ingen person kan kjennes igjen — heller ikke én person alene i en kategori, og
heller ikke av noen uten tilgang til planene. Tallene kommer med i evalueringsrapporten
(ekte LibreOffice) og på forsiden."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from dokumenter.brukere import kontoer as brukere
from dokumenter.evaluering import lesing as evalueringslesing
from dokumenter.evaluering import skriving as evaluering
from dokumenter.models import Avtale
from dokumenter.overgang import kartlegging, oversikt, skriving, statistikk, utfall
from dokumenter.planer import lagring
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import PERSON, klient_for, lag_planverden
from web import create_app

pytestmark = pytest.mark.libreoffice

IDAG = date.today()


def _inngatt_for_ett_aar_siden(tj, avtale_id):
    """Avtalen gjelder fra for et år siden (uten signert kopi regnes evalueringsperioden fra
    avtalen ble laget), så utfallene i fjor høst er i perioden."""
    with tj.transaksjon() as s:
        avtale = s.get(Avtale, avtale_id)
        avtale.status = "inngaatt"
        avtale.opprettet = avtale.opprettet - timedelta(days=400)


def _person(tj, v, nr: int, losladt: str | None, seks: str | None = None, kart=None) -> int:
    """En plan under avtalen med overgang, utfall og kartlegging (uten LibreOffice)."""
    koord = v.brukere["koordinator"]
    plan_id = lagring.opprett(
        tj, f"Person {nr}", date(1980, 1, nr % 28 + 1), v.bodo_id, koord, avtale_id=v.avtale_id
    )
    if losladt:
        skriving.start(tj, plan_id, koord)
        dag = IDAG - timedelta(days=200)
        arsak = "" if losladt == "fast_bolig" else "Ingen bolig klar"
        utfall.registrer(
            tj, plan_id, {"punkt": "losladt", "dato": dag, "utfall": losladt, "arsak": arsak}, koord
        )
        if seks:
            utfall.registrer(
                tj,
                plan_id,
                {
                    "punkt": "6_mnd",
                    "dato": dag + timedelta(days=190),
                    "utfall": seks,
                    "arsak": "" if seks == "beholdt" else "Restanser",
                },
                koord,
            )
    for dager, kategori, under, niva in kart or ():
        kartlegging.registrer(
            tj,
            plan_id,
            {
                "kategori": kategori,
                "underkategori": under,
                "behovsniva": niva,
                "gyldig_fra": IDAG - timedelta(days=dager),
            },
            koord,
        )
    return plan_id


@pytest.fixture
def verden(tj):
    v = lag_planverden(tj)  # planen der: omfattet, men ikke løslatt
    _inngatt_for_ett_aar_siden(tj, v.avtale_id)
    for nr in range(6):
        _person(tj, v, nr, "fast_bolig", "beholdt" if nr < 5 else "mistet")
    _person(tj, v, 6, "midlertidig")
    return v


def test_paragraf10_er_regnet_ut_og_skjermet(tj, verden):
    p10 = statistikk.paragraf10(tj, verden.avtale_id, IDAG - timedelta(days=365), IDAG)
    tall = {r.nokkel: r.tall.tekst for r in p10.rader}
    assert tall["omfattet"] == "8"  # planverdens plan og de sju
    assert tall["losladt"] == "7"
    # Én i midlertidig botilbud: «under 5», og fast bolig skjules også (7 − 0 − 6 = 1).
    assert tall["midlertidig"] == "under 5" and tall["fast_bolig"] == "skjult"
    assert tall["uten_bolig"] == "0"
    assert tall["vurdert_6"] == "6"
    assert tall["ikke_beholdt_6"] == "under 5" and tall["beholdt_6"] == "skjult"
    assert all(r.definisjon for r in p10.rader)
    # Ingen plan i perioden før avtalen ble laget.
    tomt = statistikk.paragraf10(tj, verden.avtale_id, date(2000, 1, 1), date(2000, 12, 31))
    assert {r.tall.tekst for r in tomt.rader} == {"0"}


def test_evalueringen_og_rapporten_har_tallene(tj, verden):
    koord = verden.brukere["koordinator"]
    forslag = evaluering.forslag(tj, verden.avtale_id)
    assert forslag["paragraf10"].tall("losladt").tekst == "7"
    ev = evaluering.evaluer(
        tj,
        verden.avtale_id,
        {
            "dato": IDAG,
            "deltakere_kommune": "K",
            "deltakere_part": "P",
            "beslutning": "viderefores",
        },
        koord,
    )
    lagret = {r["nokkel"]: r["antall"] for r in ev.statistikk["paragraf10"]}
    assert lagret["midlertidig"] == "under 5"
    _, pdf = evalueringslesing.les_rapport(tj, ev.id, "pdf", koord)
    tekst = " ".join(s.extract_text() for s in PdfReader(io.BytesIO(pdf)).pages)
    tekst = " ".join(tekst.split())
    assert "Personene avtalen omfattet" in tekst
    assert "Endte i midlertidig botilbud under 5" in tekst
    assert "Hadde fast bolig fra dag én skjult" in tekst
    assert "under 5" in tekst and PERSON not in tekst and "Person 6" not in tekst


def test_oversikten_skjermer_en_person_alene_i_en_kategori(tj, verden):
    koord = verden.brukere["koordinator"]
    # Én person i «i fare for å miste boligen», sju som er bosatt (nivå 2), to av dem rødt →
    # gult i perioden.
    _person(tj, verden, 20, None, kart=[(10, "fare", "restanse", 3)])
    for nr in range(21, 28):
        start = [(400, "uten_bolig", "fengsel", 3)] if nr < 23 else []
        _person(tj, verden, nr, None, kart=[*start, (20, "bosatt", "bosatt", 2)])
    o = oversikt.oversikt(tj)
    kat = o.kategori_niva
    fare = kat.radnavn.index("I fare for å miste boligen")
    assert kat.radsummer[fare].tekst == "under 5"
    assert kat.celler[fare][2].tekst == "under 5"
    bosatt = kat.radnavn.index("I egnet bolig (ikke lenger vanskeligstilt)")
    assert kat.radsummer[bosatt].tekst == "7"
    # Kolonnen for nivå 3 har bare den ene: summen er under 5, og totalen kan ikke avsløre den.
    assert kat.kolonnesummer[2].tekst == "under 5"
    beveg = dict(o.bevegelse_sum)
    assert beveg["Ned ett nivå eller mer (mindre behov)"].tekst == "under 5"
    assert o.bevegelse.celler[2][1].tekst == "under 5"  # fra nivå 3 til nivå 2
    csv = o.csv()
    assert "under 5" in csv and not re.search(r"Person \d", csv) and "IP-" not in csv

    # Over HTTP: alle ansatte ser bare tallene; partnere og anonyme slipper ikke inn.
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    brukere.opprett_bruker(tj, "leser", "Leser", "lesetilgang", PASSORD)
    for rolle in ("koordinator", "annen_ansatt", "admin_uten_tilgang"):
        k = klient_for(app, rolle)
        side = k.get("/oversikt/vanskeligstilte").get_data(as_text=True)
        assert "I fare for å miste boligen" in side and "under 5" in side
        for hemmelig in (PERSON, "Person 20", "IP-", "/planer/1"):
            assert hemmelig not in side, (rolle, hemmelig)
        assert k.get("/oversikt/vanskeligstilte.png").mimetype == "image/png"
        svar = k.get("/oversikt/vanskeligstilte.csv")
        assert svar.mimetype == "text/csv" and not re.search(
            r"Person \d", svar.get_data(as_text=True)
        )
    assert klient_for(app, "partner_medlem").get("/oversikt/vanskeligstilte").status_code == 403
    assert app.test_client().get("/oversikt/vanskeligstilte").status_code == 302
    # Forsiden har § 10-tallene for alle avtaler, skjermet, uten personer.
    forside = klient_for(app, "annen_ansatt").get("/").get_data(as_text=True)
    assert "Fra institusjon til bolig siste 12 måneder" in forside
    assert "Endte i midlertidig botilbud" in forside and not re.search(r"Person \d", forside)
    assert koord  # koordinatoren finnes
