"""Individuelle planer mot ekte database, ekte LibreOffice, ekte arkiv og ekte søkeindeks:
tilgang per relasjon, innsynslogg, samtykke, kryptering, signering og sletting."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text, update

from dokumenter.avtaler import signering
from dokumenter.drift import arkivdrift
from dokumenter.felles import feil
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.infrastruktur import forsegling
from dokumenter.models import Bruker, Plan, Plandokument, Planlogg, Plansletting, PlanVersjon
from dokumenter.planer import (
    ansvarsgruppe,
    avslutning,
    innsynslogg,
    lagring,
    lesing,
    paminnelser,
    samtykke,
    sletting,
)
from dokumenter.planer import signering as plansignering
from dokumenter.planer.regler import feltverdier
from dokumenter.planer.tilgang import grunnlag, synlige_plan_ider
from dokumenter.sider import sok as sok_sporring
from dokumenter.signering.runder import Signatarvalg
from dokumenter.sok import indeksering
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import FODT, KJENNEORD, PERSON, SAMTYKKE, innhold, lag_planverden

pytestmark = pytest.mark.libreoffice
NETT = "http://localhost"  # nettadressen i testenes innstillinger
KAN_LESE = {"koordinator", "medlem", "tilgang", "partner_medlem"}


@pytest.fixture
def oppskrift():
    """Planverdenen bygges én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_planverden


@pytest.fixture
def verden(forberedt):
    return forberedt


def sjekkpunkt(tj):
    """Skriv WAL-en inn i databasefilen, så filen på disk er alt som finnes."""
    conn = tj.sesjoner.kw["bind"].raw_connection()
    try:
        conn.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def handlinger(tj, plan_id):
    with tj.sesjoner() as s:
        return [
            (r.handling, r.bruker_id, r.grunnlag)
            for r in s.scalars(select(Planlogg).where(Planlogg.plan_id == plan_id))
        ]


@pytest.mark.begge_databaser
def test_bare_koordinator_medlemmer_og_tilgang_kan_lese(tj, verden):
    for relasjon, bruker_id in verden.brukere.items():
        if relasjon in KAN_LESE:
            p = lesing.les(tj, verden.plan_id, bruker_id, "test")
            assert p.person.navn == PERSON and p.person.fodselsdato == FODT
        else:
            with pytest.raises(IkkeFunnet) as e:
                lesing.les(tj, verden.plan_id, bruker_id, "test")
            assert PERSON not in str(e.value)
    # Listen og grunnlaget er enige for hver bruker og hver plan (samme regel, to spørringer).
    with tj.sesjoner() as s:
        for bruker in s.scalars(select(Bruker)):
            synlige = set(synlige_plan_ider(s, bruker))
            for plan in s.scalars(select(Plan)):
                assert (plan.id in synlige) == (grunnlag(s, plan, bruker) is not None)
    # Bare koordinatoren (og ansatte medlemmer med skriverolle) kan endre.
    assert lesing.les(tj, verden.plan_id, verden.brukere["medlem"]).grunnlag.kan_endre
    for relasjon in ("tilgang", "partner_medlem"):
        assert not lesing.les(tj, verden.plan_id, verden.brukere[relasjon]).grunnlag.kan_endre
        with pytest.raises(feil.IngenTilgang):
            lagring.lagre_versjon(tj, verden.plan_id, innhold(), verden.brukere[relasjon], 1)


@pytest.mark.begge_databaser
def test_hver_lesing_og_nedlasting_logges_med_grunnlag_og_avvisning(tj, verden):
    koord, partner = verden.brukere["koordinator"], verden.brukere["partner_medlem"]
    p = lesing.les(tj, verden.plan_id, partner, "web 10.0.0.9")
    pdf = next(d for d in p.dokumenter if d.type == "pdf")
    navn, mime, data = lesing.last_ned(tj, verden.plan_id, pdf.id, partner, "web 10.0.0.9")
    assert mime == "application/pdf" and data.startswith(b"%PDF")
    assert PERSON not in navn  # filnavnet har bare plannummeret
    assert PERSON in "".join(side.extract_text() for side in PdfReader(io.BytesIO(data)).pages)
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, verden.brukere["admin_uten_tilgang"], "web 10.0.0.1")
    with pytest.raises(IkkeFunnet):  # dokumentet hører ikke til den andre planen
        lesing.last_ned(tj, verden.annen_plan_id, pdf.id, koord)
    logg = handlinger(tj, verden.plan_id)
    partnergrunnlag = (
        f"Medlem av ansvarsgruppen (Bodø fengsel); samtykke #1 gitt "
        f"{date.today().strftime('%d.%m.%Y')}"
    )
    assert ("lest", partner, partnergrunnlag) in logg
    assert ("lastet_ned", partner, partnergrunnlag) in logg
    assert ("nektet", verden.brukere["admin_uten_tilgang"], "Ingen tilgang") in logg
    innsyn = innsynslogg.innsynslogg(tj, verden.plan_id, koord)
    assert innsyn.person.navn == PERSON
    linjer = [(linje.hvem, linje.handling) for linje in innsyn.linjer]
    assert ("Fengselsbetjent Fiona", "Lastet ned") in linjer
    assert ("Ansatt Revisor", "Åpnet planen") not in linjer  # revisoren har ikke sett den
    lesing.les(tj, verden.plan_id, verden.brukere["tilgang"])
    siste = innsynslogg.innsynslogg(tj, verden.plan_id, koord).linjer[-2]
    assert siste.hvem == "Ansatt Revisor" and "Internkontroll" in siste.grunnlag
    with pytest.raises(feil.IngenTilgang):  # innsynsloggen skrives ut av koordinatoren
        innsynslogg.innsynslogg(tj, verden.plan_id, verden.brukere["tilgang"])
    with tj.transaksjon() as s, pytest.raises(Exception, match="bare få nye rader"):
        s.execute(text("UPDATE planlogg SET grunnlag = 'endret'"))


