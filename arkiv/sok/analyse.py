"""Norsk tekstanalyse for Whoosh: bokmålsstamming, aa→å, et delord-felt for sammensatte ord og
et felt med ASCII-foldede ord (ø→o/oe, æ→e/ae, å→a).

Bruk: `tekst` får `norsk_analyse()`, `tekst_delord` får `delord_analyse(leksikon)`,
`tekst_foldet` får `folde_analyse()`, og `lag_parser(schema)` søker i alle tre, med treff i
delord- og foldefeltet vektet lavere enn treff på ordet slik det står. Foldingen selv er en ren
funksjon i `norsk.py` (`folde`, `normaliser_foldet`), så en annen motor kan bruke den.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Filter, RegexTokenizer, Token
from whoosh.qparser import MultifieldPlugin, QueryParser
from whoosh.query import AndNot, MultiTerm, Not, NullQuery, Phrase, Query
from whoosh.scoring import BaseScorer, WeightingModel

from arkiv.sok.leksikon import DOMENEORD, Leksikon
from arkiv.sok.norsk import (
    STOPPORD,
    folde,
    grunnform,
    normaliser,
    normaliser_aa,
    normaliser_foldet,
    stamme,
)
from arkiv.sok.ordliste import IKKE_LEDD as _IKKE_LEDD

__all__ = [
    "DOMENEORD",
    "STOPPORD",
    "_IKKE_LEDD",
    "Leksikon",
    "folde",
    "normaliser",
    "normaliser_aa",
    "normaliser_foldet",
    "stamme",
]

FELT = "tekst"
DELORDFELT = "tekst_delord"
FOLDEFELT = "tekst_foldet"
# Delordfeltet vektes lavt, så «avtalen» rangeres over «samarbeidsavtalen» for søket «avtale»;
# foldefeltet likeså, så «Bodø» rangeres over «Bodo» for søket «bodø» (og omvendt).
FELTVEKTER = {FELT: 1.0, DELORDFELT: 0.3, FOLDEFELT: 0.4}
# Feltene som bare gir treff «ved siden av» ordet (ledd, folding): ikke med i «eksakt først».
HJELPEFELT = frozenset({DELORDFELT, FOLDEFELT})
_MAKS_BUFFER = 200_000
_ORD = re.compile(r"\w+")


class NorskFilter(Filter):
    """Små bokstaver, aa→å, stoppord og bøyingsstamme i ett steg."""

    is_morph = True
    normaliser = staticmethod(normaliser)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            s = self.normaliser(t.text)
            if s is not None:
                t.text = s
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


class FoldeFilter(NorskFilter):
    """Som `NorskFilter`, men med den foldede stammen (se `norsk.normaliser_foldet`)."""

    normaliser = staticmethod(normaliser_foldet)


def foldede_ord(ordene: list[str]) -> list[str]:
    """Ordene (slik de står i teksten) som foldefeltet lagrer dem, uten stoppord: token inn,
    token ut, uten Whoosh (for en annen motor som lagrer analysatorens ord)."""
    return [s for s in map(normaliser_foldet, ordene) if s is not None]


class DelordFilter(Filter):
    """Ved indeksering: stammene til leddene i sammensatte ord (ikke hele ordet, det har
    `tekst`). Ved søk: stammen til søkeordet, så `avtale` treffer leddet i `samarbeidsavtalen`.
    """

    is_morph = True

    def __init__(self, leksikon: Leksikon | None = None) -> None:
        self.leksikon = leksikon if leksikon is not None else Leksikon()
        self._buffer: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict:
        return {"leksikon": self.leksikon}

    def __setstate__(self, tilstand: dict) -> None:
        self.leksikon, self._buffer = tilstand["leksikon"], {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DelordFilter) and self.leksikon == other.leksikon

    __hash__ = None  # type: ignore[assignment]

    def ledd(self, tekst: str) -> tuple[str, ...]:
        """Stammene et ord (slik det står i teksten) gir i delordfeltet ved indeksering."""
        try:
            return self._buffer[tekst]
        except KeyError:
            pass
        ut: list[str] = []
        if normaliser(tekst) is not None:
            self._samle(grunnform(tekst), ut)
        svar = tuple(dict.fromkeys(ut))
        if len(self._buffer) > _MAKS_BUFFER:
            self._buffer.clear()
        self._buffer[tekst] = svar
        return svar

    def _samle(self, ord: str, ut: list[str]) -> None:
        for ledd in self.leksikon.del_opp(ord):
            ut.append(stamme(ledd))
            self._samle(ledd, ut)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.mode == "query":
                s = normaliser(t.text)
                if s is not None:
                    t.text = s
                    yield t
                continue
            for s in self.ledd(t.text):
                t.text = s
                yield t


def host(schema, tekst: str) -> int:
    """Legg nye ord fra `tekst` i ordlisten i `schema` (en skrivers skjema: den lagres med
    indeksen ved commit). Gir antall nye ord."""
    if DELORDFELT not in schema:
        return 0
    for filter_ in schema[DELORDFELT].analyzer.items:
        if isinstance(filter_, DelordFilter):
            funnet = filter_.leksikon.host(tekst)
            if funnet:
                filter_._buffer.clear()  # ord som er delt før, kan deles annerledes nå
            return funnet
    return 0


def norsk_analyse() -> RegexTokenizer:
    """Analysator for `tekst`: ord, små bokstaver, aa→å, bokmålsstoppord, Snowball-stamme."""
    return RegexTokenizer() | NorskFilter()


def folde_analyse() -> RegexTokenizer:
    """Analysator for `tekst_foldet`: som `norsk_analyse`, men ø→o/oe, æ→e/ae og å→a først."""
    return RegexTokenizer() | FoldeFilter()


def delord_analyse(leksikon: Leksikon | None = None) -> RegexTokenizer:
    """Analysator for `tekst_delord`: leddene i sammensatte ord, delt etter `leksikon`."""
    return RegexTokenizer() | DelordFilter(leksikon)


class NorskParser(QueryParser):
    """Ufeltede ord søkes i alle `feltvekter`. Fraser søkes bare i felt med posisjoner, og
    et stoppord inne i frasen («varsling før løslatelse») gir rom for ett ord der. Jokertegn
    og intervaller søkes ikke i foldefeltet (de ville bare doble ordene budsjettet teller)."""

    def __init__(self, schema, feltvekter: dict[str, float]) -> None:
        super().__init__(None, schema)
        self.add_plugin(MultifieldPlugin(list(feltvekter), fieldboosts=feltvekter))
        self._tekst = ""

    def parse(self, text: str, normalize: bool = True, debug: bool = False) -> Query:
        self._tekst = text
        q = super().parse(text, normalize=False, debug=debug).accept(self._tilpass)
        return q.normalize() if normalize else q

    def _tilpass(self, q: Query) -> Query:
        if isinstance(q, MultiTerm) and q.fieldname == FOLDEFELT:
            return NullQuery
        if isinstance(q, Phrase):
            navn = q.fieldname
            if (
                navn in HJELPEFELT
                or navn not in self.schema
                or not self.schema[navn].format.supports("positions")
            ):
                return NullQuery
            if q.char_ranges and len(q.char_ranges) > 1:
                hull = zip(q.char_ranges, q.char_ranges[1:], strict=False)
                fjernet = max(len(_ORD.findall(self._tekst[a[1] : b[0]])) for a, b in hull)
                q.slop = max(q.slop, 1 + fjernet)
        return q


def lag_parser(schema, feltvekter: dict[str, float] | None = None) -> NorskParser:
    """Parser med Whooshs spørrespråk (AND/OR/NOT, "fraser", felt:verdi; AND mellom ord)."""
    vekter = {f: v for f, v in (feltvekter or FELTVEKTER).items() if f in schema}
    return NorskParser(schema, vekter)


def uten_delord(q: Query) -> Query:
    """Samme spørring uten ledd i delord- og foldefeltet (`HJELPEFELT`; NOT-ledd beholdes).
    For «eksakt først»: søk med denne, og bare hvis den gir færre treff enn siden trenger,
    med hele spørringen."""
    return _uten_delord(q).normalize()


def _uten_delord(q: Query) -> Query:
    if isinstance(q, Not):
        return q
    if isinstance(q, AndNot):
        return AndNot(_uten_delord(q.a), q.b)
    if getattr(q, "fieldname", None) in HJELPEFELT:
        return NullQuery
    return q.apply(_uten_delord)


class _MetningScorer(BaseScorer):
    def __init__(self, idf: float, k1: float, maks: float) -> None:
        self.idf, self.k1, self.maks = idf, k1, maks

    def supports_block_quality(self) -> bool:
        return True

    def _f(self, tf: float) -> float:
        return self.idf * tf * (self.k1 + 1) / (tf + self.k1)

    def score(self, matcher) -> float:
        return self._f(matcher.weight())

    def max_quality(self) -> float:
        return self._f(self.maks)

    def block_quality(self, matcher) -> float:
        return self._f(matcher.block_max_weight())


class Metning(WeightingModel):
    """BM25 uten lengdenormalisering: idf · tf·(k1+1)/(tf+k1). Leser ikke feltlengder per
    dokument, og blokkgrensene er eksakte, så Whoosh hopper over flere blokker.

    `idf_fra`: en annen søker idf hentes fra (en indeks i minnet får poeng som kan
    sammenlignes med indeksen på disk, og som ikke avhenger av de andre dokumentene i minnet).
    """

    def __init__(self, k1: float = 1.2, idf_fra=None) -> None:
        self.k1 = k1
        self.idf_fra = idf_fra

    def supports_block_quality(self) -> bool:
        return True

    def idf(self, searcher, fieldname: str, text) -> float:
        # Searcher.idf (med buffer) spør hit.
        if self.idf_fra is not None:
            return self.idf_fra.idf(fieldname, text)
        return super().idf(searcher, fieldname, text)

    def scorer(self, searcher, fieldname: str, text, qf: int = 1) -> _MetningScorer:
        idf = searcher.get_parent().idf(fieldname, text)
        return _MetningScorer(idf, self.k1, searcher.term_info(fieldname, text).max_weight())
