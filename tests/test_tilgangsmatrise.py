"""Hver rute i appen × hver rolle: anonym, partner A, partner B og hver ansattrolle.

Rutene hentes fra appen selv (url_map), så en ny rute uten regel her får testen til å feile.
Id-ene i URL-ene peker på partner A sine ting og på partner B sine, så direkte lenker til en
annen partners avtaler, dokumenter og signerte kopier prøves for hver rute som tar en id.
CSRF er slått av i matrisen (den prøver tilgang, ikke skjemaer); egen test under viser at
hver POST-rute krever CSRF-nøkkel.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from dokumenter.avtaler import signering, skriving
from dokumenter.avvik import lesing
from dokumenter.avvik import skriving as avvik_skriving
from dokumenter.avvik.regler import Melder
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.evaluering import skriving as evaluering
from dokumenter.models import Avtale, Bruker
from dokumenter.parter import skriving as parter
from tests.stotte.avtaler import avtalefelt
from tests.stotte.oppsett import PASSORD
from web import create_app

pytestmark = pytest.mark.libreoffice

OFFENTLIGE = {
    "static",
    "auth.logg_inn",
    "auth.kalender",
    "auth.oppgavekalender",
    "portal.logg_inn",
    "portal.invitasjon",
    # Engangslenkene for nytt passord og ny e-postadresse: nøkkelen er tilgangen.
    "kontolenke.vis",
    "portal.kontolenke",
}
UTLOGGING = {"auth.logg_ut", "portal.logg_ut"}
SKRIVING = {
    "avtaler.ny", "avtaler.endre", "avtaler.status", "avtaler.ansvar",
    "avtaler.send_til_signering", "avtaler.last_opp_signert", "avtaler.gjenoppta_signering",
    "parter.ny", "parter.endre", "parter.inviter",
    "avvik.ny", "avvik.send", "avvik.besvar", "avvik.lukk", "evaluering.ny",
    "arkiv.skjerm_avtale", "arkiv.skjerm_avvik",
}  # fmt: skip
# Arkivuttrekk og utboksen til sak/arkiv: bare administratorer.
BARE_ADMIN = {"arkiv.side", "arkiv.start_uttrekk", "arkiv.jobb", "arkiv.last_ned",
              "arkiv.send_igjen",
              # Brukeradministrasjonen.
              "brukere.liste", "brukere.ny", "brukere.endre", "brukere.deaktiver",
              "brukere.aktiver", "brukere.nytt_passord", "brukere.overfor"}  # fmt: skip
ANSATTE = ("admin", "saksbehandler", "lesetilgang")
ROLLER = ("anonym", "partner_a", "partner_b", *ANSATTE)


def lag_verden(tj):
    """To institusjoner med hver sin partnerbruker, hver med én avtale til gjennomgang og én
    inngått (skannet kopi), og én ansatt per rolle."""
    for rolle in ANSATTE:
        brukere.opprett_bruker(
            tj, rolle, f"Ansatt {rolle}", rolle, PASSORD, f"{rolle}@k.example.no"
        )
    leder = brukere.opprett_bruker(tj, "leder", "Leder", "admin", PASSORD)
    ider = {}
    for bokstav, navn, nr in (("a", "Bodø fengsel", 1), ("b", "Mo fengsel", 2)):
        epost = f"{bokstav}@{bokstav}.example.no"
        part = parter.opprett_part(
            tj,
            {
                "navn": navn,
                "type": "fengsel",
                "orgnr": fiktivt_orgnr(nr),
                "kontaktpersoner": [{"navn": f"Kontakt {navn}", "epost": epost}],
            },
        )
        brukere.opprett_partnerbruker(tj, part.id, f"Partner {navn}", epost, PASSORD)
        til_gjennomgang = skriving.opprett_utkast(tj, part.id, avtalefelt(tj), leder.id)
        skriving.sett_status(tj, til_gjennomgang.id, "til_gjennomgang", leder.id)
        inngatt = skriving.opprett_utkast(tj, part.id, avtalefelt(tj), leder.id)
        with tj.sesjoner() as s:
            a = s.get(Avtale, til_gjennomgang.id)
            pdf = a.siste_versjon.dokument("pdf")
            kontakt = s.get(type(part), part.id).kontaktpersoner[0].id
            skann = tj.lager.les(s.get(Avtale, inngatt.id).siste_versjon.dokument("pdf").sha256)
        kopi = signering.last_opp_signert(tj, inngatt.id, skann, leder.id)
        # Et avvik parten har meldt og sendt (med skjema), og en evaluering med rapport.
        with tj.sesjoner() as s:
            bruker_id = s.scalar(select(Bruker.id).where(Bruker.brukernavn == epost))
        melder = Melder(bruker_id, "partner", part.id)
        avviksdata = {
            "paragraf": "§ 4",
            "kategori": "varsling",
            "hendelsesdato": date.today(),
            "oppdaget": date.today(),
            "hva_skjedde": "Ingen varsel.",
        }
        a = avvik_skriving.registrer(tj, inngatt.id, avviksdata, melder)
        avvik_skriving.send(tj, a.id, melder)
        skjema_id = lesing.hent(tj, a.id, melder).skjemaer[0].id
        ev = evaluering.evaluer(
            tj,
            inngatt.id,
            {
                "dato": date.today(),
                "deltakere_kommune": "K",
                "deltakere_part": "P",
                "beslutning": "viderefores",
            },
            leder.id,
        )
        ider[bokstav] = {
            "navn": navn,
            "part_id": part.id,
            "kontakt_id": kontakt,
            "avtale_id": til_gjennomgang.id,
            "dokument_id": pdf.id,
            "kopi_id": kopi.id,
            "nokkel": "ugyldig-nokkel",
            "avvik_id": a.id,
            "skjema_id": skjema_id,
            "evaluering_id": ev.id,
            "fmt": "pdf",
            "felt": "part",  # søkets fasett (/sok/fasett/<felt>)
            "filename": "stil.css",
            # Planrutene prøves i test_plan_tilgangsmatrise.py; her bare CSRF-sjekken.
            "plan_id": 999,
            "medlem_id": 999,
            "tilgang_id": 999,
            "jobb_id": 999,
            "melding_id": 999,
            "oppgave_id": 999,
            "samtykke_id": 999,
            "bruker_id": leder.id,  # brukeradministrasjonen (ingen av klientene)
        }
    return ider


@pytest.fixture
def oppskrift():
    """Verdenen bygges én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_verden


