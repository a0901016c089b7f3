"""Oversikten over vanskeligstilte på boligmarkedet (Kongsvinger): hvor mange planer som står i
hver kategori og underkategori, på hvert behovsnivå og hos hver institusjon ved periodens
slutt, og bevegelsen mellom behovsnivåene gjennom perioden («hvor mange gikk fra rødt til
gult»), som tabeller, et diagram og CSV.

Bare opptellinger: ingen navn, nummer eller lenker til planer, og små tall skjermes
(`felles.smatall`; krysstabellene med sekundær skjerming i rader og kolonner). Periodene er
hele måneder, så to nesten like perioder ikke kan trekkes fra hverandre for å finne én dag.
Det som telles, er den siste kartleggingen før datoen (kategorien og nivået), for planer som
var i arbeid da."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.felles import smatall
from dokumenter.felles.smatall import Tall
from dokumenter.models import Kartlegging, Part, Plan
from dokumenter.overgang.regler import BEHOVSNIVAER, KATEGORIER
from dokumenter.tjenester import Tjenester

IKKE_KARTLAGT = "Ikke kartlagt"
NIVAER = [BEHOVSNIVAER[n][0] for n in sorted(BEHOVSNIVAER)]


@dataclass
class Krysstabell:
    tittel: str
    radnavn: list[str]
    kolonnenavn: list[str]
    celler: list[list[Tall]]
    radsummer: list[Tall]
    kolonnesummer: list[Tall]
    total: Tall


@dataclass
class Oversikt:
    fra: date
    til: date
    part_id: int | None
    parter: list[tuple[int, str]]
    kategori_niva: Krysstabell
    underkategorier: list[tuple[str, Tall, list[tuple[str, Tall]]]]
    per_part: Krysstabell
    bevegelse: Krysstabell
    bevegelse_sum: list[tuple[str, Tall]] = field(default_factory=list)

    def csv(self) -> str:
        """Alle tabellene som CSV (semikolon, som norsk Excel), med de skjermede tallene."""
        ut = io.StringIO()
        w = csv.writer(ut, delimiter=";", lineterminator="\r\n")
        w.writerow([f"Oversikt over vanskeligstilte på boligmarkedet {self.fra}–{self.til}"])
        w.writerow([smatall.REGEL])
        for t in (self.kategori_niva, self.per_part, self.bevegelse):
            w.writerow([])
            w.writerow([t.tittel])
            w.writerow(["", *t.kolonnenavn, "Sum"])
            for navn, rad, s in zip(t.radnavn, t.celler, t.radsummer, strict=True):
                w.writerow([navn, *(c.tekst for c in rad), s.tekst])
            w.writerow(["Sum", *(c.tekst for c in t.kolonnesummer), t.total.tekst])
        w.writerow([])
        w.writerow(["Underkategorier"])
        for kategori, total, deler in self.underkategorier:
            w.writerow([kategori, "", total.tekst])
            for navn, tall in deler:
                w.writerow(["", navn, tall.tekst])
        w.writerow([])
        w.writerow(["Bevegelse mellom nivåene i perioden"])
        for navn, tall in self.bevegelse_sum:
            w.writerow([navn, tall.tekst])
        return ut.getvalue()


def hele_maneder(fra: date | None, til: date | None, idag: date) -> tuple[date, date]:
    """Perioden som hele måneder: fra den 1. til den siste i måneden; standard siste 12."""
    til = til or idag
    til = (til.replace(day=1) + relativedelta(months=1)) - timedelta(days=1)
    fra = (fra or (til - relativedelta(months=12) + timedelta(days=1))).replace(day=1)
    if fra > til:
        fra = til.replace(day=1)
    return fra, til


def _krysstabell(
    tittel: str, radnavn: list[str], kolonnenavn: list[str], celler: list[list[int]]
) -> Krysstabell:
    total = sum(sum(r) for r in celler)
    s = smatall.skjerm_tabell(celler, total=total)
    return Krysstabell(
        tittel, radnavn, kolonnenavn, s.celler, s.radsummer, s.kolonnesummer, s.total
    )


def _siste_for(kartlegginger: list[Kartlegging], dato: date) -> Kartlegging | None:
    gyldige = [k for k in kartlegginger if k.gyldig_fra <= dato]
    return max(gyldige, key=lambda k: (k.gyldig_fra, k.id)) if gyldige else None


def oversikt(
    tj: Tjenester,
    fra: date | None = None,
    til: date | None = None,
    part_id: int | None = None,
    idag: date | None = None,
) -> Oversikt:
    """Oversikten for perioden (hele måneder) og eventuelt én institusjon, skjermet."""
    fra, til = hele_maneder(fra, til, idag or date.today())
    with tj.sesjoner() as s:
        parter = [(p.id, p.navn) for p in s.scalars(select(Part).order_by(Part.navn))]
        q = select(Plan).where(Plan.status != "slettes").options(selectinload(Plan.part))
        if part_id is not None:
            q = q.where(Plan.part_id == part_id)
        planer = [
            p
            for p in s.scalars(q)
            if p.opprettet.date() <= til and (p.avsluttet_dato is None or p.avsluttet_dato >= fra)
        ]
        alle = s.scalars(
            select(Kartlegging).where(Kartlegging.plan_id.in_([p.id for p in planer]))
        ).all()
        per_plan: dict[int, list[Kartlegging]] = {}
        for k in alle:
            per_plan.setdefault(k.plan_id, []).append(k)
        grunnlag = [
            (
                p.part.navn,
                _siste_for(per_plan.get(p.id, []), fra),
                _siste_for(per_plan.get(p.id, []), til),
            )
            for p in planer
        ]
    kategorier = list(KATEGORIER)
    kategorinavn = [KATEGORIER[k][0] for k in kategorier] + [IKKE_KARTLAGT]

    # Kategori × behovsnivå ved periodens slutt; de som ikke er kartlagt, står bare i
    # tabellen per institusjon (de har ikke noe nivå).
    kn = [[0] * len(NIVAER) for _ in kategorier]
    under: dict[str, dict[str, int]] = {k: dict.fromkeys(KATEGORIER[k][1], 0) for k in kategorier}
    partnavn = sorted({navn for navn, _, _ in grunnlag})
    pk = [[0] * len(kategorinavn) for _ in partnavn]
    for navn, _, slutt in grunnlag:
        kol = kategorier.index(slutt.kategori) if slutt else len(kategorier)
        pk[partnavn.index(navn)][kol] += 1
        if slutt is None:
            continue
        kn[kategorier.index(slutt.kategori)][slutt.behovsniva - 1] += 1
        under[slutt.kategori][slutt.underkategori] = (
            under[slutt.kategori].get(slutt.underkategori, 0) + 1
        )
    kategori_niva = _krysstabell(
        f"Kategori og behovsnivå {til:%d.%m.%Y}", kategorinavn[:-1], NIVAER, kn
    )
    underkategorier = []
    for k in kategorier:
        total, deler = smatall.gruppe(sum(under[k].values()), under[k])
        underkategorier.append(
            (KATEGORIER[k][0], total, [(KATEGORIER[k][1][u], deler[u]) for u in under[k]])
        )

    # Bevegelse: nivået ved periodens start × nivået ved slutt.
    radnavn = [*NIVAER, "Ikke kartlagt ved start"]
    bev = [[0] * len(NIVAER) for _ in radnavn]
    ned = opp = lik = nye = 0
    for _, start, slutt in grunnlag:
        if slutt is None:
            continue
        if start is None:
            bev[-1][slutt.behovsniva - 1] += 1
            nye += 1
            continue
        bev[start.behovsniva - 1][slutt.behovsniva - 1] += 1
        ned += slutt.behovsniva < start.behovsniva
        opp += slutt.behovsniva > start.behovsniva
        lik += slutt.behovsniva == start.behovsniva
    _, bevegelse_sum = smatall.gruppe(
        ned + opp + lik + nye,
        {
            "Ned ett nivå eller mer (mindre behov)": ned,
            "Samme nivå": lik,
            "Opp ett nivå eller mer (større behov)": opp,
            "Kartlagt første gang i perioden": nye,
        },
    )
    return Oversikt(
        fra=fra,
        til=til,
        part_id=part_id,
        parter=parter,
        kategori_niva=kategori_niva,
        underkategorier=underkategorier,
        per_part=_krysstabell(
            f"Institusjon og kategori {til:%d.%m.%Y}", partnavn, kategorinavn, pk
        ),
        bevegelse=_krysstabell(
            f"Behovsnivå {fra:%d.%m.%Y} (rader) og {til:%d.%m.%Y} (kolonner)",
            radnavn,
            NIVAER,
            bev,
        ),
        bevegelse_sum=list(bevegelse_sum.items()),
    )
