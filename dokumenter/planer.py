"""Brukstilfeller for individuelle planer: opprette, nye versjoner (DOCX og PDF/A), lese og
laste ned, ansvarsgruppe, samtykker, tilganger, avslutning og innsynslogg.

Alt som åpner en plan går gjennom `_apne`, som spør `plantilgang.grunnlag` og skriver
handlingen i innsynsloggen (`Planlogg`) med grunnlaget. Uten grunnlag er svaret det samme
som for en plan som ikke finnes, og ingenting om planen (heller ikke navnet) nevnes.

Personens navn og fødselsdato står kryptert på planen; planens filer er kryptert i arkivet
(dokumenter.kryptering). Versjonene har bare innholdet, og søkeindeksen får aldri navnet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from arkiv.lager import LagretFil
from dokumenter import formatering, sok
from dokumenter.avtaler import IkkeFunnet, part_data, registrer_mal
from dokumenter.brukere import ANSATTROLLER, PARTNER, SKRIVEROLLER, som_utc
from dokumenter.db import sjekkpunkt
from dokumenter.epost import Epost
from dokumenter.models import (
    Ansvarsgruppemedlem,
    Avtale,
    Bruker,
    Engangskode,
    Part,
    Plan,
    Plandokument,
    Planlogg,
    Plansletting,
    Plantilgang,
    PlanVersjon,
    Samtykke,
    Signatar,
    Signeringsrunde,
    naa,
)
from dokumenter.plantilgang import Grunnlag, gjeldende_samtykke, grunnlag, synlige_plan_ider
from dokumenter.render import kontekst, render_docx
from dokumenter.tjenester import Tjenester
from dokumenter.validering import Valideringsfeil, les_dato, rens_tekst

T = TypeVar("T")
MAL = "individuell_plan"
IKKE_FUNNET = "Planen finnes ikke, eller du har ikke tilgang til den."
STATUSER = {
    "utkast": "Utkast",
    "til_signering": "Til signering",
    "aktiv": "Signert og gjeldende",
    "avsluttet": "Avsluttet",
}
KAN_ENDRES = ("utkast", "til_signering", "aktiv")
# Feltene systemet fyller inn ved hver lagring; resten av manifestet fyller brukeren ut.
SYSTEMFELT = (
    "kommune_navn", "plan_nummer", "versjon", "person_navn", "person_fodselsdato",
    "institusjon_navn", "avtale_referanse", "ansvarsgruppe", "samtykker", "signaturer",
)  # fmt: skip
PERSONFELT = ("person_navn", "person_fodselsdato")
PERSONROLLE = "Personen planen gjelder"  # første signaturlinje
FILTYPER = {
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": ("pdf", "application/pdf"),
    "forseglet": ("pdf", "application/pdf"),
    "skannet": ("pdf", "application/pdf"),
}
HANDLINGER = {
    "opprettet": "Opprettet planen",
    "lest": "Åpnet planen",
    "listet": "Så planen i planlisten (navn og nummer)",
    "sokt_fram": "Så planen i et søkeresultat (nummer og utdrag)",
    "lastet_ned": "Lastet ned",
    "ny_versjon": "Lagret ny versjon",
    "medlem_lagt_til": "La til medlem i ansvarsgruppen",
    "medlem_fjernet": "Fjernet medlem fra ansvarsgruppen",
    "samtykke_gitt": "Registrerte samtykke",
    "samtykke_trukket": "Registrerte at samtykke er trukket",
    "tilgang_gitt": "Ga tilgang",
    "tilgang_trukket": "Trakk tilgang",
    "koordinator_byttet": "Byttet koordinator",
    "avsluttet": "Avsluttet planen",
    "innsyn_skrevet_ut": "Skrev ut innsynsloggen",
    "nektet": "Forsøkte å åpne planen uten tilgang (avvist)",
    "signering_startet": "Sendte planen til signering",
    "kode_sendt": "Ba om engangskode",
    "signert": "Signerte",
    "signering_avvist": "Avslo å signere",
    "signert_kopi": "Signert kopi registrert",
    "runde_trukket": "Signeringsrunden ble trukket",
    "runde_utlopt": "Signeringsrunden utløp uten alle signaturer",
    "evaluering_paminnet": "Påminnelse om revisjon sendt",
}


class IngenSkrivetilgang(Exception):
    """Brukeren kan lese planen, men ikke gjøre dette."""


@dataclass(frozen=True)
class Person:
    navn: str
    fodselsdato: date


@dataclass
class Planrad:
    id: int
    nummer: str
    navn: str
    institusjon: str
    status: str
    koordinator: str
    neste_evaluering: date | None


@dataclass
class Planvisning:
    id: int
    nummer: str
    person: Person
    status: str
    institusjon: str
    part_id: int
    avtale_id: int | None
    koordinator: str
    koordinator_id: int
    grunnlag: Grunnlag
    versjon: int
    feltverdier: dict[str, Any]
    neste_evaluering: date | None
    avsluttet_dato: date | None
    avsluttet_grunn: str
    slettes_etter: date | None
    versjoner: list[tuple[int, datetime, str]] = field(default_factory=list)
    dokumenter: list[Plandokument] = field(default_factory=list)
    medlemmer: list[Ansvarsgruppemedlem] = field(default_factory=list)
    samtykker: list[Samtykke] = field(default_factory=list)
    tilganger: list[Plantilgang] = field(default_factory=list)  # bare for dem som kan endre


@dataclass
class Logglinje:
    tidspunkt: datetime
    hvem: str
    handling: str
    grunnlag: str
    detaljer: str


# --- Tilgang og logg ------------------------------------------------------------------------


def logg(
    s: Session,
    plan_id: int,
    handling: str,
    bruker_id: int | None,
    grunnlag_: Grunnlag | str,
    fra: str = "",
    **detaljer: Any,
) -> None:
    s.add(
        Planlogg(
            plan_id=plan_id,
            bruker_id=bruker_id,
            handling=handling,
            grunnlag=str(grunnlag_)[:600],
            detaljer=detaljer,
            fra=fra[:100],
        )
    )


class _Nektet(IkkeFunnet):
    """Planen finnes, men brukeren har ikke grunnlag. Blir IkkeFunnet utad (`logger_nektet`)."""

    def __init__(self, plan_id: int, bruker_id: int, fra: str) -> None:
        super().__init__(IKKE_FUNNET)
        self.plan_id, self.bruker_id, self.fra = plan_id, bruker_id, fra


def logger_nektet(brukstilfelle: Callable[..., T]) -> Callable[..., T]:
    """Et avvist forsøk på en plan som finnes, logges i egen transaksjon etter at
    brukstilfellets transaksjon er rullet tilbake; kalleren får IkkeFunnet."""

    @wraps(brukstilfelle)
    def innpakket(tj: Tjenester, *args: Any, **kwargs: Any) -> T:
        try:
            return brukstilfelle(tj, *args, **kwargs)
        except _Nektet as e:
            with tj.transaksjon() as s:
                if s.scalar(select(Plan.status).where(Plan.id == e.plan_id)) != "slettes":
                    logg(s, e.plan_id, "nektet", e.bruker_id, "Ingen tilgang", e.fra)
            raise IkkeFunnet(IKKE_FUNNET) from None

    return innpakket


def apne_med_tilgang(
    s: Session, plan_id: int, bruker_id: int, fra: str, endre: bool = False
) -> tuple[Plan, Bruker, Grunnlag]:
    """Planen og brukerens grunnlag; ellers IkkeFunnet (og _Nektet for en plan som finnes)."""
    plan, bruker = s.get(Plan, plan_id), s.get(Bruker, bruker_id)
    g = grunnlag(s, plan, bruker)
    if g is None:
        if plan is not None and bruker is not None:
            raise _Nektet(plan_id, bruker_id, fra)
        raise IkkeFunnet(IKKE_FUNNET)
    if endre and not g.kan_endre:
        raise IngenSkrivetilgang("Du kan lese planen, men ikke endre den.")
    return plan, bruker, g


@logger_nektet
def sjekk_tilgang(
    tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "", endre: bool = False
) -> Grunnlag:
    """Brukerens grunnlag for planen, før et skjema i det hele tatt leses: IkkeFunnet uten
    grunnlag, IngenSkrivetilgang når `endre` og brukeren bare kan lese."""
    with tj.sesjoner() as s:
        return apne_med_tilgang(s, plan_id, bruker_id, fra, endre)[2]


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
            raise IngenSkrivetilgang("Bare ansatte med skrivetilgang kan opprette planer.")
        part = s.get(Part, part_id)
        if part is None:
            raise Valideringsfeil({"part_id": "Velg institusjonen personen kommer fra."})
        if avtale_id is not None:
            avtale = s.get(Avtale, avtale_id)
            if avtale is None or avtale.part_id != part_id:
                raise Valideringsfeil(
                    {"avtale_id": "Avtalen må være samarbeidsavtalen med den valgte institusjonen."}
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
        logg(s, plan.id, "opprettet", bruker_id, "Koordinator for planen", fra)
        return plan.id


def person(tj: Tjenester, plan: Plan) -> Person:
    return Person(
        tj.chiffer.dekrypter_tekst(plan.navn_kryptert),
        date.fromisoformat(tj.chiffer.dekrypter_tekst(plan.fodselsdato_kryptert)),
    )


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
) -> int:
    """Lagre innholdet som versjon n+1 og lag DOCX og PDF/A (kryptert i arkivet). En aktiv
    signeringsrunde trekkes, og planen blir utkast til den er signert igjen."""
    mal = tj.mal(MAL)
    ukjente = set(innhold) & set(SYSTEMFELT)
    if ukjente:
        raise Valideringsfeil({f: "Feltet settes av systemet." for f in sorted(ukjente)})
    grunn = rens_tekst(grunn)[:500]
    with tj.sesjoner() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        _krev_apen(plan)
        if plan.gjeldende_versjon != apnet_versjon:
            raise Valideringsfeil(
                {
                    "versjon": f"Planen er lagret av en annen (nå versjon "
                    f"{plan.gjeldende_versjon}) etter at du åpnet versjon {apnet_versjon}. "
                    "Ingenting er overskrevet; åpne planen på nytt."
                }
            )
        nummer = plan.gjeldende_versjon + 1
        verdier = mal.valider({**innhold, **_systemverdier(tj, s, plan, nummer)})
        dele = part_data(plan.part)
    ctx = kontekst(mal, dele, verdier, mal.variant_for(dele.type), date.today())
    malfil = mal.fil.read_bytes()
    docx = render_docx(mal, ctx, malfil)
    pdf = tj.konverterer.til_pdfa(docx)
    # Det som lagres i databasen, har aldri personens navn: det står bare kryptert på planen.
    lagret = {k: v for k, v in verdier.items() if k not in PERSONFELT}
    lagret["signaturer"] = [r for r in verdier["signaturer"] if r["rolle"] != PERSONROLLE]

    def registrer(s: Session, filer: list[LagretFil]) -> int:
        malfil_, docx_, pdf_ = filer
        # Tilgangen og statusen sjekkes på nytt i skrivetransaksjonen: planen kan ha blitt
        # avsluttet, eller brukeren fjernet fra gruppen, mens dokumentene ble laget.
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        _krev_apen(plan)
        oppdatert = s.execute(
            update(Plan)
            .where(Plan.id == plan_id, Plan.gjeldende_versjon == nummer - 1)
            .values(gjeldende_versjon=nummer, endret=naa())
            .execution_options(synchronize_session=False)
        )
        if oppdatert.rowcount != 1:
            raise Valideringsfeil({"versjon": "Planen ble lagret av en annen samtidig."})
        s.refresh(plan)
        trekk_aktiv_runde(s, plan, bruker_id, g, fra, "Innholdet ble endret.")
        plan.status = "utkast"
        plan.neste_evaluering = date.fromisoformat(lagret["revideres"])
        plan.evaluering_paminnet = None
        registrer_mal(s, mal, malfil_)
        s.add(
            PlanVersjon(
                plan_id=plan_id,
                nummer=nummer,
                feltverdier=lagret,
                mal_versjon=mal.versjon,
                mal_sha256=malfil_.sha256,
                grunn=grunn,
                opprettet_av_id=bruker_id,
            )
        )
        for type_, fil, innhold_ in (("docx", docx_, docx), ("pdf", pdf_, pdf)):
            s.add(
                Plandokument(
                    plan_id=plan_id,
                    versjon_nummer=nummer,
                    type=type_,
                    sha256=fil.sha256,
                    storrelse=fil.storrelse,
                    innhold_sha256=hashlib.sha256(innhold_).hexdigest(),
                    opprettet_av_id=bruker_id,
                )
            )
        logg(s, plan_id, "ny_versjon", bruker_id, g, fra, versjon=nummer, grunn=grunn)
        return nummer

    krypter = tj.chiffer.krypter
    resultat = tj.arkiver([malfil, krypter(docx), krypter(pdf)], registrer)
    sok.oppdater_plan(tj, plan_id)
    return resultat


def _krev_apen(plan: Plan) -> None:
    """En avsluttet plan kan ikke endres, og ingen kan få tilgang til den; bare det som tar
    tilgang bort (trekke samtykke eller tilgang, fjerne medlemmer), er lov."""
    if plan.status not in KAN_ENDRES:
        raise Valideringsfeil({"status": "Planen er avsluttet og kan ikke endres."})


def trekk_runde_uten_tilgang(
    s: Session, plan: Plan, bruker_id: int | None, g: Grunnlag | str, fra: str
) -> bool:
    """Trekk den aktive runden hvis en som ennå skal signere, ikke lenger har tilgang
    (fjernet fra gruppen, trukket samtykke, ny koordinator, deaktivert). Runden kan ikke
    fullføres da, og ingen skal få e-post om en plan de ikke kan åpne."""
    runde = s.scalar(
        select(Signeringsrunde).where(
            Signeringsrunde.plan_id == plan.id, Signeringsrunde.status == "aktiv"
        )
    )
    if runde is None:
        return False
    s.flush()
    uten = [
        sig.bruker.navn
        for sig in runde.signatarer
        if sig.status == "venter" and grunnlag(s, plan, sig.bruker) is None
    ]
    if not uten:
        return False
    trekk_aktiv_runde(s, plan, bruker_id, g, fra,
                      f"{', '.join(uten)} har ikke lenger tilgang til planen.")  # fmt: skip
    plan.status = "utkast"
    return True


def trekk_aktiv_runde(
    s: Session, plan: Plan, bruker_id: int | None, g: Grunnlag | str, fra: str, grunn: str
) -> None:
    runde = s.scalar(
        select(Signeringsrunde).where(
            Signeringsrunde.plan_id == plan.id, Signeringsrunde.status == "aktiv"
        )
    )
    if runde is not None:
        runde.status, runde.avsluttet, runde.grunn = "trukket", naa(), grunn
        logg(s, plan.id, "runde_trukket", bruker_id, g, fra, runde=runde.id, grunn=grunn)


# --- Lese ------------------------------------------------------------------------------------


def liste(tj: Tjenester, bruker_id: int, fra: str = "") -> list[Planrad]:
    """Planene brukeren kan åpne; ingen andre nevnes. Listen viser navnet, så den logges
    (én gang per plan, bruker og dag)."""
    with tj.sesjoner() as s:
        ider = synlige_plan_ider(s, s.get(Bruker, bruker_id))
        planer = s.scalars(select(Plan).where(Plan.id.in_(ider)).order_by(Plan.id)).all()
        rader = [
            Planrad(
                id=p.id,
                nummer=p.nummer,
                navn=person(tj, p).navn,
                institusjon=p.part.navn,
                status=p.status,
                koordinator=p.koordinator.navn,
                neste_evaluering=p.neste_evaluering,
            )
            for p in planer
        ]
    logg_visninger(tj, bruker_id, ider, "listet", fra)
    return rader


def logg_visninger(
    tj: Tjenester, bruker_id: int, plan_ider: list[int], handling: str, fra: str = ""
) -> None:
    """Logg at planene ble vist i en liste eller et søkeresultat (navn, nummer eller utdrag),
    med brukerens grunnlag, høyst én gang per plan, bruker, handling og døgn."""
    if not plan_ider:
        return
    dognstart = datetime.combine(date.today(), datetime.min.time()).astimezone()

    def mangler(s: Session) -> set[int]:
        logget = s.scalars(
            select(Planlogg.plan_id).where(
                Planlogg.bruker_id == bruker_id,
                Planlogg.handling == handling,
                Planlogg.tidspunkt >= dognstart,
                Planlogg.plan_id.in_(plan_ider),
            )
        )
        return set(plan_ider) - set(logget)

    with tj.sesjoner() as s:  # som regel er alt logget: da tas ingen skrivelås
        if not mangler(s):
            return
    with tj.transaksjon() as s:
        bruker = s.get(Bruker, bruker_id)
        for plan_id in sorted(mangler(s)):
            g = grunnlag(s, s.get(Plan, plan_id), bruker)
            if g is not None:
                logg(s, plan_id, handling, bruker_id, g, fra)


@logger_nektet
def les(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> Planvisning:
    """Planen slik brukeren kan se den; lesingen logges med grunnlaget."""
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra)
        versjon = next((v for v in plan.versjoner if v.nummer == plan.gjeldende_versjon), None)
        visning = Planvisning(
            id=plan.id,
            nummer=plan.nummer,
            person=person(tj, plan),
            status=plan.status,
            institusjon=plan.part.navn,
            part_id=plan.part_id,
            avtale_id=plan.avtale_id,
            koordinator=plan.koordinator.navn,
            koordinator_id=plan.koordinator_id,
            grunnlag=g,
            versjon=plan.gjeldende_versjon,
            feltverdier=dict(versjon.feltverdier) if versjon else {},
            neste_evaluering=plan.neste_evaluering,
            avsluttet_dato=plan.avsluttet_dato,
            avsluttet_grunn=plan.avsluttet_grunn,
            slettes_etter=plan.slettes_etter,
            versjoner=[(v.nummer, v.opprettet, v.grunn) for v in plan.versjoner],
            dokumenter=list(plan.dokumenter),
            medlemmer=list(plan.medlemmer),
            samtykker=list(plan.samtykker),
            tilganger=list(plan.tilganger) if g.kan_endre else [],
        )
        for m in visning.medlemmer:
            _ = m.bruker.navn
        for sam in visning.samtykker:
            _ = sam.part.navn
        for t in visning.tilganger:
            _ = t.bruker.navn
        logg(s, plan_id, "lest", bruker_id, g, fra, versjon=plan.gjeldende_versjon)
    return visning


@logger_nektet
def last_ned(
    tj: Tjenester, plan_id: int, dokument_id: int, bruker_id: int, fra: str = ""
) -> tuple[str, str, bytes]:
    """(filnavn, MIME-type, innhold) for en planfil, dekryptert og sjekket mot SHA-256."""
    with tj.transaksjon() as s:
        dok = s.get(Plandokument, dokument_id)
        if dok is None or dok.plan_id != plan_id:
            raise IkkeFunnet(IKKE_FUNNET)
        plan, _, g = apne_med_tilgang(s, dok.plan_id, bruker_id, fra)
        data = tj.chiffer.dekrypter(tj.lager.les(dok.sha256))
        if hashlib.sha256(data).hexdigest() != dok.innhold_sha256:
            raise Valideringsfeil({"fil": "Filen i arkivet stemmer ikke med sin SHA-256."})
        logg(
            s, plan.id, "lastet_ned", bruker_id, g, fra,
            versjon=dok.versjon_nummer, type=dok.type, sha256=dok.innhold_sha256,
        )  # fmt: skip
        endelse, mime = FILTYPER[dok.type]
        tillegg = {"forseglet": " signert", "skannet": " signert (skannet)"}.get(dok.type, "")
        return (
            f"Individuell plan {plan.nummer} v{dok.versjon_nummer}{tillegg}.{endelse}",
            mime,
            data,
        )


def antall_for_avtale(tj: Tjenester, avtale_id: int) -> int:
    """Hvor mange planer som er laget under avtalen: et tall, aldri hvem."""
    with tj.sesjoner() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(Plan)
                .where(Plan.avtale_id == avtale_id, Plan.status != "slettes")
            )
            or 0
        )


# --- Ansvarsgruppe, samtykke og tilganger ---------------------------------------------------
# Søkeindeksen trenger ingen oppdatering her: tilgangsgruppene regnes ut ved hvert søk.


@logger_nektet
def legg_til_medlem(
    tj: Tjenester,
    plan_id: int,
    medlem_bruker_id: int,
    tjeneste: str,
    rolle: str,
    bruker_id: int,
    fra: str = "",
) -> None:
    tjeneste, rolle = rens_tekst(tjeneste)[:200], rens_tekst(rolle)[:200]
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        _krev_apen(plan)
        medlem = s.get(Bruker, medlem_bruker_id)
        if medlem is None or not medlem.aktiv:
            raise Valideringsfeil({"bruker_id": "Velg en aktiv bruker."})
        if medlem.rolle not in (*ANSATTROLLER, PARTNER):
            raise Valideringsfeil({"bruker_id": "Velg en ansatt eller en partnerbruker."})
        if any(m.bruker_id == medlem.id for m in plan.medlemmer):
            raise Valideringsfeil({"bruker_id": f"{medlem.navn} er allerede med i gruppen."})
        if not tjeneste:
            tjeneste = medlem.part.navn if medlem.part else ""
        if not tjeneste:
            raise Valideringsfeil({"tjeneste": "Skriv hvilken tjeneste medlemmet representerer."})
        plan.medlemmer.append(
            Ansvarsgruppemedlem(
                bruker_id=medlem.id, tjeneste=tjeneste, rolle=rolle, lagt_til_av_id=bruker_id
            )
        )
        logg(s, plan_id, "medlem_lagt_til", bruker_id, g, fra, medlem=medlem.navn,
             tjeneste=tjeneste)  # fmt: skip


@logger_nektet
def fjern_medlem(
    tj: Tjenester, plan_id: int, medlem_id: int, bruker_id: int, fra: str = ""
) -> None:
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        medlem = next((m for m in plan.medlemmer if m.id == medlem_id), None)
        if medlem is None:
            raise Valideringsfeil({"medlem": "Medlemmet er ikke (lenger) i ansvarsgruppen."})
        navn = medlem.bruker.navn
        plan.medlemmer.remove(medlem)
        logg(s, plan_id, "medlem_fjernet", bruker_id, g, fra, medlem=navn)
        endret = trekk_runde_uten_tilgang(s, plan, bruker_id, g, fra)
    if endret:
        sok.oppdater_plan(tj, plan_id)


@logger_nektet
def registrer_samtykke(
    tj: Tjenester, plan_id: int, part_id: int, gitt: object, bruker_id: int, fra: str = ""
) -> None:
    """Personen samtykker til at taushetsbelagte opplysninger deles med parten."""
    try:
        dato = les_dato(gitt)
    except (ValueError, TypeError):
        raise Valideringsfeil({"gitt": "Skriv datoen samtykket ble gitt (dd.mm.åååå)."}) from None
    if dato > date.today():
        raise Valideringsfeil({"gitt": "Samtykket kan ikke være gitt fram i tid."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        _krev_apen(plan)
        part = s.get(Part, part_id)
        if part is None:
            raise Valideringsfeil({"part_id": "Velg en part."})
        if gjeldende_samtykke(s, plan_id, part_id) is not None:
            raise Valideringsfeil({"part_id": f"Det er allerede samtykke for {part.navn}."})
        plan.samtykker.append(Samtykke(part_id=part_id, gitt=dato, registrert_av_id=bruker_id))
        logg(s, plan_id, "samtykke_gitt", bruker_id, g, fra, part=part.navn, gitt=dato.isoformat())


@logger_nektet
def trekk_samtykke(
    tj: Tjenester, plan_id: int, part_id: int, bruker_id: int, fra: str = ""
) -> list[str]:
    """Personen trekker samtykket for en part: partens brukere mister tilgangen med en gang.
    Returnerer navnene på dem som mistet tilgangen (de står også i loggen)."""
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
        logg(s, plan_id, "samtykke_trukket", bruker_id, g, fra, part=samtykke.part.navn,
             mistet_tilgang=mistet)  # fmt: skip
        trekk_runde_uten_tilgang(s, plan, bruker_id, g, fra)
    sok.oppdater_plan(tj, plan_id)
    return mistet


@logger_nektet
def gi_tilgang(
    tj: Tjenester,
    plan_id: int,
    til_bruker_id: int,
    grunn: str,
    bruker_id: int,
    utloper: object = None,
    fra: str = "",
) -> None:
    """Gi en ansatt utenfor ansvarsgruppen lesetilgang, med begrunnelse."""
    grunn = rens_tekst(grunn)
    if len(grunn) < 10:
        raise Valideringsfeil({"grunn": "Skriv hvorfor tilgangen trengs (minst 10 tegn)."})
    if len(grunn) > 500:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 500 tegn."})
    slutt = None
    if utloper not in (None, ""):
        try:
            slutt = les_dato(utloper)
        except (ValueError, TypeError):
            raise Valideringsfeil({"utloper": "Skriv sluttdatoen som dd.mm.åååå."}) from None
        if slutt < date.today():
            raise Valideringsfeil({"utloper": "Sluttdatoen kan ikke være passert."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        _krev_apen(plan)
        mottaker = s.get(Bruker, til_bruker_id)
        if mottaker is None or not mottaker.aktiv or mottaker.rolle not in ANSATTROLLER:
            raise Valideringsfeil({"bruker_id": "Tilgang kan bare gis til aktive ansatte."})
        for eldre in plan.tilganger:  # en ny tilgang erstatter en gjeldende
            if eldre.bruker_id == mottaker.id and eldre.trukket is None:
                eldre.trukket, eldre.trukket_av_id = naa(), bruker_id
        plan.tilganger.append(
            Plantilgang(bruker_id=mottaker.id, grunn=grunn, gitt_av_id=bruker_id, utloper=slutt)
        )
        logg(s, plan_id, "tilgang_gitt", bruker_id, g, fra, til=mottaker.navn, grunn=grunn,
             utloper=slutt.isoformat() if slutt else None)  # fmt: skip


@logger_nektet
def trekk_tilgang(
    tj: Tjenester, plan_id: int, tilgang_id: int, bruker_id: int, fra: str = ""
) -> None:
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        tilgang = next((t for t in plan.tilganger if t.id == tilgang_id), None)
        if tilgang is None or tilgang.trukket is not None:
            raise Valideringsfeil({"tilgang": "Tilgangen finnes ikke eller er allerede trukket."})
        tilgang.trukket, tilgang.trukket_av_id = naa(), bruker_id
        logg(s, plan_id, "tilgang_trukket", bruker_id, g, fra, til=tilgang.bruker.navn)


@logger_nektet
def overfor_koordinator(
    tj: Tjenester, plan_id: int, ny_id: int, grunn: str, bruker_id: int, fra: str = ""
) -> str:
    """Gi koordinatorrollen til en annen ansatt med skrivetilgang (for eksempel ved fravær
    eller bytte av jobb). Den forrige koordinatoren mister tilgangen, med mindre hen er i
    ansvarsgruppen eller har en egen tilgang. Returnerer den nye koordinatorens navn."""
    grunn = rens_tekst(grunn)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor koordinatoren byttes."})
    if len(grunn) > 500:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 500 tegn."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        _krev_apen(plan)
        ny = s.get(Bruker, ny_id)
        if ny is None or not ny.aktiv or ny.rolle not in SKRIVEROLLER:
            raise Valideringsfeil(
                {"bruker_id": "Koordinatoren må være en aktiv ansatt med skrivetilgang."}
            )
        if ny.id == plan.koordinator_id:
            raise Valideringsfeil({"bruker_id": f"{ny.navn} er allerede koordinator."})
        forrige = plan.koordinator.navn
        plan.koordinator_id = ny.id
        logg(s, plan_id, "koordinator_byttet", bruker_id, g, fra, fra_koordinator=forrige,
             til=ny.navn, grunn=grunn)  # fmt: skip
        trekk_runde_uten_tilgang(s, plan, bruker_id, g, fra)
        navn = ny.navn
    sok.oppdater_plan(tj, plan_id)  # «ansvarlig» i indeksen
    return navn


# --- Avslutte, innsyn og sletting ------------------------------------------------------------


@logger_nektet
def avslutt(
    tj: Tjenester, plan_id: int, grunn: str, bruker_id: int, dato: object = None, fra: str = ""
) -> date:
    """Avslutt planen med begrunnelse. Den slettes når oppbevaringstiden er ute; returnerer
    datoen det skjer."""
    grunn = rens_tekst(grunn, flerlinjet=True)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor planen avsluttes."})
    if len(grunn) > 2000:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 2000 tegn."})
    try:
        slutt = les_dato(dato) if dato not in (None, "") else date.today()
    except (ValueError, TypeError):
        raise Valideringsfeil({"dato": "Skriv datoen som dd.mm.åååå."}) from None
    if slutt > date.today():
        raise Valideringsfeil({"dato": "Planen kan ikke avsluttes fram i tid."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        if plan.status == "avsluttet":
            raise Valideringsfeil({"status": "Planen er allerede avsluttet."})
        trekk_aktiv_runde(s, plan, bruker_id, g, fra, "Planen ble avsluttet.")
        plan.status, plan.avsluttet_dato, plan.avsluttet_grunn = "avsluttet", slutt, grunn
        plan.neste_evaluering = None
        plan.slettes_etter = slutt + timedelta(days=tj.innstillinger.plan_oppbevaring_dager)
        logg(s, plan_id, "avsluttet", bruker_id, g, fra, dato=slutt.isoformat(), grunn=grunn,
             slettes_etter=plan.slettes_etter.isoformat())  # fmt: skip
        slettes = plan.slettes_etter
    sok.oppdater_plan(tj, plan_id)
    return slettes


@dataclass
class Innsyn:
    nummer: str
    person: Person
    institusjon: str
    linjer: list[Logglinje]


@logger_nektet
def innsynslogg(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> Innsyn:
    """Hvem som har sett og endret planen, til personens rett til innsyn. Bare den som kan
    endre planen (koordinatoren) skriver den ut, og det logges også."""
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        logg(s, plan_id, "innsyn_skrevet_ut", bruker_id, g, fra)
        s.flush()
        rader = s.scalars(
            select(Planlogg).where(Planlogg.plan_id == plan.id).order_by(Planlogg.id)
        ).all()
        linjer = [
            Logglinje(
                tidspunkt=r.tidspunkt,
                hvem=r.bruker.navn if r.bruker else "Systemet",
                handling=HANDLINGER.get(r.handling, r.handling),
                grunnlag=r.grunnlag,
                detaljer=_detaljer(r.detaljer or {}),
            )
            for r in rader
        ]
        return Innsyn(plan.nummer, person(tj, plan), plan.part.navn, linjer)


def _detaljer(d: dict[str, Any]) -> str:
    navn = {"versjon": "versjon", "type": "fil", "part": "part", "medlem": "medlem",
            "fra_koordinator": "fra", "til": "til", "grunn": "begrunnelse",
            "mistet_tilgang": "mistet tilgang"}  # fmt: skip
    deler = []
    for k, etikett in navn.items():
        v = d.get(k)
        if v not in (None, "", []):
            deler.append(f"{etikett}: {', '.join(v) if isinstance(v, list) else v}")
    return "; ".join(deler)


@dataclass
class Sletterapport:
    planer: list[str] = field(default_factory=list)  # plannumre
    rader: dict[str, int] = field(default_factory=dict)
    filer: int = 0
    indeksdokumenter: int = 0
    databasefil_renset: bool | None = None  # None: ikke SQLite


def slett_utlopte(
    tj: Tjenester, idag: date | None = None, utfort_av: str = "systemet"
) -> Sletterapport:
    """Slett avsluttede planer der oppbevaringstiden er ute: databaserader, filer i arkivet
    (også signerte kopier), søkeindeksen. Igjen står en sletterapport uten personopplysninger.

    Rekkefølgen: (1) planene merkes «slettes», så ingen kan åpne dem; (2) de fjernes fra
    indeksen, som skrives om én gang uten dem (ingen rester i segmentfilene); (3) radene
    slettes, én transaksjon per plan; (4) filene. Stopper noe underveis, står planene som
    «slettes» og tas med ved neste kjøring."""
    idag = idag or date.today()
    rapport = Sletterapport()
    with tj.transaksjon() as s:
        planer = s.scalars(
            select(Plan).where(Plan.status.in_(("avsluttet", "slettes")), Plan.slettes_etter < idag)
        ).all()
        for plan in planer:
            plan.status = "slettes"
        ider = [p.id for p in planer]
    if not ider:
        return rapport
    fjernet = tj.indeks.fjern_objekter("plan", ider, rens=True)
    for plan_id in ider:
        _slett_rader_og_filer(tj, plan_id, fjernet.get(plan_id, 0), utfort_av, rapport)
    # SQLite: de slettede sidene kan ellers bli liggende i -wal-filen til neste sjekkpunkt.
    rapport.databasefil_renset = sjekkpunkt(tj.sesjoner.kw["bind"])
    return rapport


def _slett_rader_og_filer(
    tj: Tjenester, plan_id: int, indeks: int, utfort_av: str, rapport: Sletterapport
) -> None:
    with tj.transaksjon() as s:
        plan = s.get(Plan, plan_id)
        nummer, avsluttet = plan.nummer, plan.avsluttet_dato
        filer = set(s.scalars(select(Plandokument.sha256).where(Plandokument.plan_id == plan_id)))
        runder = select(Signeringsrunde.id).where(Signeringsrunde.plan_id == plan_id)
        signatarer = select(Signatar.id).where(Signatar.runde_id.in_(runder))
        teller: dict[str, int] = {}
        for modell, vilkar in (
            (Plandokument, Plandokument.plan_id == plan_id),
            (Engangskode, Engangskode.signatar_id.in_(signatarer)),
            (Signatar, Signatar.runde_id.in_(runder)),
            (Signeringsrunde, Signeringsrunde.plan_id == plan_id),
            (PlanVersjon, PlanVersjon.plan_id == plan_id),
            (Ansvarsgruppemedlem, Ansvarsgruppemedlem.plan_id == plan_id),
            (Samtykke, Samtykke.plan_id == plan_id),
            (Plantilgang, Plantilgang.plan_id == plan_id),
            (Planlogg, Planlogg.plan_id == plan_id),
            (Plan, Plan.id == plan_id),
        ):
            teller[modell.__tablename__] = s.execute(
                modell.__table__.delete().where(vilkar)
            ).rowcount
        s.add(
            Plansletting(
                plan_nummer=nummer,
                avsluttet_dato=avsluttet,
                rader=teller,
                filer=len(filer),
                indeksdokumenter=indeks,
                utfort_av=utfort_av[:100],
            )
        )
    # Filene etter commit. En krasj her etterlater bare krypterte filer uten rad, som
    # `dokumenter arkiv verifiser` melder som foreldreløse. (Krypterte filer deles aldri:
    # samme innhold gir ulik chiffertekst.)
    for sha in filer:
        tj.lager.slett(sha)
    rapport.planer.append(nummer)
    for k, v in teller.items():
        rapport.rader[k] = rapport.rader.get(k, 0) + v
    rapport.filer += len(filer)
    rapport.indeksdokumenter += indeks


# --- Revisjon: påminnelser til koordinatoren --------------------------------------------------

PAMINN_DAGER_FOR = 30  # påminn når revisjonsdatoen er innen så mange dager (eller passert)
PAMINN_HVER = 14  # høyst så ofte per plan


def send_paminnelser(
    tj: Tjenester, nettadresse: str, idag: date | None = None
) -> tuple[int, list[str]]:
    """E-post til koordinatoren når planens revisjonsdato nærmer seg eller er passert, høyst
    hver 14. dag per plan. E-posten nevner bare plannummeret, aldri personen."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        ider = s.scalars(
            select(Plan.id).where(
                Plan.status.in_(("utkast", "til_signering", "aktiv")),
                Plan.neste_evaluering <= idag + timedelta(days=PAMINN_DAGER_FOR),
            )
        ).all()
    antall, feil = 0, []
    for plan_id in ider:
        with tj.transaksjon() as s:
            plan = s.get(Plan, plan_id)
            sist = plan.evaluering_paminnet
            if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINN_HVER):
                continue
            plan.evaluering_paminnet = naa()
            logg(s, plan_id, "evaluering_paminnet", None, "Systemet", "systemet")
            til, nummer, dato = plan.koordinator.epost, plan.nummer, plan.neste_evaluering
        if not til:
            feil.append(f"Koordinatoren for plan {nummer} har ingen e-postadresse.")
            continue
        dager = (dato - idag).days
        tilstand = f"passert for {-dager} dager siden" if dager < 0 else f"om {dager} dager"
        f = tj.send_epost(
            Epost(
                til=til,
                emne=f"Revisjon av individuell plan {nummer}",
                tekst=(
                    f"Individuell plan {nummer} skal revideres {formatering.dato_lang(dato)} "
                    f"({tilstand}). Kall inn ansvarsgruppen og lagre en ny versjon:\n"
                    f"{nettadresse.rstrip('/')}/planer/{plan_id}\n"
                ),
            )
        )
        antall += 1
        if f:
            feil.append(f)
    return antall, feil
