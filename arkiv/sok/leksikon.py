"""Ordlisten som deler sammensatte ord i ledd (`Leksikon`), og høstingen av nye ord fra arkivet.

Et ord er kjent når det står i grunnordlisten (bokmålsordboka, se `ordliste.py`), i
`DOMENEORD` eller i tillegget: ord fra arkivets egne tekster som ordboka ikke har (navn på
tjenester, fagord). Tillegget vokser hver gang et dokument indekseres (`host`), og bygges på
nytt fra alle tekstene ved reindeksering (`Leksikon.fra_tekster`).

Regler mot falske venner:
- ledd kortere enn fire bokstaver bare fra `KORTE_LEDD` (bo, rus, nav, lov ...);
- stoppord, forstavelser (sam-, u-, mis- ...) og `IKKE_LEDD` med alle bøyde former er aldri ledd;
- et verbalsubstantiv deles ikke når forleddet og verbet er ett verb i ordlisten
  (planlegging ← planlegge, veileder ← veilede, kartlegging ← kartlegge);
- ord i `UDELELIGE` deles aldri (årsak er ikke år + sak).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from arkiv.sok.norsk import STOPPORD, grunnform
from arkiv.sok.ordliste import IKKE_LEDD, KORTE_LEDD, UREGELRETTE, Grunnordliste, grunnordliste

# Vanlige ord i avtalene; ordboka og arkivet legger til resten.
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

# Forstavelser (fra ordbokas affiksregler) og andre forledd som lager avledninger, ikke
# sammensetninger: samarbeid er ikke sam + arbeid, tilsyn ikke til + syn.
FORSTAVELSER = frozenset({
    "an", "av", "be", "etter", "for", "gjen", "hoved", "il", "im", "in", "inn", "ir", "mis",
    "ned", "om", "opp", "over", "på", "sam", "sammen", "til", "u", "under", "ut", "van",
})  # fmt: skip

# Ord som ser sammensatte ut, men ikke er det for søket.
UDELELIGE = frozenset({
    "alltid", "årsak", "framtid", "fremtid", "gjøremål", "spørsmål", "middag", "samtid",
    "ettermiddag", "formiddag", "anledning", "bestemmelse", "virksomhet", "forhold", "vedlegg",
})  # fmt: skip

# Bøyingsendelser et sisteledd kan ha (avtale-n, skjema-et, plan-ene), lengste først.
ENDELSER = (
    "ernes", "erne", "ende", "enes", "ene", "ane", "ens", "ets", "en", "et", "er", "ar", "ne",
    "es", "te", "de", "a", "e", "n", "r", "s", "t",
)  # fmt: skip
MIN_LEDD = 4
_MIN_ORD = 5
# Verbalsubstantiv og verbet de kommer av: (endelse, det verbet ender på i stedet).
_AVLEDNINGER = (("ning", "e"), ("ing", "e"), ("else", "e"), ("er", "e"), ("ende", "e"))
# Avledninger som alltid tar fuge-s som forledd (avdeling-s-leder, sikkerhet-s-nivå).
_S_FUGE_ENDELSER = ("ing", "het", "else", "sjon", "skap", "dom", "tet", "nad")
_FINN_ORD = re.compile(r"[^\W\d_]+").findall
_MAKS_VENTENDE = 20_000
_DELINGER: dict[tuple[str, int], list[str]] = {}
_MAKS_DELINGER = 200_000


class Leksikon:
    """Kjente ord (små bokstaver, aa→å) som sammensatte ord kan deles i.

    Lagres i indeksens skjema; bare tillegget (og ord som er sett én gang) pickles, som
    strenger, og mengdene bygges først når de trengs. Grunnordlisten hentes fra `ordliste`.
    """

    def __init__(
        self, ord: Iterable[str] = (), domeneord: bool = True, grunnord: bool = True
    ) -> None:
        self.domeneord, self.grunnord = domeneord, grunnord
        self._tillegg: set[str] | None = {o for o in map(grunnform, ord) if self._kan_lagres(o)}
        self._tekst = ""
        self._ventende: Counter[str] | None = Counter()
        self._ventende_tekst = ""
        self._grunn: Grunnordliste | None = None
        self._sperrede: frozenset[str] | None = None
        self._sperrede_ord: frozenset[str] = frozenset()
        self._hash: int | None = None

    @staticmethod
    def _kan_lagres(o: str) -> bool:
        return (len(o) >= MIN_LEDD or o in KORTE_LEDD) and o not in IKKE_LEDD

    @classmethod
    def fra_tekster(
        cls, tekster: Iterable[str], min_forekomster: int = 2, min_lengde: int = 4
    ) -> Leksikon:
        """Ord som står alene i tekstene (minst `min_forekomster` ganger), pluss domeneordene
        og grunnordlisten."""
        tell: Counter[str] = Counter()
        for tekst in tekster:
            tell.update(_FINN_ORD(tekst.lower()))
        return cls(
            o
            for o, n in tell.items()
            if n >= min_forekomster and len(o) >= min_lengde and o not in STOPPORD
        )

    # --- ordene -------------------------------------------------------------------------

    @property
    def tillegg(self) -> set[str]:
        if self._tillegg is None:
            self._tillegg = set(self._tekst.split("\n")) if self._tekst else set()
        return self._tillegg

    @property
    def grunn(self) -> Grunnordliste:
        if self._grunn is None:
            self._grunn = grunnordliste() if self.grunnord else _TOM
        return self._grunn

    def __contains__(self, ord: str) -> bool:
        return (
            ord in self.tillegg
            or (self.domeneord and ord in DOMENEORD)
            or (ord in self.grunn.ord and (len(ord) >= MIN_LEDD or ord in KORTE_LEDD))
        ) and not self.blokkert(ord)

    def blokkert(self, ord: str) -> bool:
        """Aldri et ledd: stoppord, forstavelser og `IKKE_LEDD` i alle former."""
        if self._sperrede is None:
            self._sperrede_ord = IKKE_LEDD | UREGELRETTE | self.grunn.blokkert  # bøyes videre
            self._sperrede = STOPPORD | FORSTAVELSER | self._sperrede_ord
        sperret = self._sperrede
        if ord in sperret:
            return True
        sperret = self._sperrede_ord
        return any(ord.endswith(e) and ord[: -len(e)] in sperret for e in ENDELSER)

    def __len__(self) -> int:
        return len(self.tillegg | (DOMENEORD if self.domeneord else set()) | self.grunn.ord)

    def _nokkel(self) -> tuple:
        return (frozenset(self.tillegg), self.domeneord, self.grunnord)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Leksikon) and self._nokkel() == other._nokkel()

    def __hash__(self) -> int:
        return hash(self._nokkel())

    def __getstate__(self) -> dict:
        if self._tillegg is not None:
            self._tekst = "\n".join(sorted(self._tillegg))
        if self._ventende is not None:
            self._ventende_tekst = "\n".join(f"{o}\t{n}" for o, n in self._ventende.items())
        return {
            "tekst": self._tekst,
            "ventende": self._ventende_tekst,
            "domeneord": self.domeneord,
            "grunnord": self.grunnord,
        }

    def __setstate__(self, tilstand: dict) -> None:
        # Indekser bygd før grunnordlisten har bare "tekst" (alle ordene fra arkivet).
        self._tekst, self._tillegg = tilstand["tekst"], None
        self._ventende_tekst, self._ventende = tilstand.get("ventende", ""), None
        self.domeneord = tilstand.get("domeneord", True)
        self.grunnord = tilstand.get("grunnord", True)
        self._grunn, self._sperrede, self._hash = None, None, None

    # --- høsting ------------------------------------------------------------------------

    def host(self, tekst: str, min_forekomster: int = 2) -> int:
        """Legg til ord fra `tekst` som verken ordboka eller tillegget har, når de er sett i
        minst `min_forekomster` tekster (også tidligere). Gir antall nye ord."""
        if self._ventende is None:
            linjer = (linje.split("\t") for linje in self._ventende_tekst.split("\n") if linje)
            self._ventende = Counter({o: int(n) for o, n in linjer})
        nye = 0
        for o in set(map(grunnform, _FINN_ORD(tekst))):  # tellingen er per tekst
            if len(o) < MIN_LEDD or o in self or self.blokkert(o):
                continue
            self._ventende[o] += 1
            if self._ventende[o] >= min_forekomster:
                del self._ventende[o]
                self.tillegg.add(o)
                self._hash = None
                nye += 1
        if len(self._ventende) > _MAKS_VENTENDE:  # glem ord som bare er sett én gang
            self._ventende = Counter({o: n for o, n in self._ventende.items() if n > 1})
        return nye

    # --- deling -------------------------------------------------------------------------

    def _hode(self, rest: str) -> str | None:
        """Grunnformen `rest` er en bøyd form av, om den kan være et sisteledd."""
        g = self._grunn_for_hode(rest)
        return None if g is None or self.blokkert(rest) else g  # plan-lagt: ikke «lage»

    def _grunn_for_hode(self, rest: str) -> str | None:
        if rest in self:
            return rest
        for e in ENDELSER:
            if rest.endswith(e) and len(rest) - len(e) >= 2:
                grunn = rest[: -len(e)]
                for g in (grunn, grunn + "e"):  # avtal-en → avtale
                    if g in self:
                        return g
                if len(grunn) > 3 and grunn[-1] == grunn[-2] and grunn[:-1] in self:
                    return grunn[:-1]  # programm-et → program, domm-en → dom
        return None

    def _verbavledning(self, forledd: str, hode: str) -> bool:
        """planlegging: plan + legging, men planlegge er ett verb, så ordet er avledet av det."""
        for grunn in (hode, *(hode[: -len(e)] for e in ENDELSER if hode.endswith(e))):
            for endelse, verbslutt in _AVLEDNINGER:
                if grunn.endswith(endelse):
                    verb = forledd + grunn[: -len(endelse)] + verbslutt
                    if verb in self.grunn.verb or (verb in self.tillegg and verb[-1] == "e"):
                        return True
        return False

    def _tar_s_fuge(self, forledd: str) -> bool:
        return forledd in self.grunn.s_fuge or forledd.endswith(_S_FUGE_ENDELSER)

    def _udelelig(self, ord: str) -> bool:
        """Ord i `UDELELIGE`, i alle former."""
        if ord in UDELELIGE:
            return True
        return any(ord.endswith(e) and ord[: -len(e)] in UDELELIGE for e in ENDELSER)

    def del_opp(self, ord: str) -> list[str]:
        """Leddene i et normalisert ord, lengste forledd først; [] om det ikke er sammensatt.

        `løslatelsesplanen` → [`løslatelse`, `planen`] (fuge-s og -e hoppes over; sisteleddet
        kan være bøyd). Leddene kan selv være sammensatte.
        """
        nokkel = (ord, self._versjon())
        svar = _DELINGER.get(nokkel)
        if svar is None:
            if len(_DELINGER) > _MAKS_DELINGER:
                _DELINGER.clear()
            svar = _DELINGER[nokkel] = self._del_opp(ord)
        return list(svar)

    def _versjon(self) -> int:
        """Endres når ordene endres; nøkkelen i delingsbufferet, som deles av alle leksikon i
        prosessen (hver skriver pakker ut sitt eget fra indeksens skjema)."""
        if self._hash is None:
            self._hash = hash((self._nokkel(), self.grunn.kilde))
        return self._hash

    def _del_opp(self, ord: str) -> list[str]:
        n = len(ord)
        if n < _MIN_ORD or not ord.isalpha() or self._udelelig(ord):
            return []
        husk: dict[int, list[str] | None] = {}

        def fra(i: int, kan_vaere_hode: bool) -> list[str] | None:
            if kan_vaere_hode and i in husk:
                return husk[i]
            svar = None
            if kan_vaere_hode and self._hode(ord[i:]):
                svar = [ord[i:]]
            j = n - 2
            while svar is None and j >= i + 2:
                forledd = ord[i:j]
                # fotball-spiller, ikke fotballs-piller (fotball tar ikke fuge-s)
                genitiv = (
                    forledd[-1] == "s"
                    and forledd[:-1] in self
                    and not self._tar_s_fuge(forledd[:-1])
                    and self._hode(ord[j - 1 :]) is not None
                )
                if forledd in self and not genitiv:
                    svar = deling(forledd, j)
                j -= 1
            if kan_vaere_hode:
                husk[i] = svar
            return svar

        def deling(forledd: str, j: int) -> list[str] | None:
            # Uten og med fuge (løslatelse-s-plan); fuge-s først når forleddet tar den
            # (ettervern-s-teamet, ikke ettervern-steamet).
            fuge = ord[j] in "se" and n - j > 2
            forst = fuge and ord[j] == "s" and self._tar_s_fuge(forledd)
            for start in (j + 1, j) if forst else (j, j + 1):
                if start > j and not fuge:
                    continue
                resten = fra(start, True)
                if resten is None:
                    continue
                if self._verbavledning(forledd, self._hode(resten[0]) or resten[0]):
                    return None
                if forledd[-1] == "s" and forledd[:-1] in self and self._tar_s_fuge(forledd[:-1]):
                    forledd = forledd[:-1]  # års-/saks- → år/sak (men kurs-plan forblir kurs)
                return [forledd, *resten]
            return None

        return fra(0, False) or []


_TOM = Grunnordliste(frozenset(), frozenset(), "")
