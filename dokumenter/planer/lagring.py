"""Brukstilfeller for individuelle planer: opprette, nye versjoner (DOCX og PDF/A), lese og
laste ned, ansvarsgruppe, samtykker, tilganger, avslutning og innsynslogg.

Alt som åpner en plan går gjennom `_apne`, som spør `plantilgang.grunnlag` og skriver
handlingen i innsynsloggen (`Planlogg`) med grunnlaget. Uten grunnlag er svaret det samme
som for en plan som ikke finnes, og ingenting om planen (heller ikke navnet) nevnes.

Personens navn og fødselsdato står kryptert på planen, innholdet i hver versjon kryptert i
versjonen, og planens filer kryptert i arkivet (infrastruktur.kryptering). Planene er aldri i
søkeindeksen; søket dekrypterer dem (se sider.sok).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arkiv.lager import LagretFil
from dokumenter.avtaler.produksjon import part_data, registrer_mal
from dokumenter.brukere.roller import SKRIVEROLLER
from dokumenter.felles import formatering
from dokumenter.felles.feil import IngenTilgang, Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.felles.validering import les_dato, rens_tekst, skjema_token
from dokumenter.infrastruktur.render import kontekst, render_docx
from dokumenter.models import (
    Avtale,
    Bruker,
    Part,
    Plan,
    Plandokument,
    Plansletting,
    PlanVersjon,
)
from dokumenter.planer import rader
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.regler import (
    AVTALER_SOM_KAN_KNYTTES,
    MAL,
    PERSONFELT,
    PERSONROLLE,
    SYSTEMFELT,
    Person,
    krev_apen,
    person,
)
from dokumenter.planer.signering import trekk_aktiv_runde
from dokumenter.tjenester import Arkivhendelse, Tjenester

# --- Opprette og lagre ------------------------------------------------------------------------


def _neste_nummer(s: Session, aar: int) -> str:
    prefiks = f"IP-{aar}-"
    brukte = [
        *s.scalars(select(Plan.nummer).where(Plan.nummer.startswith(prefiks))),
        *s.scalars(
            select(Plansletting.plan_nummer).where(Plansletting.plan_nummer.startswith(prefiks))
        ),
    ]
    siste = max(
        (int(n.removeprefix(prefiks)) for n in brukte if n.removeprefix(prefiks).isdigit()),
        default=0,
    )
    return f"{prefiks}{siste + 1:03d}"


def _person(navn: object, fodselsdato: object) -> Person:
    feil: dict[str, str] = {}
    navn_ = rens_tekst(navn)
    if not navn_:
        feil["navn"] = "Skriv personens navn."
    elif len(navn_) > 200:
        feil["navn"] = "Navnet kan ha høyst 200 tegn."
    try:
        dato = les_dato(fodselsdato)
        if not date(1900, 1, 1) <= dato <= date.today():
            feil["fodselsdato"] = "Fødselsdatoen må være mellom 1900 og i dag."
    except (ValueError, TypeError):
        dato = date.today()
        feil["fodselsdato"] = "Skriv fødselsdatoen som dd.mm.åååå."
    if feil:
        raise Valideringsfeil(feil)
    return Person(navn_, dato)


def opprett(
    tj: Tjenester,
    navn: str,
    fodselsdato: object,
    part_id: int,
    bruker_id: int,
    avtale_id: int | None = None,
    fra: str = "",
) -> int:
    """Opprett en plan (uten innhold ennå) med brukeren som koordinator."""
    person = _person(navn, fodselsdato)
    with tj.transaksjon() as s:
        bruker = s.get(Bruker, bruker_id)
        if bruker is None or bruker.rolle not in SKRIVEROLLER:
            raise IngenTilgang("Bare ansatte med skrivetilgang kan opprette planer.")
        part = s.get(Part, part_id)
        if part is None:
            raise Valideringsfeil({"part_id": "Velg institusjonen personen kommer fra."})
        if avtale_id is not None:
            avtale = s.get(Avtale, avtale_id)
            if avtale is None or avtale.part_id != part_id:
                raise Valideringsfeil(
                    {"avtale_id": "Avtalen må være samarbeidsavtalen med den valgte institusjonen."}
                )
            if avtale.status not in AVTALER_SOM_KAN_KNYTTES:
                raise Valideringsfeil(
                    {
                        "avtale_id": "Planen kan ikke knyttes til et utkast eller en avtale som "
                        "ikke gjelder."
                    }
                )
        plan = Plan(
            nummer=_neste_nummer(s, date.today().year),
            navn_kryptert=tj.chiffer.krypter_tekst(person.navn),
            fodselsdato_kryptert=tj.chiffer.krypter_tekst(person.fodselsdato.isoformat()),
            part_id=part_id,
            avtale_id=avtale_id,
            koordinator_id=bruker_id,
            status="utkast",
            gjeldende_versjon=0,
            avsluttet_grunn="",
            opprettet_av_id=bruker_id,
        )
        s.add(plan)
        s.flush()
        tj.journal.ny_sak(s, "plan", plan.id, bruker_id)
        logg(s, plan.id, "opprettet", bruker_id, "Koordinator for planen", fra)
        return plan.id


def _systemverdier(tj: Tjenester, s: Session, plan: Plan, versjon: int) -> dict[str, Any]:
    p = person(tj, plan)
    avtale = plan.avtale
    kommune, referanse = "Kommunen", ""
    if avtale is not None and avtale.siste_versjon is not None:
        kommune = avtale.siste_versjon.feltverdier.get("kommune_navn") or kommune
        referanse = f"Samarbeidsavtale med {plan.part.navn}, versjon {avtale.gjeldende_versjon}"
    samtykker = [
        {
            "part": sam.part.navn,
            "status": f"Trukket {formatering.dato_lang(sam.trukket.date())}"
            if sam.trukket
            else f"Gitt {formatering.dato_lang(sam.gitt)}",
        }
        for sam in plan.samtykker
    ]
    medlemmer = [
        {"navn": m.bruker.navn, "tjeneste": m.tjeneste, "rolle": m.rolle} for m in plan.medlemmer
    ]
    signaturer = [{"navn": p.navn, "rolle": PERSONROLLE}]
    signaturer.append({"navn": plan.koordinator.navn, "rolle": "Koordinator"})
    signaturer += [
        {"navn": m.bruker.navn, "rolle": m.tjeneste}
        for m in plan.medlemmer
        if m.bruker_id != plan.koordinator_id
    ]
    return {
        "kommune_navn": kommune,
        "plan_nummer": plan.nummer,
        "versjon": versjon,
        "person_navn": p.navn,
        "person_fodselsdato": p.fodselsdato.isoformat(),
        "institusjon_navn": plan.part.navn,
        "avtale_referanse": referanse,
        "ansvarsgruppe": medlemmer,
        "samtykker": samtykker,
        "signaturer": signaturer,
    }


def innholdsfelt(tj: Tjenester) -> list:
    """Manifestets felt som brukeren fyller ut (skjemaet)."""
    return [f for f in tj.mal(MAL).felt if f.navn not in SYSTEMFELT]


@logger_nektet
def lagre_versjon(
    tj: Tjenester,
    plan_id: int,
    innhold: dict[str, Any],
    bruker_id: int,
    apnet_versjon: int,
    grunn: str = "",
    fra: str = "",
    token: str | None = None,
) -> int:
    """Lagre innholdet som versjon n+1 og lag DOCX og PDF/A (kryptert i arkivet). En aktiv
    signeringsrunde trekkes, og planen blir utkast til den er signert igjen. Med `token`
    (skjemaets engangsnøkkel) gir samme skjema sendt igjen versjonen som alt er lagret."""
    token = skjema_token(token)
    mal = tj.mal(MAL)
    ukjente = set(innhold) & set(SYSTEMFELT)
    if ukjente:
        raise Valideringsfeil(dict.fromkeys(sorted(ukjente), "Feltet settes av systemet."))
    innhold, radfeil = rader.valider(innhold)  # datoene i tiltak og fremdriftsplan
    grunn = rens_tekst(grunn)[:500]
    with tj.sesjoner() as s:
        plan, _, _g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        if (lagret := _med_token(s, plan_id, token)) is not None:
            return lagret
        krev_apen(plan)
        if plan.gjeldende_versjon != apnet_versjon:
            raise Valideringsfeil(
                {
                    "versjon": f"Planen er lagret av en annen (nå versjon "
                    f"{plan.gjeldende_versjon}) etter at du åpnet versjon {apnet_versjon}. "
                    "Ingenting er overskrevet; åpne planen på nytt."
                }
            )
        nummer = plan.gjeldende_versjon + 1
        try:
            verdier = mal.valider({**innhold, **_systemverdier(tj, s, plan, nummer)})
        except Valideringsfeil as e:
            raise Valideringsfeil({**radfeil, **e.feil}) from None
        if radfeil:
            raise Valideringsfeil(radfeil)
        dele = part_data(plan.part)
    visning = rader.til_visning(verdier)
    ctx = kontekst(mal, dele, visning, mal.variant_for(dele.type), date.today())
    malfil = mal.fil.read_bytes()
    # Tittelen i PDF-ens metadata: bare plannummeret, aldri personens navn.
    docx = render_docx(mal, ctx, malfil, tittel=f"Individuell plan {verdier['plan_nummer']}")
    pdf = tj.konverterer.til_pdfa(docx)
    # Det som lagres i databasen, har aldri personens navn: det står bare kryptert på planen.
    lagret = {k: v for k, v in verdier.items() if k not in PERSONFELT}
    lagret["signaturer"] = [r for r in verdier["signaturer"] if r["rolle"] != PERSONROLLE]

    def registrer(s: Session, filer: list[LagretFil]) -> int:
        malfil_, docx_, pdf_ = filer
        # Tilgangen og statusen sjekkes på nytt i skrivetransaksjonen: planen kan ha blitt
        # avsluttet, eller brukeren fjernet fra gruppen, mens dokumentene ble laget.
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        _ny_gjeldende_versjon(s, plan, nummer)
        trekk_aktiv_runde(s, plan, bruker_id, g, fra, "Innholdet ble endret.")
        plan.status = "utkast"
        plan.neste_evaluering = date.fromisoformat(lagret["revideres"])
        plan.evaluering_paminnet = None
        registrer_mal(s, mal, malfil_)
        versjon = PlanVersjon(
            plan_id=plan_id,
            nummer=nummer,
            innhold_kryptert=tj.chiffer.krypter_json(lagret),
            mal_versjon=mal.versjon,
            mal_sha256=malfil_.sha256,
            grunn=grunn,
            opprettet_av_id=bruker_id,
            skjema_token=token,
        )
        s.add(versjon)
        for type_, fil, klartekst in (("docx", docx_, docx), ("pdf", pdf_, pdf)):
            s.add(_plandokument(plan_id, nummer, type_, fil, klartekst, bruker_id))
        s.flush()
        tj.journal.registrer(
            s,
            Arkivhendelse(
                "planversjon", "plan", plan_id, bruker_id, versjon.id, innhold=(docx, pdf)
            ),
        )
        logg(s, plan_id, "ny_versjon", bruker_id, g, fra, versjon=nummer, grunn=grunn)
        return nummer

    krypter = tj.chiffer.krypter
    try:
        resultat = tj.arkiver([malfil, krypter(docx), krypter(pdf)], registrer)
    except (Valideringsfeil, IntegrityError):
        with tj.sesjoner() as s:  # samme skjema sendt to ganger samtidig?
            if (lagret := _med_token(s, plan_id, token)) is not None:
                return lagret
        raise
    return resultat


def _med_token(s: Session, plan_id: int, token: str | None) -> int | None:
    """Nummeret på versjonen et skjema med denne engangsnøkkelen alt har lagret."""
    if not token:
        return None
    return s.scalar(
        select(PlanVersjon.nummer).where(
            PlanVersjon.plan_id == plan_id, PlanVersjon.skjema_token == token
        )
    )


def lagret_med_token(tj: Tjenester, plan_id: int, token: object) -> int | None:
    """Nummeret på versjonen skjemaet alt har lagret (kalleren har sjekket tilgangen)."""
    with tj.sesjoner() as s:
        return _med_token(s, plan_id, skjema_token(token))


def _ny_gjeldende_versjon(s: Session, plan: Plan, nummer: int) -> None:
    """Versjon `nummer` blir gjeldende, men bare hvis ingen andre har lagret i mellomtiden."""
    oppdatert = s.execute(
        update(Plan)
        .where(Plan.id == plan.id, Plan.gjeldende_versjon == nummer - 1)
        .values(gjeldende_versjon=nummer, endret=naa())
        .execution_options(synchronize_session=False)
    )
    if oppdatert.rowcount != 1:
        raise Valideringsfeil({"versjon": "Planen ble lagret av en annen samtidig."})
    s.refresh(plan)


def _plandokument(
    plan_id: int, versjon: int, type_: str, fil: LagretFil, klartekst: bytes, bruker_id: int
) -> Plandokument:
    """En fil for planen: `fil` er den krypterte i arkivet, `klartekst` selve dokumentet."""
    return Plandokument(
        plan_id=plan_id,
        versjon_nummer=versjon,
        type=type_,
        sha256=fil.sha256,
        storrelse=fil.storrelse,
        innhold_sha256=hashlib.sha256(klartekst).hexdigest(),
        opprettet_av_id=bruker_id,
    )