@pytest.fixture
def verden(forberedt):
    return forberedt


def klient(app, rolle):
    k = app.test_client()
    if rolle == "anonym":
        return k
    side = "/portal/logg-inn" if rolle.startswith("partner_") else "/logg-inn"
    navn = f"{rolle[-1]}@{rolle[-1]}.example.no" if rolle.startswith("partner_") else rolle
    data = {"brukernavn": navn, "passord": PASSORD}
    if m := re.search(r'name="csrf_token"[^>]*value="([^"]+)"', k.get(side).get_data(as_text=True)):
        data["csrf_token"] = m.group(1)
    svar = k.post(side, data=data)
    assert svar.status_code == 302, (rolle, svar.status_code)
    return k


def forventet(endepunkt: str, rolle: str, eier: str) -> set[int] | str:
    """Hva `rolle` skal få på `endepunkt` med id-er som tilhører partner `eier`.
    Et sett er tillatte statuskoder; "tillatt" betyr at tilgangen ikke nektes."""
    portal = endepunkt.startswith("portal.")
    if rolle == "anonym":
        return {302} if not endepunkt.startswith("sok.api") else {401}
    if portal:
        if not rolle.startswith("partner_"):
            return {403}
        return "tillatt" if rolle[-1] == eier or eier == "-" else {404}
    if rolle.startswith("partner_"):
        return {403}
    if rolle == "lesetilgang" and endepunkt in SKRIVING:
        return {403}
    if rolle != "admin" and endepunkt in BARE_ADMIN:
        return {403}
    return "tillatt"


