"""Demodata: én fiktiv overgang fra institusjon til bolig som pågår, for demoplanen (Bodø
fengsel). Bolig er tilbudt for ti dager siden, boligmøtet har besluttet middels oppfølging,
kontrakten er signert, innflyttingen er om fem dager med overlapp i fengselets
overgangsplass, noen oppgaver er ferdige og én er forfalt, overgangsskjemaet er laget, og
personen er kartlagt. Lages bare når demoplanen ikke har noen overgang."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from dokumenter.brukere import kontoer as brukere
from dokumenter.models import Ansvarsgruppemedlem, Bruker, Overgang, Overgangsoppgave
from dokumenter.overgang import kartlegging, oppgaver, skjema, skriving
from dokumenter.planer import ansvarsgruppe
from dokumenter.tjenester import Tjenester

DEMO_BOOPPFOLGER = "booppfolger"
DEMO_BOOPPFOLGER_PASSORD = "rana-demo-elvebredd-2026"


def demo_overgang(tj: Tjenester, plan_id: int, koordinator_id: int, partner_id: int) -> None:
    with tj.sesjoner() as s:
        if s.scalar(select(Overgang.id).where(Overgang.plan_id == plan_id)) is not None:
            return
        nina = s.scalar(select(Bruker.id).where(Bruker.brukernavn == DEMO_BOOPPFOLGER))
        i_gruppen = set(
            s.scalars(
                select(Ansvarsgruppemedlem.bruker_id).where(Ansvarsgruppemedlem.plan_id == plan_id)
            )
        )
    if nina is None:
        nina = brukere.opprett_bruker(
            tj,
            DEMO_BOOPPFOLGER,
            "Nina Booppfølger (fiktiv)",
            "saksbehandler",
            DEMO_BOOPPFOLGER_PASSORD,
        ).id
    if nina not in i_gruppen:
        ansvarsgruppe.legg_til_medlem(
            tj, plan_id, nina, "Booppfølgingstjenesten", "Booppfølger", koordinator_id, "demo"
        )
    idag = date.today()
    skriving.start(tj, plan_id, koordinator_id, "demo")
    skriving.registrer_mote(
        tj,
        plan_id,
        {
            "type": "samarbeidsmote",
            "dato": idag - timedelta(days=40),
            "deltakere": "Kontaktbetjent, koordinator og personen",
            "merknad": "Søknad om kommunal bolig sendes nå.",
        },
        koordinator_id,
        "demo",
    )
    innflytting = idag + timedelta(days=5)
    skriving.oppdater(
        tj,
        plan_id,
        {
            "primaerkontakt_id": partner_id,
            "booppfolger_id": nina,
            "sekundaerkontakt_id": koordinator_id,
            "forventet_losladt": innflytting,
            "tilbud_dato": idag - timedelta(days=10),
            "bolig": "Kommunal leilighet, Ytteren (fiktiv adresse)",
            "visning_dato": idag - timedelta(days=6),
            "kontrakt_dato": idag - timedelta(days=4),
            "innflytting_dato": innflytting,
            "overlapp_fra": innflytting,
            "overlapp_til": innflytting + timedelta(days=13),
            "overlapp_betaler": "Kriminalomsorgen (overgangsbolig)",
        },
        koordinator_id,
        "demo",
    )
    skriving.registrer_mote(
        tj,
        plan_id,
        {
            "type": "boligmote",
            "dato": idag - timedelta(days=8),
            "deltakere": "Kontaktbetjent, booppfølger, koordinator og personen",
            "oppfolgingsniva": "middels",
        },
        koordinator_id,
        "demo",
    )
    with tj.sesjoner() as s:
        o = s.scalar(select(Overgang).where(Overgang.plan_id == plan_id))
        ferdige = [
            x.id
            for x in s.scalars(
                select(Overgangsoppgave).where(
                    Overgangsoppgave.overgang_id == o.id,
                    Overgangsoppgave.standard.in_(("okonomi", "husleie", "husorden")),
                )
            )
        ]
    for oppgave_id in ferdige:  # møblene (frist for sju dager siden) står igjen som forfalt
        oppgaver.sett_status(tj, plan_id, oppgave_id, "ferdig", koordinator_id, "demo")
    kartlegging.registrer(
        tj,
        plan_id,
        {
            "gyldig_fra": idag - timedelta(days=90),
            "kategori": "uten_bolig",
            "underkategori": "fengsel",
            "behovsniva": 3,
        },
        koordinator_id,
        "demo",
    )
    skjema.lag(
        tj,
        plan_id,
        {
            "husleie": "7 900 kr per måned, forfall den 1. Betales med fast trekk fra NAV.",
            "husordensregler": "Ro i huset etter kl. 23. Søppel sorteres ved inngangen.",
            "strom": "Strømavtale i eget navn fra innflyttingsdagen; booppfølgeren hjelper.",
            "mobler": "Seng, bord og to stoler står i leiligheten. Søknad om sofa er sendt NAV.",
            "ma_vite": "Ring booppfølgeren ved problemer på dagtid, og kontaktbetjenten de første "
            "to ukene. Nøkler hentes på boligkontoret innflyttingsdagen kl. 10.",
            "avtaler": [
                {
                    "dato": (innflytting + timedelta(days=2)).strftime("%d.%m.%Y"),
                    "hva": "Hjemmebesøk",
                    "med_hvem": "Booppfølger",
                },
                {
                    "dato": (innflytting + timedelta(days=7)).strftime("%d.%m.%Y"),
                    "hva": "Møte hos NAV",
                    "med_hvem": "NAV Rana",
                },
            ],
            "inventar": [
                {"gjenstand": "Seng", "antall": "1", "tilstand": "God"},
                {"gjenstand": "Spisebord med stoler", "antall": "1", "tilstand": "Riper"},
            ],
            "tilstand": "Nymalt. Riper i kjøkkenbenken. Ellers uten skader.",
        },
        koordinator_id,
        "demo",
    )