@pytest.mark.begge_databaser
def test_trukket_samtykke_fjerner_partnerens_tilgang_med_en_gang(tj, verden):
    partner, koord = verden.brukere["partner_medlem"], verden.brukere["koordinator"]
    assert lesing.les(tj, verden.plan_id, partner).id == verden.plan_id
    trukket = samtykke.trekk_samtykke(tj, verden.plan_id, verden.bodo_id, koord, "test")
    assert trukket.mistet == ["Fengselsbetjent Fiona"]
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, partner)
    with tj.sesjoner() as s:
        assert verden.plan_id not in synlige_plan_ider(s, s.get(Bruker, partner))
    logg = handlinger(tj, verden.plan_id)
    assert ("samtykke_trukket", koord, "Koordinator for planen") in logg
    assert logg[-1] == ("nektet", partner, "Ingen tilgang")
    # Nytt samtykke gir tilgangen tilbake; et samtykke kan ikke registreres to ganger.
    samtykke.registrer_samtykke(tj, verden.plan_id, verden.bodo_id, date.today(), koord, **SAMTYKKE)
    assert lesing.les(tj, verden.plan_id, partner).id == verden.plan_id
    with pytest.raises(Valideringsfeil, match="allerede samtykke"):
        samtykke.registrer_samtykke(
            tj, verden.plan_id, verden.bodo_id, date.today(), koord, **SAMTYKKE
        )


def test_tilgang_krever_begrunnelse_og_kan_trekkes_og_utlope(tj, verden):
    koord, sjef = verden.brukere["koordinator"], verden.brukere["admin_uten_tilgang"]
    with pytest.raises(Valideringsfeil, match="minst 10 tegn"):
        ansvarsgruppe.gi_tilgang(tj, verden.plan_id, sjef, "fordi", koord)
    with pytest.raises(Valideringsfeil, match="aktive ansatte"):
        ansvarsgruppe.gi_tilgang(
            tj, verden.plan_id, verden.brukere["partner_annen_inst"], "Trenger å se planen", koord
        )
    with pytest.raises(IkkeFunnet):  # admin kan ikke gi seg selv tilgang
        ansvarsgruppe.gi_tilgang(tj, verden.plan_id, sjef, "Jeg er administrator", sjef)
    ansvarsgruppe.gi_tilgang(tj, verden.plan_id, sjef, "Klagesak til Statsforvalteren", koord)
    p = lesing.les(tj, verden.plan_id, sjef)
    assert p.grunnlag.type == "tilgang" and "Statsforvalteren" in p.grunnlag.beskrivelse
    tilgang = lesing.les(tj, verden.plan_id, koord).tilganger[-1]
    ansvarsgruppe.trekk_tilgang(tj, verden.plan_id, tilgang.id, koord)
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, sjef)
    ansvarsgruppe.gi_tilgang(
        tj, verden.plan_id, sjef, "Kortvarig kontroll av saken", koord, utloper=date.today()
    )
    assert lesing.les(tj, verden.plan_id, sjef)
    with tj.transaksjon() as s:  # sluttdatoen passert: tilgangen gjelder ikke lenger
        s.execute(text("UPDATE plantilgang SET utloper = :d"), {"d": date.today() - timedelta(1)})
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, sjef)


def test_navn_innhold_og_filer_er_kryptert_og_planen_aldri_i_indeksen(tj, verden):
    with tj.sesjoner() as s:
        rad = s.execute(text("SELECT navn_kryptert, fodselsdato_kryptert FROM plan")).first()
        filer = s.scalars(select(Plandokument.sha256)).all()
    assert PERSON not in rad[0] and "1988" not in rad[1]
    sjekkpunkt(tj)
    database = (tj.innstillinger.instans / "dokumenter.sqlite3").read_bytes()
    assert PERSON.encode() not in database and KJENNEORD.encode() not in database
    for sha in filer:
        kryptert = tj.lager.les(sha)
        assert not kryptert.startswith((b"%PDF", b"PK")) and PERSON.encode() not in kryptert
    for fil in (tj.innstillinger.instans / "indeks").rglob("*"):
        if fil.is_file():
            assert PERSON.encode() not in fil.read_bytes(), fil
            assert KJENNEORD.encode() not in fil.read_bytes(), fil


def test_sok_finner_planen_bare_for_dem_med_tilgang(tj, verden):
    def treff(relasjon, sporring=KJENNEORD):
        b = verden.brukere[relasjon]
        with tj.sesjoner() as s:
            rolle = s.get(Bruker, b).rolle
        return sok_sporring.sok(tj, sporring, rolle, bruker_id=b)

    r = treff("koordinator")
    assert [(t.art, t.objekt_id) for t in r.treff] == [("plan", verden.plan_id)]
    assert KJENNEORD in r.treff[0].utdrag and PERSON not in r.treff[0].utdrag
    for relasjon in ("annen_ansatt", "admin_uten_tilgang"):
        r = treff(relasjon)
        assert r.totalt == 0 and r.treff == []
        alle = treff(relasjon, "")  # tomt søk: fasettene teller bare det brukeren kan se
        assert all(t.art != "plan" for t in alle.treff)
        assert alle.totalt == treff("koordinator", "").totalt - 1
    assert treff("koordinator", "Nordmann").totalt == 0  # navnet indekseres aldri
    ansvarsgruppe.trekk_tilgang(
        tj,
        verden.plan_id,
        lesing.les(tj, verden.plan_id, verden.brukere["koordinator"]).tilganger[0].id,
        verden.brukere["koordinator"],
    )
    assert treff("tilgang").totalt == 0


