"""Tilgangsmatrisen som data: hvilke ruter som er offentlige, hvilke som krever skrivetilgang
eller administrator, rollene som prøves, verdenen de prøves mot og hva hver rolle skal få.

Brukes av tests/test_tilgangsmatrise.py (hver rute × hver rolle), av
tests/test_tilgjengelighet.py (ingen lenke til noe rollen nektes) og av
tests/test_nettleser_tilgjengelighet.py (axe og 320 px på hver side), så tabellen står ett sted.
"""

from __future__ import annotations

import re
from datetime import date

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
    # Tilgjengelighetserklæringen (forskrift om universell utforming av IKT-løsninger).
    "tilgjengelighet.erklaering",
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
