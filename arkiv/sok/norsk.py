"""Norsk normalisering av ett ord: små bokstaver, aa→å, stoppord og bøyingsstamme (bokmål),
og foldingen til ASCII-skrivemåtene (ø→o/oe, æ→e/ae, å→a/aa) som feltet `tekst_foldet` lagrer.

Snowball (via Whoosh) med rettelser: -erne/-ernes, dobbel runde for -a/-e/-et, -mm og -el, og
en unntakstabell for ord Snowball slår sammen med et ord de ikke har noe med å gjøre
(«lovet» er ikke «loven»). Brukes av analysatorene i `analyse.py` og av `leksikon.py`.
"""

from __future__ import annotations

import re

from whoosh.lang import stemmer_for_language, stopwords_for_language

STOPPORD = frozenset(stopwords_for_language("no"))  # bokmål og nynorsk, fra Snowball
_snowball = stemmer_for_language("no")
_MAKS_BUFFER = 200_000

# «aa» er å, unntatt der et kjent ord på -a står foran et ord på a- (dataansvar, klimaavtale).
_AA_UNNTAK = (
    "agenda", "data", "drama", "ekstra", "firma", "kamera", "klima", "kvota", "media",
    "skjema", "tema", "ultra",
)  # fmt: skip
_AA = re.compile("aa")


def normaliser_aa(ord: str) -> str:
    """`paal` → `pål`, men `klimaavtale` forblir (se `_AA_UNNTAK`). Tar små bokstaver."""
    if "aa" not in ord:
        return ord
    return _AA.sub(lambda m: "aa" if ord[: m.start() + 1].endswith(_AA_UNNTAK) else "å", ord)


def grunnform(tekst: str) -> str:
    """Ordet med små bokstaver og aa→å, slik ordlistene lagrer det."""
    return normaliser_aa(tekst.lower())


# Folding: bokstavene et ASCII-tastatur mangler, slik de skrives uten dem (Bodø som bodo,
# løslatelse som loslatelse eller loeslatelse, særskilt som saerskilt eller serskilt).
_FOLDTABELL = str.maketrans({
    "ø": "o", "ö": "o", "ó": "o", "æ": "e", "ä": "e", "é": "e", "è": "e", "ê": "e",
    "å": "a", "á": "a", "à": "a", "ü": "u",
})  # fmt: skip
_FOLD_PAR = re.compile("oe|ae")


def folde(ord: str) -> str:
    """Et ord i grunnform (se `grunnform`) foldet: ø/oe→o, æ/ae→e, å→a (aa er alt blitt å).

    Ren funksjon, så en annen søkemotor kan folde likt. Folder både indekserte ord og søkeord,
    så «bodo», «loeslatelse» og «saerskilt» treffer «Bodø», «løslatelse» og «særskilt» (og
    noen ord de ikke har noe med å gjøre, som «poeng»/«pong»: derfor vektes feltet lavt)."""
    if ord.isascii() and "oe" not in ord and "ae" not in ord:
        return ord
    return _FOLD_PAR.sub(lambda m: m.group()[0] if m.group() == "oe" else "e", ord).translate(
        _FOLDTABELL
    )


# Stammeunntak: former Snowball gir samme stamme som et ord med en annen betydning. Stammen er
# da et ord Snowball aldri lager (infinitiven med -e), så de to aldri treffer hverandre.
# Målt med bench/sokekvalitet.py. Tvetydige former («lover», «veier») står ikke her: de får
# den vanligste betydningen i kommunale dokumenter (lover = lovene, veier = veiene).
_STAMMEUNNTAK = {
    # love (love, lovet) ≠ lov (loven, lovene)
    **dict.fromkeys(("love", "loves", "lovet", "lovte", "lovt", "lovende", "lovede"), "love"),
    # friste (fristet, fristende) ≠ frist (fristen, fristene)
    **dict.fromkeys(("friste", "fristes", "fristet", "fristende", "fristelse"), "friste"),
    # veie (veiet, veide) ≠ vei (veien, veiene)
    **dict.fromkeys(("veie", "veies", "veiet", "veide", "veid"), "veie"),
    # måle (målte, målt) ≠ mål (målet, målene)
    **dict.fromkeys(("måle", "måles", "målte", "målt", "målende"), "måle"),
    # verden ≠ verd (verdt, verdien)
    **dict.fromkeys(("verden", "verdens", "verdenen"), "verden"),
    # planet (planeten) ≠ plan (planen)
    **dict.fromkeys(("planet", "planeten", "planeter", "planetene", "planetens"), "planet"),
    # rådende (fra råde) ≠ råd (rådet, rådene)
    **dict.fromkeys(("rådende", "råde", "rådes"), "råde"),
    # vakte (fra vekke) ≠ vakt (vakten, vaktene)
    **dict.fromkeys(("vakte", "vekke", "vekkes", "vekket"), "vekke"),
    # bo: Snowball lar «bor» og «bodde» stå; de er former av bo (ikke boret/bore)
    **dict.fromkeys(("bor", "bodde", "bodd"), "bo"),
}

# -erne er bestemt flertall av substantiv på -er (brukerne); disse adjektivene er unntak.
_ERNE_UNNTAK = ("moderne", "interne", "eksterne", "fjerne", "gjerne", "kjerne", "stjerne")


def _stamme(ord: str) -> str:
    unntak = _STAMMEUNNTAK.get(ord)
    if unntak is not None:
        return unntak
    if ord.endswith("ernes") and len(ord) > 7 and not ord[:-1].endswith(_ERNE_UNNTAK):
        ord = ord[:-3]  # brukernes → bruker (Snowball kjenner ikke -ernes)
    elif ord.endswith("erne") and len(ord) > 6 and not ord.endswith(_ERNE_UNNTAK):
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


def normaliser(tekst: str) -> str | None:
    """Søkeordet slik feltet `tekst` lagrer det, eller None for stoppord og enkelttegn."""
    try:
        return _NORMAL[tekst]
    except KeyError:
        pass
    ord = grunnform(tekst)
    s = None if len(ord) < 2 or ord in STOPPORD else stamme(ord)
    if len(_NORMAL) > _MAKS_BUFFER:
        _NORMAL.clear()
    _NORMAL[tekst] = s
    return s


_FOLDET: dict[str, str | None] = {}


def normaliser_foldet(tekst: str) -> str | None:
    """Søkeordet slik feltet `tekst_foldet` lagrer det: stammen til den foldede grunnformen,
    eller None for stoppord og enkelttegn (som `normaliser`)."""
    try:
        return _FOLDET[tekst]
    except KeyError:
        pass
    s = None if normaliser(tekst) is None else stamme(folde(grunnform(tekst)))
    if len(_FOLDET) > _MAKS_BUFFER:
        _FOLDET.clear()
    _FOLDET[tekst] = s
    return s
