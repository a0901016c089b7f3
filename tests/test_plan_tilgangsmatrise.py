"""Hver rute for individuelle planer × hver rolle og relasjon til planen: anonym, koordinator,
medlem av ansvarsgruppen, ansatt med begrunnet tilgang, annen ansatt, admin uten tilgang,
partner i ansvarsgruppen (med samtykke), partner ved samme institusjon uten å være medlem og
partner ved en annen institusjon. Pluss lekkasjetester: søk, feilsider, logger og eksport.

Rutene hentes fra appen (url_map), så en ny planrute uten regel her får testen til å feile.
CSRF er av i matrisen (den prøver tilgang, ikke skjemaer). Id-ene er valgt så ingen POST
endrer hvem som har tilgang (medlemmet som fjernes og tilgangen som trekkes er ingen av
relasjonene over).
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from dokumenter.brukere import kontoer as brukere
from dokumenter.drift import arkivdrift
from dokumenter.models import Ansvarsgruppemedlem, Bruker, Overgangsoppgave, Plan, Plandokument
from dokumenter.overgang import skriving as overgang
from dokumenter.planer import ansvarsgruppe, lesing
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import KJENNEORD, PERSON, RELASJONER, klient_for, lag_planverden
from web import create_app

pytestmark = pytest.mark.libreoffice

ROLLER = ("anonym", *RELASJONER)
PARTNERE = ("partner_medlem", "partner_samme_inst", "partner_annen_inst")
KAN_LESE = {"koordinator", "medlem", "tilgang", "partner_medlem"}
KAN_ENDRE = {"koordinator", "medlem"}
SKRIVEROLLE = {"koordinator", "medlem", "annen_ansatt", "admin_uten_tilgang"}  # ikke lesetilgang
# Ruter uten plan: listen (alle ansatte / alle partnere) og ny plan (skriveroller).
UTEN_PLAN = {"planer.liste", "planer.ny", "planportal.liste"}
# Bare for dem som kan endre planen (lesere får 403).
ENDRING = {
    "planer.endre", "planer.innsyn", "planer.legg_til_medlem", "planer.fjern_medlem",
    "planer.registrer_samtykke", "planer.trekk_samtykke", "planer.gi_tilgang",
    "planer.trekk_tilgang", "planer.avslutt", "planer.send_til_signering",
    "planer.overfor_koordinator",
    "planer.last_opp_signert", "planer.gjenoppta_signering", "planer.last_opp_samtykke",
    # Overgangen (web/overgang.py): alt utenom siden selv endrer.
    "overgang.start", "overgang.datoer", "overgang.kontakter", "overgang.overlapp",
    "overgang.mote", "overgang.ny_oppgave", "overgang.endre_oppgave", "overgang.oppgavestatus",
    "overgang.registrer_utfall", "overgang.kartlegg", "overgang.skjema",
    "overgang.last_opp_skjema",
}  # fmt: skip


def lag_verden(tj):
    """Planverdenen, en ekstra ansatt med tilgang og id-ene rutene prøves med."""
    v = lag_planverden(tj)
    koord = v.brukere["koordinator"]
    ekstra = brukere.opprett_bruker(tj, "ekstra", "Ekstra Ansatt", "saksbehandler", PASSORD)
    ansvarsgruppe.gi_tilgang(tj, v.plan_id, ekstra.id, "Vikar for koordinatoren i ferien", koord)
    overgang.start(tj, v.plan_id, koord)
    with tj.sesjoner() as s:
        oppgave = s.scalar(select(Overgangsoppgave.id).order_by(Overgangsoppgave.id).limit(1))
        plan = s.get(Plan, v.plan_id)
        medlem = s.scalar(
            select(Ansvarsgruppemedlem.id).where(
                Ansvarsgruppemedlem.plan_id == v.plan_id,
                Ansvarsgruppemedlem.tjeneste == "Boligkontoret",
            )
        )
        dok = s.scalar(
            select(Plandokument.id).where(
                Plandokument.plan_id == v.plan_id, Plandokument.type == "pdf"
            )
        )
        nummer = plan.nummer
        tilgang = plan.tilganger[-1].id
        samtykke_id = plan.samtykker[0].id
    v.ider = {
        "plan_id": v.plan_id,
        "dokument_id": dok,
        "medlem_id": medlem,
        "part_id": v.mo_id,  # ingen samtykke for Mo: å trekke det gir bare en melding
        "tilgang_id": tilgang,
        "oppgave_id": oppgave,
        "samtykke_id": samtykke_id,
    }
    v.nummer = nummer
    return v


@pytest.fixture
def oppskrift():
    """Verdenen bygges én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_verden


