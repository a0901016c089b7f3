"""Sammenligning av to versjoner av en avtale: endringer per paragraf (§) med ord-for-ord-markering.

Rene funksjoner uten database: les avsnittene fra DOCX og sammenlign; DOCX-en med endringene
lages i `redline.py`. Lengden (over 400 linjer) er redline-algoritmen selv (paragrafer, avsnittspar,
orddiff); delt opp ville den vært vanskeligere å følge fra avsnitt til markering.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

Avsnittsdata = tuple[str, str]  # (stilnavn, tekst)
Token = tuple[str, str]  # (op, tekst) der op er "lik", "inn" eller "ut"

TABELLRAD = "Tabellrad"
INNLEDNING = "Innledning"
STATUSER = ("uendret", "endret", "ny", "fjernet")

# Tegn som ikke er lov i XML 1.0 (samme utvalg som dokumenter.validering).
_ULOVLIGE_TEGN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Ord (med bindestrek, apostrof og tegn inne i tall og adresser), mellomrom, enkelttegn.
_ORD = r"\w+(?:[-‐‑'’.,:/@]\w+)*"
_TOKEN = re.compile(rf"{_ORD}|\s+|[^\w\s]")
_ORD_RE = re.compile(_ORD)
_PARAGRAF = re.compile(r"^\s*§\s*(\d+(?:\s?[a-z](?!\w))?)\s*[.:]?\s*(.*?)\s*$", re.DOTALL)
_LIKHET = 0.5  # minste likhet for å regne to avsnitt som samme avsnitt med endringer
_NOK_LIK = 0.8  # like nok til å slutte å lete etter et bedre par
_MAKS_PAR_SOK = 2500  # øvre grense for likhetsberegninger i én blokk


# --- Lesing av DOCX --------------------------------------------------------------------


def avsnitt_fra_docx(data: bytes) -> list[Avsnittsdata]:
    """Avsnittene i en DOCX som (stil, tekst) i dokumentrekkefølge; tabellrader som «a | b»."""
    doc = Document(io.BytesIO(data))
    stilnavn = {s.style_id: s.name for s in doc.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    standard = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    standardnavn = standard.name if standard is not None else "Normal"
    kropp = doc._body
    avsnitt: list[Avsnittsdata] = []
    for blokk in _blokker(doc.element.body):
        if blokk.tag == qn("w:p"):
            tekst = Paragraph(blokk, kropp).text
            if tekst.strip():
                stil_id = blokk.style
                avsnitt.append(
                    (stilnavn.get(stil_id, standardnavn) if stil_id else standardnavn, tekst)
                )
        else:
            for rad in Table(blokk, kropp).rows:
                celler = [c.text.strip() for c in rad.cells]
                if any(celler):
                    avsnitt.append((TABELLRAD, " | ".join(celler)))
    return avsnitt


def _blokker(element: Any) -> Iterator[Any]:
    """Avsnitt og tabeller på øverste nivå, også inne i innholdskontroller (w:sdt)."""
    for barn in element.iterchildren():
        if barn.tag in (qn("w:p"), qn("w:tbl")):
            yield barn
        elif barn.tag == qn("w:sdt"):
            innhold = barn.find(qn("w:sdtContent"))
            if innhold is not None:
                yield from _blokker(innhold)


# --- Modell ----------------------------------------------------------------------------


@dataclass
class Avsnitt:
    """Ett avsnitt i sammenligningen; `tokens` er (op, tekst) klare for <ins>/<del>."""

    stil: str
    tokens: list[Token]
    endring: str  # "lik" | "endret" | "inn" (bare i ny) | "ut" (bare i gammel)

    @property
    def gammel_tekst(self) -> str:
        return "".join(t for op, t in self.tokens if op != "inn")

    @property
    def ny_tekst(self) -> str:
        return "".join(t for op, t in self.tokens if op != "ut")

    @property
    def er_overskrift(self) -> bool:
        return _er_overskriftstil(self.stil)


@dataclass
class Seksjon:
    """En paragraf (§) i avtalen, eller teksten foran første § («Innledning»)."""

    nummer: str | None
    tittel: str
    status: str  # "uendret" | "endret" | "ny" | "fjernet"
    avsnitt: list[Avsnitt] = field(default_factory=list)
    tidligere: str | None = None  # gammel overskrift når nummer eller tittel er endret

    @property
    def overskrift(self) -> str:
        return _overskrift(self.nummer, self.tittel)

    @property
    def etikett(self) -> str:
        """Overskriften, med den gamle i parentes når paragrafen har fått nytt nummer/tittel."""
        if self.tidligere is None:
            return self.overskrift
        return f"{self.overskrift} (tidligere {self.tidligere})"

    @property
    def ord_inn(self) -> int:
        return _tell_ord(self.avsnitt, "inn")

    @property
    def ord_ut(self) -> int:
        return _tell_ord(self.avsnitt, "ut")


@dataclass
class Sammenligning:
    seksjoner: list[Seksjon]

    @property
    def sammendrag(self) -> str:
        """F.eks. «Innledning: uendret; § 6 Varsling før løslatelse: endret; …»."""
        return "; ".join(f"{s.etikett}: {s.status}" for s in self.seksjoner)

    @property
    def ord_inn(self) -> int:
        return sum(s.ord_inn for s in self.seksjoner)

    @property
    def ord_ut(self) -> int:
        return sum(s.ord_ut for s in self.seksjoner)

    @property
    def antall(self) -> dict[str, int]:
        """Antall seksjoner per status."""
        return {st: sum(1 for s in self.seksjoner if s.status == st) for st in STATUSER}

    @property
    def har_endringer(self) -> bool:
        return any(s.status != "uendret" or s.tidligere for s in self.seksjoner)

    def seksjon(self, nummer: str) -> Seksjon | None:
        """Seksjonen med dette §-nummeret i den nye versjonen (fjernede: i den gamle)."""
        return next((s for s in self.seksjoner if s.nummer == nummer), None)


@dataclass(frozen=True)
class Feltendring:
    navn: str
    etikett: str
    fra: Any
    til: Any


# --- Sammenligning ---------------------------------------------------------------------


@dataclass
class _Del:
    nummer: str | None
    tittel: str
    overskrift: Avsnittsdata | None
    kropp: list[Avsnittsdata]

    @property
    def nokkel(self) -> str:
        return "" if self.nummer is None else _normaliser(self.tittel)


def sammenlign(gammel: Sequence[Avsnittsdata], ny: Sequence[Avsnittsdata]) -> Sammenligning:
    """Del begge versjonene i paragrafer (§), par dem og marker endringene ord for ord."""
    gamle, nye = _del_opp(gammel), _del_opp(ny)

    def likhet(i: int, j: int) -> float:
        a, b = gamle[i], nye[j]
        if (a.nummer is None) != (b.nummer is None):
            return 0.0
        if a.nummer == b.nummer:
            return 1.0
        return SequenceMatcher(None, _normaliser(a.tittel), _normaliser(b.tittel)).ratio()

    seksjoner = []
    for i, j in _juster([d.nokkel for d in gamle], [d.nokkel for d in nye], likhet, 0.6):
        if j is None:
            seksjoner.append(_ensidig(gamle[i], "fjernet", "ut"))
        elif i is None:
            seksjoner.append(_ensidig(nye[j], "ny", "inn"))
        else:
            seksjoner.append(_parret(gamle[i], nye[j]))
    return Sammenligning(seksjoner)


def _del_opp(avsnitt: Sequence[Avsnittsdata]) -> list[_Del]:
    deler: list[_Del] = []
    for stil, tekst in avsnitt:
        treff = _PARAGRAF.match(tekst) if _er_overskriftstil(stil) else None
        if treff:
            nummer = " ".join(treff.group(1).split())
            deler.append(_Del(nummer, " ".join(treff.group(2).split()), (stil, tekst), []))
        else:
            if not deler:
                deler.append(_Del(None, INNLEDNING, None, []))
            deler[-1].kropp.append((stil, tekst))
    return deler


def _ensidig(d: _Del, status: str, op: str) -> Seksjon:
    alle = ([d.overskrift] if d.overskrift else []) + d.kropp
    return Seksjon(d.nummer, d.tittel, status, [Avsnitt(s, [(op, t)], op) for s, t in alle])


def _parret(a: _Del, b: _Del) -> Seksjon:
    avsnitt: list[Avsnitt] = []
    if a.overskrift and b.overskrift:
        avsnitt.append(_avsnitt_par(a.overskrift, b.overskrift))
    kropp = _avsnitt_diff(a.kropp, b.kropp)
    avsnitt.extend(kropp)
    endret = _normaliser(a.tittel) != _normaliser(b.tittel) or any(
        x.endring != "lik" for x in kropp
    )
    tidligere = None
    if _normaliser(a.tittel) != _normaliser(b.tittel):
        tidligere = _overskrift(a.nummer, a.tittel)
    elif a.nummer != b.nummer:
        tidligere = f"§ {a.nummer}"
    return Seksjon(b.nummer, b.tittel, "endret" if endret else "uendret", avsnitt, tidligere)


def _avsnitt_diff(gamle: list[Avsnittsdata], nye: list[Avsnittsdata]) -> list[Avsnitt]:
    """Avsnittsnivå først (raskt), ord for ord bare i avsnittspar som er endret."""
    gamle_tok = [_tokens(t) for _, t in gamle]
    nye_tok = [_tokens(t) for _, t in nye]
    cache: dict[int, SequenceMatcher] = {}

    def likhet(i: int, j: int) -> float:
        sm = cache.get(j)
        if sm is None:
            sm = cache[j] = SequenceMatcher(None, b=nye_tok[j], autojunk=False)
        sm.set_seq1(gamle_tok[i])
        if sm.real_quick_ratio() < _LIKHET or sm.quick_ratio() < _LIKHET:
            return 0.0
        return sm.ratio()

    ut: list[Avsnitt] = []
    for i, j in _juster([t for _, t in gamle], [t for _, t in nye], likhet, _LIKHET):
        if j is None:
            ut.append(Avsnitt(gamle[i][0], [("ut", gamle[i][1])], "ut"))
        elif i is None:
            ut.append(Avsnitt(nye[j][0], [("inn", nye[j][1])], "inn"))
        elif gamle[i][1] == nye[j][1]:
            ut.append(Avsnitt(nye[j][0], [("lik", nye[j][1])], "lik"))
        else:
            ut.append(Avsnitt(nye[j][0], ordendringer(gamle_tok[i], nye_tok[j]), "endret"))
    return ut


def _avsnitt_par(a: Avsnittsdata, b: Avsnittsdata) -> Avsnitt:
    if a[1] == b[1]:
        return Avsnitt(b[0], [("lik", b[1])], "lik")
    return Avsnitt(b[0], ordendringer(_tokens(a[1]), _tokens(b[1])), "endret")


def _juster(
    a: Sequence[str], b: Sequence[str], likhet: Callable[[int, int], float], grense: float
) -> list[tuple[int | None, int | None]]:
    """Par elementene i rekkefølge: like nøkler først, så de mest like i hver endret blokk."""
    par: list[tuple[int | None, int | None]] = []
    sm = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            par.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        neste_j = j1
        sok = (i2 - i1) * (j2 - j1) <= _MAKS_PAR_SOK
        for i in range(i1, i2):
            beste, beste_j = grense, None
            for j in range(neste_j, j2) if sok else ():
                score = likhet(i, j)
                if score >= beste and (beste_j is None or score > beste):
                    beste, beste_j = score, j
                    if score >= _NOK_LIK:
                        break
            if beste_j is None:
                par.append((i, None))
                continue
            par.extend((None, j) for j in range(neste_j, beste_j))
            par.append((i, beste_j))
            neste_j = beste_j + 1
        par.extend((None, j) for j in range(neste_j, j2))
    return par


def _tokens(tekst: str) -> list[str]:
    return _TOKEN.findall(tekst)


def ordendringer(gammel: Sequence[str] | str, ny: Sequence[str] | str) -> list[Token]:
    """Ord-for-ord-forskjell; «lik»+«ut» gir gammel tekst og «lik»+«inn» ny tekst."""
    a = _tokens(gammel) if isinstance(gammel, str) else list(gammel)
    b = _tokens(ny) if isinstance(ny, str) else list(ny)
    # Grupper: (None, lik tekst) eller (fjernet, lagt til); to endringer følger aldri etter
    # hverandre fra SequenceMatcher.
    grupper: list[tuple[str | None, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            grupper.append((None, "".join(a[i1:i2])))
        else:
            grupper.append(("".join(a[i1:i2]), "".join(b[j1:j2])))
    # Korte like biter mellom to større endringer (som oftest mellomrom) slås inn i
    # endringene, så de leses som én endring og ikke som oppstykket ord-salat.
    samlet: list[tuple[str | None, str]] = []
    for k, (fjernet, tekst) in enumerate(grupper):
        forrige = samlet[-1] if samlet else (None, "")
        if fjernet is not None and forrige[0] is not None:
            samlet[-1] = (forrige[0] + fjernet, forrige[1] + tekst)
        elif fjernet is None and forrige[0] is not None and k + 1 < len(grupper):
            neste = grupper[k + 1]
            kort = len(tekst) <= max(len(forrige[0]), len(forrige[1])) and len(tekst) <= max(
                len(neste[0] or ""), len(neste[1])
            )
            if tekst.isspace() or kort:
                samlet[-1] = (forrige[0] + tekst, forrige[1] + tekst)
            else:
                samlet.append((None, tekst))
        else:
            samlet.append((fjernet, tekst))
    ut: list[Token] = []
    for fjernet, tekst in samlet:
        if fjernet is None:
            ut.append(("lik", tekst))
            continue
        if fjernet:
            ut.append(("ut", fjernet))
        if tekst:
            ut.append(("inn", tekst))
    return ut


def _tell_ord(avsnitt: list[Avsnitt], op: str) -> int:
    return sum(len(_ORD_RE.findall(t)) for a in avsnitt for o, t in a.tokens if o == op)


def _overskrift(nummer: str | None, tittel: str) -> str:
    return tittel if nummer is None else f"§ {nummer} {tittel}".rstrip()


def _normaliser(tekst: str) -> str:
    return " ".join(tekst.split()).casefold()


def _er_overskriftstil(stil: str) -> bool:
    s = stil.casefold()
    return s.startswith(("heading", "overskrift")) or s in ("title", "tittel")


# --- Feltverdier -----------------------------------------------------------------------


def feltendringer(
    gamle: dict[str, Any], nye: dict[str, Any], etiketter: dict[str, str]
) -> list[Feltendring]:
    """Feltene som har fått ny verdi (None og "" regnes som like), i manifestets rekkefølge."""

    def verdi(v: Any) -> Any:
        return None if v is None or v == "" else v

    navn = [n for n in etiketter if n in gamle or n in nye]
    navn += sorted((set(gamle) | set(nye)) - set(etiketter))
    return [
        Feltendring(n, etiketter.get(n, n), gamle.get(n), nye.get(n))
        for n in navn
        if verdi(gamle.get(n)) != verdi(nye.get(n))
    ]
