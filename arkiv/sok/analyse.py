"""Norsk tekstanalyse for Whoosh: bokmålsstamming, aa→å og et delord-felt for sammensatte ord.

Bruk: `tekst` får `norsk_analyse()`, `tekst_delord` får `delord_analyse(leksikon)`, og
`lag_parser(schema)` søker i begge, med delordtreff vektet lavere enn treff på hele ordet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from whoosh.analysis import Filter, RegexTokenizer, Token
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.qparser import MultifieldPlugin, QueryParser
from whoosh.query import AndNot, Not, NullQuery, Phrase, Query
from whoosh.scoring import BaseScorer, WeightingModel

FELT = "tekst"
DELORDFELT = "tekst_delord"
# Delordfeltet vektes lavt, så «avtalen» rangeres over «samarbeidsavtalen» for søket «avtale».
FELTVEKTER = {FELT: 1.0, DELORDFELT: 0.3}

STOPPORD = frozenset(stopwords_for_language("no"))  # bokmål og nynorsk, fra Snowball
_snowball = stemmer_for_language("no")

# «aa» er å, unntatt der et kjent ord på -a står foran et ord på a- (dataansvar, klimaavtale).
_AA_UNNTAK = (
    "agenda", "data", "drama", "ekstra", "firma", "kamera", "klima", "kvota", "media",
    "skjema", "tema", "ultra",
)  # fmt: skip

# Vanlige ord i avtalene; korpuset legger til resten. Ord på tre bokstaver kommer bare herfra.
DOMENEORD = frozenset({
    "ansvar", "arbeid", "avdeling", "avtale", "avvik", "barn", "behandling", "bolig", "bosted",
    "bruker", "dato", "del", "dom", "evaluering", "fengsel", "frist", "helse", "informasjon",
    "innsatt", "institusjon", "journal", "klinikk", "kommune", "kontakt", "kontor", "kriminal",
    "leder", "lege", "lov", "løslatelse", "melding", "møte", "nav", "område", "omsorg",
    "oppfølging", "ordning", "overføring", "overgang", "pasient", "person", "plan", "plikt",
    "rapport", "rus", "rutine", "råd", "sak", "samarbeid", "samtykke", "sikkerhet", "skjema",
    "soning", "spesialist", "straff", "system", "taushet", "team", "tid", "tilsyn", "tiltak",
    "tjeneste", "utskrivning", "varsel", "varsling", "vedlegg", "vedtak", "veileder", "vern",
    "versjon", "vurdering",
})  # fmt: skip

# Ord som aldri brukes som ledd: adverb og lette verb gir falske venner (gjennom-føring,
# plan-legge, under-søkelse). Leksikalisert: `planlegging` treffes ikke av `plan`.
_IKKE_LEDD = frozenset({
    "blant", "bort", "foran", "forbi", "fram", "frem", "gjennom", "gjøre", "hjem", "holde",
    "inne", "innen", "innenfor", "langs", "legge", "nede", "oppe", "rundt", "sammen", "sette",
    "stille", "tilbake", "under", "ute", "utenfor", "videre",
})  # fmt: skip

# Bøyingsendelser et sisteledd kan ha (avtale-n, skjema-et, plan-ene), lengste først.
_ENDELSER = (
    "erne", "ene", "ane", "ens", "ets", "en", "et", "er", "ar", "ne", "a", "e", "n", "r", "t",
)  # fmt: skip
_MIN_LEDD = 3
_MAKS_BUFFER = 200_000
_AA = re.compile("aa")
_ORD = re.compile(r"\w+")


def normaliser_aa(ord: str) -> str:
    """`paal` → `pål`, men `klimaavtale` forblir (se `_AA_UNNTAK`). Tar små bokstaver."""
    if "aa" not in ord:
        return ord
    return _AA.sub(lambda m: "aa" if ord[: m.start() + 1].endswith(_AA_UNNTAK) else "å", ord)


# -erne er bestemt flertall av substantiv på -er (brukerne); disse adjektivene er unntak.
_ERNE_UNNTAK = ("moderne", "interne", "eksterne", "fjerne", "gjerne", "kjerne", "stjerne")


def _stamme(ord: str) -> str:
    if ord.endswith("erne") and len(ord) > 6 and not ord.endswith(_ERNE_UNNTAK):
        ord = ord[:-2]  # brukerne → brukere (Snowball kjenner ikke -erne)
    s = _snowball(ord)
    # Snowball stammer bare én gang: skjemaet → skjema, men skjema → skjem; ansvaret → ansvar,
    # men ansvar → ansv (aktivitetene, ansvaret). En ny runde bare da (ellers oppsigelse → opps).
    if s != ord and s.endswith(("a", "e", "er", "ar", "et")):
        s2 = _snowball(s)
        if len(s2) >= 3:
            s = s2
    if s.endswith("mm") and len(s) >= 4:  # dommen/dom, programmet/program
        s = s[:-1]
    if len(s) >= 5 and s.endswith("el") and s[-3] not in "aeiouyæøå":  # fengsel/fengsler
        s = s[:-2] + "l"
        if s[-2] == s[-3]:  # artikkel/artikler, sykkel/sykler
            s = s[:-2] + "l"
    return s


_STAMMER: dict[str, str] = {}
_NORMAL: dict[str, str | None] = {}


def stamme(ord: str) -> str:
    """Bøyingsstammen til et normalisert ord (små bokstaver, aa→å); hurtigbufret."""
    s = _STAMMER.get(ord)
    if s is None:
        if len(_STAMMER) > _MAKS_BUFFER:
            _STAMMER.clear()
        s = _STAMMER[ord] = _stamme(ord)
    return s


def _grunnform(tekst: str) -> str:
    return normaliser_aa(tekst.lower())


def normaliser(tekst: str) -> str | None:
    """Søkeordet slik feltet `tekst` lagrer det, eller None for stoppord og enkelttegn."""
    try:
        return _NORMAL[tekst]
    except KeyError:
        pass
    ord = _grunnform(tekst)
    s = None if len(ord) < 2 or ord in STOPPORD else stamme(ord)
    if len(_NORMAL) > _MAKS_BUFFER:
        _NORMAL.clear()
    _NORMAL[tekst] = s
    return s


class NorskFilter(Filter):
    """Små bokstaver, aa→å, stoppord og bøyingsstamme i ett steg."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            s = normaliser(t.text)
            if s is not None:
                t.text = s
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


