"""Felles oppsett for testene av individuelle planer: én plan med en ansvarsgruppe av tre
tjenester og fengselet, og en bruker for hver rolle og relasjon til planen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.parter import skriving as parter
from dokumenter.planer import ansvarsgruppe, lagring, samtykke
from tests.stotte.oppsett import PASSORD

PERSON = "Ola Nordmann-Testesen"
FODT = date(1988, 5, 17)
# Et ord som bare finnes i planens innhold, for søk og sletting.
KJENNEORD = "hybelkaninfabrikken"
# Samtykkets innhold (avtalens § 8): hvilke opplysninger, formålet og formen.
SAMTYKKE = {
    "omfang": "Opplysninger om bolig, helse og oppfølging",
    "formal": "Planlegge bolig og oppfølging etter løslatelse",
    "form": "skriftlig",
}
# Roller og relasjoner til planen (brukernavn for ansatte, e-post for partnere).
RELASJONER = {
    "koordinator": "koord",
    "medlem": "nav",
    "tilgang": "revisor",
    "annen_ansatt": "annen",
    "admin_uten_tilgang": "sjef",
    "partner_medlem": "fengsel@bodo.example.no",
    "partner_samme_inst": "kollega@bodo.example.no",
    "partner_annen_inst": "klinikk@mo.example.no",
}


def innhold(**endring: object) -> dict:
    verdier = {
        "maal": f"Egen bolig i Mo sentrum og arbeid ved {KJENNEORD}.",
        "ressurser": "Gode kokkekunnskaper og støtte fra søsteren.",
        "tjenestebehov": "Bolig, oppfølging i hjemmet og behandling for rusavhengighet.",
        "deltakere": [
            {"navn": "Per Programleder", "rolle": "Miljøterapeut", "virksomhet": "Bodø fengsel"}
        ],
        "koordinator_navn": "Kari Koordinator",
        "koordinator_tjeneste": "Boligkontoret",
        "koordinator_telefon": "75 14 50 00",
        "bidrag_person": "Møter til avtalte tider.",
        "bidrag_tjenester": "NAV: økonomisk rådgivning. Boligkontoret: leilighet.",
        "bidrag_parorende": "Søsteren hjelper med flyttingen.",
        "tiltak": [
            {
                "hva": "Kommunal leilighet, 2-roms",
                "ansvarlig": "Boligkontoret",
                "fra": "2027-01-01",
                "til": "01.03.2027",
                "status": "pagar",
            }
        ],
        "gjennomforing": "Ukentlige møter i ansvarsgruppen første måned.",
        "periode_fra": "2027-01-01",
        "periode_til": "2027-12-31",
        "revideres": "2027-06-30",
        "fremdriftsplan": [
            {"hva": "Visning av bolig", "ansvarlig": "Boligkontoret", "fra": "15.01.2027"},
            {"hva": "Innflytting", "ansvarlig": "Personen", "fra": "2027-02-01", "til": ""},
        ],
        "oppfolging_i_bolig": "Besøk to ganger i uken fra boveileder.",
        "egne_plikter": "Betale husleie og holde avtaler.",
        "samarbeid_andre": "Fastlege og spesialisthelsetjenesten.",
        "samtykke_plan_dato": "2026-11-01",
        "tolk_sprak": "",
        "tolk_navn": "",
        "antall_kopier": "3",
        "kopi_mottakere": [{"mottaker": "Personen"}, {"mottaker": "Koordinator"}],
    }
    verdier.update(endring)
    return verdier


@dataclass
class Planverden:
    plan_id: int
    avtale_id: int
    bodo_id: int
    mo_id: int
    brukere: dict[str, int] = field(default_factory=dict)  # relasjon -> bruker-id
    annen_plan_id: int = 0  # en plan ingen av relasjonene over er knyttet til


def lag_planverden(tj, med_versjon: bool = True) -> Planverden:
    """Bodø fengsel (med avtale) og Mo-klinikken; planen har koordinator, ansvarsgruppe
    (NAV, rustjenesten, boligkontoret og fengselets kontaktperson), samtykke for fengselet
    og en begrunnet tilgang for revisoren."""
    bodo = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(11)}
    )
    mo = parter.opprett_part(
        tj,
        {
            "navn": "Mo behandlingssenter",
            "type": "behandlingsinstitusjon",
            "orgnr": fiktivt_orgnr(12),
        },
    )
    ider: dict[str, int] = {}
    for relasjon, navn, rolle in (
        ("koordinator", "koord", "saksbehandler"),
        ("medlem", "nav", "saksbehandler"),
        ("tilgang", "revisor", "lesetilgang"),
        ("annen_ansatt", "annen", "saksbehandler"),
        ("admin_uten_tilgang", "sjef", "admin"),
    ):
        b = brukere.opprett_bruker(
            tj, navn, f"Ansatt {navn.capitalize()}", rolle, PASSORD, f"{navn}@k.example.no"
        )
        ider[relasjon] = b.id
    rus = brukere.opprett_bruker(tj, "rus", "Rune Rustjeneste", "saksbehandler", PASSORD)
    bolig = brukere.opprett_bruker(tj, "bolig", "Bodil Boligkontor", "saksbehandler", PASSORD)
    for relasjon, part, navn in (
        ("partner_medlem", bodo.id, "Fengselsbetjent Fiona"),
        ("partner_samme_inst", bodo.id, "Kollega Kjell"),
        ("partner_annen_inst", mo.id, "Klinikkleder Klara"),
    ):
        b = brukere.opprett_partnerbruker(tj, part, navn, RELASJONER[relasjon], PASSORD)
        ider[relasjon] = b.id
    leder = ider["koordinator"]
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, bodo.id, felt, leder)
    # En plan knyttes til en avtale som er sendt til parten (ikke et utkast).
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", leder)
    plan_id = lagring.opprett(tj, PERSON, FODT, bodo.id, leder, avtale_id=avtale.id, fra="test")
    for bruker, tjeneste in (
        (ider["medlem"], "NAV Rana"),
        (rus.id, "Rus og psykisk helse"),
        (bolig.id, "Boligkontoret"),
        (ider["partner_medlem"], ""),
    ):
        ansvarsgruppe.legg_til_medlem(tj, plan_id, bruker, tjeneste, "", leder, "test")
    samtykke.registrer_samtykke(tj, plan_id, bodo.id, date.today(), leder, "test", **SAMTYKKE)
    ansvarsgruppe.gi_tilgang(
        tj, plan_id, ider["tilgang"], "Internkontroll av saksbehandlingen", leder
    )
    if med_versjon:
        lagring.lagre_versjon(tj, plan_id, innhold(), leder, 0, "Første versjon", "test")
    annen = lagring.opprett(tj, "Annen Person", date(1970, 1, 1), mo.id, ider["annen_ansatt"])
    return Planverden(plan_id, avtale.id, bodo.id, mo.id, ider, annen)


def klient_for(app, rolle: str):
    """En ny testklient logget inn som `rolle` (en nøkkel i RELASJONER), eller anonym."""
    k = app.test_client()
    if rolle == "anonym":
        return k
    partner = rolle.startswith("partner_")
    side = "/portal/logg-inn" if partner else "/logg-inn"
    data = {"brukernavn": RELASJONER[rolle], "passord": PASSORD}
    if m := re.search(r'name="csrf_token"[^>]*value="([^"]+)"', k.get(side).get_data(as_text=True)):
        data["csrf_token"] = m.group(1)
    svar = k.post(side, data=data)
    assert svar.status_code == 302, (rolle, svar.status_code)
    return k
