"""Påminnelser i overgangen (for cron, `dokumenter overgang paminn`):

- samarbeidsmøtet under oppholdet nærmer seg eller er passert (koordinatoren og
  primærkontakten i institusjonen, høyst hver 14. dag);
- en oppgave forfaller om tre dager eller er forfalt (den ansvarlige, ellers koordinatoren;
  høyst hver 7. dag per oppgave);
- et punkt for boligutfall er forfalt uten at utfallet er registrert (koordinatoren og
  booppfølgeren, høyst hver 14. dag);
- primærkontakten eller booppfølgeren har mistet tilgangen til planen (deaktivert, fjernet
  fra ansvarsgruppen, samtykket trukket): sekundærkontakten får beskjed, én gang per kontakt.

E-postene nevner bare plannummeret, aldri personen, og går bare til dem som kan åpne planen.
Hver påminnelse står i planens innsynslogg."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.brukere.roller import PARTNER
from dokumenter.felles import formatering
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Bruker, Overgang, Plan
from dokumenter.overgang import oppgaver
from dokumenter.overgang.regler import KONTAKTROLLER, PUNKTER, forfalte_punkter
from dokumenter.planer.innsynslogg import logg
from dokumenter.planer.regler import KAN_ENDRES
from dokumenter.planer.tilgang import grunnlag
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

SYSTEMET = "Systemet"
MOTE_DAGER_FOR = 7
MOTE_HVER = 14
OPPGAVE_DAGER_FOR = 3
OPPGAVE_HVER = 7
UTFALL_HVER = 14


def _nylig(tidspunkt, dager: int) -> bool:
    return tidspunkt is not None and som_utc(tidspunkt) > naa() - timedelta(days=dager)


def _mottakere(s: Session, plan: Plan, *brukere: Bruker | None) -> list[Bruker]:
    """De av brukerne som kan åpne planen og har e-post, uten dubletter."""
    ut: list[Bruker] = []
    for b in brukere:
        if b is not None and b.epost and b not in ut and grunnlag(s, plan, b) is not None:
            ut.append(b)
    return ut


def send_paminnelser(tj: Tjenester, idag: date | None = None) -> tuple[int, list[str]]:
    """Alle fire slags påminnelser; (antall e-poster som faktisk ble sendt, feil). Hver står i
    varselloggen (`varsler.utsending`), sendt eller feilet."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        ider = s.scalars(
            select(Overgang.id)
            .join(Plan, Overgang.plan_id == Plan.id)
            .where(Plan.status.in_(KAN_ENDRES))
            .order_by(Overgang.id)
        ).all()
    meldinger: list[Melding] = []
    feil: list[str] = []
    for overgang_id in ider:
        for steg in STEG:
            with tj.transaksjon() as s:
                o = s.get(Overgang, overgang_id)
                meldinger += steg(tj, s, o, idag, feil)
    utfall = utsending.send_med_utfall(tj, meldinger)
    return len(utfall.sendt), feil + utfall.feil


def _epost(tj: Tjenester, til: Bruker, plan_id: int, emne: str, tekst: str) -> Melding:
    lenke = tj.lenker.plan(plan_id, partner=til.rolle == PARTNER)
    return Melding(
        mottaker=Mottaker.bruker(til),
        hendelse="overgang_paminnelse",
        objekt_type="plan",
        objekt_id=plan_id,
        emne=emne,
        tekst=f"Hei {til.navn},\n\n{tekst}\n{lenke}\n",
    )


def _samarbeidsmote(
    tj: Tjenester, s: Session, o: Overgang, idag: date, feil: list[str]
) -> list[Melding]:
    dato = o.neste_samarbeidsmote
    if o.tilbud_dato is not None or dato is None or dato > idag + timedelta(days=MOTE_DAGER_FOR):
        return []
    if _nylig(o.samarbeidsmote_paminnet, MOTE_HVER):
        return []
    o.samarbeidsmote_paminnet = naa()
    plan = o.plan
    logg(s, plan.id, "samarbeidsmote_paminnet", None, SYSTEMET, "systemet")
    dager = (dato - idag).days
    nar = f"om {dager} dager" if dager > 0 else ("i dag" if dager == 0 else "passert")
    return [
        _epost(
            tj,
            b,
            plan.id,
            f"Samarbeidsmøte for individuell plan {plan.nummer}: {formatering.dato_lang(dato)}",
            f"Neste samarbeidsmøte under oppholdet for individuell plan {plan.nummer} skal "
            f"holdes {formatering.dato_lang(dato)} ({nar}). Kall inn, og registrer møtet i "
            "overgangen når det er holdt:",
        )
        for b in _mottakere(s, plan, plan.koordinator, o.primaerkontakt)
    ]