def test_avtalen_viser_bare_antall_planer(tj, verden):
    assert lesing.antall_for_avtale(tj, verden.avtale_id) == 1


def test_ugyldig_inndata_gir_norske_meldinger_og_endrer_ingenting(tj, verden):
    koord = verden.brukere["koordinator"]
    with tj.sesjoner() as s:
        planer_for = s.scalar(select(func.count()).select_from(Plan))
    for navn, fodt, felt in (
        ("", FODT, "navn"),
        ("X" * 201, FODT, "navn"),
        ("Ola", date.today() + timedelta(days=1), "fodselsdato"),
        ("Ola", "32.13.1990", "fodselsdato"),
    ):
        with pytest.raises(Valideringsfeil) as e:
            lagring.opprett(tj, navn, fodt, verden.bodo_id, koord)
        assert felt in e.value.feil
    with pytest.raises(Valideringsfeil, match="samarbeidsavtalen med den valgte"):
        lagring.opprett(tj, "Ola", FODT, verden.mo_id, koord, avtale_id=verden.avtale_id)
    with pytest.raises(feil.IngenTilgang):
        lagring.opprett(tj, "Ola", FODT, verden.bodo_id, verden.brukere["tilgang"])
    with pytest.raises(Valideringsfeil) as e:
        lagring.lagre_versjon(tj, verden.plan_id, innhold(maal="", antall_kopier="x"), koord, 1)
    assert set(e.value.feil) == {"maal", "antall_kopier"}
    with pytest.raises(Valideringsfeil, match="settes av systemet"):
        lagring.lagre_versjon(tj, verden.plan_id, innhold(person_navn="Annen"), koord, 1)
    with pytest.raises(Valideringsfeil, match="lagret av en annen"):
        lagring.lagre_versjon(tj, verden.plan_id, innhold(), koord, 0)
    # Fiendtlig tekst havner som tekst i dokumentet, ikke som mal-kode eller XML.
    fiendtlig = "{{ person_navn }} <w:p>&amp; \x07 {% for %}"
    lagring.lagre_versjon(tj, verden.plan_id, innhold(maal=fiendtlig), koord, 1)
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Plan)) == planer_for
        lagret = feltverdier(tj, s.scalar(select(PlanVersjon).where(PlanVersjon.nummer == 2)))
    assert lagret["maal"] == "{{ person_navn }} <w:p>&amp;  {% for %}"
    assert "person_navn" not in lagret and "person_fodselsdato" not in lagret


def test_signering_med_koder_gir_forseglet_plan_og_epost_uten_navn(tj, verden, smtp_sink):
    koord, partner = verden.brukere["koordinator"], verden.brukere["partner_medlem"]
    valg = [Signatarvalg(koord, "kommune", "Koordinator"), Signatarvalg(partner, "part", "")]
    with pytest.raises(Valideringsfeil, match="ansvarsgruppen"):
        plansignering.start_runde(
            tj,
            verden.plan_id,
            [Signatarvalg(verden.brukere["partner_samme_inst"], "part")],
            koord,
        )
    smtp_sink.tom()
    assert plansignering.start_runde(tj, verden.plan_id, valg, koord, fra="test") == []
    for bruker, epost in ((koord, "koord@k.example.no"), (partner, "fengsel@bodo.example.no")):
        assert plansignering.send_kode(tj, verden.plan_id, bruker, "test") is None
        melding = [m for m in smtp_sink.vent_pa(epost, 1) if "Engangskode" in m.emne][-1]
        kode = re.search(r" er (\d{6})\.", melding.tekst).group(1)
        with pytest.raises(Valideringsfeil, match="Feil kode"):
            plansignering.signer(
                tj, verden.plan_id, bruker, "000000" if kode != "000000" else "111111", "10.0.0.2"
            )
        plansignering.signer(tj, verden.plan_id, bruker, kode, "10.0.0.2", "test")
    p = lesing.les(tj, verden.plan_id, koord)
    assert p.status == "aktiv"
    kopi = next(d for d in p.dokumenter if d.type == "forseglet")
    _, _, data = lesing.last_ned(tj, verden.plan_id, kopi.id, partner)
    segl = tj.segl
    v = forsegling.verifiser(data, [segl.sertifikat])
    assert v.intakt and [s["navn"] for s in v.signaturer] == [
        "Ansatt Koord",
        "Fengselsbetjent Fiona",
    ]
    for m in smtp_sink.meldinger():
        assert PERSON not in m.tekst and PERSON not in m.emne
    # Trekkes samtykket mens partneren ennå skal signere, trekkes runden (den kan ikke
    # fullføres), og uten samtykke kan partneren ikke være med i en ny runde.
    lagring.lagre_versjon(tj, verden.plan_id, innhold(), koord, 1)
    plansignering.start_runde(tj, verden.plan_id, valg, koord)
    samtykke.trekk_samtykke(tj, verden.plan_id, verden.bodo_id, koord)
    assert lesing.les(tj, verden.plan_id, koord).status == "utkast"
    assert ("runde_trukket", koord, "Koordinator for planen") in handlinger(tj, verden.plan_id)
    with pytest.raises(Valideringsfeil, match="samtykket"):
        plansignering.start_runde(tj, verden.plan_id, valg, koord)