@pytest.fixture
def verden(forberedt):
    return forberedt


def forventet(endepunkt: str, rolle: str) -> set[int] | str:
    portal = endepunkt.startswith("planportal.")
    if rolle == "anonym":
        return {302}
    if portal != rolle.startswith("partner_"):
        return {403}  # ansatte i portalen, partnere på ansattsidene
    if endepunkt in UTEN_PLAN:
        return {403} if endepunkt == "planer.ny" and rolle not in SKRIVEROLLE else "tillatt"
    if rolle not in KAN_LESE:
        return {404}
    if endepunkt in ENDRING and rolle not in KAN_ENDRE:
        return {403}
    return "tillatt"


def test_hver_planrute_for_hver_rolle_og_relasjon(tj, verden, caplog):
    caplog.set_level(logging.DEBUG)
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    klienter = {rolle: klient_for(app, rolle) for rolle in ROLLER}
    regler = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith(("planer.", "planportal.", "overgang."))
    ]
    assert len(regler) >= 20
    tilfeller = [
        (metode, regel, rolle)
        for regel in regler
        for metode in regel.methods - {"HEAD", "OPTIONS"}
        for rolle in ROLLER
    ]
    tilfeller.sort(key=lambda t: (t[0] != "GET", t[1].rule, ROLLER.index(t[2])))
    avvik = []
    for metode, regel, rolle in tilfeller:
        url = regel.build(verden.ider, append_unknown=False)[1] if regel.arguments else regel.rule
        svar = klienter[rolle].open(url, method=metode, data={})
        kode, venter = svar.status_code, forventet(regel.endpoint, rolle)
        ok = kode not in (401, 403, 404, 500) if venter == "tillatt" else kode in venter
        if rolle == "anonym" and kode == 302:
            maal = "/portal/logg-inn" if regel.endpoint.startswith("planportal.") else "/logg-inn"
            ok = ok and svar.headers["Location"].startswith(maal)
        # Uten tilgang: hverken navnet, plannummeret eller innholdet i svaret.
        if rolle not in KAN_LESE:
            body = svar.get_data()
            for hemmelig in (PERSON, verden.nummer, KJENNEORD):
                if hemmelig.encode() in body:
                    ok = False
                    avvik.append(f"{rolle}: {url} røper «{hemmelig}»")
        if not ok:
            avvik.append(f"{rolle:20} {metode:4} {url:45} fikk {kode}, ventet {venter}")
    assert not avvik, "\n".join(avvik)
    # Applikasjonsloggene nevner aldri personen eller innholdet.
    for post in caplog.records:
        melding = post.getMessage()
        assert PERSON not in melding and KJENNEORD not in melding, melding


