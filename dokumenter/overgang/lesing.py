"""Lesing av overgangen: siden for én plan (faser, kontakter, oppgaver, møter, boligutfall,
kartlegging og overgangsskjemaet) og de forfalte oppgavene på forsiden. Begge logges i
planens innsynslogg; forsiden viser bare plannummeret og oppgaven, aldri personen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.felles import formatering
from dokumenter.models import Bruker, Overgang, Overgangsoppgave, Plan, Plandokument
from dokumenter.overgang import kartlegging, oppgaver
from dokumenter.overgang.regler import (
    KONTAKTROLLER,
    Fase,
    faser,
    forfalte_punkter,
    gjeldende_fase,
    oppfolgingsniva,
    overgang_slutt,
)
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logg_visninger, logger_nektet
from dokumenter.planer.regler import Person, person
from dokumenter.planer.tilgang import Grunnlag, grunnlag, synlige_plan_ider
from dokumenter.tjenester import Tjenester

SKJEMATYPER = ("skjema_docx", "skjema_pdf", "skjema_skannet")


@dataclass
class Oppgaverad:
    id: int
    tittel: str
    frist: date | None
    status: str
    ansvarlig: str
    ansvarlig_id: int | None
    ansvarlig_tekst: str
    fra_minstelisten: bool
    forfalt: bool
    fullfort: date | None


@dataclass
class Kontakt:
    rolle: str
    felt: str
    bruker_id: int | None
    navn: str
    har_tilgang: bool


@dataclass
class Datoer:
    motefrekvens_maneder: int
    neste_samarbeidsmote: date | None
    forventet_losladt: date | None
    tilbud_dato: date | None
    visning_dato: date | None
    kontrakt_dato: date | None
    innflytting_dato: date | None
    overlapp_fra: date | None
    overlapp_til: date | None
    overlapp_betaler: str
    overgang_slutt: date | None


@dataclass
class Overgangsside:
    plan_id: int
    nummer: str
    person: Person
    institusjon: str
    planstatus: str
    grunnlag: Grunnlag
    har_overgang: bool
    datoer: Datoer | None = None
    bolig: str = ""
    fase: str = ""
    faser: list[Fase] = field(default_factory=list)
    oppfolgingsniva: str = ""
    kontakter: list[Kontakt] = field(default_factory=list)
    oppgaver: list[Oppgaverad] = field(default_factory=list)
    moter: list[tuple[str, date, str, str, str]] = field(default_factory=list)
    utfall: dict[str, tuple[date, str, str]] = field(default_factory=dict)
    forfalte_punkter: list[tuple[str, date]] = field(default_factory=list)
    kartlegginger: list[tuple[date, str, str, int]] = field(default_factory=list)
    skjemaer: list[tuple[int, date, list[tuple[int, str]]]] = field(default_factory=list)
    kandidater: list[tuple[int, str, str]] = field(default_factory=list)  # id, navn, tjeneste

    @property
    def kan_endre(self) -> bool:
        return self.grunnlag.kan_endre and self.planstatus != "avsluttet"


@logger_nektet
def les(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "", idag: date | None = None):
    """Overgangssiden for planen slik brukeren kan se den; lesingen logges."""
    idag = idag or date.today()
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra)
        side = Overgangsside(
            plan.id,
            plan.nummer,
            person(tj, plan),
            plan.part.navn,
            plan.status,
            g,
            har_overgang=False,
            kartlegginger=[
                (k.gyldig_fra, k.kategori, k.underkategori, k.behovsniva)
                for k in kartlegging.historikk(s, plan_id)
            ],
            kandidater=[(plan.koordinator_id, plan.koordinator.navn, "Koordinator")]
            + [(m.bruker_id, m.bruker.navn, m.tjeneste) for m in plan.medlemmer],
        )
        o = s.scalar(select(Overgang).where(Overgang.plan_id == plan_id))
        if o is not None:
            _fyll(tj, s, side, plan, o, idag)
        logg(s, plan_id, "overgang_lest", bruker_id, g, fra)
    return side


def _fyll(tj: Tjenester, s, side: Overgangsside, plan: Plan, o: Overgang, idag: date) -> None:
    side.har_overgang = True
    side.datoer = Datoer(
        o.motefrekvens_maneder,
        o.neste_samarbeidsmote,
        o.forventet_losladt,
        o.tilbud_dato,
        o.visning_dato,
        o.kontrakt_dato,
        o.innflytting_dato,
        o.overlapp_fra,
        o.overlapp_til,
        o.overlapp_betaler,
        overgang_slutt(o),
    )
    side.bolig = tj.chiffer.dekrypter_tekst(o.bolig_kryptert) if o.bolig_kryptert else ""
    side.fase = gjeldende_fase(o, idag)
    side.faser = faser(o, idag, formatering.dato_lang)
    side.oppfolgingsniva = oppfolgingsniva(o)
    for rolle, navn in KONTAKTROLLER.items():
        bruker: Bruker | None = getattr(o, rolle)
        side.kontakter.append(
            Kontakt(
                navn,
                f"{rolle}_id",
                bruker.id if bruker else None,
                bruker.navn if bruker else "",
                bruker is not None and grunnlag(s, plan, bruker) is not None,
            )
        )
    for x in o.oppgaver:
        ansvarlig = oppgaver.ansvarlig(o, x)
        side.oppgaver.append(
            Oppgaverad(
                x.id,
                x.tittel,
                x.frist,
                x.status,
                ansvarlig.navn if ansvarlig else (x.ansvarlig_tekst or plan.koordinator.navn),
                x.ansvarlig_id,
                x.ansvarlig_tekst,
                bool(x.standard),
                oppgaver.er_forfalt(x, idag),
                x.fullfort,
            )
        )
    side.moter = [(m.type, m.dato, m.deltakere, m.oppfolgingsniva, m.merknad) for m in o.moter]
    side.utfall = {u.punkt: (u.dato, u.utfall, u.arsak) for u in o.utfall}
    side.forfalte_punkter = forfalte_punkter(o, idag)
    skjemaer = s.execute(
        select(
            Plandokument.versjon_nummer, Plandokument.id, Plandokument.type, Plandokument.opprettet
        )
        .where(Plandokument.plan_id == plan.id, Plandokument.type.in_(SKJEMATYPER))
        .order_by(Plandokument.versjon_nummer, Plandokument.id)
    ).all()
    per_versjon: dict[int, tuple[date, list[tuple[int, str]]]] = {}
    for nummer, dok_id, type_, opprettet in skjemaer:
        per_versjon.setdefault(nummer, (opprettet.date(), []))[1].append((dok_id, type_))
    side.skjemaer = [(n, d, filer) for n, (d, filer) in sorted(per_versjon.items())]


# --- Forsiden ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForfaltOppgave:
    plan_id: int
    nummer: str
    tittel: str
    frist: date
    dager: int  # dager siden fristen


def mine_forfalte_oppgaver(
    tj: Tjenester, bruker_id: int, fra: str = "", idag: date | None = None
) -> list[ForfaltOppgave]:
    """Forfalte oppgaver i planer brukeren koordinerer eller har ansvaret for, og kan åpne.
    Viser plannummeret og oppgaven, aldri personen; visningen logges i planenes innsynslogg
    (én gang per plan og døgn)."""
    idag = idag or date.today()
    ut = []
    with tj.sesjoner() as s:
        for o in mine_overganger(s, bruker_id):
            for x in o.oppgaver:
                if not oppgaver.er_forfalt(x, idag) or not er_min(o, x, bruker_id):
                    continue
                ut.append(
                    ForfaltOppgave(
                        o.plan_id, o.plan.nummer, x.tittel, x.frist, (idag - x.frist).days
                    )
                )
    ut.sort(key=lambda f: (f.frist, f.nummer))
    logg_visninger(tj, bruker_id, sorted({f.plan_id for f in ut}), "oppgaver_vist", fra)
    return ut


def mine_overganger(s, bruker_id: int) -> list[Overgang]:
    """Overgangene i planer brukeren kan åpne og som ikke er avsluttet, med plan, kontakter og
    oppgaver lastet i noen få spørringer (forsiden og kalenderen går gjennom alle)."""
    ider = synlige_plan_ider(s, s.get(Bruker, bruker_id))
    return list(
        s.scalars(
            select(Overgang)
            .join(Plan, Overgang.plan_id == Plan.id)
            .where(Overgang.plan_id.in_(ider), Plan.status != "avsluttet")
            .options(
                selectinload(Overgang.plan),
                selectinload(Overgang.primaerkontakt),
                selectinload(Overgang.booppfolger),
                selectinload(Overgang.oppgaver).selectinload(Overgangsoppgave.ansvarlig),
            )
            .order_by(Overgang.id)
        )
    )


def er_min(o: Overgang, x: Overgangsoppgave, bruker_id: int) -> bool:
    """Brukeren koordinerer planen eller har ansvaret for oppgaven."""
    ansvarlig = oppgaver.ansvarlig(o, x)
    return o.plan.koordinator_id == bruker_id or (
        ansvarlig is not None and ansvarlig.id == bruker_id
    )