def test_skannet_kopi_signert_pa_papir(tj, verden):
    koord = verden.brukere["koordinator"]
    with pytest.raises(Valideringsfeil, match="ikke en PDF"):
        plansignering.last_opp_signert(tj, verden.plan_id, b"GIF89a", koord)
    with pytest.raises(Valideringsfeil, match="skadet"):
        plansignering.last_opp_signert(tj, verden.plan_id, b"%PDF-1.4 tull", koord)
    p = lesing.les(tj, verden.plan_id, koord)
    pdf = next(d for d in p.dokumenter if d.type == "pdf")
    _, _, data = lesing.last_ned(tj, verden.plan_id, pdf.id, koord)
    plansignering.last_opp_signert(tj, verden.plan_id, data, koord, "test")
    assert lesing.les(tj, verden.plan_id, koord).status == "aktiv"
    with pytest.raises(feil.IngenTilgang):
        plansignering.last_opp_signert(tj, verden.plan_id, data, verden.brukere["tilgang"])


def test_sletting_etter_oppbevaringstid_etterlater_ingenting(tj, verden):
    koord = verden.brukere["koordinator"]
    p = lesing.les(tj, verden.plan_id, koord)
    pdf = next(d for d in p.dokumenter if d.type == "pdf")
    _, _, data = lesing.last_ned(tj, verden.plan_id, pdf.id, koord)
    plansignering.last_opp_signert(tj, verden.plan_id, data, koord)
    with tj.sesjoner() as s:
        filer = set(s.scalars(select(Plandokument.sha256)))
        nummer = s.get(Plan, verden.plan_id).nummer
    assert sletting.slett_utlopte(tj).planer == []  # ikke avsluttet: slettes ikke
    slettes = avslutning.avslutt(tj, verden.plan_id, "Flyttet til en annen kommune.", koord)
    assert slettes == date.today() + timedelta(days=tj.innstillinger.plan_oppbevaring_dager)
    assert sletting.slett_utlopte(tj, idag=slettes).planer == []  # først dagen etter
    rapport = sletting.slett_utlopte(tj, idag=slettes + timedelta(days=1), utfort_av="test")
    assert rapport.planer == [nummer]
    assert rapport.filer == 3  # docx, pdf, skannet
    assert rapport.rader["plan"] == 1 and rapport.rader["planlogg"] > 5
    # Ingenting er igjen: databasen, filene, indeksen.
    with tj.sesjoner() as s:
        assert s.get(Plan, verden.plan_id) is None
        assert s.scalar(select(Plansletting.plan_nummer)) == nummer
    for sha in filer:
        assert not tj.lager.finnes(sha)
    assert rapport.databasefil_renset is True  # slettingen tømmer WAL-en selv
    wal = tj.innstillinger.instans / "dokumenter.sqlite3-wal"
    assert not wal.exists() or KJENNEORD.encode() not in wal.read_bytes()
    conn = tj.sesjoner.kw["bind"].raw_connection()
    try:
        dump = "\n".join(conn.driver_connection.iterdump())
    finally:
        conn.close()
    assert KJENNEORD not in dump and "Fengselsbetjent Fiona" in dump  # brukeren finnes
    assert "Flyttet til en annen kommune" not in dump
    database = (tj.innstillinger.instans / "dokumenter.sqlite3").read_bytes()
    assert KJENNEORD.encode() not in database
    for fil in (tj.innstillinger.instans / "indeks").rglob("*"):
        if fil.is_file():
            assert KJENNEORD.encode() not in fil.read_bytes(), fil
    r = sok_sporring.sok(tj, KJENNEORD, "saksbehandler", bruker_id=koord)
    assert r.totalt == 0
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, koord)
    assert lesing.antall_for_avtale(tj, verden.avtale_id) == 0
    # Reindeksering tar ikke planen inn igjen, og arkivkontrollen er ren.
    indeksering.reindekser(tj)
    assert sok_sporring.sok(tj, KJENNEORD, "saksbehandler", bruker_id=koord).totalt == 0

    rapport = arkivdrift.verifiser(tj)
    assert rapport.ren, rapport


def test_avsluttet_plan_kan_ikke_endres(tj, verden):
    koord = verden.brukere["koordinator"]
    with pytest.raises(Valideringsfeil, match="hvorfor"):
        avslutning.avslutt(tj, verden.plan_id, "  ", koord)
    avslutning.avslutt(tj, verden.plan_id, "Målene er nådd.", koord)
    with pytest.raises(Valideringsfeil, match="avsluttet og kan ikke endres"):
        lagring.lagre_versjon(tj, verden.plan_id, innhold(), koord, 1)
    assert lesing.les(tj, verden.plan_id, verden.brukere["partner_medlem"]).status == "avsluttet"


def test_paminnelse_om_revisjon_nevner_bare_plannummeret(tj, verden, smtp_sink):
    koord = verden.brukere["koordinator"]
    smtp_sink.tom()
    revideres = date(2027, 6, 30)  # fra innhold()
    assert paminnelser.send_paminnelser(tj, idag=revideres - timedelta(days=31)) == (0, [])
    assert paminnelser.send_paminnelser(tj, idag=revideres - timedelta(days=30)) == (1, [])
    (melding,) = smtp_sink.vent_pa("koord@k.example.no", 1)
    assert "IP-" in melding.emne and "om 30 dager" in melding.tekst
    assert PERSON not in melding.tekst and PERSON not in melding.emne
    # Høyst hver 14. dag; en avsluttet plan påminnes ikke.
    assert paminnelser.send_paminnelser(tj, idag=revideres) == (0, [])
    avslutning.avslutt(tj, verden.plan_id, "Flyttet.", koord)
    with tj.transaksjon() as s:
        s.get(Plan, verden.plan_id).evaluering_paminnet = None
    assert paminnelser.send_paminnelser(tj, idag=revideres) == (0, [])