def _oppgaver(tj: Tjenester, s: Session, o: Overgang, idag: date, feil: list[str]) -> list[Melding]:
    plan = o.plan
    ut = []
    for x in o.oppgaver:
        if x.status != "apen" or x.frist is None:
            continue
        if x.frist > idag + timedelta(days=OPPGAVE_DAGER_FOR) or _nylig(x.paminnet, OPPGAVE_HVER):
            continue
        ansvarlig = oppgaver.ansvarlig(o, x)
        til = _mottakere(s, plan, ansvarlig) or _mottakere(s, plan, plan.koordinator)
        if not til:
            feil.append(f"Ingen med e-post og tilgang kan påminnes om en oppgave i {plan.nummer}.")
            continue
        x.paminnet = naa()
        logg(s, plan.id, "oppgave_paminnet", None, SYSTEMET, "systemet", oppgave=x.tittel)
        tilstand = "er forfalt" if x.frist < idag else "forfaller snart"
        ut.append(
            _epost(
                tj,
                til[0],
                plan.id,
                f"Oppgave i overgangen for plan {plan.nummer} {tilstand}",
                f"Oppgaven «{x.tittel}» i overgangen for individuell plan {plan.nummer} har frist "
                f"{formatering.dato_lang(x.frist)} og {tilstand}. Merk den som ferdig når den er "
                "gjort:",
            )
        )
    return ut


def _utfall(tj: Tjenester, s: Session, o: Overgang, idag: date, feil: list[str]) -> list[Melding]:
    forfalte = forfalte_punkter(o, idag)
    if not forfalte or _nylig(o.utfall_paminnet, UTFALL_HVER):
        return []
    o.utfall_paminnet = naa()
    plan = o.plan
    logg(s, plan.id, "utfall_paminnet", None, SYSTEMET, "systemet", punkt=PUNKTER[forfalte[0][0]])
    punkter = ", ".join(f"{PUNKTER[p].lower()} ({formatering.dato_lang(d)})" for p, d in forfalte)
    return [
        _epost(
            tj,
            b,
            plan.id,
            f"Registrer boligutfall for individuell plan {plan.nummer}",
            f"Boligsituasjonen for individuell plan {plan.nummer} skal registreres: {punkter}. "
            "Tallene brukes i den årlige evalueringen av samarbeidsavtalen (§ 10):",
        )
        for b in _mottakere(s, plan, plan.koordinator, o.booppfolger)
    ]


def _kontakter(
    tj: Tjenester, s: Session, o: Overgang, idag: date, feil: list[str]
) -> list[Melding]:
    plan = o.plan
    varslet = dict(o.kontakt_varslet or {})
    ut = []
    for rolle in ("primaerkontakt", "booppfolger"):
        kontakt: Bruker | None = getattr(o, rolle)
        if kontakt is None or varslet.get(rolle) == kontakt.id:
            continue
        if grunnlag(s, plan, kontakt) is not None:
            continue
        til = _mottakere(s, plan, o.sekundaerkontakt) or _mottakere(s, plan, plan.koordinator)
        varslet[rolle] = kontakt.id
        logg(s, plan.id, "kontakt_varslet", None, SYSTEMET, "systemet", rolle=KONTAKTROLLER[rolle])
        ut += [
            _epost(
                tj,
                b,
                plan.id,
                f"{KONTAKTROLLER[rolle]} i plan {plan.nummer} har falt fra",
                f"{kontakt.navn} er {KONTAKTROLLER[rolle].lower()} i overgangen for individuell "
                f"plan {plan.nummer}, men har ikke lenger tilgang til planen (sluttet, fjernet "
                "fra ansvarsgruppen eller samtykket er trukket). Som sekundærkontakt sørger du "
                "for at personen har en kontakt, og at en ny blir satt inn:",
            )
            for b in til
        ]
    o.kontakt_varslet = varslet
    return ut


STEG: tuple[Callable[..., list[Melding]], ...] = (_samarbeidsmote, _oppgaver, _utfall, _kontakter)
