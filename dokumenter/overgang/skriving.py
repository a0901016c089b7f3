"""Brukstilfellene for selve overgangen: starte den (med rutinens minsteliste over oppgaver),
endre datoene, kontaktene og overlappen, og registrere møter. Alt krever at brukeren kan endre
planen, og alt logges i planens innsynslogg.

Når primærkontakten eller booppfølgeren byttes ut, får sekundærkontakten e-post (etter
commit), så noen alltid vet hvem som har saken. Kontakter som faller fra på annen måte
(deaktivert, fjernet fra gruppen, samtykket trukket) fanger `paminnelser` opp."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.models import Bruker, Overgang, Overgangsmote, Overgangsoppgave
from dokumenter.overgang import apning
from dokumenter.overgang.regler import (
    KONTAKTROLLER,
    MAKS_TEKST,
    MINSTELISTE,
    MOTEFREKVENSER,
    MOTETYPER,
    OPPFOLGINGSNIVAER,
    OVERLAPP_MAKS_DAGER,
    STANDARD_MOTEFREKVENS,
)
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.regler import krev_apen
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

DATOFELT = {
    "neste_samarbeidsmote": "datoen for neste samarbeidsmøte",
    "forventet_losladt": "forventet dato for løslatelse eller utskrivning",
    "tilbud_dato": "datoen bolig ble tilbudt eller tildelt",
    "visning_dato": "datoen for visning",
    "kontrakt_dato": "datoen kontrakten ble signert",
    "innflytting_dato": "innflyttingsdatoen",
    "overlapp_fra": "første dag med overlapp",
    "overlapp_til": "siste dag med overlapp",
}
KONTAKTFELT = tuple(f"{rolle}_id" for rolle in KONTAKTROLLER)
ANDRE_FELT = ("motefrekvens_maneder", "bolig", "overlapp_betaler")


@logger_nektet
def start(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> None:
    """Start overgangen for planen, med rutinens minsteliste over oppgaver (fristene settes
    når bolig er tilbudt) og første samarbeidsmøte om tre måneder."""
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        if s.scalar(select(Overgang.id).where(Overgang.plan_id == plan_id)) is not None:
            raise Valideringsfeil({"overgang": "Planen har allerede en overgang."})
        o = Overgang(
            plan_id=plan_id,
            motefrekvens_maneder=STANDARD_MOTEFREKVENS,
            neste_samarbeidsmote=date.today() + relativedelta(months=STANDARD_MOTEFREKVENS),
            bolig_kryptert="",
            overlapp_betaler="",
            kontakt_varslet={},
            opprettet_av_id=bruker_id,
        )
        for nr, oppgave in enumerate(MINSTELISTE, start=1):
            o.oppgaver.append(
                Overgangsoppgave(
                    tittel=oppgave.tittel,
                    standard=oppgave.nokkel,
                    ansvarlig_tekst=KONTAKTROLLER[oppgave.rolle],
                    status="apen",
                    rekkefolge=nr,
                )
            )
        s.add(o)
        logg(s, plan_id, "overgang_startet", bruker_id, g, fra)


def _rens_endringer(data: dict[str, Any]) -> dict[str, Any]:
    ukjente = set(data) - set(DATOFELT) - set(KONTAKTFELT) - set(ANDRE_FELT)
    if ukjente:
        raise Valideringsfeil(dict.fromkeys(sorted(ukjente), "Ukjent felt."))
    ut: dict[str, Any] = {}
    for felt, etikett in DATOFELT.items():
        if felt in data:
            ut[felt] = apning.dato(data, felt, etikett)
    apning.ikke_fram_i_tid(ut.get("tilbud_dato"), "tilbud_dato", "Datoen bolig ble tilbudt")
    if "motefrekvens_maneder" in data:
        try:
            ut["motefrekvens_maneder"] = int(data["motefrekvens_maneder"])
        except (TypeError, ValueError):
            ut["motefrekvens_maneder"] = 0
        if ut["motefrekvens_maneder"] not in MOTEFREKVENSER:
            raise Valideringsfeil(
                {"motefrekvens_maneder": "Velg hvor ofte samarbeidsmøtene holdes (1–3 måneder)."}
            )
    if "bolig" in data:
        ut["bolig"] = apning.tekst(data, "bolig", 300)
    if "overlapp_betaler" in data:
        ut["overlapp_betaler"] = apning.tekst(data, "overlapp_betaler", 200)
    return ut


def _sjekk_sammenheng(o: Overgang) -> None:
    """Datoene og overlappen henger sammen (etter at endringene er satt)."""
    for felt in ("visning_dato", "kontrakt_dato", "innflytting_dato"):
        d = getattr(o, felt)
        if d is not None and o.tilbud_dato is None:
            raise Valideringsfeil({felt: "Registrer først datoen bolig ble tilbudt eller tildelt."})
        if d is not None and d < o.tilbud_dato:
            raise Valideringsfeil(
                {felt: f"{DATOFELT[felt].capitalize()} kan ikke være før boligen ble tilbudt."}
            )
    if (o.overlapp_fra is None) != (o.overlapp_til is None):
        raise Valideringsfeil({"overlapp_til": "Skriv både første og siste dag med overlapp."})
    if o.overlapp_fra is not None:
        if o.overlapp_til < o.overlapp_fra:
            raise Valideringsfeil({"overlapp_til": "Overlappen kan ikke slutte før den starter."})
        if (o.overlapp_til - o.overlapp_fra).days + 1 > OVERLAPP_MAKS_DAGER:
            raise Valideringsfeil(
                {"overlapp_til": f"Overlappen kan vare høyst {OVERLAPP_MAKS_DAGER} dager."}
            )
        if not o.overlapp_betaler:
            raise Valideringsfeil({"overlapp_betaler": "Skriv hvem som betaler for overlappen."})
    kontakter = [o.primaerkontakt_id, o.booppfolger_id]
    if o.sekundaerkontakt_id is not None and o.sekundaerkontakt_id in kontakter:
        raise Valideringsfeil(
            {
                "sekundaerkontakt_id": "Sekundærkontakten skal være en annen enn primærkontakten "
                "og booppfølgeren."
            }
        )


def _nye_frister(o: Overgang, gammel_tilbud: date | None) -> None:
    """Minstelistens åpne oppgaver får frist fra tilbudsdatoen, med mindre fristen er endret
    for hånd (den er da en annen enn den gamle tilbudsdatoen ga)."""
    if o.tilbud_dato is None:
        return
    dager = {m.nokkel: m.dager_etter_tilbud for m in MINSTELISTE}
    for oppgave in o.oppgaver:
        if oppgave.status != "apen" or oppgave.standard not in dager:
            continue
        gammel = gammel_tilbud + timedelta(days=dager[oppgave.standard]) if gammel_tilbud else None
        if oppgave.frist is None or oppgave.frist == gammel:
            oppgave.frist = o.tilbud_dato + timedelta(days=dager[oppgave.standard])


@logger_nektet
def oppdater(
    tj: Tjenester, plan_id: int, data: dict[str, Any], bruker_id: int, fra: str = ""
) -> list[str]:
    """Endre feltene i `data` (bare de som er med). Returnerer eventuelle e-postfeil (varsel til
    sekundærkontakten når primærkontakten eller booppfølgeren byttes)."""
    rene = _rens_endringer(data)
    eposter: list[Melding] = []
    with tj.transaksjon() as s:
        plan, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        for felt in KONTAKTFELT:
            if felt in data:
                rene[felt] = apning.medlem_av_planen(s, plan, data[felt], felt)
        gammel_tilbud = o.tilbud_dato
        byttet = [
            (rolle, getattr(o, f"{rolle}_id"))
            for rolle in ("primaerkontakt", "booppfolger")
            if f"{rolle}_id" in rene
            and getattr(o, f"{rolle}_id") not in (None, rene[f"{rolle}_id"])
        ]
        endret = []
        for felt, verdi in rene.items():
            if felt == "bolig":
                gammel = tj.chiffer.dekrypter_tekst(o.bolig_kryptert) if o.bolig_kryptert else ""
                if verdi != gammel:
                    o.bolig_kryptert = tj.chiffer.krypter_tekst(verdi) if verdi else ""
                    endret.append(felt)
            elif getattr(o, felt) != verdi:
                setattr(o, felt, verdi)
                endret.append(felt)
        _sjekk_sammenheng(o)
        if "motefrekvens_maneder" in endret and "neste_samarbeidsmote" not in endret:
            _neste_samarbeidsmote(o)
        if "tilbud_dato" in endret:
            _nye_frister(o, gammel_tilbud)
        for rolle, _ in byttet:  # en ny kontakt er ikke varslet om noe ennå
            o.kontakt_varslet = {k: v for k, v in (o.kontakt_varslet or {}).items() if k != rolle}
        if endret:
            o.endret = naa()
            logg(s, plan_id, "overgang_endret", bruker_id, g, fra, felt=sorted(endret))
        for rolle, forrige_id in byttet:
            epost = _varsel_om_bytte(tj, s, o, plan.nummer, rolle, forrige_id)
            if epost is not None:
                eposter.append(epost)
                logg(s, plan_id, "kontakt_varslet", bruker_id, g, fra, rolle=KONTAKTROLLER[rolle])
    return utsending.send(tj, eposter, bruker_id)


def _varsel_om_bytte(
    tj: Tjenester, s: Any, o: Overgang, nummer: str, rolle: str, forrige_id: int
) -> Melding | None:
    sekundaer = s.get(Bruker, o.sekundaerkontakt_id) if o.sekundaerkontakt_id else None
    if sekundaer is None or not sekundaer.aktiv or not sekundaer.epost:
        return None
    forrige = s.get(Bruker, forrige_id)
    ny = s.get(Bruker, getattr(o, f"{rolle}_id")) if getattr(o, f"{rolle}_id") else None
    return Melding(
        mottaker=Mottaker.bruker(sekundaer),
        hendelse="overgang_kontakt_byttet",
        objekt_type="plan",
        objekt_id=o.plan_id,
        emne=f"Ny {KONTAKTROLLER[rolle].lower()} i overgangen for plan {nummer}",
        tekst=(
            f"Hei {sekundaer.navn},\n\nDu er sekundærkontakt i overgangen fra institusjon til "
            f"bolig for individuell plan {nummer}. {KONTAKTROLLER[rolle]} er byttet: "
            f"{forrige.navn} har gitt saken videre"
            + (f" til {ny.navn}" if ny else "")
            + ". Sørg for at personen vet hvem som følger opp nå:\n"
            f"{tj.lenker.plan(o.plan_id, partner=sekundaer.rolle == PARTNER)}\n"
        ),
    )


def _neste_samarbeidsmote(o: Overgang) -> None:
    """Neste samarbeidsmøte: det siste som er holdt, pluss planens møtefrekvens."""
    holdt = [m.dato for m in o.moter if m.type == "samarbeidsmote"]
    if holdt:
        o.neste_samarbeidsmote = max(holdt) + relativedelta(months=o.motefrekvens_maneder)
        o.samarbeidsmote_paminnet = None


@logger_nektet
def registrer_mote(
    tj: Tjenester, plan_id: int, data: dict[str, Any], bruker_id: int, fra: str = ""
) -> None:
    """Registrer et møte som er holdt. Et samarbeidsmøte setter datoen for det neste etter
    planens møtefrekvens; boligmøtet og utflyttingsmøtet avgjør nivået på oppfølgingen."""
    type_ = str(data.get("type") or "")
    if type_ not in MOTETYPER:
        raise Valideringsfeil({"type": "Velg hva slags møte det var."})
    dato = apning.dato(data, "dato", "datoen for møtet", paakrevd=True)
    apning.ikke_fram_i_tid(dato, "dato", "Møtet")
    deltakere = apning.tekst(data, "deltakere", MAKS_TEKST, flerlinjet=True)
    if not deltakere:
        raise Valideringsfeil({"deltakere": "Skriv hvem som deltok (navn eller rolle)."})
    niva = str(data.get("oppfolgingsniva") or "")
    if type_ == "samarbeidsmote":
        niva = ""
    elif niva not in OPPFOLGINGSNIVAER:
        raise Valideringsfeil(
            {
                "oppfolgingsniva": "Velg nivået på oppfølgingen møtet besluttet (minimum, middels "
                "eller tett)."
            }
        )
    merknad = apning.tekst(data, "merknad", MAKS_TEKST, flerlinjet=True)
    with tj.transaksjon() as s:
        plan, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        o.moter.append(
            Overgangsmote(
                type=type_,
                dato=dato,
                deltakere=deltakere,
                oppfolgingsniva=niva,
                merknad=merknad,
                registrert_av_id=bruker_id,
            )
        )
        if type_ == "samarbeidsmote":
            _neste_samarbeidsmote(o)
        o.endret = naa()
        logg(
            s,
            plan_id,
            "mote_registrert",
            bruker_id,
            g,
            fra,
            type=MOTETYPER[type_],
            dato=dato.isoformat(),
            niva=niva,
        )
