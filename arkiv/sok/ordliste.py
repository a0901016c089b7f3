"""Grunnordlisten for delingen av sammensatte ord: bokmålsordboka fra Debians `hunspell-no`.

Kilden er `/usr/share/hunspell/nb_NO.dic` og `.aff` (spell-norwegian-prosjektet, GPL-2; samme
kilde som `wnorwegian`, som er den ferdig bøyde listen). Av den lages en kompakt avledet liste,
bygd første gang den trengs og lagret i `build/ordliste/` (eller mappen `bruk_mappe` får):

- ord: oppslagsformene med små bokstaver (aa→å), bare bokstaver, minst fire bokstaver, pluss de
  korte ordene i `KORTE_LEDD` som ordboka har;
- blokkerte former: alle bøyde former (fra affiksreglene) av ordene som aldri skal være ledd.

Listen bygges på om lag to sekunder og leses på en tredjedel av det; filnavnet har et avtrykk av
kilden og av denne modulen, så en ny ordbok eller endrede regler gir en ny fil. Finnes ikke
ordboka, er grunnordlisten tom (delingen bruker da domeneordene og ordene fra arkivet), og det
logges en advarsel. `make run` og `make test` installerer pakken (mk/ordliste.mk).

Kommandolinje: `python -m arkiv.sok.ordliste [mappe]` bygger listen og skriver ut tallene.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from arkiv.sok.norsk import grunnform

logger = logging.getLogger(__name__)

KILDE = Path("/usr/share/hunspell/nb_NO")  # .dic og .aff
STANDARDMAPPE = Path(__file__).resolve().parents[2] / "build" / "ordliste"
MIN_LENGDE = 4

# Korte ord (to og tre bokstaver) som kan være ledd når ordboka har dem. Valgt for hånd: ordboka
# har hundrevis av korte ord, og de fleste er bøyingsendelser (ene, ane, est) eller sjeldne ord
# som gir falske ledd (vik i avvik, lig i tidlig).
KORTE_LEDD = frozenset({
    "arv", "bil", "bo", "by", "dag", "del", "dom", "fag", "fri", "hus", "jus", "kur", "lån",
    "lov", "lyd", "lys", "liv", "mat", "mål", "nav", "ord", "rom", "rus", "råd", "sak", "syn",
    "tak", "tap", "tid", "tog", "tur", "uke", "vei", "år",
})  # fmt: skip

# Ord som aldri brukes som ledd: adverb og lette verb gir falske venner (gjennom-føring,
# plan-legge, under-søkelse). Alle bøyde former blokkeres (se `blokkerte`).
IKKE_LEDD = frozenset({
    "blant", "bort", "foran", "forbi", "fram", "frem", "gjennom", "gjøre", "hjem", "holde",
    "inne", "innen", "innenfor", "langs", "legge", "nede", "oppe", "rundt", "sammen", "sette",
    "stille", "tilbake", "under", "ute", "utenfor", "videre",
})  # fmt: skip
# Sterke former ordboka ikke knytter til oppslagsordet, og verbalsubstantiv av de lette verbene.
UREGELRETTE = frozenset({
    "gjør", "gjorde", "gjort", "holdt", "lagt", "satte", "satt", "stilte", "stilt", "legging",
    "leggingen", "gjøring",
})  # fmt: skip


@dataclass(frozen=True)
class Grunnordliste:
    ord: frozenset[str]
    blokkert: frozenset[str]
    kilde: str  # avtrykket, eller "" når ordboka mangler
    s_fuge: frozenset[str] = frozenset()  # forledd ordboka merker med fuge-s (omsorg-s-)
    verb: frozenset[str] = frozenset()  # verb som lager -ing, -else eller -ning


TOM = Grunnordliste(frozenset(), frozenset(), "")
_las = threading.Lock()
_mappe: Path = STANDARDMAPPE
_lastet: Grunnordliste | None = None


def bruk_mappe(mappe: Path) -> None:
    """Lagre (og les) den avledede listen i `mappe`. Kalles før første bruk."""
    global _mappe, _lastet
    with _las:
        if Path(mappe) != _mappe:
            _mappe, _lastet = Path(mappe), None


def grunnordliste() -> Grunnordliste:
    """Prosessens grunnordliste: lest fra mappen, bygd dit første gang."""
    global _lastet
    if _lastet is None:
        with _las:
            if _lastet is None:
                _lastet = _last_eller_bygg(_mappe, KILDE)
    return _lastet


def avtrykk(kilde: Path) -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())  # reglene her er med i avtrykket
    for endelse in (".dic", ".aff"):
        h.update(kilde.with_suffix(endelse).read_bytes())
    return h.hexdigest()[:16]


def _last_eller_bygg(mappe: Path, kilde: Path) -> Grunnordliste:
    try:
        merke = avtrykk(kilde)
    except OSError:
        logger.warning(
            "Fant ikke ordboka %s.dic (Debian-pakken hunspell-no); sammensatte ord deles bare "
            "etter domeneordene og ordene i arkivet.",
            kilde,
        )
        return TOM
    fil = mappe / f"bokmal-{merke}.txt"
    try:
        return les(fil)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):  # uleselig eller avkortet: bygg på nytt
        logger.warning("Kunne ikke lese ordlisten %s; den bygges på nytt.", fil)
    liste = bygg(kilde, merke)
    try:
        skriv(liste, fil)
        for gammel in mappe.glob("bokmal-*.txt"):  # bygd fra en eldre ordbok eller eldre regler
            if gammel != fil:
                gammel.unlink(missing_ok=True)
    except OSError:
        logger.warning("Kunne ikke lagre ordlisten i %s; den bygges på nytt neste gang.", mappe)
    return liste


def les(fil: Path) -> Grunnordliste:
    linjer = fil.read_text(encoding="utf-8").split("\n")
    a, b, c = (linjer.index(f"%{navn}") for navn in ("blokkert", "s-fuge", "verb"))
    return Grunnordliste(
        frozenset(linjer[1:a]),
        frozenset(linjer[a + 1 : b]),
        fil.stem,
        frozenset(linjer[b + 1 : c]),
        frozenset(filter(None, linjer[c + 1 :])),
    )


def skriv(liste: Grunnordliste, fil: Path) -> None:
    """Skriv atomisk (midlertidig fil + nytt navn), så samtidige prosesser aldri ser en halv."""
    fil.parent.mkdir(parents=True, exist_ok=True)
    tekst = "\n".join(
        [
            f"# {liste.kilde}",
            *sorted(liste.ord),
            "%blokkert",
            *sorted(liste.blokkert),
            "%s-fuge",
            *sorted(liste.s_fuge),
            "%verb",
            *sorted(liste.verb),
        ]
    )
    fd, tmp = tempfile.mkstemp(dir=fil.parent, prefix=".ordliste-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(tekst + "\n")
        os.chmod(tmp, 0o644)  # avledet fra en offentlig ordbok; appens bruker skal kunne lese
        os.replace(tmp, fil)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_BOKSTAVER = re.compile(r"[^\W\d_]+")


def bygg(kilde: Path, merke: str = "") -> Grunnordliste:
    """Les ordboka og lag den avledede listen (se modulens beskrivelse)."""
    regler, forstavelser = _affiksregler(kilde.with_suffix(".aff"))
    ord: set[str] = set()
    blokkert: set[str] = set(IKKE_LEDD | UREGELRETTE)
    s_fuge: set[str] = set()
    verb: set[str] = set()
    with open(kilde.with_suffix(".dic"), encoding="latin-1") as f:
        next(f)  # antall linjer
        for linje in f:
            oppslag, _, flagg = linje.strip().partition("/")
            if not _BOKSTAVER.fullmatch(oppslag) or not oppslag.islower():
                continue  # egennavn, forkortelser og ord med bindestrek
            o = grunnform(oppslag)
            if len(o) >= MIN_LENGDE or o in KORTE_LEDD:
                ord.add(o)
            if "\\" in flagg:  # ordboka (fra ispell): forleddet tar fuge-s
                s_fuge.add(o)
            if o.endswith("e") and any(fl in flagg for fl in "tvy"):  # -ing, -else, -ning
                verb.add(o)
            # Ord med forstavelse lager ordboka med prefiksregler (samhandling, hovedavdeling).
            for fl in flagg:
                for forstavelse, vilkar in forstavelser.get(fl, ()):
                    if vilkar.match(oppslag):
                        ord.add(grunnform(forstavelse + oppslag))
            if o in IKKE_LEDD:
                blokkert.update(grunnform(f) for f in _boyde_former(oppslag, flagg, regler))
    return Grunnordliste(
        frozenset(ord), frozenset(blokkert), merke, frozenset(s_fuge), frozenset(verb)
    )


def _affiksregler(aff: Path) -> tuple[dict, dict]:
    """Suffiksreglene (flagg → (fjern, legg til, vilkår)) og prefiksene (flagg → (prefiks,
    vilkår)) i ordbokas .aff."""
    regler: dict[str, list[tuple[str, str, re.Pattern]]] = {}
    forstavelser: dict[str, list[tuple[str, re.Pattern]]] = {}
    with open(aff, encoding="latin-1") as f:
        for linje in f:
            d = linje.split()
            if len(d) >= 5 and d[0] == "SFX":
                fjern = "" if d[2] == "0" else d[2]
                legg = "" if d[3] == "0" else d[3].split("/")[0]
                regler.setdefault(d[1], []).append((fjern, legg, re.compile(d[4] + "$")))
            elif len(d) >= 5 and d[0] == "PFX" and d[2] == "0":
                forstavelser.setdefault(d[1], []).append((d[3], re.compile(d[4])))
    return regler, forstavelser


# Endelsene en bøyd form kan ha etter oppslagsordet (uten en endelig -e); affiksreglene gir også
# avledninger (stilling, holdbar, stillas), og de er egne ord.
_BOYNING = frozenset({
    "", "e", "en", "et", "er", "ene", "ens", "ets", "es", "a", "ede", "ete", "ende", "t", "te",
    "de", "s", "r", "n", "ne", "nes", "ns", "ts", "rs", "ers", "enes",
})  # fmt: skip


def _boyde_former(oppslag: str, flagg: str, regler: dict) -> set[str]:
    rot = oppslag[:-1] if oppslag.endswith("e") else oppslag
    ut = {oppslag}
    for fl in flagg:
        for fjern, legg, vilkar in regler.get(fl, ()):
            if oppslag.endswith(fjern) and vilkar.search(oppslag):
                form = oppslag[: len(oppslag) - len(fjern)] + legg
                if form.startswith(rot) and form[len(rot) :] in _BOYNING:
                    ut.add(form)
    return ut


def main(argv: list[str]) -> None:
    mappe = Path(argv[0]) if argv else STANDARDMAPPE
    start = time.perf_counter()
    merke = avtrykk(KILDE)
    liste = bygg(KILDE, merke)
    skriv(liste, mappe / f"bokmal-{merke}.txt")
    bygd = time.perf_counter() - start
    start = time.perf_counter()
    les(mappe / f"bokmal-{merke}.txt")
    print(
        f"Ordlisten {mappe / f'bokmal-{merke}.txt'}: {len(liste.ord)} ord, "
        f"{len(liste.blokkert)} blokkerte former, {len(liste.s_fuge)} med fuge-s; "
        f"bygd på {bygd:.2f} s, "
        f"lest på {time.perf_counter() - start:.2f} s."
    )


if __name__ == "__main__":
    main(sys.argv[1:])
