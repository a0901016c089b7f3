"""Avtaleparter (institusjoner) og deres kontaktpersoner: typer, sektorer og brukstilfeller."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dokumenter.brukere.roller import krev_skrivetilgang
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.felles.validering import (
    epost_feil,
    lengde_feil,
    normaliser_orgnr,
    orgnr_feil,
    rens_tekst,
    telefon_feil,
)
from dokumenter.models import Kontaktperson, Part
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.tjenester import Tjenester

MAKS_KONTAKTPERSONER = 20


def valider_part(data: dict[str, Any]) -> dict[str, Any]:
    """Normaliser og valider skjemadata for en part; kaster Valideringsfeil."""
    feil: dict[str, str] = {}
    navn = rens_tekst(data.get("navn"))
    type_ = rens_tekst(data.get("type"))
    orgnr = normaliser_orgnr(data.get("orgnr"))
    adresse = rens_tekst(data.get("adresse"))
    if not navn:
        feil["navn"] = "Navn må fylles ut."
    elif m := lengde_feil(navn, 200):
        feil["navn"] = m
    if type_ not in PARTSTYPER:
        feil["type"] = "Velg en gyldig partstype."
    if m := orgnr_feil(orgnr):
        feil["orgnr"] = m
    if m := lengde_feil(adresse, 300):
        feil["adresse"] = m
    kontakter = []
    raa_kontakter = list(data.get("kontaktpersoner") or [])
    if len(raa_kontakter) > MAKS_KONTAKTPERSONER:
        feil["kontaktpersoner"] = f"Høyst {MAKS_KONTAKTPERSONER} kontaktpersoner."
    for i, k in enumerate(raa_kontakter[:MAKS_KONTAKTPERSONER]):
        kp = {n: rens_tekst(k.get(n)) for n in ("navn", "rolle", "epost", "telefon")}
        if not any(kp.values()):
            continue
        prefiks = f"kontaktpersoner-{i}-"
        if not kp["navn"]:
            feil[prefiks + "navn"] = "Kontaktpersonen må ha et navn."
        for felt, maks in (("navn", 200), ("rolle", 200), ("epost", 254), ("telefon", 40)):
            if m := lengde_feil(kp[felt], maks):
                feil[prefiks + felt] = m
        if kp["epost"] and (m := epost_feil(kp["epost"])):
            feil[prefiks + "epost"] = m
        if kp["telefon"] and (m := telefon_feil(kp["telefon"])):
            feil[prefiks + "telefon"] = m
        kontakter.append(kp)
    if feil:
        raise Valideringsfeil(feil)
    return {
        "navn": navn,
        "type": type_,
        "orgnr": orgnr,
        "adresse": adresse,
        "kontaktpersoner": kontakter,
    }


def _sjekk_unik(s: Session, data: dict[str, Any], unntatt_id: int | None) -> None:
    feil = {}
    for felt, melding in (
        ("navn", "Det finnes allerede en part med dette navnet."),
        ("orgnr", "Det finnes allerede en part med dette organisasjonsnummeret."),
    ):
        sporring = select(func.count()).select_from(Part).where(getattr(Part, felt) == data[felt])
        if unntatt_id is not None:
            sporring = sporring.where(Part.id != unntatt_id)
        if s.scalar(sporring):
            feil[felt] = melding
    if feil:
        raise Valideringsfeil(feil)


def opprett_part(tj: Tjenester, data: dict[str, Any], bruker_id: int | None = None) -> Part:
    """Registrer en part. `bruker_id` er den som handler (nettsiden); uten den er det
    driften selv (kommandolinjen, demodata)."""
    rent = valider_part(data)
    with tj.transaksjon() as s:
        if bruker_id is not None:
            krev_skrivetilgang(s, bruker_id)
        _sjekk_unik(s, rent, None)
        part = Part(
            navn=rent["navn"],
            type=rent["type"],
            orgnr=rent["orgnr"],
            adresse=rent["adresse"],
            kontaktpersoner=[Kontaktperson(**k) for k in rent["kontaktpersoner"]],
        )
        s.add(part)
    return part


def endre_part(
    tj: Tjenester, part_id: int, data: dict[str, Any], bruker_id: int | None = None
) -> Part:
    rent = valider_part(data)
    with tj.transaksjon() as s:
        if bruker_id is not None:
            krev_skrivetilgang(s, bruker_id)
        part = s.get(Part, part_id)
        if part is None:
            raise Valideringsfeil({"part": "Parten finnes ikke."})
        _sjekk_unik(s, rent, part_id)
        part.navn, part.type = rent["navn"], rent["type"]
        part.orgnr, part.adresse = rent["orgnr"], rent["adresse"]
        part.kontaktpersoner = [Kontaktperson(**k) for k in rent["kontaktpersoner"]]
        part.endret = naa()
    return part