@pytest.mark.begge_databaser
def test_sletting_fjerner_alle_rader_ogsa_signeringsrunder(tj, verden, smtp_sink):
    """Slettingen på begge databaser: triggerne slipper radene gjennom bare for en plan som er
    merket «slettes», og runder, signerere og koder går med."""
    koord, partner = verden.brukere["koordinator"], verden.brukere["partner_medlem"]
    plansignering.start_runde(
        tj,
        verden.plan_id,
        [Signatarvalg(koord, "kommune"), Signatarvalg(partner, "part")],
        koord,
    )
    plansignering.send_kode(tj, verden.plan_id, koord)
    with tj.transaksjon() as s, pytest.raises(Exception, match="bare få nye rader"):
        s.execute(text("DELETE FROM planlogg"))
    avslutning.avslutt(tj, verden.plan_id, "Flyttet.", koord)
    rapport = sletting.slett_utlopte(tj, idag=date.today() + timedelta(days=4000))
    assert len(rapport.planer) == 1 and rapport.rader["signeringsrunde"] == 1
    assert rapport.rader["signatar"] == 2 and rapport.rader["engangskode"] == 1
    with tj.sesjoner() as s:
        for tabell in (
            "plan",
            "planversjon",
            "plandokument",
            "planlogg",
            "samtykke",
            "plantilgang",
            "ansvarsgruppemedlem",
        ):
            antall = s.scalar(
                text(f"SELECT count(*) FROM {tabell} WHERE plan_id = :p")
                if tabell != "plan"
                else text("SELECT count(*) FROM plan WHERE id = :p"),
                {"p": verden.plan_id},
            )
            assert antall == 0, tabell
        assert s.scalar(select(func.count()).select_from(Plan)) == 1  # den andre planen


def test_planrunder_pamines_utloper_og_blandes_ikke_med_avtalene(tj, verden, smtp_sink):
    from dokumenter.models import Signatar, Signeringsrunde

    koord, partner = verden.brukere["koordinator"], verden.brukere["partner_medlem"]
    valg = [Signatarvalg(partner, "part"), Signatarvalg(koord, "kommune")]
    plansignering.start_runde(tj, verden.plan_id, valg, koord, frist_dager=10)
    smtp_sink.tom()
    assert signering.send_paminnelser(tj).paminnet == []  # avtalenes jobb rører den ikke
    assert plansignering.send_paminnelser(tj).paminnet == []  # varslet nettopp
    with tj.transaksjon() as s:
        s.execute(update(Signatar).values(varslet=naa() - timedelta(days=8)))
    r = plansignering.send_paminnelser(tj)
    assert len(r.paminnet) == 1
    (melding,) = smtp_sink.vent_pa("fengsel@bodo.example.no", 1)
    assert melding.emne.startswith("Påminnelse: Individuell plan IP-")
    assert PERSON not in melding.tekst
    with tj.transaksjon() as s:
        s.execute(update(Signeringsrunde).values(frist=naa() - timedelta(days=1)))
    assert len(plansignering.send_paminnelser(tj).utlopt) == 1
    assert lesing.les(tj, verden.plan_id, koord).status == "utkast"
    assert ("runde_utlopt", None, "Systemet") in handlinger(tj, verden.plan_id)


def test_koordinatoren_kan_byttes_med_begrunnelse(tj, verden):
    koord, nav = verden.brukere["koordinator"], verden.brukere["medlem"]
    annen = verden.brukere["annen_ansatt"]
    with pytest.raises(Valideringsfeil, match="hvorfor"):
        ansvarsgruppe.overfor_koordinator(tj, verden.plan_id, annen, "", koord)
    with pytest.raises(Valideringsfeil, match="skrivetilgang"):
        ansvarsgruppe.overfor_koordinator(
            tj, verden.plan_id, verden.brukere["tilgang"], "Ferie", koord
        )
    with pytest.raises(feil.IngenTilgang):
        ansvarsgruppe.overfor_koordinator(
            tj, verden.plan_id, annen, "Ferie", verden.brukere["tilgang"]
        )
    assert (
        ansvarsgruppe.overfor_koordinator(tj, verden.plan_id, annen, "Ny jobb", koord)
        == "Ansatt Annen"
    )
    assert lesing.les(tj, verden.plan_id, annen).grunnlag.type == "koordinator"
    with pytest.raises(IkkeFunnet):  # den forrige er ikke i ansvarsgruppen
        lesing.les(tj, verden.plan_id, koord)
    assert lesing.les(tj, verden.plan_id, nav).grunnlag.type == "medlem"
    linjer = innsynslogg.innsynslogg(tj, verden.plan_id, annen).linjer
    assert any(
        linje.handling == "Byttet koordinator" and "fra: Ansatt Koord" in linje.detaljer
        for linje in linjer
    )


