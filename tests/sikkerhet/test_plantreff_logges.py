"""Funn: plantreff på søkesiden (HTML) ble ikke skrevet i planens innsynslogg; bare /api/sok
logget dem. Nå logger lesemodellen for søket selv (`dokumenter.sider.sok`), og lister og
nedlastinger logger i sine brukstilfeller.

Testen går gjennom hver GET-rute i appen (fra url_map, så en ny rute er med av seg selv) som
en ny bruker i planens ansvarsgruppe, en ny for hver adresse, så ingen logglinje fra en
tidligere side teller. Viser svaret noe av planen (innholdet, personens navn, plannummeret)
eller er det en planfil, skal brukeren ha fått en linje i innsynsloggen.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from dokumenter.brukere import kontoer as brukere
from dokumenter.models import Plan, Plandokument, Planlogg
from dokumenter.planer import ansvarsgruppe
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import KJENNEORD, PERSON, lag_planverden
from web import create_app

pytestmark = pytest.mark.libreoffice

# Rutene som viser planen for et medlem av ansvarsgruppen: testen skal ha sett hver av dem.
VISER_PLANEN = {
    "sok.side",
    "sok.api",
    "planer.liste",
    "planer.vis",
    "planer.endre",
    "planer.last_ned",
    "planer.innsyn",
    "planportal.liste",
    "planportal.vis",
    "planportal.last_ned",
}
SOK = ("", f"?q={KJENNEORD}", f"?q={KJENNEORD}&alle_versjoner=1", "?q=", "?q=leilighet&side=1")
_nummer = itertools.count(1)


def _nytt_medlem(tj, verden, partner: bool) -> tuple[int, str]:
    """En ny bruker i ansvarsgruppen (ansatt med skrivetilgang, eller partner i fengselet,
    som har samtykke); uten noen linje i innsynsloggen ennå."""
    n = next(_nummer)
    if partner:
        navn = f"partner{n}@bodo.example.no"
        b = brukere.opprett_partnerbruker(tj, verden.bodo_id, f"Partner {n}", navn, PASSORD)
    else:
        navn = f"medlem{n}"
        b = brukere.opprett_bruker(tj, navn, f"Medlem {n}", "saksbehandler", PASSORD)
    koord = verden.brukere["koordinator"]
    ansvarsgruppe.legg_til_medlem(tj, verden.plan_id, b.id, f"Tjeneste {n}", "", koord, "test")
    return b.id, navn


def _logglinjer(tj, bruker_id: int) -> int:
    with tj.sesjoner() as s:
        return s.scalar(
            select(func.count()).select_from(Planlogg).where(Planlogg.bruker_id == bruker_id)
        )


def test_ingen_side_viser_planen_uten_en_linje_i_innsynsloggen(tj):
    verden = lag_planverden(tj)
    with tj.sesjoner() as s:
        nummer = s.get(Plan, verden.plan_id).nummer
        dok = s.scalar(select(Plandokument.id).where(Plandokument.plan_id == verden.plan_id))
    verdier = {
        "plan_id": verden.plan_id,
        "dokument_id": dok,
        "avtale_id": verden.avtale_id,
        "part_id": verden.bodo_id,
        "avvik_id": 1,
        "skjema_id": 1,
        "kopi_id": 1,
        "evaluering_id": 1,
        "fmt": "pdf",
        "nokkel": "x",
        **dict.fromkeys(
            ("jobb_id", "kontakt_id", "medlem_id", "melding_id", "oppgave_id", "samtykke_id"), 1
        ),
        "felt": "part",
        "bruker_id": 1,
        "tilgang_id": 1,
    }
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    regler = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    sett, avvik = set(), []
    for regel in sorted(regler, key=lambda r: r.rule):
        sti = regel.build(verdier, append_unknown=False)[1] if regel.arguments else regel.rule
        for tillegg in SOK if regel.endpoint.startswith("sok.") else ("",):
            partner = regel.endpoint.startswith(("portal.", "planportal."))
            bruker_id, brukernavn = _nytt_medlem(tj, verden, partner)
            k = app.test_client()
            inn = "/portal/logg-inn" if partner else "/logg-inn"
            innlogget = k.post(inn, data={"brukernavn": brukernavn, "passord": PASSORD})
            assert innlogget.status_code == 302
            svar = k.get(sti + tillegg)
            innhold = svar.get_data()
            planfil = "plan_id" in regel.arguments and svar.mimetype != "text/html"
            viser = svar.status_code == 200 and (
                planfil or any(h.encode() in innhold for h in (KJENNEORD, PERSON, nummer))
            )
            if not viser:
                continue
            sett.add(regel.endpoint)
            if _logglinjer(tj, bruker_id) == 0:
                avvik.append(f"{sti + tillegg} viste planen uten linje i innsynsloggen")
    assert not avvik, "\n".join(avvik)
    assert sett >= VISER_PLANEN, f"ble ikke vist: {sorted(VISER_PLANEN - sett)}"


def test_sokesiden_logger_plantreff_som_sokt_fram(tj):
    """Selve funnet: HTML-søket (ikke bare /api/sok) gir «sokt_fram» for planen."""
    verden = lag_planverden(tj)
    bruker_id, navn = _nytt_medlem(tj, verden, partner=False)
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    k = app.test_client()
    assert k.post("/logg-inn", data={"brukernavn": navn, "passord": PASSORD}).status_code == 302
    side = k.get(f"/sok?q={KJENNEORD}").get_data(as_text=True)
    assert KJENNEORD in side
    with tj.sesjoner() as s:
        handlinger = s.scalars(
            select(Planlogg.handling).where(
                Planlogg.bruker_id == bruker_id, Planlogg.plan_id == verden.plan_id
            )
        ).all()
    assert handlinger == ["sokt_fram"]
