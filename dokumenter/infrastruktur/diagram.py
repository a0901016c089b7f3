"""Søylediagrammer (PNG) over avvik og over personer (der små tall er skjult) til
evalueringsrapporten og oversiktene, med tekstalternativ.

Diagrammene tegnes med matplotlib uten pyplot og uten GUI (Agg-lerretet direkte), så modulen
endrer ingen global tilstand og kan brukes fra flere tråder. Utdataene er stabile: fast
størrelse (16 × 8 cm) og oppløsning (150 dpi), skriften DejaVu Sans (følger med matplotlib og
har æ, ø og å) og ingen metadata i PNG-filen, så samme tall gir samme bytes.

Rekkefølgen er «naturlig» (tall sammenlignes som tall): «2026 K2» kommer før «2027 K1», og
«§ 6» før «§ 10». Diagrammene og `alt_tekst` bruker samme rekkefølge.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Mapping
from datetime import date

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

DPI = 150
BREDDE_CM = 16.0
HOYDE_CM = 8.0
MAKS_HOYDE_CM = 14.0
TOMT = "Ingen avvik i perioden"
FARGE = "#1f4e79"
# Etiketter lengre enn dette (tegn) gir liggende søyler i diagrammet per paragraf.
LANG_ETIKETT = 12
MAKS_LINJER = 2

_OPPSETT = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "dokumenter",
    "svg.fonttype": "path",
    "path.simplify": True,
}
# Bokmål: æ, ø og å sorteres etter z (tegn fra privatområdet i Unicode).
_NORSK_ORDEN = str.maketrans({"æ": "\ue000", "ø": "\ue001", "å": "\ue002"})


def _sorteringsnokkel(etikett: str) -> tuple:
    deler = re.split(r"(\d+)", etikett.casefold().translate(_NORSK_ORDEN))
    return tuple((0, int(d), "") if d.isdigit() else (1, 0, d) for d in deler if d)


def _sortert(per: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(per.items(), key=lambda par: _sorteringsnokkel(str(par[0])))


def _en_linje(tekst: str) -> str:
    return " ".join(str(tekst).split())


def _bryt(etikett: str, bredde: int) -> str:
    """Bryt en lang etikett over høyst `MAKS_LINJER` linjer; resten kuttes med «…»."""
    linjer = textwrap.wrap(_en_linje(etikett), max(bredde, 4), break_long_words=True) or [""]
    if len(linjer) > MAKS_LINJER:
        linjer = linjer[:MAKS_LINJER]
        linjer[-1] = linjer[-1][: max(bredde - 1, 1)].rstrip() + "…"
    return "\n".join(linjer)


def kvartal(d: date) -> str:
    """Kvartalet en dato hører til, i formen nøklene i `avvik_per_kvartal` har: «2026 K1»."""
    return f"{d.year} K{(d.month - 1) // 3 + 1}"


def _diagram(
    etiketter: list[str],
    verdier: list[int | None],
    tittel: str,
    aksetekst: str,
    liggende: bool,
    merkelapper: list[str] | None = None,
) -> bytes:
    """Søylene; en verdi None er et skjult tall (tegnes uten høyde, med merkelappen)."""
    if len(etiketter) != len(verdier):
        raise ValueError("Diagrammet må ha like mange etiketter som verdier.")
    if any(
        v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0) for v in verdier
    ):
        raise ValueError("Verdiene i diagrammet må være hele tall som ikke er negative.")
    merkelapper = merkelapper or [str(v) for v in verdier]
    hoyder = [v or 0 for v in verdier]
    antall = len(etiketter)
    hoyde = HOYDE_CM
    if liggende and antall > 8:
        hoyde = min(MAKS_HOYDE_CM, 2.0 + 0.75 * antall)
    with rc_context(_OPPSETT):
        figur = Figure(figsize=(BREDDE_CM / 2.54, hoyde / 2.54), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figur)
        akse = figur.add_subplot()
        akse.set_title(_en_linje(tittel))
        if antall == 0:
            akse.set_axis_off()
            akse.text(0.5, 0.5, TOMT, ha="center", va="center", fontsize=11, color="#404040")
        elif liggende:
            posisjoner = list(range(antall))
            stolper = akse.barh(posisjoner, hoyder, color=FARGE, height=0.6)
            akse.set_yticks(posisjoner, [_bryt(e, 34) for e in etiketter])
            akse.invert_yaxis()  # første etikett øverst
            akse.set_xlabel(_en_linje(aksetekst))
            akse.xaxis.set_major_locator(MaxNLocator(integer=True))
            akse.set_xlim(0, max(max(hoyder), 1) * 1.12)
            akse.bar_label(stolper, labels=merkelapper, padding=3)
        else:
            posisjoner = list(range(antall))
            stolper = akse.bar(posisjoner, hoyder, color=FARGE, width=0.6)
            bredde = max(6, min(18, 110 // antall))
            akse.set_xticks(posisjoner, [_bryt(e, bredde) for e in etiketter])
            akse.set_ylabel(_en_linje(aksetekst))
            akse.yaxis.set_major_locator(MaxNLocator(integer=True))
            akse.set_ylim(0, max(max(hoyder), 1) * 1.15)
            akse.bar_label(stolper, labels=merkelapper, padding=2)
        ut = io.BytesIO()
        # Uten «Software»-nøkkelen har PNG-filen ingen metadata (og ingen matplotlib-versjon).
        figur.savefig(ut, format="png", dpi=DPI, metadata={"Software": None})
    return ut.getvalue()


def soylediagram(
    etiketter: list[str], verdier: list[int], tittel: str, ylabel: str = "Antall avvik"
) -> bytes:
    """Stående søyler i den rekkefølgen de kommer, med tallet over hver søyle; PNG."""
    return _diagram(list(etiketter), list(verdier), tittel, ylabel, liggende=False)


def avvik_per_kvartal(per_kvartal: dict[str, int]) -> bytes:
    """Avvik per kvartal («2026 K1»: 2, …), i tidsrekkefølge. Ta med kvartaler uten avvik
    (verdien 0), ellers mangler de i diagrammet."""
    par = _sortert(per_kvartal)
    return soylediagram([k for k, _ in par], [v for _, v in par], "Avvik per kvartal")


def avvik_per_paragraf(per_paragraf: dict[str, int]) -> bytes:
    """Avvik per paragraf i avtalen, i paragrafrekkefølge; liggende søyler når etikettene er
    lange (for eksempel «§ 6 Varsling før løslatelse»)."""
    par = _sortert(per_paragraf)
    etiketter, verdier = [k for k, _ in par], [v for _, v in par]
    liggende = any(len(e) > LANG_ETIKETT for e in etiketter) or len(etiketter) > 8
    return _diagram(etiketter, verdier, "Avvik per paragraf i avtalen", "Antall avvik", liggende)


def avvik_per_part(
    per_part: dict[str, int], tittel: str = "Avvik per part siste 12 måneder"
) -> bytes:
    """Avvik per avtalepart, i alfabetisk rekkefølge; liggende søyler når navnene er lange."""
    par = _sortert(per_part)
    etiketter, verdier = [k for k, _ in par], [v for _, v in par]
    liggende = any(len(e) > LANG_ETIKETT for e in etiketter) or len(etiketter) > 8
    return _diagram(etiketter, verdier, tittel, "Antall avvik", liggende)


def personer(
    rader: list[tuple[str, int | None, str]], tittel: str, aksetekst: str = "Antall personer"
) -> bytes:
    """Liggende søyler over personer, i rekkefølgen de kommer: (etikett, antall eller None
    når tallet er skjult, teksten ved søylen). Et skjult tall tegnes uten høyde, med teksten
    (for eksempel «under 5») der søylen ville stått, så diagrammet ikke røper mer enn
    tabellen."""
    etiketter = [e for e, _, _ in rader]
    return _diagram(
        etiketter,
        [v for _, v, _ in rader],
        tittel,
        aksetekst,
        liggende=True,
        merkelapper=[m for _, _, m in rader],
    )


def alt_tekst_personer(rader: list[tuple[str, int | None, str]], hva: str) -> str:
    """Tekstalternativet til `personer`: «Hva: Fast bolig: 7, Midlertidig: under 5.»"""
    return f"{_en_linje(hva)}: " + ", ".join(f"{_en_linje(e)}: {m}" for e, _, m in rader) + "."


def alt_tekst(per: dict[str, int], hva: str) -> str:
    """Tekstalternativ til et diagram, for skjermlesere og som bildetekst:
    «Avvik per kvartal: 2026 K1: 2, 2026 K2: 1.»"""
    hva = _en_linje(hva)
    if not per:
        return f"{hva}: ingen avvik i perioden."
    return f"{hva}: " + ", ".join(f"{_en_linje(k)}: {v}" for k, v in _sortert(per)) + "."
