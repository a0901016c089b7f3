"""Prosjektets norske analyse som PostgreSQL-tekst: et dokument som `tsvector` og en tolket
spørring (Whoosh-treet fra `soking.tolk`) som SQL med `tsquery`.

Ordene analyseres i Python med de samme analysatorene som Whoosh-skjemaet bruker (stamme, aa→å,
stoppord, leddene i sammensatte ord fra `Leksikon`), og PostgreSQL får dem ferdige: vektoren er
en `tsvector`-literal (`'ord':3B`), som `::tsvector` tar inn uendret (ingen ny analyse, slik
konfigurasjonen `simple` ville gjort). Vektene: tittel A, tekst B, ledd i sammensatte ord C,
foldede ord (ø→o, æ→e, å→a; bare der de er ulike ordet selv) D.
Posisjonene er ordenes egne (med hull der stoppord sto), så fraser med `<->`/`<N>` treffer som i
Whoosh; tittelen legges etter teksten, så en frase aldri går fra tekst til tittel.

Spørringen blir ett SQL-uttrykk: ledd i tekstfeltene samles i én `tsquery` så langt det går
(AND `&`, OR `|`, NOT `!`, prefiks `:*`, fraser), og kallerens felt (`status:inngaatt`,
`aar:[2020 TO 2022]`) blir vilkår på kolonnene. Jokertegn må ha `budsjett.MIN_PREFIKS` tegn
foran seg; `avt?le` søkes som prefikset `avt:*` (videre enn Whoosh).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query

from arkiv.sok.analyse import DELORDFELT, FELT, FOLDEFELT

# Vektene et ledd i hvert felt søker i. Et ord uten æøå lagres ikke foldet (det er likt ordet
# selv, vekt B), så foldefeltet søker i B og D.
VEKT = {"tittel": "A", FELT: "B", DELORDFELT: "C", FOLDEFELT: "BD"}
TEKSTFELT = frozenset(VEKT)
# ts_rank_cd-vektene {D, C, B, A}: delord 0,3 og folding 0,4 av tekst (som FELTVEKTER), tittel
# dobbelt.
RANGVEKTER = "{0.2, 0.15, 0.5, 1.0}"
MAKS_POSISJON = 16383  # PostgreSQLs grense; senere ord får denne posisjonen
MAKS_POSISJONER = 256  # per ord i én vektor (PostgreSQL tar ikke flere)
MAKS_ORDLENGDE = 200  # lengre «ord» (base64 o.l.) indekseres ikke
MAKS_FRASEVARIANTER = 64  # fraser med slingring: avstandene som prøves
_JOKER = re.compile(r"[*?]")
MOTORKOLONNER = {"art": "art", "versjon": "versjon", "objekt_id": "objekt_id"}


def _lex(tekst: str) -> str:
    return "'" + tekst.replace("\\", "\\\\").replace("'", "''") + "'"


def vektor(skjema: Any, tittel: str, tekst: str) -> str:
    """`tsvector`-literalen for ett dokument (skjemaets analysatorer, med skjemaets ordliste)."""
    posisjoner: dict[str, list[str]] = {}
    siste = 0

    def legg(ord_: str, pos: int, vekt: str) -> None:
        if len(ord_) > MAKS_ORDLENGDE:
            return
        liste = posisjoner.setdefault(ord_, [])
        if len(liste) < MAKS_POSISJONER:
            liste.append(f"{min(pos, MAKS_POSISJON)}{vekt}")

    ordene: dict[int, str] = {}
    for t in skjema[FELT].analyzer(tekst, positions=True):
        siste = max(siste, t.pos + 1)
        ordene[t.pos] = t.text
        legg(t.text, t.pos + 1, "B")
    if FOLDEFELT in skjema:  # bare der foldingen gir noe annet (samme posisjon, annen vekt)
        for t in skjema[FOLDEFELT].analyzer(tekst, positions=True):
            if ordene.get(t.pos) != t.text:
                legg(t.text, t.pos + 1, "D")
    if DELORDFELT in skjema:
        for t in skjema[DELORDFELT].analyzer(tekst, positions=True):
            legg(t.text, t.pos + 1, "C")
    for t in skjema["tittel"].analyzer(tittel, positions=True):
        legg(t.text, siste + 2 + t.pos, "A")
    return " ".join(f"{_lex(o)}:{','.join(p)}" for o, p in posisjoner.items())


@dataclass
class Sql:
    """Et SQL-uttrykk med sine parametre. `tsq`: leddet er en ren `tsquery` (ennå ikke SQL)."""

    params: dict[str, Any] = field(default_factory=dict)

    def param(self, verdi: Any) -> str:
        navn = f"p{len(self.params)}"
        self.params[navn] = verdi
        return f":{navn}"


@dataclass(frozen=True)
class _Del:
    tsq: str | None = None  # en tsquery-tekst
    sql: str | None = None  # et SQL-uttrykk (sant/usant, aldri NULL)


SANN, USANN = _Del(sql="TRUE"), _Del(sql="FALSE")


class Oversetter:
    """Gjør et tolket Whoosh-tre om til SQL mot `sokedokument` (`kolonne` er vektoren)."""

    def __init__(self, skjema: Any, tall: frozenset[str], sql: Sql) -> None:
        self.skjema, self.tall, self.sql = skjema, tall, sql

    def vilkar(self, q: query.Query) -> str:
        return self._som_sql(self._del(q))

    def rangering(self, q: query.Query) -> str | None:
        """En tsquery med alle tekstleddene som ikke står under NOT (OR), til ts_rank_cd."""
        ledd = [d.tsq for d in self._positive(q) if d.tsq]
        return " | ".join(dict.fromkeys(ledd)) or None

    def _positive(self, q: query.Query) -> Iterable[_Del]:
        if isinstance(q, query.Not):
            return
        if isinstance(q, query.AndNot):
            yield from self._positive(q.a)
            return
        if isinstance(q, (query.Term, query.Phrase, query.PatternQuery, query.Prefix)):
            d = self._del(q)
            if d.tsq:
                yield d
            return
        for barn in q.children():
            yield from self._positive(barn)

    def _som_sql(self, d: _Del) -> str:
        if d.sql is not None:
            return d.sql
        return f"(vektor @@ CAST({self.sql.param(d.tsq)} AS tsquery))"

    def _kombiner(self, deler: list[_Del], tsop: str, sqlop: str) -> _Del:
        if all(d.tsq is not None for d in deler):
            return _Del(tsq="(" + f" {tsop} ".join(d.tsq for d in deler) + ")")  # type: ignore[misc]
        tsq = [d.tsq for d in deler if d.tsq is not None]
        sql = [d.sql for d in deler if d.sql is not None]
        if tsq:
            sql.append(self._som_sql(_Del(tsq="(" + f" {tsop} ".join(tsq) + ")")))
        return _Del(sql="(" + f" {sqlop} ".join(sql) + ")")

    def _del(self, q: query.Query) -> _Del:
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            return USANN
        if isinstance(q, query.Every):
            return SANN
        if isinstance(q, (query.And, query.Require)):
            return self._kombiner([self._del(b) for b in q.children()], "&", "AND")
        if isinstance(q, (query.Or, query.DisjunctionMax)):
            return self._kombiner([self._del(b) for b in q.children()], "|", "OR")
        if isinstance(q, query.AndMaybe):
            return self._del(q.a)
        if isinstance(q, query.AndNot):
            return self._kombiner([self._del(q.a), self._ikke(self._del(q.b))], "&", "AND")
        if isinstance(q, query.Not):
            return self._ikke(self._del(q.query))
        felt = getattr(q, "fieldname", None)
        if felt in TEKSTFELT:
            return self._tekstledd(q, felt)
        if isinstance(q, query.Term):
            return self._feltledd(felt, q.text)
        if isinstance(q, query.NumericRange) and (felt in self.tall or felt in MOTORKOLONNER):
            return self._intervall(felt, q.start, q.end, q.startexcl, q.endexcl)
        return USANN  # intervaller i tekst o.l.: ingen treff

    def _ikke(self, d: _Del) -> _Del:
        if d.tsq is not None:
            return _Del(tsq=f"!{d.tsq}")
        return _Del(sql=f"(NOT {d.sql})")

    def _tekstledd(self, q: query.Query, felt: str) -> _Del:
        vekt = VEKT[felt]
        if isinstance(q, query.Term):
            return _Del(tsq=f"{_lex(q.text)}:{vekt}")
        if isinstance(q, query.Prefix):
            return _Del(tsq=f"{_lex(q.text)}:*{vekt}")
        if isinstance(q, query.PatternQuery):
            prefiks = _JOKER.split(q.text, maxsplit=1)[0]
            return _Del(tsq=f"{_lex(prefiks)}:*{vekt}") if prefiks else USANN
        if isinstance(q, query.Phrase):
            return self._frase([f"{_lex(o)}:{vekt}" for o in q.words], max(1, q.slop))
        return USANN

    @staticmethod
    def _frase(ord_: list[str], slingring: int) -> _Del:
        """Ordene etter hverandre, hvert høyst `slingring` posisjoner etter det forrige (som
        Whooshs `slop`)."""
        if not ord_:
            return USANN
        if slingring <= 1 or slingring ** (len(ord_) - 1) > MAKS_FRASEVARIANTER:
            return _Del(tsq="(" + " <-> ".join(ord_) + ")")
        uttrykk = ord_[0]
        for neste in ord_[1:]:
            valg = [f"{uttrykk} <{k}> {neste}" for k in range(1, slingring + 1)]
            uttrykk = "(" + " | ".join(valg) + ")"
        return _Del(tsq=uttrykk)

    def _kolonne(self, felt: str) -> str:
        if felt in MOTORKOLONNER:
            return MOTORKOLONNER[felt]
        return f"(felt ->> {self.sql.param(felt)})"

    def _verdi(self, felt: str, tekst: Any) -> Any:
        if isinstance(tekst, bytes) and felt in self.skjema:
            tekst = self.skjema[felt].from_bytes(tekst)
        return tekst

    def _feltledd(self, felt: str | None, tekst: Any) -> _Del:
        if felt is None or (felt not in self.skjema and felt not in MOTORKOLONNER):
            return USANN
        verdi = self._verdi(felt, tekst)
        if felt in ("versjon", "objekt_id"):
            return _Del(sql=f"({felt} = {self.sql.param(int(verdi))})")
        return _Del(sql=f"COALESCE({self._kolonne(felt)} = {self.sql.param(str(verdi))}, FALSE)")

    def _intervall(self, felt: str, start: Any, slutt: Any, uten_start: bool, uten_slutt: bool):
        kolonne = felt if felt in MOTORKOLONNER else f"CAST({self._kolonne(felt)} AS bigint)"
        ledd = []
        if start is not None:
            ledd.append(f"{kolonne} {'>' if uten_start else '>='} {self.sql.param(int(start))}")
        if slutt is not None:
            ledd.append(f"{kolonne} {'<' if uten_slutt else '<='} {self.sql.param(int(slutt))}")
        return _Del(sql=f"COALESCE({' AND '.join(ledd) or 'TRUE'}, FALSE)")
