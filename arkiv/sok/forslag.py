"""«Mente du»: en annen skrivemåte av søkeordene når et søk gir ingen eller nesten ingen treff.

Kandidatene er ordene i ordlisten for sammensatte ord (`Leksikon`: bokmålsordboka, domeneordene
og ord høstet fra tekstene i indeksen), innen to bokstaver fra søkeordet (Levenshtein), og bare
de hvis stamme står i indeksens `tekst`-felt. Blant dem vinner den med samme foldede form som
søkeordet («bodo» → «bodø»), så den som er nærmest, så den som står i flest dokumenter.

Ingen ord fra en individuell plan kan bli forslag herfra: planene ligger aldri i indeksen, og
plantekster høstes aldri til ordlisten (`Indeksdokument.ordkilde=False`). Søket prøver
dessuten forslaget med brukerens egen tilgang før det vises (se `soking.sok`), så et forslag
aldri røper et ord som bare står i dokumenter brukeren ikke kan se.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import lru_cache

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from arkiv.sok.analyse import DELORDFELT, DelordFilter, Leksikon
from arkiv.sok.leksikon import DOMENEORD
from arkiv.sok.norsk import folde, grunnform, normaliser

MAKS_AVSTAND = 2
MIN_LENGDE = 4  # kortere ord får ikke forslag (for mange naboer)
_ORD = re.compile(r"[^\W\d_]+")
_OPERATORER = frozenset({"AND", "OR", "NOT", "TO"})


def ordforslag(ord: str, kandidater: tuple[str, ...], frekvens: Callable[[str], int]) -> str | None:
    """Beste erstatning for `ord` (slik brukeren skrev det) blant `kandidater` (grunnform,
    sortert), eller None. `frekvens(stamme)`: antall dokumenter med stammen i `tekst`."""
    g = grunnform(ord)
    if len(g) < MIN_LENGDE or normaliser(ord) is None:
        return None
    foldet = folde(g)
    beste: tuple | None = None
    for avstand, kandidat in _naere(g, kandidater):
        if kandidat == g:
            continue
        stamme = normaliser(kandidat)
        n = frekvens(stamme) if stamme is not None else 0
        if not n:
            continue
        nokkel = (folde(kandidat) != foldet, avstand, -n, kandidat)
        if beste is None or nokkel < beste:
            beste = nokkel
    if beste is None:
        return None
    svar = beste[-1]
    return svar[:1].upper() + svar[1:] if ord[:1].isupper() else svar


def _naere(ord: str, liste: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(avstand, ord) for ordene i den sorterte `liste` innen `MAKS_AVSTAND` fra `ord`, med
    samme første bokstav (det gjør søket raskt, og de fleste skrivefeil er senere i ordet)."""
    sett: set[str] = set()
    for avstand in range(1, MAKS_AVSTAND + 1):
        dfa = _automat(ord, avstand)
        for treff in find_all_matches(dfa, _Hopper(liste)):
            if treff not in sett:
                sett.add(treff)
                yield avstand, treff


@lru_cache(maxsize=256)
def _automat(ord: str, avstand: int):
    return levenshtein_automaton(ord, avstand, prefix=1).to_dfa()


class _Hopper:
    """Neste ord i den sorterte listen som er ≥ det automaten spør om (Whooshs mønster)."""

    def __init__(self, liste: tuple[str, ...]) -> None:
        self.liste, self.i = liste, 0

    def __call__(self, w: str) -> str | None:
        if self.i < len(self.liste) and self.liste[self.i] == w:
            return w
        self.i = bisect_left(self.liste, w, self.i + 1)
        return self.liste[self.i] if self.i < len(self.liste) else None


def kandidatord(schema) -> tuple[str, ...]:
    """Ordene forslagene hentes fra, sortert: ordlisten i indeksens skjema (`schema`)."""
    leksikon = _leksikon(schema)
    if leksikon is None:
        return tuple(sorted(DOMENEORD))
    return _sortert(leksikon.grunn.ord, frozenset(leksikon.tillegg) | DOMENEORD)


@lru_cache(maxsize=4)
def _sortert(grunn: frozenset[str], ekstra: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(grunn | ekstra))


def _leksikon(schema) -> Leksikon | None:
    if DELORDFELT not in schema:
        return None
    for filter_ in schema[DELORDFELT].analyzer.items:
        if isinstance(filter_, DelordFilter):
            return filter_.leksikon
    return None


def foreslaa(
    sporring: str, kandidater: tuple[str, ...], frekvens: Callable[[str], int]
) -> str | None:
    """Søketeksten med hvert ord indeksen ikke har (stammen står ikke i `tekst`) byttet ut med
    sitt beste forslag, eller None når ingen ord fikk forslag. Felt (`felt:verdi`), jokertegn
    og operatorene står urørt."""
    endret = False

    def bytt(m: re.Match) -> str:
        nonlocal endret
        ord, tekst = m.group(), m.string
        forrige, neste = tekst[m.start() - 1 : m.start()], tekst[m.end() : m.end() + 1]
        if ord in _OPERATORER or neste in (":", "*", "?", "~") or forrige not in ("", *' "(+-'):
            return ord
        stamme = normaliser(ord)
        if stamme is None or frekvens(stamme):
            return ord
        nytt = ordforslag(ord, kandidater, frekvens)
        if nytt is None:
            return ord
        endret = True
        return nytt

    ny = _ORD.sub(bytt, sporring.strip())
    return ny if endret else None