def test_plan_avsluttet_mens_dokumentene_lages_blir_ikke_gjenapnet(tj, verden):
    koord, nav = verden.brukere["koordinator"], verden.brukere["medlem"]
    ekte = tj.konverterer

    class AvsluttUnderveis:
        def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
            avslutning.avslutt(tj, verden.plan_id, "Flyttet.", nav)  # en annen, samtidig
            return ekte.til_pdfa(docx, timeout)

    tj.konverterer = AvsluttUnderveis()
    try:
        with pytest.raises(Valideringsfeil, match="avsluttet"):
            lagring.lagre_versjon(tj, verden.plan_id, innhold(), koord, 1)
    finally:
        tj.konverterer = ekte
    p = lesing.les(tj, verden.plan_id, koord)
    assert p.status == "avsluttet" and p.versjon == 1 and p.slettes_etter is not None
    # En avsluttet plan gir ingen ny tilgang, men tilgang kan tas bort.
    for handling in (
        lambda: ansvarsgruppe.gi_tilgang(
            tj,
            verden.plan_id,
            verden.brukere["admin_uten_tilgang"],
            "Vil se den avsluttede planen",
            koord,
        ),
        lambda: ansvarsgruppe.legg_til_medlem(
            tj, verden.plan_id, verden.brukere["annen_ansatt"], "NAV", "", koord
        ),
        lambda: samtykke.registrer_samtykke(
            tj, verden.plan_id, verden.mo_id, date.today(), koord, **SAMTYKKE
        ),
        lambda: ansvarsgruppe.overfor_koordinator(
            tj, verden.plan_id, verden.brukere["annen_ansatt"], "Ferie", nav
        ),
    ):
        with pytest.raises(Valideringsfeil, match="avsluttet"):
            handling()
    samtykke.trekk_samtykke(tj, verden.plan_id, verden.bodo_id, koord)


def test_liste_og_sok_logges_en_gang_per_dag(tj, verden):
    revisor = verden.brukere["tilgang"]
    lesing.liste(tj, revisor, "test")
    lesing.liste(tj, revisor, "test")
    from web import create_app

    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    k = app.test_client()
    svar = k.post("/logg-inn", data={"brukernavn": "revisor", "passord": PASSORD})
    assert svar.status_code == 302
    assert k.get(f"/api/sok?q={KJENNEORD}").get_json()["totalt"] == 1
    k.get(f"/sok?q={KJENNEORD}")
    logg = [h for h in handlinger(tj, verden.plan_id) if h[1] == revisor]
    assert [h[0] for h in logg] == ["listet", "sokt_fram"]
    assert all("Internkontroll" in h[2] for h in logg)


def test_signerer_som_fjernes_fra_gruppen_trekker_runden(tj, verden, smtp_sink):
    koord, nav = verden.brukere["koordinator"], verden.brukere["medlem"]
    plansignering.start_runde(
        tj,
        verden.plan_id,
        [Signatarvalg(koord, "kommune"), Signatarvalg(nav, "kommune")],
        koord,
    )
    medlem = next(m for m in lesing.les(tj, verden.plan_id, koord).medlemmer if m.bruker_id == nav)
    ansvarsgruppe.fjern_medlem(tj, verden.plan_id, medlem.id, koord)
    assert lesing.les(tj, verden.plan_id, koord).status == "utkast"
    assert ("runde_trukket", koord, "Koordinator for planen") in handlinger(tj, verden.plan_id)


def test_ny_tilgang_erstatter_den_gjeldende(tj, verden):
    koord, revisor = verden.brukere["koordinator"], verden.brukere["tilgang"]
    ansvarsgruppe.gi_tilgang(
        tj,
        verden.plan_id,
        revisor,
        "Fornyet for ett år",
        koord,
        utloper=date.today() + timedelta(days=365),
    )
    gjeldende = [t for t in lesing.les(tj, verden.plan_id, koord).tilganger if not t.trukket]
    assert [t.grunn for t in gjeldende] == ["Fornyet for ett år"]
    ansvarsgruppe.trekk_tilgang(tj, verden.plan_id, gjeldende[0].id, koord)
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, revisor)


def test_deaktivert_bruker_og_plan_under_sletting_gir_ingen_tilgang(tj, verden):
    koord, nav = verden.brukere["koordinator"], verden.brukere["medlem"]
    with tj.transaksjon() as s:
        s.get(Bruker, nav).aktiv = False
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, nav)
    with tj.sesjoner() as s:
        assert synlige_plan_ider(s, s.get(Bruker, nav)) == []
    with tj.transaksjon() as s:  # som når slettingen er avbrutt etter første steg
        s.get(Plan, verden.plan_id).status = "slettes"
    antall = len(handlinger(tj, verden.plan_id))
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, koord)
    assert lesing.liste(tj, koord).rader == []  # koordinatoren har bare denne planen
    assert len(handlinger(tj, verden.plan_id)) == antall  # ingenting logges på en plan som slettes


def test_samtykket_har_omfang_formal_form_og_skannet_kopi(tj, verden):
    """Avtalens § 8: hvilke opplysninger, formålet og formen (skriftlig, eller muntlig med
    vitne); et skriftlig samtykke lastes opp skannet og krypteres som planens filer."""
    koord = verden.brukere["koordinator"]
    for endring, felt in (
        ({"omfang": ""}, "omfang"),
        ({"formal": ""}, "formal"),
        ({"form": "epost"}, "form"),
        ({"form": "muntlig", "vitne": ""}, "vitne"),
    ):
        with pytest.raises(Valideringsfeil) as e:
            samtykke.registrer_samtykke(
                tj, verden.plan_id, verden.mo_id, date.today(), koord, **{**SAMTYKKE, **endring}
            )
        assert felt in e.value.feil
    samtykke.registrer_samtykke(
        tj,
        verden.plan_id,
        verden.mo_id,
        date.today(),
        koord,
        **{**SAMTYKKE, "form": "muntlig", "vitne": "Kari Koordinator og Per Programleder"},
    )
    p = lesing.les(tj, verden.plan_id, koord)
    skriftlig = next(s for s in p.samtykker if s.part_id == verden.bodo_id)
    muntlig = next(s for s in p.samtykker if s.part_id == verden.mo_id)
    assert muntlig.form == "muntlig" and muntlig.vitne.startswith("Kari")
    assert skriftlig.omfang == SAMTYKKE["omfang"] and skriftlig.formal == SAMTYKKE["formal"]
    with pytest.raises(Valideringsfeil, match="skriftlig"):
        samtykke.last_opp_samtykke(tj, verden.plan_id, muntlig.id, _en_pdf(tj, verden), koord)
    pdf = _en_pdf(tj, verden)
    samtykke.last_opp_samtykke(tj, verden.plan_id, skriftlig.id, pdf, koord)
    p = lesing.les(tj, verden.plan_id, koord)
    dok_id = next(s.dokument_id for s in p.samtykker if s.id == skriftlig.id)
    assert dok_id is not None
    assert all(d.type != "samtykke_skannet" for d in p.dokumenter)  # ikke i planens liste
    navn, _, data = lesing.last_ned(tj, verden.plan_id, dok_id, koord)
    assert data == pdf and navn.startswith("Samtykke IP-")
    with tj.sesjoner() as s:
        kryptert = tj.lager.les(s.get(Plandokument, dok_id).sha256)
    assert kryptert != pdf
    # Å trekke samtykket virker som før.
    samtykke.trekk_samtykke(tj, verden.plan_id, verden.bodo_id, koord)
    with pytest.raises(IkkeFunnet):
        lesing.les(tj, verden.plan_id, verden.brukere["partner_medlem"])


