"""Avtalens § 10-tall, regnet ut av overgangene (ikke skrevet inn for hånd): hvor mange
avtalen omfattet, hvor mange som hadde fast bolig fra løslatelses- eller utskrivningsdagen,
hvor mange som endte i midlertidig botilbud eller uten bolig, og hvor mange som hadde
beholdt boligen etter 6 og 12 måneder. Hvert tall har definisjonen sin ved siden av.

Tallene er bare opptellinger, og de skjermes etter regelen for små tall (`felles.smatall`):
1–4 vises som «under 5», og i hver gruppe der delene summerer seg til et vist tall
(utfallene på løslatelsesdagen, beholdt eller ikke etter 6 og 12 måneder) skjules en del til
når bare én ellers ville vært skjult. «Omfattet» og «løslatt» er ikke en sum av hverandre
(forskjellen sier bare hvor mange som ennå ikke er løslatt, ikke noe om noens bolig) og
skjermes hver for seg. Tallene kan vises for alle ansatte og partene: ingen kan kjennes igjen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dokumenter.felles import smatall
from dokumenter.felles.smatall import Tall
from dokumenter.models import Boligutfall, Overgang, Plan
from dokumenter.tjenester import Tjenester

# (nøkkel, etikett, definisjon) i den rekkefølgen tallene vises.
DEFINISJONER: list[tuple[str, str, str]] = [
    (
        "omfattet",
        "Personer omfattet av avtalen",
        (
            "Individuelle planer knyttet til avtalen som var i arbeid i perioden: opprettet før "
            "periodens slutt og ikke avsluttet før periodens start."
        ),
    ),
    (
        "losladt",
        "Løslatt eller utskrevet i perioden",
        (
            "Personer med registrert boligsituasjon på løslatelses- eller utskrivningsdagen, der "
            "dagen er i perioden."
        ),
    ),
    (
        "fast_bolig",
        "Hadde fast bolig fra dag én",
        "Av dem som ble løslatt eller utskrevet: i fast (varig) bolig samme dag.",
    ),
    (
        "midlertidig",
        "Endte i midlertidig botilbud",
        (
            "Av dem som ble løslatt eller utskrevet: i midlertidig botilbud (hospits, hotell, "
            "campinghytte og lignende) samme dag."
        ),
    ),
    (
        "uten_bolig",
        "Uten bolig",
        "Av dem som ble løslatt eller utskrevet: uten bolig samme dag.",
    ),
    (
        "vurdert_6",
        "Fulgt opp etter 6 måneder",
        "Personer der boligsituasjonen etter 6 måneder er registrert i perioden.",
    ),
    (
        "beholdt_6",
        "Hadde beholdt boligen etter 6 måneder",
        "Av dem som ble fulgt opp etter 6 måneder: har fortsatt boligen.",
    ),
    (
        "ikke_beholdt_6",
        "Mistet boligen eller tilbake i institusjon (6 måneder)",
        (
            "Av dem som ble fulgt opp etter 6 måneder: har mistet boligen eller er tilbake i "
            "institusjon."
        ),
    ),
    (
        "vurdert_12",
        "Fulgt opp etter 12 måneder",
        "Personer der boligsituasjonen etter 12 måneder er registrert i perioden.",
    ),
    (
        "beholdt_12",
        "Hadde beholdt boligen etter 12 måneder",
        "Av dem som ble fulgt opp etter 12 måneder: har fortsatt boligen.",
    ),
    (
        "ikke_beholdt_12",
        "Mistet boligen eller tilbake i institusjon (12 måneder)",
        (
            "Av dem som ble fulgt opp etter 12 måneder: har mistet boligen eller er tilbake i "
            "institusjon."
        ),
    ),
]
# Gruppene der delene summerer seg til summen (sekundær skjerming i hver).
GRUPPER = {
    "losladt": ("fast_bolig", "midlertidig", "uten_bolig"),
    "vurdert_6": ("beholdt_6", "ikke_beholdt_6"),
    "vurdert_12": ("beholdt_12", "ikke_beholdt_12"),
}
# Tallene i diagrammet (etikett i diagrammet, nøkkel).
DIAGRAM = [
    ("Fast bolig fra dag én", "fast_bolig"),
    ("Midlertidig botilbud", "midlertidig"),
    ("Uten bolig", "uten_bolig"),
    ("Beholdt etter 6 mnd.", "beholdt_6"),
    ("Beholdt etter 12 mnd.", "beholdt_12"),
]


@dataclass(frozen=True)
class Rad:
    nokkel: str
    etikett: str
    definisjon: str
    tall: Tall


@dataclass(frozen=True)
class Paragraf10:
    fra: date
    til: date
    rader: list[Rad] = field(default_factory=list)

    def tall(self, nokkel: str) -> Tall:
        return next(r.tall for r in self.rader if r.nokkel == nokkel)

    def som_json(self) -> list[dict[str, str]]:
        """Slik tallene lagres i evalueringen (bare det som kan vises)."""
        return [
            {
                "nokkel": r.nokkel,
                "etikett": r.etikett,
                "antall": r.tall.tekst,
                "definisjon": r.definisjon,
            }
            for r in self.rader
        ]

    def diagram(self) -> list[tuple[str, Tall]]:
        return [(etikett, self.tall(nokkel)) for etikett, nokkel in DIAGRAM]


def _starten_av(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _opptelling(s: Session, avtale_id: int | None, fra: date, til: date) -> dict[str, int]:
    """Antallene for avtalen (alle avtaler når `avtale_id` er None) i perioden."""
    planer = select(Plan.id).where(Plan.status != "slettes")
    planer = planer.where(
        Plan.avtale_id == avtale_id if avtale_id is not None else Plan.avtale_id.is_not(None)
    )
    omfattet = s.scalar(
        select(func.count()).select_from(
            planer.where(
                Plan.opprettet < _starten_av(til + timedelta(days=1)),
                (Plan.avsluttet_dato.is_(None)) | (Plan.avsluttet_dato >= fra),
            ).subquery()
        )
    )
    utfall = s.execute(
        select(Boligutfall.punkt, Boligutfall.utfall, func.count())
        .join(Overgang, Boligutfall.overgang_id == Overgang.id)
        .where(
            Overgang.plan_id.in_(planer),
            Boligutfall.dato >= fra,
            Boligutfall.dato <= til,
            Boligutfall.punkt.in_(("losladt", "6_mnd", "12_mnd")),
        )
        .group_by(Boligutfall.punkt, Boligutfall.utfall)
    ).all()
    n = {(punkt, u): antall for punkt, u, antall in utfall}
    ut = {"omfattet": omfattet or 0}
    for u in ("fast_bolig", "midlertidig", "uten_bolig"):
        ut[u] = n.get(("losladt", u), 0)
    ut["losladt"] = ut["fast_bolig"] + ut["midlertidig"] + ut["uten_bolig"]
    for mnd in (6, 12):
        punkt = f"{mnd}_mnd"
        ut[f"beholdt_{mnd}"] = n.get((punkt, "beholdt"), 0)
        ut[f"ikke_beholdt_{mnd}"] = n.get((punkt, "mistet"), 0) + n.get((punkt, "institusjon"), 0)
        ut[f"vurdert_{mnd}"] = ut[f"beholdt_{mnd}"] + ut[f"ikke_beholdt_{mnd}"]
    return ut


def skjerm(antall: dict[str, int]) -> dict[str, Tall]:
    """Regelen for små tall på § 10-tallene: hvert tall alene, og hver gruppe for seg."""
    ut = {k: smatall.vis(v) for k, v in antall.items()}
    for summen, deler in GRUPPER.items():
        total, skjermet = smatall.gruppe(antall[summen], {d: antall[d] for d in deler})
        ut[summen] = total
        ut.update(skjermet)
    return ut


def paragraf10(tj: Tjenester, avtale_id: int | None, fra: date, til: date) -> Paragraf10:
    """§ 10-tallene for avtalen (eller alle avtaler) i perioden fra–til, skjermet."""
    with tj.sesjoner() as s:
        antall = _opptelling(s, avtale_id, fra, til)
    tall = skjerm(antall)
    return Paragraf10(fra, til, [Rad(k, e, d, tall[k]) for k, e, d in DEFINISJONER])
