"""Rangering, telling og fasetter med numpy over Whooshs egne postlister.

Whooshs samler går gjennom hvert treff i Python (id(), score(), next() per dokument); når
et vanlig ord treffer titusener av versjoner, koster det hundrevis av millisekunder. Her
leses postlistene blokk for blokk rett fra lagringsformatet, og poeng, treffmengder,
«eksakt først», totalt og fasettantall regnes som vektoroperasjoner over alle dokumenter.

Poengene er de samme som Whoosh ville gitt med `Metning`: per term
boost · idf · tf·(k1+1)/(tf+k1), summert over leddene i Or/And. Spørringer med ledd dette
ikke dekker (fraser, prefiks, intervaller) gir None, og kalleren bruker Whooshs egen vei.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from whoosh import query
from whoosh.matching import FilterMatcher

from arkiv.sok.analyse import Metning
from arkiv.sok.budsjett import sjekk_frist

TERMBUFFER = 512  # dekodede postlister per søker (én indeksgenerasjon)


class Vektorsok:
    def __init__(
        self, searcher: Any, vekting: Metning, segmentbuffer: Segmentbuffer | None = None
    ) -> None:
        self.searcher = searcher
        self.segmentbuffer = segmentbuffer or Segmentbuffer()
        self.k1 = vekting.k1
        self.antall = searcher.doc_count_all()
        self._deler = searcher.subsearchers or [(searcher, 0)]
        self.levende = np.ones(self.antall, dtype=bool)
        for s, forskyvning in self._deler:
            leser = s.reader()
            if leser.has_deletions():
                slettet = np.fromiter(leser.deleted_docs_set, dtype=np.int64)
                self.levende[slettet + forskyvning] = False
        self._termer: OrderedDict[tuple[str, Any], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._kolonner: dict[str, tuple[np.ndarray, list[Any]]] = {}

    def maske_fra(self, dokumenter: Any) -> np.ndarray:
        m = np.zeros(self.antall, dtype=bool)
        ider = np.fromiter(dokumenter, dtype=np.int64)
        m[ider] = True
        return m

    def tom_buffer(self) -> None:
        self._termer.clear()

    # --- postlister -------------------------------------------------------------------

    def _postliste(self, felt: str, tekst: Any) -> tuple[np.ndarray, np.ndarray]:
        """(dokumentnumre, tf) for en term over alle segmenter; slettede kan være med."""
        nokkel = (felt, tekst)
        if nokkel in self._termer:
            self._termer.move_to_end(nokkel)
            return self._termer[nokkel]
        ider: list[np.ndarray] = []
        tf: list[np.ndarray] = []
        for s, forskyvning in self._deler:
            leser = s.reader()
            if (felt, tekst) not in leser:
                continue
            m = leser.postings(felt, tekst)
            if isinstance(m, FilterMatcher):  # slettemerker; tilgangsfilteret tar dem
                m = m.child
            if hasattr(m, "_read_ids") and hasattr(m, "_read_weights"):
                while not m._atend:
                    sjekk_frist()
                    m._read_ids()
                    m._read_weights()
                    ider.append(np.asarray(m._ids, dtype=np.int64) + forskyvning)
                    tf.append(np.asarray(m._weights, dtype=np.float32))
                    m._next_block()
            else:
                par = [(d, m.weight()) for d in _alle(m)]
                ider.append(np.array([d for d, _ in par], dtype=np.int64) + forskyvning)
                tf.append(np.array([w for _, w in par], dtype=np.float32))
        resultat = (
            (np.concatenate(ider), np.concatenate(tf))
            if ider
            else (np.zeros(0, np.int64), np.zeros(0, np.float32))
        )
        self._termer[nokkel] = resultat
        if len(self._termer) > TERMBUFFER:
            self._termer.popitem(last=False)
        return resultat

    # --- spørringer -------------------------------------------------------------------

    def vurder(self, q: query.Query) -> tuple[np.ndarray, np.ndarray] | None:
        """(treff som bool-vektor, poeng) for hele indeksen, eller None om spørringen har
        ledd som bare Whoosh kan regne ut."""
        if isinstance(q, query.Every):
            return self.levende.copy(), np.zeros(self.antall, np.float32)
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            return np.zeros(self.antall, bool), np.zeros(self.antall, np.float32)
        if type(q) is query.Term:
            ider, tf = self._postliste(q.fieldname, q.text)
            treff = np.zeros(self.antall, bool)
            treff[ider] = True
            poeng = np.zeros(self.antall, np.float32)
            if len(ider):
                idf = self.searcher.idf(q.fieldname, q.text)
                poeng[ider] = q.boost * idf * tf * (self.k1 + 1) / (tf + self.k1)
            return treff, poeng
        if type(q) in (query.Or, query.And, query.AndNot, query.AndMaybe, query.Require):
            sjekk_frist()
            deler = [self.vurder(d) for d in q.children()]
            if any(d is None for d in deler):
                return None
            if type(q) is query.Or:
                return np.logical_or.reduce([t for t, _ in deler]), sum(p for _, p in deler)
            if type(q) is query.And:
                treff = np.logical_and.reduce([t for t, _ in deler])
                return treff, np.where(treff, sum(p for _, p in deler), 0)
            (ta, pa), (tb, pb) = deler
            if type(q) is query.AndNot:
                return ta & ~tb, np.where(ta & ~tb, pa, 0)
            if type(q) is query.AndMaybe:
                return ta, np.where(ta, pa + np.where(tb, pb, 0), 0)
            return ta & tb, np.where(ta & tb, pa, 0)  # Require: poeng bare fra a
        if type(q) is query.Not:
            indre = self.vurder(q.query)
            if indre is None:
                return None
            return self.levende & ~indre[0], np.zeros(self.antall, np.float32)
        return None

    def maske(self, q: query.Query) -> np.ndarray:
        vurdert = self.vurder(q)
        if vurdert is not None:
            return vurdert[0]
        return self.maske_fra(self.searcher.docs_for_query(q))

    # --- kolonner: fasetter og dato -----------------------------------------------------

    def kolonne(self, felt: str) -> tuple[np.ndarray, list[Any]]:
        """(kode per dokument, verdiene) for en sorterbar kolonne; kode -1 = ingen verdi.
        Segmentene endres aldri (bare slettemerkene), så kodene for et segment hentes fra
        `segmentbuffer` når en ny indeksgenerasjon bare har lagt til et lite segment."""
        if felt not in self._kolonner:
            verdier = self.segmentbuffer.verdier.setdefault(felt, {})
            deler = []
            for s, _ in self._deler:
                leser = s.reader()
                nokkel = (felt, _segment_id(leser))
                koder = self.segmentbuffer.koder.get(nokkel)
                if koder is None and not leser.doc_count_all():  # tom indeks
                    koder = np.zeros(0, dtype=np.int64)
                if koder is None:
                    koder = np.fromiter(
                        (
                            -1 if v is None or v == "" else verdier.setdefault(v, len(verdier))
                            for v in leser.column_reader(felt)
                        ),
                        dtype=np.int64,
                        count=leser.doc_count_all(),
                    )
                    self.segmentbuffer.koder[nokkel] = koder
                deler.append(koder)
            self.segmentbuffer.behold({_segment_id(s.reader()) for s, _ in self._deler})
            self._kolonner[felt] = (np.concatenate(deler), list(verdier))
        return self._kolonner[felt]

    def tell(self, felt: str, treff: np.ndarray) -> list[tuple[str, int]]:
        koder, verdier = self.kolonne(felt)
        valgt = koder[treff]
        antall = np.bincount(valgt[valgt >= 0], minlength=len(verdier))
        par = ((str(verdier[i]), int(n)) for i, n in enumerate(antall) if n)
        return sorted(par, key=lambda kv: (-kv[1], kv[0]))

    def dato(self) -> np.ndarray:
        koder, verdier = self.kolonne("dato")
        rekkefolge = np.array([v.timestamp() for v in verdier] + [-np.inf], dtype=np.float64)
        return rekkefolge[koder]  # kode -1 gir den siste (-inf)


class Segmentbuffer:
    """Fasett- og datokoder per segment, delt mellom søkerne for én delindeks (i én tråd).
    Verdiene får faste koder, så kodene fra ulike segmenter kan settes sammen."""

    def __init__(self) -> None:
        self.verdier: dict[str, dict[Any, int]] = {}
        self.koder: dict[tuple[str, str], np.ndarray] = {}

    def behold(self, segmenter: set[str]) -> None:
        """Glem segmenter som er slått sammen bort."""
        for nokkel in [k for k in self.koder if k[1] not in segmenter]:
            del self.koder[nokkel]


def _segment_id(leser: Any) -> str:
    segment = leser.segment() if hasattr(leser, "segment") else None
    return segment.segment_id() if segment is not None else f"leser-{id(leser)}"


def topp(nokkel: np.ndarray, treff: np.ndarray, antall: int) -> list[int]:
    """De `antall` dokumentene med høyest nøkkel blant treffene, best først."""
    kandidater = np.flatnonzero(treff)
    if len(kandidater) > antall:
        utvalg = np.argpartition(-nokkel[kandidater], antall - 1)[:antall]
        kandidater = kandidater[utvalg]
    # Stabil sortering på nøkkel, så like poeng kommer i dokumentrekkefølge.
    return [int(d) for d in kandidater[np.lexsort((kandidater, -nokkel[kandidater]))]]


def _alle(m: Any) -> Any:
    while m.is_active():
        yield m.id()
        m.next()