def _en_pdf(tj, verden) -> bytes:
    with tj.sesjoner() as s:
        dok = s.scalar(
            select(Plandokument).where(
                Plandokument.plan_id == verden.plan_id, Plandokument.type == "pdf"
            )
        )
    return tj.chiffer.dekrypter(tj.lager.les(dok.sha256))


# --- Tiltak og fremdriftsplan som rader, og avtalevalget på «Ny plan» -------------------------


def _gjeldende(tj, plan_id):
    with tj.sesjoner() as s:
        plan = s.get(Plan, plan_id)
        versjon = s.scalar(
            select(PlanVersjon).where(
                PlanVersjon.plan_id == plan_id, PlanVersjon.nummer == plan.gjeldende_versjon
            )
        )
        return plan.gjeldende_versjon, feltverdier(tj, versjon)


def _rad(**endring):
    return {"hva": "Visning", "ansvarlig": "Boligkontoret", "fra": "", "til": "", **endring}


@pytest.mark.parametrize(
    ("rad", "nokkel", "tekst"),
    [
        (_rad(fra="snart"), "tiltak-2-fra", "«snart» er ikke det"),
        (_rad(til="31.02.2027"), "tiltak-2-til", "«31.02.2027» er ikke det"),
        (_rad(fra="2027-03-01", til="01.02.2027"), "tiltak-2-til", "kan ikke være før «Fra»"),
        (_rad(hva=""), "tiltak-2-hva", "skriv hva som skal gjøres"),
        (_rad(status="snart_ferdig"), "tiltak-2-status", "velg en status"),
    ],
)
def test_datoer_i_tiltak_valideres_med_rad_og_felt_og_endrer_ingenting(
    tj, verden, rad, nokkel, tekst
):
    koord = verden.brukere["koordinator"]
    for_ = _gjeldende(tj, verden.plan_id)
    tiltak = [_rad(fra="01.01.2027"), rad]
    with pytest.raises(Valideringsfeil) as e:
        lagring.lagre_versjon(tj, verden.plan_id, innhold(tiltak=tiltak), koord, 1)
    assert tekst in e.value.feil[nokkel] and e.value.feil[nokkel].startswith("Tiltak, rad 2")
    assert _gjeldende(tj, verden.plan_id) == for_


def test_radene_lagres_med_iso_datoer_og_vises_norsk(tj, verden):
    koord = verden.brukere["koordinator"]
    tiltak = [
        _rad(fra="01.02.2027", til="2027-03-01", status="pagar"),
        _rad(hva="", ansvarlig=""),  # tom rad: lagres ikke
    ]
    fremdrift = [_rad(hva="Innflytting", fra="2027-03-02", status="fullfort")]
    lagring.lagre_versjon(
        tj, verden.plan_id, innhold(tiltak=tiltak, fremdriftsplan=fremdrift), koord, 1
    )
    nummer, lagret = _gjeldende(tj, verden.plan_id)
    assert nummer == 2
    assert lagret["tiltak"] == [
        {
            "hva": "Visning",
            "ansvarlig": "Boligkontoret",
            "fra": "2027-02-01",
            "til": "2027-03-01",
            "status": "pagar",
        }
    ]
    assert lagret["fremdriftsplan"][0]["status"] == "fullfort"
    p = lesing.les(tj, verden.plan_id, koord)
    assert p.visningsverdier["tiltak"][0] | {} == {
        "hva": "Visning",
        "ansvarlig": "Boligkontoret",
        "fra": "01.02.2027",
        "til": "01.03.2027",
        "status": "Pågår",
    }


