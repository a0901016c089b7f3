"""Innsynsloggen for individuelle planer: hver lesing, nedlasting og endring logges med
brukerens grunnlag, og alt som åpner en plan går gjennom `apne_med_tilgang` her.

Uten grunnlag er svaret det samme som for en plan som ikke finnes (IkkeFunnet), og forsøket
logges etter at transaksjonen er rullet tilbake (`logger_nektet`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dokumenter.felles import etiketter
from dokumenter.felles.feil import IkkeFunnet, IngenTilgang
from dokumenter.models import (
    Bruker,
    Plan,
    Planlogg,
)
from dokumenter.planer.regler import IKKE_FUNNET, Person, person
from dokumenter.planer.tilgang import Grunnlag, grunnlag
from dokumenter.tjenester import Tjenester

T = TypeVar("T")

HANDLINGER = etiketter.PLANHANDLING


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
        raise IngenTilgang("Du kan lese planen, men ikke endre den.")
    return plan, bruker, g


@logger_nektet
def sjekk_tilgang(
    tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "", endre: bool = False
) -> Grunnlag:
    """Brukerens grunnlag for planen, før et skjema i det hele tatt leses: IkkeFunnet uten
    grunnlag, IngenTilgang når `endre` og brukeren bare kan lese."""
    with tj.sesjoner() as s:
        return apne_med_tilgang(s, plan_id, bruker_id, fra, endre)[2]


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
            select(Planlogg)
            .where(Planlogg.plan_id == plan.id)
            .options(selectinload(Planlogg.bruker))
            .order_by(Planlogg.id)
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
    navn = {
        "versjon": "versjon",
        "type": "fil",
        "part": "part",
        "medlem": "medlem",
        "fra_koordinator": "fra",
        "til": "til",
        "grunn": "begrunnelse",
        "mistet_tilgang": "mistet tilgang",
        "felt": "felt",
        "oppgave": "oppgave",
        "endring": "endring",
        "punkt": "punkt",
        "utfall": "utfall",
        "rolle": "rolle",
        "skjema": "skjema",
    }
    deler = []
    for k, etikett in navn.items():
        v = d.get(k)
        if v not in (None, "", []):
            deler.append(f"{etikett}: {', '.join(v) if isinstance(v, list) else v}")
    return "; ".join(deler)
