"""Selve søket: tolkning, budsjett, treff fra indeksen og fra dokumenter i minnet, rangering
«eksakt først», fletting, fasetter og utdrag.

Et søk kan ha to kilder: den aktive indeksen på disk, og dokumenter kalleren gir med
(`minnedokumenter`, for eksempel innhold som aldri skal ligge i indeksen), lagt i en indeks i
minnet for dette ene søket. Begge bruker samme skjema (samme analyse og samme ordliste for
sammensatte ord), og poengene i minnet regnes med idf fra indeksen på disk, ikke fra
dokumentene i minnet, så poengene kan sammenlignes og ingenting om de andre dokumentene i
minnet påvirker dem. Flettingen:

- totalt og hvert fasettantall er summen fra kildene;
- gir søket færre enn `FORSLAG_GRENSE` treff, foreslås en annen skrivemåte (`forslag.py`),
  bare når den gir treff med samme tilgang;
- rekkefølgen er én nøkkel for alle treff: «eksakt» (treffer uten delordfeltet) gir et
  forsprang på 10⁶ foran alle andre, så poengene; sortert på dato er nøkkelen datoen. Like
  nøkler: indeksen før minnet, ellers kildens egen rekkefølge.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
from whoosh import fields, query
from whoosh.collectors import TimeLimitCollector
from whoosh.searching import TimeLimit

from arkiv.sok.analyse import FELT, Metning, lag_parser, uten_delord
from arkiv.sok.budsjett import Budsjettfeil, Tidsavbrudd, gjenstaende, sjekk_frist, utvid
from arkiv.sok.forslag import foreslaa, kandidatord
from arkiv.sok.skriving import Minnelager
from arkiv.sok.utdrag import Uthever
from arkiv.sok.vektor import Segmentbuffer, Vektorsok, topp

__all__ = ["Resultat", "Segmentbuffer", "Soker", "Treff", "sok", "tolk"]
FORSPRANG = 1e6  # «eksakt først»: treff uten delordfeltet foran alle andre
FORSLAG_GRENSE = 3  # færre treff enn dette: let etter en annen skrivemåte («Mente du»)


@dataclass
class Treff:
    id: str
    art: str
    objekt_id: int
    versjon: int
    gjeldende: bool
    tittel: str
    dato: datetime
    utdrag: str  # HTML: teksten er escapet, treffordene i <mark>
    felt: dict[str, Any] = field(default_factory=dict)  # alle lagrede felt; None uten verdi


@dataclass
class Resultat:
    treff: list[Treff]
    totalt: int
    side: int
    sider: int
    fasetter: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    melding: str = ""
    tolket: str = ""
    forslag: str = ""  # «Mente du»: søketeksten med en annen skrivemåte, eller ""


@dataclass(frozen=True)
class Sporsmal:
    sporring: str
    tilgang: list[str]
    filtre: dict[str, str]
    sorter_dato: bool


class Soker:
    """Én søker (én indeksgenerasjon, eller en indeks i minnet) med det som kan gjenbrukes
    mellom søk: postlister, filtrene og fasettkolonnene (se vektor.py). `avvik`: kallerens
    felt indeksen ikke har slik definisjonen sier (se `Skjemadefinisjon.avvik`)."""

    def __init__(self, searcher: Any, generasjon: str, segmentbuffer: Segmentbuffer) -> None:
        self.searcher, self.generasjon = searcher, generasjon
        self.vektor = Vektorsok(searcher, searcher.weighting, segmentbuffer)
        self.avvik: list[str] = []
        self._filtre: dict[tuple, np.ndarray] = {}

    @classmethod
    def apne(cls, ix: Any, generasjon: str, buffer: Segmentbuffer) -> Soker:
        return cls(ix.searcher(weighting=Metning()), generasjon, buffer)

    @classmethod
    def i_minnet(cls, skjema: fields.Schema, dokumenter: Iterable[Any], idf: Any) -> Soker:
        """En indeks i minnet med `dokumenter`, og poeng med idf fra søkeren `idf` (eller
        fra seg selv, når den er None)."""
        ix = Minnelager().create_index(skjema)
        w = ix.writer()
        for dok in dokumenter:
            sjekk_frist()
            w.add_document(**dok.indeksfelt())
        w.commit()
        return cls(ix.searcher(weighting=Metning(idf_fra=idf)), "minne", Segmentbuffer())

    def er_nyeste(self) -> bool:
        return self.searcher.up_to_date()

    def tillatt(
        self, tilgang: list[str], filtre: dict[str, str], tall: frozenset[str]
    ) -> np.ndarray:
        """Dokumentene brukeren har tilgang til og som passer filtrene (`tall`: feltene som
        er heltall)."""
        nokkel = (tuple(tilgang), tuple(sorted(filtre.items())))
        if nokkel not in self._filtre:
            grenser: list[query.Query] = [query.Or([query.Term("tilgang", g) for g in tilgang])]
            grenser += [
                query.NullQuery if f in self.avvik else _filterledd(f, v, f in tall)
                for f, v in sorted(filtre.items())
            ]
            dokumenter = self.searcher.docs_for_query(query.And(grenser))
            self._filtre[nokkel] = self.vektor.maske_fra(dokumenter)
        return self._filtre[nokkel]


class _Kjoring:
    """Én spørring mot én kilde: treffmengden (bool per dokument), totalt, fasetter og de
    beste treffene med flettenøkkel."""

    def __init__(self, soker: Soker, q: query.Query, sp: Sporsmal, definisjon: Any) -> None:
        self.soker, self.q, self.sp = soker, q, sp
        v = soker.vektor
        self.tillatt = soker.tillatt(sp.tilgang, sp.filtre, definisjon.tall)
        self.vurdert = v.vurder(q)
        self.treff = (self.vurdert[0] if self.vurdert is not None else v.maske(q)) & self.tillatt
        self.totalt = int(self.treff.sum())

    def fasett(self, navn: str) -> list[tuple[str, int]]:
        return [] if navn in self.soker.avvik else self.soker.vektor.tell(navn, self.treff)

    def topp(self, antall: int) -> list[tuple[float, int]]:
        """(nøkkel, dokumentnummer) for de `antall` beste, best først."""
        v, q = self.soker.vektor, self.q
        if not self.totalt:
            return []
        if self.sp.sorter_dato or isinstance(q, query.Every):
            nokkel = v.dato()
        elif self.vurdert is not None:
            eksakt = v.vurder(uten_delord(q))
            forsprang = eksakt[0] * np.float32(FORSPRANG) if eksakt is not None else 0
            nokkel = self.vurdert[1] + forsprang
        else:  # fraser o.l.: Whooshs egen rangering
            tillatt = set(np.flatnonzero(self.tillatt).tolist())
            return _eksakt_forst(self.soker.searcher, q, tillatt, antall)
        return [(float(nokkel[d]), d) for d in topp(nokkel, self.treff, antall)]


def sok(
    hoved: Soker | None,
    skjema: fields.Schema,
    definisjon: Any,
    sp: Sporsmal,
    side: int,
    per_side: int,
    minnedokumenter: list[Any],
    minnetilgang: list[str],
    med_forslag: bool = True,
) -> Resultat:
    """Søket over indeksen (`hoved`, None når den mangler) med tilgangsgruppene i `sp`, og
    over `minnedokumenter` med gruppene i `minnetilgang`. `med_forslag`: let etter en annen
    skrivemåte når søket gir færre enn `FORSLAG_GRENSE` treff."""
    fasetter = definisjon.fasetter
    sp = replace(sp, filtre={f: v for f, v in sp.filtre.items() if f in fasetter and v != ""})
    idf = hoved.searcher if hoved is not None and hoved.searcher.doc_count() else None
    kilder: list[tuple[Soker, list[str]]] = []
    if hoved is not None and sp.tilgang:
        kilder.append((hoved, sp.tilgang))
    if minnedokumenter and minnetilgang:
        kilder.append((Soker.i_minnet(skjema, minnedokumenter, idf), minnetilgang))
    if not kilder:
        return Resultat([], 0, 1, 0, fasetter={f: [] for f in fasetter})
    q, melding = tolk(sp.sporring, skjema, definisjon.sokbare)
    try:
        q = utvid(q, [k.searcher.reader() for k, _ in kilder])
    except Budsjettfeil as e:
        return Resultat([], 0, 1, 0, fasetter={f: [] for f in fasetter}, melding=str(e))
    kjoringer = [_Kjoring(k, q, replace(sp, tilgang=g), definisjon) for k, g in kilder]
    totalt = sum(k.totalt for k in kjoringer)
    sider = max(1, -(-totalt // per_side))
    side = min(max(1, side), sider)
    antall = side * per_side
    kandidater = [
        (-nokkel, i, rang, d)
        for i, k in enumerate(kjoringer)
        for rang, (nokkel, d) in enumerate(k.topp(antall))
    ]
    kandidater.sort()
    uthever = Uthever(skjema, q)
    treff = []
    for _, i, _, d in kandidater[(side - 1) * per_side : antall]:
        sjekk_frist()
        s = kjoringer[i].soker.searcher
        treff.append(_treff(s.stored_fields(d), uthever, definisjon.lagrede))
    r = Resultat(
        treff=treff,
        totalt=totalt,
        side=side,
        sider=sider if totalt else 0,
        fasetter={f: _flett_fasett(k.fasett(f) for k in kjoringer) for f in fasetter},
        melding=melding,
        tolket=str(q),
    )
    if med_forslag and totalt < FORSLAG_GRENSE and not melding:
        forslag = _forslag([k for k, _ in kilder], skjema, sp)
        if forslag is not None:
            # Forslaget vises bare om det gir treff med brukerens egen tilgang: ingen ord fra
            # dokumenter brukeren ikke kan se (se forslag.py).
            prove = sok(
                hoved,
                skjema,
                definisjon,
                replace(sp, sporring=forslag),
                1,
                1,
                minnedokumenter,
                minnetilgang,
                med_forslag=False,
            )
            if prove.totalt >= max(totalt, 1):
                r.forslag = forslag
    return r


def _forslag(sokere: list[Soker], skjema: fields.Schema, sp: Sporsmal) -> str | None:
    lesere = [s.searcher.reader() for s in sokere]

    def frekvens(stamme: str) -> int:
        return sum(leser.doc_frequency(FELT, stamme) for leser in lesere)

    return foreslaa(sp.sporring[:500], kandidatord(skjema), frekvens)


def _flett_fasett(deler: Iterable[list[tuple[str, int]]]) -> list[tuple[str, int]]:
    sum_: Counter[str] = Counter()
    for del_ in deler:
        for verdi, n in del_:
            sum_[verdi] += n
    return sorted(sum_.items(), key=lambda kv: (-kv[1], kv[0]))


def _eksakt_forst(s: Any, q: query.Query, tillatt: set[int], antall: int) -> list:
    """Whooshs vei for spørringer vektor.py ikke dekker: (nøkkel, dokumentnummer) for de
    `antall` beste, først de som treffer uten delordfeltet (med forsprang), så resten."""
    treff: list[tuple[float, int]] = []
    eksakt = uten_delord(q)
    if eksakt is not query.NullQuery and eksakt != q:
        treff = [(FORSPRANG + h.score, h.docnum) for h in _resultater(s, eksakt, tillatt, antall)]
    if len(treff) < antall:
        sett = {d for _, d in treff}
        resten = _resultater(s, q, tillatt, antall + len(treff))
        treff += [(h.score, h.docnum) for h in resten if h.docnum not in sett][
            : antall - len(treff)
        ]
    return treff


def _resultater(s: Any, q: query.Query, tillatt: set[int], antall: int) -> list[Any]:
    """Treffene på siden (ikke list(r): den spør om len(r), som teller alle treff på nytt).
    Med frist stopper Whooshs samler når tiden er ute."""
    rest = gjenstaende()
    if rest is None:
        r = s.search(q, limit=antall, filter=tillatt)
    else:
        samler = TimeLimitCollector(
            s.collector(limit=antall, filter=tillatt), timelimit=rest, use_alarm=False
        )
        try:
            s.search_with_collector(q, samler)
        except TimeLimit:
            sjekk_frist()
            raise Tidsavbrudd(rest) from None
        r = samler.results()
    return [r[i] for i in range(r.scored_length())]


def _filterledd(felt: str, verdi: str, tall: bool) -> query.Query:
    if tall:
        return query.Term(felt, int(verdi)) if verdi.isdigit() else query.NullQuery
    return query.Term(felt, verdi)


def _treff(felt: dict[str, Any], uthever: Uthever, lagrede: tuple[str, ...]) -> Treff:
    return Treff(
        id=felt["id"],
        art=felt["art"],
        objekt_id=felt["objekt_id"],
        versjon=felt["versjon"],
        gjeldende=felt["gjeldende"],
        tittel=felt["tittel"],
        dato=felt["dato"],
        utdrag=uthever.utdrag(felt.get("tekst", "")),
        felt={navn: felt.get(navn) for navn in lagrede},
    )


_FELTPREFIKS = re.compile(r"(?<![\w\"])([A-Za-zæøåÆØÅ_]+):")


def tolk(sporring: str, skjema: fields.Schema, sokbare: Iterable[str]) -> tuple[query.Query, str]:
    """Gjør søketeksten om til en Whoosh-spørring; `felt:verdi` er lov for feltene i
    `sokbare`. Ved syntaksfeil: best mulig søk + melding."""
    tekst = sporring.strip()[:500]
    if not tekst:
        return query.Every(), ""
    problemer = []
    if tekst.count('"') % 2:
        problemer.append("et anførselstegn mangler sin partner")
    if tekst.count("(") != tekst.count(")"):
        problemer.append("parentesene går ikke opp")
    sokbare = set(sokbare)
    ukjente = sorted({f for f in _FELTPREFIKS.findall(tekst) if f not in sokbare})
    if ukjente:
        problemer.append(f"ukjent felt {', '.join(ukjente)}")
    if re.search(r"\b(AND|OR|NOT)\s*$", tekst) or re.match(r"^\s*(AND|OR)\b", tekst):
        problemer.append("en AND/OR/NOT står uten noe å virke på")
    q = None if problemer else lag_parser(skjema).parse(tekst)
    if q is None or isinstance(q, type(query.NullQuery)):
        ord_ = re.findall(r"[\wæøåÆØÅ]+", re.sub(r"\b\w+:", " ", tekst))
        ord_ = [o for o in ord_ if o not in ("AND", "OR", "NOT", "TO")]
        q = lag_parser(skjema).parse(" OR ".join(ord_)) if ord_ else query.NullQuery
        grunn = "; ".join(problemer) or "spørringen kunne ikke tolkes"
        vises = " ".join(ord_) or "(ingen ord)"
        return q, f"Søket kunne ikke tolkes helt ({grunn}). Viser treff for ordene: {vises}."
    return q, ""