def test_eldre_planer_leses_som_rader(tj, verden):
    """Versjoner lagret før radene: (tiltak, omfang, ansvarlig, frist), (dato, steg,
    ansvarlig) og tekstlinjer «a | b | c». De gjøres om når de leses."""
    gammel = {
        **innhold(),
        "tiltak": [
            {"tiltak": "Leilighet", "omfang": "2-roms", "ansvarlig": "Bolig", "frist": "snart"},
            {"tiltak": "Boveileder", "omfang": "", "ansvarlig": "Rus", "frist": "01.03.2027"},
        ],
        "fremdriftsplan": ["15.01.2027 | Visning av bolig | Boligkontoret"],
    }
    # Versjonene kan bare få nye rader (utløser i databasen): les en versjon som ikke lagres.
    lagret = feltverdier(tj, PlanVersjon(innhold_kryptert=tj.chiffer.krypter_json(gammel)))
    p = lesing.Planvisning.__new__(lesing.Planvisning)
    p.feltverdier = lagret
    assert p.feltverdier["tiltak"] == [
        {"hva": "Leilighet (2-roms)", "ansvarlig": "Bolig", "fra": "", "til": "snart",
         "status": ""},
        {"hva": "Boveileder", "ansvarlig": "Rus", "fra": "", "til": "2027-03-01", "status": ""},
    ]  # fmt: skip
    assert p.feltverdier["fremdriftsplan"] == [
        {"hva": "Visning av bolig", "ansvarlig": "Boligkontoret", "fra": "2027-01-15",
         "til": "", "status": ""},
    ]  # fmt: skip
    assert p.visningsverdier["tiltak"][0]["til"] == "snart"
    # Lagres den på nytt uten å rette fristen, sier valideringen fra.
    with pytest.raises(Valideringsfeil, match="«snart» er ikke det"):
        lagring.lagre_versjon(
            tj, verden.plan_id, {**gammel, "fremdriftsplan": []}, verden.brukere["koordinator"], 1
        )


def _app(tj):
    from web import create_app

    return create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)


def test_ny_plan_viser_bare_avtalene_til_valgt_institusjon(tj, verden):
    from tests.stotte.planverden import klient_for

    k = klient_for(_app(tj), "koordinator")
    alle = k.get("/planer/ny").get_data(as_text=True)
    valgliste = alle.split('id="avtale_id"')[1].split("</select>")[0]
    assert '<option value="">Ingen</option>' in valgliste and "Samarbeidsavtale" not in valgliste
    assert f'data-part="{verden.bodo_id}"' in alle  # for JavaScript, i en <template>
    assert "planskjema.js" in alle and "<script>" not in alle
    for part_id, ventet in ((verden.bodo_id, True), (verden.mo_id, False)):
        side = k.post(
            "/planer/ny", data={"part_id": str(part_id), "vis_avtaler": "1", "navn": "Ola"}
        ).get_data(as_text=True)
        valgliste = side.split('id="avtale_id"')[1].split("</select>")[0]
        assert (f'value="{verden.avtale_id}"' in valgliste) is ventet
        assert "(til gjennomgang hos parten)" in valgliste if ventet else True
        assert 'value="Ola"' in side  # det som er skrevet, står
    with tj.sesjoner() as s:
        antall = s.scalar(select(func.count()).select_from(Plan))
    svar = k.post(
        "/planer/ny",
        data={
            "navn": "Ola",
            "fodselsdato": "1990-01-01",
            "part_id": str(verden.mo_id),
            "avtale_id": str(verden.avtale_id),
        },
    )
    assert "samarbeidsavtalen med den valgte institusjonen" in svar.get_data(as_text=True)
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Plan)) == antall


def test_innholdsskjemaet_har_rader_med_datoer_og_beholder_det_som_er_skrevet(tj, verden):
    from tests.stotte.planverden import klient_for

    k = klient_for(_app(tj), "koordinator")
    side = k.get(f"/planer/{verden.plan_id}/endre").get_data(as_text=True)
    assert 'name="tiltak-1-hva"' in side and 'name="tiltak-4-hva"' in side  # 1 + 3 tomme
    assert 'name="tiltak-1-fra" aria-label="Fra, rad 1" value="2027-01-01"' in side
    assert 'type="date"' in side and "Flere rader" in side
    skjema = {m[0]: m[1] for m in re.findall(r'name="([a-z_0-9-]+)"[^>]*?value="([^"]*)"', side)}
    skjema = {n: v for n, v in skjema.items() if n not in ("flere_rader", "vis_avtaler")}
    for navn in re.findall(r'<textarea id="[a-z_]+" name="([a-z_]+)"', side):
        skjema[navn] = innhold()[navn] if isinstance(innhold().get(navn), str) else ""
    skjema.update({"maal": "Egen bolig.", "tjenestebehov": "Bolig.", "antall_kopier": "2"})
    # «Flere rader» (uten JavaScript) viser skjemaet igjen med tre rader til, uten å lagre.
    flere = k.post(
        f"/planer/{verden.plan_id}/endre", data={**skjema, "flere_rader": "fremdriftsplan"}
    ).get_data(as_text=True)
    assert 'name="fremdriftsplan-8-hva"' in flere  # 2 + 3 tomme + 3 nye
    assert _gjeldende(tj, verden.plan_id)[0] == 1
    # En dato som ikke finnes: ingenting lagres, meldingen nevner raden, det skrevne står.
    feil = k.post(
        f"/planer/{verden.plan_id}/endre",
        data={**skjema, "tiltak-2-hva": "Boveiledning", "tiltak-2-til": "31.02.2027"},
    ).get_data(as_text=True)
    assert "Tiltak, rad 2: «Til» må være en ekte dato" in feil
    assert 'href="#tiltak-2-til"' in feil and 'aria-invalid="true"' in feil
    assert 'value="31.02.2027"' in feil and 'type="text"' in feil  # vises, kan rettes
    assert 'value="Boveiledning"' in feil
    assert _gjeldende(tj, verden.plan_id)[0] == 1
    ok = k.post(
        f"/planer/{verden.plan_id}/endre",
        data={**skjema, "tiltak-2-hva": "Boveiledning", "tiltak-2-til": "28.02.2027"},
    )
    assert ok.status_code == 302
    nummer, lagret = _gjeldende(tj, verden.plan_id)
    assert nummer == 2 and lagret["tiltak"][1]["til"] == "2027-02-28"
    vis = k.get(f"/planer/{verden.plan_id}").get_data(as_text=True)
    assert "28.02.2027" in vis and "Ikke startet" in vis