def test_sok_over_http_viser_planen_bare_med_tilgang(tj, verden):
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    for rolle, antall in (
        ("koordinator", 1),
        ("tilgang", 1),
        ("admin_uten_tilgang", 0),
        ("annen_ansatt", 0),
    ):
        k = klient_for(app, rolle)
        svar = k.get(f"/api/sok?q={KJENNEORD}")
        assert svar.status_code == 200
        assert svar.get_json()["totalt"] == antall, rolle
        side = k.get(f"/sok?q={KJENNEORD}").get_data(as_text=True)
        assert PERSON not in side  # navnet er aldri i indeksen
        if antall == 0:  # ingen treff, og ingen fasett teller planen
            assert svar.get_json()["treff"] == []
            assert all(v["antall"] == 0 for f in svar.get_json()["fasetter"].values() for v in f)
    # Planlisten viser bare planene brukeren har tilgang til.
    assert PERSON in klient_for(app, "koordinator").get("/planer/").get_data(as_text=True)
    for rolle in ("admin_uten_tilgang", "annen_ansatt"):
        side = klient_for(app, rolle).get("/planer/").get_data(as_text=True)
        assert PERSON not in side and verden.nummer not in side
    portal = klient_for(app, "partner_samme_inst").get("/portal/planer/").get_data(as_text=True)
    assert PERSON not in portal
    assert PERSON in klient_for(app, "partner_medlem").get("/portal/planer/").get_data(as_text=True)
    # Avtalesiden viser et tall, ikke hvem.
    side = klient_for(app, "admin_uten_tilgang").get(f"/avtaler/{verden.avtale_id}")
    tekst = side.get_data(as_text=True)
    assert "1 individuell plan er laget under denne avtalen" in tekst
    assert PERSON not in tekst and verden.nummer not in tekst


def test_sikkerhetskopien_har_bare_krypterte_personopplysninger(tj, verden, tmp_path):
    maal = tmp_path / "kopi"
    arkivdrift.lag_sikkerhetskopi(tj, maal)
    filer = [p for p in maal.rglob("*") if p.is_file()]
    assert filer
    for fil in filer:
        assert PERSON.encode() not in fil.read_bytes(), fil
    assert not (maal / "plannokkel").exists()  # nøkkelen tas ikke med


def test_ingen_bruker_utenfor_relasjonene_ser_planen_i_listen(tj, verden):
    with tj.sesjoner() as s:
        ider = s.scalars(select(Bruker.id)).all()
    for bruker_id in ider:
        synlig = {p.id for p in lesing.liste(tj, bruker_id)}
        relasjon = next((r for r, b in verden.brukere.items() if b == bruker_id), None)
        if relasjon in KAN_LESE:
            assert verden.plan_id in synlig
        elif relasjon is not None:
            assert verden.plan_id not in synlig


def test_feil_nokkel_gir_tydelig_melding_og_ingen_data(tj, verden):
    from cryptography.fernet import Fernet

    from dokumenter.infrastruktur.kryptering import Chiffer

    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    k = klient_for(app, "koordinator")
    tj._chiffer = Chiffer([Fernet.generate_key().decode()])  # en annen nøkkel enn dataene har
    svar = k.get(f"/planer/{verden.plan_id}")
    tekst = svar.get_data(as_text=True)
    assert svar.status_code == 500
    assert "kan ikke dekrypteres med nøkkelen" in tekst and PERSON not in tekst
    tj._chiffer = None
    with pytest.raises(Exception, match="Nøkkelen for individuelle planer mangler"):
        (tj.innstillinger.instans / "plannokkel").unlink()
        _ = tj.chiffer


def test_id_fra_en_plan_virker_ikke_under_en_annen(tj, verden):
    """Koordinatoren for plan A kan ikke bruke A sine id-er under plan B (som hen ikke har
    tilgang til), og heller ikke B sin id med A sine dokumenter."""
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    k = klient_for(app, "koordinator")
    b, ider = verden.annen_plan_id, verden.ider
    for metode, url in (
        ("GET", f"/planer/{b}"),
        ("GET", f"/planer/{b}/dokument/{ider['dokument_id']}"),
        ("POST", f"/planer/{b}/medlemmer/{ider['medlem_id']}/fjern"),
        ("POST", f"/planer/{b}/tilganger/{ider['tilgang_id']}/trekk"),
        ("GET", f"/planer/{b}/innsyn"),
    ):
        svar = k.open(url, method=metode, data={})
        assert svar.status_code == 404, (metode, url)
        assert "Location" not in svar.headers
    # Medlemmet og tilgangen under A er urørt.
    p = lesing.les(tj, verden.plan_id, verden.brukere["koordinator"])
    assert ider["medlem_id"] in {m.id for m in p.medlemmer}
    assert any(t.id == ider["tilgang_id"] and t.trukket is None for t in p.tilganger)