def test_hver_rute_for_hver_rolle(tj, verden):
    # Et arkivuttrekk admin starter, registreres, men kjøres ikke (matrisen prøver tilgangen).
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False, BAKGRUNN=lambda *_: None)
    klienter = {rolle: klient(app, rolle) for rolle in ROLLER}
    avvik = []
    tilfeller = [
        (metode, regel, eier, rolle)
        for regel in app.url_map.iter_rules()
        if regel.endpoint not in OFFENTLIGE | UTLOGGING
        # Planrutene (og overgangen, som hører til planen) har sin egen matrise
        # (test_plan_tilgangsmatrise.py): tilgangen der avhenger av relasjonen til planen.
        and not regel.endpoint.startswith(("planer.", "planportal.", "overgang."))
        for metode in regel.methods - {"HEAD", "OPTIONS"}
        # Ruter uten id tilhører ingen partner; ruter med id prøves med A sine og B sine.
        for eier in (("a", "b") if regel.arguments else ("-",))
        for rolle in ROLLER
    ]
    # Alle GET først: en tillatt POST kan endre verden (f.eks. en ny versjon).
    tilfeller.sort(key=lambda t: (t[0] != "GET", t[1].rule, t[2], ROLLER.index(t[3])))
    for metode, regel, eier, rolle in tilfeller:
        verdier = verden["a" if eier == "-" else eier]
        url = regel.build(verdier, append_unknown=False)[1] if regel.arguments else regel.rule
        svar = klienter[rolle].open(url, method=metode, data={})
        venter = forventet(regel.endpoint, rolle, eier)
        kode = svar.status_code
        if venter == "tillatt":
            # Ansatte kan få 404 når en rute mangler parametre (sammenligning); en partner
            # som får 404 på egne ting er derimot nektet noe den skal ha.
            nektet = (401, 403, 404, 500) if rolle.startswith("partner_") else (401, 403, 500)
            ok = kode not in nektet
        else:
            ok = kode in venter
        if rolle == "anonym" and kode == 302:
            maal = "/portal/logg-inn" if regel.endpoint.startswith("portal.") else "/logg-inn"
            ok = ok and svar.headers["Location"].startswith(maal)
        # En annen partners navn skal aldri stå i et svar til en partner.
        if rolle.startswith("partner_"):
            fremmed = verden["b" if rolle == "partner_a" else "a"]["navn"]
            ok = ok and fremmed.encode() not in svar.get_data()
        if not ok:
            avvik_skriving.append(f"{rolle:13} {metode:4} {url:45} fikk {kode}, ventet {venter}")
    assert not avvik, "\n".join(avvik)
    assert len(tilfeller) > 300


def test_partnere_ser_bare_egen_institusjon_i_oversikten(tj, verden):
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    a = klient(app, "partner_a")
    side = a.get("/portal/").get_data(as_text=True)
    assert "Bodø fengsel" in side and "Mo fengsel" not in side
    assert a.get("/api/sok?q=fengsel").status_code == 403
    for rute in (
        "/portal/avtaler/{avtale_id}",
        "/portal/signert/{kopi_id}",
        "/portal/dokument/{dokument_id}",
    ):
        assert a.get(rute.format(**verden["a"])).status_code == 200
        assert a.get(rute.format(**verden["b"])).status_code == 404


def test_hver_post_rute_krever_csrf(tj, verden):
    app = create_app(tj, TESTING=True)
    for rolle in ("admin", "partner_a", "anonym"):
        k = klient(app, rolle)
        for regel in app.url_map.iter_rules():
            if "POST" not in regel.methods:
                continue
            url = (
                regel.build(verden["a"], append_unknown=False)[1] if regel.arguments else regel.rule
            )
            assert k.post(url, data={}).status_code == 400, (rolle, url)
