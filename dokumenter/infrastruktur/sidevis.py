"""Én side av en spørring i SQL: antall treff (COUNT over spørringen uten sortering), så
ORDER BY på den valgte kolonnen med en entydig nøkkel til slutt (stabil rekkefølge mellom
sidene) og LIMIT/OFFSET. Ber adressen om en side bak slutten, vises den siste."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from dokumenter.felles.sidevisning import Side, Utvalg

T = TypeVar("T")


def antall(s: Session, sporring: Select[Any]) -> int:
    """Antall rader spørringen gir (uten sortering, LIMIT og OFFSET)."""
    telling = select(func.count()).select_from(
        sporring.order_by(None).limit(None).offset(None).subquery()
    )
    return s.scalar(telling) or 0


def hent_side(
    s: Session,
    sporring: Select[Any],
    utvalg: Utvalg,
    kolonner: Mapping[str, Sequence[ColumnElement[Any]]],
    entydig: ColumnElement[Any],
    rad: Callable[[Any], T],
    totalt: int | None = None,
) -> Side[T]:
    """Siden `utvalg` ber om. `kolonner`: sorteringsnøkkel -> uttrykkene det sorteres på;
    `entydig` (som regel id) skiller like verdier. `rad` gjør hver resultatrad om til det
    siden viser. `totalt` kan gis når kalleren alt har telt."""
    totalt = antall(s, sporring) if totalt is None else totalt
    sider = max(1, -(-totalt // utvalg.per_side))
    if utvalg.side > sider:
        utvalg = utvalg.med(side=sider)
    # Tomme verdier (NULL) sist i begge retninger og i begge databasene.
    rekkefolge = [
        (u.desc() if utvalg.synkende else u.asc()).nulls_last()
        for u in kolonner.get(utvalg.sorter, ())
    ]
    rekkefolge.append(entydig.desc() if utvalg.synkende else entydig.asc())
    resultat = s.execute(
        sporring.order_by(*rekkefolge).limit(utvalg.per_side).offset(utvalg.offset)
    )
    return Side([rad(r) for r in resultat], totalt, utvalg)
