"""Hva ett søk får koste: jokertegn, ord det utvides til, og tid.

- Jokertegn (`*`, `?`) må ha minst `MIN_PREFIKS` tegn foran seg. `*a*` måtte ellers sammenlignes
  med hvert ord i ordlisten, og femti slike i ett søk tok over ti sekunder.
- Ledd som står for mange ord (jokertegn, intervaller som `[a TO c]`) utvides her, mot
  ordlistene søket skal bruke, *før* noe søkes: høyst `MAKS_ORD` ulike ord for hele søket,
  ellers avvises det. Spørringen som kommer ut, har bare enkeltord (Or av Term), som
  `vektor.py` regner ut med numpy.
- Frist: `frist_til(tidspunkt)` gir tråden en frist; `sjekk_frist()`, kalt i løkkene som kan ta
  tid (utvidelse, postlister, Whooshs samler), kaster `Tidsavbrudd` når den er passert.

Avvisningene er `Budsjettfeil` med en norsk melding til brukeren; ingenting er søkt.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from whoosh import query

MIN_PREFIKS = 2
MAKS_ORD = 200
_JOKER = re.compile(r"[*?]")
_lokal = threading.local()


class Budsjettfeil(Exception):
    """Søket ble avvist før det ble kjørt; meldingen (norsk) sier hvorfor og hva som hjelper."""


class Tidsavbrudd(Exception):
    """Søket brukte opp tiden sin og ble stoppet."""

    def __init__(self, sekunder: float) -> None:
        super().__init__(
            f"Søket tok for lang tid (over {sekunder:g} sekunder) og ble stoppet. Gjør søket "
            "mer presist, for eksempel med færre jokertegn eller OR-ledd."
        )
        self.sekunder = sekunder


@contextmanager
def frist_til(tidspunkt: float, sekunder: float) -> Iterator[None]:
    """Frist for søket i denne tråden: `tidspunkt` er `time.monotonic()`-tid, `sekunder` er
    grensen slik meldingen oppgir den."""
    forrige = getattr(_lokal, "frist", None)
    _lokal.frist = (tidspunkt, sekunder)
    try:
        sjekk_frist()
        yield
    finally:
        _lokal.frist = forrige


def sjekk_frist() -> None:
    frist = getattr(_lokal, "frist", None)
    if frist is not None and time.monotonic() > frist[0]:
        raise Tidsavbrudd(frist[1])


def gjenstaende() -> float | None:
    """Sekundene som er igjen av fristen, eller None uten frist."""
    frist = getattr(_lokal, "frist", None)
    return None if frist is None else max(0.0, frist[0] - time.monotonic())


def utvid(q: query.Query, lesere: Iterable[Any], maks_ord: int = MAKS_ORD) -> query.Query:
    """`q` med hvert flertermledd byttet ut med Or av ordene det treffer i `lesere` (samme
    vekt som leddet hadde). Kaster `Budsjettfeil` ved jokertegn uten nok tegn foran, og når
    leddene til sammen blir til mer enn `maks_ord` ulike ord."""
    lesere = list(lesere)
    sjekk_jokertegn(q)
    sett: set[tuple[str, str]] = set()

    def om(node: query.Query) -> query.Query:
        if not isinstance(node, query.MultiTerm):
            return node.apply(om)
        ord_: set[str] = set()
        for leser in lesere:
            if node.fieldname not in leser.schema:
                continue
            felt = leser.schema[node.fieldname]
            for i, btekst in enumerate(node._btexts(leser)):
                if i % 64 == 0:
                    sjekk_frist()
                tekst = felt.from_bytes(btekst)
                ord_.add(tekst)
                sett.add((node.fieldname, tekst))
                if len(sett) > maks_ord:
                    raise Budsjettfeil(
                        f"Søket ble ikke kjørt: jokertegnene og intervallene i det gir mer enn "
                        f"{maks_ord} ulike ord. Gjør dem mer presise (flere bokstaver før *)."
                    )
        if not ord_:
            return query.NullQuery
        return query.Or([query.Term(node.fieldname, t, boost=node.boost) for t in sorted(ord_)])

    return om(q).normalize()


def sjekk_jokertegn(q: query.Query) -> None:
    """`Budsjettfeil` når et jokertegn har færre enn `MIN_PREFIKS` tegn foran seg."""
    korte = sorted({_vis(n) for n in _noder(q) if _for_kort(n)})
    if korte:
        raise Budsjettfeil(
            f"Søket ble ikke kjørt: jokertegn (* og ?) må ha minst {MIN_PREFIKS} bokstaver "
            f"foran seg ({', '.join(korte)}). Skriv begynnelsen av ordet, for eksempel avt*."
        )


def _noder(q: query.Query) -> Iterator[query.Query]:
    yield q
    for barn in q.children():
        yield from _noder(barn)


def _for_kort(node: query.Query) -> bool:
    if isinstance(node, query.Prefix):
        return len(node.text) < MIN_PREFIKS
    if isinstance(node, query.PatternQuery):
        return len(_JOKER.split(node.text, maxsplit=1)[0]) < MIN_PREFIKS
    return False


def _vis(node: query.Query) -> str:
    return f"{node.text}*" if isinstance(node, query.Prefix) else node.text