class Leksikon:
    """Kjente ord (små bokstaver, aa→å) som sammensatte ord kan deles i.

    Lagres i indeksens skjema; det pickles som én streng, og mengden bygges først når den
    trengs (ved indeksering, ikke ved søk).
    """

    def __init__(self, ord: Iterable[str] = (), domeneord: bool = True) -> None:
        alle = {_grunnform(o) for o in ord}
        if domeneord:
            alle |= DOMENEORD
        self._ord: frozenset[str] | None = frozenset(
            o for o in alle if len(o) >= _MIN_LEDD and o not in _IKKE_LEDD
        )
        self._tekst: str | None = None

    @classmethod
    def fra_tekster(
        cls, tekster: Iterable[str], min_forekomster: int = 2, min_lengde: int = 4
    ) -> Leksikon:
        """Ord som står alene i tekstene (minst `min_forekomster` ganger), pluss domeneordene."""
        tell: Counter[str] = Counter()
        finn = re.compile(r"[^\W\d_]+").findall
        for tekst in tekster:
            tell.update(finn(tekst.lower()))
        return cls(
            o
            for o, n in tell.items()
            if n >= min_forekomster and len(o) >= min_lengde and o not in STOPPORD
        )

    @property
    def ord(self) -> frozenset[str]:
        if self._ord is None:
            self._ord = frozenset(self._tekst.split("\n")) if self._tekst else frozenset()
        return self._ord

    def __contains__(self, ord: str) -> bool:
        return ord in self.ord

    def __len__(self) -> int:
        return len(self.ord)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Leksikon) and self.ord == other.ord

    def __hash__(self) -> int:
        return hash(self.ord)

    def __getstate__(self) -> dict:
        if self._tekst is None:
            self._tekst = "\n".join(sorted(self.ord))
        return {"tekst": self._tekst}

    def __setstate__(self, tilstand: dict) -> None:
        self._tekst, self._ord = tilstand["tekst"], None

    def del_opp(self, ord: str) -> list[str]:
        """Leddene i et normalisert ord, lengste forledd først; [] om det ikke er sammensatt.

        `løslatelsesplanen` → [`løslatelse`, `planen`] (fuge-s og -e hoppes over; sisteleddet
        kan være bøyd). Leddene kan selv være sammensatte.
        """
        kjent, n = self.ord, len(ord)
        if n < 2 * _MIN_LEDD or not ord.isalpha():
            return []
        husk: dict[int, list[str] | None] = {}

        def er_hode(rest: str) -> bool:
            if rest in kjent:
                return True
            for e in _ENDELSER:
                if rest.endswith(e) and len(rest) - len(e) >= _MIN_LEDD:
                    grunn = rest[: -len(e)]
                    # programm-et → program, domm-en → dom
                    if grunn in kjent or (grunn[-1] == grunn[-2] and grunn[:-1] in kjent):
                        return True
            return False

        def fra(i: int, kan_vaere_hode: bool) -> list[str] | None:
            if kan_vaere_hode and i in husk:
                return husk[i]
            svar = [ord[i:]] if kan_vaere_hode and er_hode(ord[i:]) else None
            j = n - _MIN_LEDD
            while svar is None and j >= i + _MIN_LEDD:
                forledd = ord[i:j]
                if forledd in kjent:
                    resten = fra(j, True)
                    if resten is None and ord[j] in "se" and n - j > _MIN_LEDD:
                        resten = fra(j + 1, True)
                    if resten is not None:
                        if forledd[-1] in "se" and forledd[:-1] in kjent:
                            forledd = forledd[:-1]  # avviks-skjema → avvik
                        svar = [forledd, *resten]
                j -= 1
            if kan_vaere_hode:
                husk[i] = svar
            return svar

        return fra(0, False) or []


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
            self._samle(_grunnform(tekst), ut)
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


