"""Utdrag med uthevede treff: et vindu på ~240 tegn der flest av søkeordene står.

Ordene i teksten analyseres på samme måte som i indeksen (stamme, delord og folding), så
«løslatelsen», «samarbeidsavtalen» og «Bodø» utheves for søkene «løslatelse», «avtale» og
«bodo».
Teksten escapes; bare <mark> er HTML.
"""

from __future__ import annotations

import html
import re
from typing import Any

from whoosh import query

from arkiv.sok.analyse import DELORDFELT, FELT, FOLDEFELT

_ORD = re.compile(r"[^\W\d_]+|\d+")
VINDU = 240


def soketermer(q: query.Query) -> dict[str, set[str]]:
    """Termene i spørringen per felt, uten dem under NOT."""
    termer: dict[str, set[str]] = {}

    def samle(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            samle(node.a)
            return
        if type(node) is query.Term and isinstance(node.text, str):
            termer.setdefault(node.fieldname, set()).add(node.text)
        elif isinstance(node, query.Phrase):
            termer.setdefault(node.fieldname, set()).update(node.words)
        for barn in node.children():
            samle(barn)

    samle(q)
    return termer


class Uthever:
    """Finner treffordene i tekster for én spørring (ordanalysen bufres mellom dokumentene)."""

    def __init__(self, schema: Any, q: query.Query) -> None:
        termer = soketermer(q)
        self._tekst = termer.get(FELT, set())
        self._delord = termer.get(DELORDFELT, set())
        self._foldet = termer.get(FOLDEFELT, set())
        self._stamme = schema[FELT].analyzer
        self._ledd = schema[DELORDFELT].analyzer if DELORDFELT in schema else None
        self._fold = schema[FOLDEFELT].analyzer if FOLDEFELT in schema else None
        self._svar: dict[str, bool] = {}

    def treffer(self, ord: str) -> bool:
        nokkel = ord.lower()
        if nokkel not in self._svar:
            ja = bool(self._tekst) and any(t.text in self._tekst for t in self._stamme(nokkel))
            if not ja and self._delord and self._ledd is not None:
                ja = any(t.text in self._delord for t in self._ledd(nokkel))
            if not ja and self._foldet and self._fold is not None:
                ja = any(t.text in self._foldet for t in self._fold(nokkel))
            self._svar[nokkel] = ja
        return self._svar[nokkel]

    def utdrag(self, tekst: str) -> str:
        if not self._tekst and not self._delord and not self._foldet:
            return html.escape(_kutt(tekst, 0, VINDU))
        treff = [m.span() for m in _ORD.finditer(tekst) if self.treffer(m.group())]
        if not treff:
            return html.escape(_kutt(tekst, 0, VINDU))
        # Vinduet som starter litt før det treffet som har flest andre treff etter seg.
        beste = max(
            range(len(treff)),
            key=lambda i: sum(1 for a, _ in treff[i:] if a < treff[i][0] + VINDU - 60),
        )
        start = max(0, treff[beste][0] - 60)
        slutt = min(len(tekst), start + VINDU)
        start = _ordgrense(tekst, start, bakover=True)
        slutt = _ordgrense(tekst, slutt, bakover=False)
        deler, pos = [], start
        for a, b in treff:
            if a < start or b > slutt:
                continue
            deler.append(html.escape(tekst[pos:a]))
            deler.append(f"<mark>{html.escape(tekst[a:b])}</mark>")
            pos = b
        deler.append(html.escape(tekst[pos:slutt]))
        return ("…" if start > 0 else "") + "".join(deler) + ("…" if slutt < len(tekst) else "")


def _ordgrense(tekst: str, pos: int, bakover: bool) -> int:
    if pos <= 0 or pos >= len(tekst):
        return max(0, min(pos, len(tekst)))
    if bakover:
        while pos > 0 and not tekst[pos - 1].isspace():
            pos -= 1
    else:
        while pos < len(tekst) and not tekst[pos].isspace():
            pos += 1
    return pos


def _kutt(tekst: str, start: int, lengde: int) -> str:
    if len(tekst) <= lengde:
        return tekst
    return tekst[start : _ordgrense(tekst, start + lengde, bakover=True)].rstrip() + " …"
