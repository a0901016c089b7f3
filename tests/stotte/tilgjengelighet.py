"""Sidene tilgjengelighetstestene besøker: hver GET-side i tilgangsmatrisen som gir HTML, for
hver rolle som får se den, i en verden med ekte data.

Verdenen er tilgangsmatrisens (to parter, avtaler til gjennomgang og inngått, et avvik med
skjema, en evaluering) pluss det matrisen prøver med falske id-er: et utkast med to versjoner
(redline-siden), en individuell plan med ansvarsgruppe, samtykke, innhold og overgang, der
saksbehandleren er koordinator, lesetilgangen har begrunnet tilgang og partner A er medlem.
Sidene hentes fra appens url_map, så en ny side kommer med av seg selv.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from dokumenter.avtaler import skriving
from dokumenter.models import Bruker, SignertKopi
from dokumenter.overgang import skriving as overgang
from dokumenter.planer import ansvarsgruppe, lagring, samtykke
from tests.stotte.avtaler import avtalefelt
from tests.stotte.planverden import FODT, SAMTYKKE, innhold
from tests.stotte.tilgangsmatrise import OFFENTLIGE, forventet, lag_verden

# Rollene sidene prøves med (tilgangsmatrisens navn): administrator, saksbehandler
# (skrivetilgang, koordinator for planen), lesetilgang (begrunnet tilgang til planen),
# kontaktpersonen hos partner A (medlem av ansvarsgruppen) og anonym (de offentlige sidene).
ROLLER = ("admin", "saksbehandler", "lesetilgang", "partner_a", "anonym")
# Offentlige sider som er sider (ikke filer eller feeder med hemmelig nøkkel).
OFFENTLIGE_SIDER = {"auth.logg_inn", "portal.logg_inn", "tilgjengelighet.erklaering"}
PERSON = "Per Tilgjengelig"
# Plansidene en ansatt med begrunnet tilgang (uten å kunne endre) får se.
LESING = {"planer.vis", "planer.last_ned", "overgang.vis"}


@dataclass(frozen=True)
class Side:
    endepunkt: str
    url: str
    navn: str  # til resultattabellen: endepunktet, og hvilken variant når det er flere


def lag_tilgjengelighetsverden(tj) -> dict:
    """Tilgangsmatrisens verden pluss redline, plan og overgang (se modulens docstring)."""
    ider = lag_verden(tj)
    a = ider["a"]
    with tj.sesjoner() as s:
        bruker = {b.brukernavn: b.id for b in s.scalars(select(Bruker))}
        inngatt = s.get(SignertKopi, a["kopi_id"]).avtale_id
    leder, saksbehandler = bruker["leder"], bruker["saksbehandler"]
    # Et utkast med to versjoner: redline-siden sammenligner dem.
    utkast = skriving.opprett_utkast(tj, a["part_id"], avtalefelt(tj), leder)
    skriving.lagre_versjon(
        tj,
        utkast.id,
        avtalefelt(
            tj, saerlige_bestemmelser="Partene møtes hvert kvartal.", oppsigelsestid_maaneder=6
        ),
        leder,
        "Kvartalsvise møter",
        forventet_versjon=1,
    )
    plan = lagring.opprett(
        tj, PERSON, FODT, a["part_id"], saksbehandler, avtale_id=a["avtale_id"], fra="test"
    )
    partner_a = bruker["a@a.example.no"]
    ansvarsgruppe.legg_til_medlem(tj, plan, partner_a, "", "", saksbehandler, "test")
    samtykke.registrer_samtykke(
        tj, plan, a["part_id"], date.today(), saksbehandler, "test", **SAMTYKKE
    )
    ansvarsgruppe.gi_tilgang(
        tj, plan, bruker["lesetilgang"], "Internkontroll av saksbehandlingen", saksbehandler
    )
    lagring.lagre_versjon(tj, plan, innhold(), saksbehandler, 0, "Første versjon", "test")
    overgang.start(tj, plan, saksbehandler)
    a.update(plan_id=plan, utkast_id=utkast.id, inngatt_id=inngatt)
    return ider


def _verdier(ider: dict, endepunkt: str) -> dict:
    v = dict(ider["a"])
    if endepunkt == "avtaler.sammenlign":
        v["avtale_id"] = v["utkast_id"]  # to versjoner: redline
    return v


def sider(app, ider: dict) -> list[Side]:
    """Hver GET-side i appen, bygget med partner A sine id-er, pluss avtalen i flere
    tilstander (utkast med to versjoner og inngått i tillegg til til gjennomgang)."""
    resultat = []
    for regel in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in regel.methods or regel.endpoint.startswith(("sok.api", "static")):
            continue
        if regel.endpoint in OFFENTLIGE and regel.endpoint not in OFFENTLIGE_SIDER:
            continue
        v = _verdier(ider, regel.endpoint)
        url = regel.build(v, append_unknown=False)[1] if regel.arguments else regel.rule
        resultat.append(Side(regel.endpoint, url, regel.endpoint))
    a = ider["a"]
    for navn, avtale in (("utkast", a["utkast_id"]), ("inngått", a["inngatt_id"])):
        resultat.append(Side("avtaler.vis", f"/avtaler/{avtale}", f"avtaler.vis ({navn})"))
        resultat.append(
            Side("portal.avtale", f"/portal/avtaler/{avtale}", f"portal.avtale ({navn})")
        )
    return resultat


def kan_se(side: Side, rolle: str) -> bool:
    """Om `rolle` får se siden etter tilgangsmatrisen (planene: etter relasjonen i verdenen)."""
    if side.endepunkt in OFFENTLIGE_SIDER:
        return True
    if rolle == "anonym":
        return False
    if side.endepunkt.startswith(("planer.", "overgang.")):
        if rolle.startswith("partner_"):
            return False
        if side.endepunkt == "planer.liste":
            return True
        if side.endepunkt == "planer.ny":
            return rolle != "lesetilgang"
        # Saksbehandleren er koordinator; lesetilgangen har begrunnet tilgang (bare lesing).
        return rolle == "saksbehandler" or (rolle == "lesetilgang" and side.endepunkt in LESING)
    if side.endepunkt.startswith("planportal."):
        return rolle == "partner_a"
    return forventet(side.endepunkt, rolle, "a") == "tillatt"
