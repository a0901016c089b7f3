"""Nettsidene via Flask-testklienten: innlogging, CSRF-nøkkelen og skjemaer."""

from __future__ import annotations

import re

from sqlalchemy import select

from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.models import Part
from dokumenter.parter import skriving as parter
from tests.stotte.oppsett import PASSORD

PARTNERPASSORD = "partnerpassord-1"

# Skjemafeltene for en ny avtale slik nettsiden sender dem.
AVTALEFELT = {
    "kommune_navn": "Rana kommune",
    "kommune_enhet": "Rustjenesten",
    "kommune_adresse": "",
    "kommune_kontakt_navn": "Kari Fjellheim",
    "kommune_kontakt_telefon": "75 14 50 00",
    "kommune_kontakt_epost": "rus@example.no",
    "varslingsfrist_dager": "30",
    "avvik_svarfrist_dager": "28",
    "gyldig_fra": "2007-06-01",
    "oppsigelsestid_maaneder": "3",
    "evaluering_maaned": "desember",
    "saerlige_bestemmelser": "",
}


def html(svar) -> str:
    return svar.get_data(as_text=True)


def csrf(tekst: str) -> str:
    """CSRF-nøkkelen i et skjema på siden."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', tekst).group(1)


def logg_inn(k, brukernavn, passord=PASSORD):
    side = k.get("/logg-inn").get_data(as_text=True)
    return k.post(
        "/logg-inn",
        data={"brukernavn": brukernavn, "passord": passord, "csrf_token": csrf(side)},
        follow_redirects=True,
    )


def innlogget(app, brukernavn: str, passord: str = PASSORD):
    """En ny testklient, logget inn på ansattsiden."""
    k = app.test_client()
    logg_inn(k, brukernavn, passord)
    return k


def portal_inn(app, epost: str, passord: str = PARTNERPASSORD, url: str = "/portal/logg-inn"):
    """En ny testklient som logger inn på `url`; gir klienten og svaret."""
    k = app.test_client()
    side = k.get(url).get_data(as_text=True)
    svar = k.post(url, data={"brukernavn": epost, "passord": passord, "csrf_token": csrf(side)})
    return k, svar


def token(k, url: str = "/portal/") -> str:
    return csrf(k.get(url).get_data(as_text=True))


def post_skjema(k, url, data, follow_redirects=True):
    """Post skjemaet på `url` med CSRF-nøkkelen fra samme side."""
    side = k.get(url).get_data(as_text=True)
    return k.post(url, data={**data, "csrf_token": csrf(side)}, follow_redirects=follow_redirects)


def post(k, side: str, url: str, data: dict, **kw):
    """Post et skjema med CSRF-nøkkelen fra siden det står på."""
    t = csrf(k.get(side).get_data(as_text=True))
    return k.post(url, data={**data, "csrf_token": t}, **kw)


def ny_part(k, **endring):
    """Registrer Bodø fengsel (med én kontaktperson) gjennom skjemaet."""
    data = {
        "navn": "Bodø fengsel",
        "type": "fengsel",
        "orgnr": "974 760 673",
        "adresse": "Bodø",
        "kontaktpersoner-0-navn": "Åse Ødegård",
        "kontaktpersoner-0-rolle": "Sosialkonsulent",
        "kontaktpersoner-0-epost": "ase@example.no",
        "kontaktpersoner-0-telefon": "900 00 001",
        **endring,
    }
    return post_skjema(k, "/parter/ny", data)


def part_id(tj, navn="Bodø fengsel"):
    with tj.sesjoner() as s:
        return s.scalar(select(Part.id).where(Part.navn == navn))


def lag_part(tj, navn: str, nr: int, epost: str) -> int:
    """Et fengsel med én kontaktperson, rett gjennom brukstilfellet."""
    part = parter.opprett_part(
        tj,
        {
            "navn": navn,
            "type": "fengsel",
            "orgnr": fiktivt_orgnr(nr),
            "kontaktpersoner": [{"navn": f"Kontakt {navn}", "rolle": "Leder", "epost": epost}],
        },
    )
    return part.id
