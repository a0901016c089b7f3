"""Personens samtykke til deling med en navngitt institusjon; uten gjeldende samtykke har
institusjonens brukere ingen tilgang. Samtykket sier hvilke opplysninger (omfang), til hvilket
formål og hvordan det ble gitt (skriftlig, eller muntlig med vitne), som avtalens § 8 krever;
et skriftlig samtykke lastes opp skannet og lagres kryptert som planens andre filer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from arkiv.lager import LagretFil
from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.felles.validering import les_dato, rens_tekst
from dokumenter.models import (
    Part,
    Plandokument,
    Samtykke,
)
from dokumenter.planer import varsler
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.regler import krev_apen
from dokumenter.planer.signering import trekk_runde_uten_tilgang
from dokumenter.planer.tilgang import gjeldende_samtykke
from dokumenter.signering.skannet import sjekk_skannet_pdf
from dokumenter.tjenester import Tjenester

FORMER = {"skriftlig": "Skriftlig", "muntlig": "Muntlig"}
MAKS_TEKST = 2000


def _innhold(omfang: object, formal: object, form: object, vitne: object) -> dict[str, str]:
    feil: dict[str, str] = {}
    ut = {
        "omfang": rens_tekst(omfang, flerlinjet=True),
        "formal": rens_tekst(formal, flerlinjet=True),
        "form": str(form or ""),
        "vitne": rens_tekst(vitne)[:200],
    }
    if not ut["omfang"]:
        feil["omfang"] = "Skriv hvilke opplysninger samtykket gjelder."
    if not ut["formal"]:
        feil["formal"] = "Skriv hva opplysningene skal brukes til (formålet)."
    for felt in ("omfang", "formal"):
        if len(ut[felt]) > MAKS_TEKST:
            feil[felt] = f"Kan ha høyst {MAKS_TEKST} tegn."
    if ut["form"] not in FORMER:
        feil["form"] = "Velg om samtykket er skriftlig eller muntlig."
    elif ut["form"] == "muntlig" and not ut["vitne"]:
        feil["vitne"] = "Et muntlig samtykke må ha et vitne: skriv hvem som var til stede."
    if ut["form"] == "skriftlig":
        ut["vitne"] = ""
    if feil:
        raise Valideringsfeil(feil)
    return ut


@dataclass
class Trukket:
    mistet: list[str]  # navnene på dem som mistet tilgangen
    epostfeil: list[str]


@logger_nektet
def registrer_samtykke(
    tj: Tjenester,
    plan_id: int,
    part_id: int,
    gitt: object,
    bruker_id: int,
    fra: str = "",
    omfang: str = "",
    formal: str = "",
    form: str = "",
    vitne: str = "",
) -> list[str]:
    """Personen samtykker til at taushetsbelagte opplysninger (omfang) deles med parten til et
    formål, skriftlig eller muntlig (med vitne). Partens brukere i ansvarsgruppen og
    koordinatoren får e-post (bare plannummeret); gir e-postfeilene."""
    innhold = _innhold(omfang, formal, form, vitne)
    try:
        dato = les_dato(gitt)
    except (ValueError, TypeError):
        raise Valideringsfeil({"gitt": "Skriv datoen samtykket ble gitt (dd.mm.åååå)."}) from None
    if dato > date.today():
        raise Valideringsfeil({"gitt": "Samtykket kan ikke være gitt fram i tid."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        part = s.get(Part, part_id)
        if part is None:
            raise Valideringsfeil({"part_id": "Velg en part."})
        if gjeldende_samtykke(s, plan_id, part_id) is not None:
            raise Valideringsfeil({"part_id": f"Det er allerede samtykke for {part.navn}."})
        plan.samtykker.append(
            Samtykke(part_id=part_id, gitt=dato, registrert_av_id=bruker_id, **innhold)
        )
        logg(
            s,
            plan_id,
            "samtykke_gitt",
            bruker_id,
            g,
            fra,
            part=part.navn,
            gitt=dato.isoformat(),
            form=FORMER[innhold["form"]],
        )
        delt_med = _partnere_i_gruppen(plan, part_id)
    return varsler.delt(tj, plan_id, part_id, delt_med, bruker_id)


def _partnere_i_gruppen(plan, part_id: int) -> list[int]:
    return [
        m.bruker_id
        for m in plan.medlemmer
        if m.bruker.rolle == PARTNER and m.bruker.part_id == part_id
    ]


@logger_nektet
def trekk_samtykke(
    tj: Tjenester, plan_id: int, part_id: int, bruker_id: int, fra: str = ""
) -> Trukket:
    """Personen trekker samtykket for en part: partens brukere mister tilgangen med en gang.
    De og koordinatoren får e-post (bare plannummeret). Gir navnene på dem som mistet
    tilgangen (de står også i loggen) og e-postfeilene."""
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        samtykke = gjeldende_samtykke(s, plan_id, part_id)
        if samtykke is None:
            raise Valideringsfeil({"part_id": "Det er ikke noe gjeldende samtykke for parten."})
        for sam in plan.samtykker:  # alle gjeldende, om det skulle være flere
            if sam.part_id == part_id and sam.trukket is None:
                sam.trukket, sam.trukket_av_id = naa(), bruker_id
        mistet = sorted(
            m.bruker.navn
            for m in plan.medlemmer
            if m.bruker.rolle == PARTNER and m.bruker.part_id == part_id
        )
        logg(
            s,
            plan_id,
            "samtykke_trukket",
            bruker_id,
            g,
            fra,
            part=samtykke.part.navn,
            mistet_tilgang=mistet,
        )
        trekk_runde_uten_tilgang(s, plan, bruker_id, g, fra)
        berort = _partnere_i_gruppen(plan, part_id)
    return Trukket(mistet, varsler.samtykke_trukket(tj, plan_id, part_id, berort, bruker_id))


@logger_nektet
def last_opp_samtykke(
    tj: Tjenester, plan_id: int, samtykke_id: int, pdf: bytes, bruker_id: int, fra: str = ""
) -> None:
    """Den skannede kopien av et skriftlig samtykke (kryptert i arkivet, som planens filer).
    En ny kopi erstatter en eldre; begge står i arkivet til planen slettes."""
    with tj.sesjoner() as s:  # tilgangen før filen leses
        apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
    sider = sjekk_skannet_pdf(pdf)

    def registrer(s: Session, filer: list[LagretFil]) -> None:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        samtykke = next((x for x in plan.samtykker if x.id == samtykke_id), None)
        if samtykke is None:
            raise Valideringsfeil({"fil": "Samtykket finnes ikke i denne planen."})
        if samtykke.form != "skriftlig":
            raise Valideringsfeil({"fil": "Bare et skriftlig samtykke lastes opp."})
        if samtykke.trukket is not None:
            raise Valideringsfeil({"fil": "Samtykket er trukket."})
        (fil,) = filer
        dok = Plandokument(
            plan_id=plan_id,
            versjon_nummer=plan.gjeldende_versjon,
            type="samtykke_skannet",
            sha256=fil.sha256,
            storrelse=fil.storrelse,
            innhold_sha256=hashlib.sha256(pdf).hexdigest(),
            opprettet_av_id=bruker_id,
        )
        s.add(dok)
        s.flush()
        samtykke.dokument_id = dok.id
        logg(
            s, plan_id, "samtykke_skannet", bruker_id, g, fra, part=samtykke.part.navn, sider=sider
        )

    tj.arkiver([tj.chiffer.krypter(pdf)], registrer)