def norsk_analyse() -> RegexTokenizer:
    """Analysator for `tekst`: ord, små bokstaver, aa→å, bokmålsstoppord, Snowball-stamme."""
    return RegexTokenizer() | NorskFilter()


def delord_analyse(leksikon: Leksikon | None = None) -> RegexTokenizer:
    """Analysator for `tekst_delord`: leddene i sammensatte ord, delt etter `leksikon`."""
    return RegexTokenizer() | DelordFilter(leksikon)


class NorskParser(QueryParser):
    """Ufeltede ord søkes i alle `feltvekter`. Fraser søkes bare i felt med posisjoner, og
    et stoppord inne i frasen («varsling før løslatelse») gir rom for ett ord der."""

    def __init__(self, schema, feltvekter: dict[str, float]) -> None:
        super().__init__(None, schema)
        self.add_plugin(MultifieldPlugin(list(feltvekter), fieldboosts=feltvekter))
        self._tekst = ""

    def parse(self, text: str, normalize: bool = True, debug: bool = False) -> Query:
        self._tekst = text
        q = super().parse(text, normalize=False, debug=debug).accept(self._tilpass)
        return q.normalize() if normalize else q

    def _tilpass(self, q: Query) -> Query:
        if isinstance(q, Phrase):
            navn = q.fieldname
            if (
                navn == DELORDFELT
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
    """Samme spørring uten delordledd (NOT-ledd beholdes). For «eksakt først»: søk med denne,
    og bare hvis den gir færre treff enn siden trenger, med hele spørringen."""
    return _uten_delord(q).normalize()


def _uten_delord(q: Query) -> Query:
    if isinstance(q, Not):
        return q
    if isinstance(q, AndNot):
        return AndNot(_uten_delord(q.a), q.b)
    if getattr(q, "fieldname", None) == DELORDFELT:
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
    dokument, og blokkgrensene er eksakte, så Whoosh hopper over flere blokker."""

    def __init__(self, k1: float = 1.2) -> None:
        self.k1 = k1

    def supports_block_quality(self) -> bool:
        return True

    def scorer(self, searcher, fieldname: str, text, qf: int = 1) -> _MetningScorer:
        idf = searcher.get_parent().idf(fieldname, text)
        return _MetningScorer(idf, self.k1, searcher.term_info(fieldname, text).max_weight())
