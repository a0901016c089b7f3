"""Spørringene og FTS5-siden til `bench/search.py`.

Spørringene trekkes fra ordforrådet i de gjeldende versjonene med fast frø: alle er ulike,
og oppvarmingen bruker egne ord som ingen målt spørring har, så ingen målt term ligger i
bufferen fra oppvarmingen (`Sporringer.sjekk` hevder det). Hver klasse har sine egne
spørringer, så en klasse varmer ikke opp den neste.

FTS5 får to tabeller med nøyaktig de samme dokumentene som Whooshs delindekser: `gjeldende`
og `alle`. Fasettene står som kolonner uten indeks (filter etter MATCH), som i en enkel
FTS5-løsning. FTS5 svarer bare med treffsiden (ORDER BY rank LIMIT 20), uten totalt,
fasettantall og utdrag; det er det gunstigste for FTS5.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from arkiv.sok.analyse import STOPPORD, stamme
from bench.sokekorpus import FASETTER, Dok

ORD = re.compile(r"[a-zæøå]{3,}")


@dataclass
class Sporring:
    tekst: str  # slik brukeren skriver den (til Whoosh)
    ord: tuple[str, ...]
    fasett: tuple[str, str] | None = None
    prefiks: bool = False  # tekst er «stam*»


@dataclass
class Sporringer:
    oppvarming: list[Sporring]
    klasser: dict[str, list[Sporring]] = field(default_factory=dict)

    def sjekk(self) -> None:
        """Ingen spørring går igjen, og ingen ord fra oppvarmingen står i en målt spørring."""
        malte = [s for liste in self.klasser.values() for s in liste]
        tekster = [(s.tekst, s.fasett) for s in malte]
        assert len(set(tekster)) == len(tekster), "en målt spørring går igjen"
        varme_ord = {o for s in self.oppvarming for o in s.ord}
        malte_ord = {o for s in malte for o in s.ord}
        assert not varme_ord & malte_ord, "oppvarmingen deler ord med de målte spørringene"
        varme = {s.tekst for s in self.oppvarming}
        assert not varme & {s.tekst for s in malte}, "oppvarmingen deler spørringer med målingen"


def ordforrad(doks: Iterable[Dok]) -> list[list[str]]:
    """Ordene i hvert dokument (små bokstaver, minst tre tegn, uten stoppord og tall)."""
    return [[o for o in ORD.findall(d.tekst.lower()) if o not in STOPPORD] for d in doks]


def lag_sporringer(doks: list[Dok], antall: int, oppvarming: int, fro: int = 7) -> Sporringer:
    """`antall` ulike spørringer per klasse og `oppvarming` i et eget sett.

    Ordene deles først tilfeldig i to (en femtedel til oppvarmingen). En spørring med
    flere ord tar ordene fra samme dokument, så OG-spørringen har minst ett treff; ord trekkes
    etter hvor ofte de står i tekstene (vanlige ord oftere, som i virkeligheten)."""
    r = random.Random(fro)
    tekster = ordforrad(doks)
    alle_ord = sorted({o for t in tekster for o in t})
    varme_ord = {o for o in alle_ord if r.random() < 0.2}
    brukt: set[tuple] = set()

    def trekk(n: int, varm: bool, prefiks: bool = False, fasett: bool = False) -> list[Sporring]:
        ut: list[Sporring] = []
        forsok = 0
        while len(ut) < n:
            forsok += 1
            if forsok > 200 * n:
                raise RuntimeError("For lite ordforråd til så mange ulike spørringer")
            ord_i_dok = [o for o in r.choice(tekster) if (o in varme_ord) == varm]
            if not ord_i_dok:
                continue
            if prefiks:
                o = r.choice(ord_i_dok)
                s = stamme(o)
                if len(s) < 5:
                    continue
                tekst, ord_ = s[: r.randint(4, min(6, len(s) - 1))] + "*", (o,)
            else:
                ord_ = tuple(
                    dict.fromkeys(r.sample(ord_i_dok, min(len(ord_i_dok), r.randint(1, 3))))
                )
                tekst = " ".join(ord_)
            sp = Sporring(tekst, ord_, r.choice(FASETTER) if fasett else None, prefiks)
            nokkel = (sp.tekst, sp.fasett)
            if nokkel in brukt or (sp.tekst,) in brukt:
                continue
            brukt.update({nokkel, (sp.tekst,)})
            ut.append(sp)
        return ut

    sett = Sporringer(oppvarming=trekk(oppvarming, varm=True))
    sett.klasser["rene ord"] = trekk(antall, varm=False)
    sett.klasser["prefiks (stam*)"] = trekk(antall, varm=False, prefiks=True)
    sett.klasser["+ fasett"] = trekk(antall, varm=False, fasett=True)
    sett.klasser["alle versjoner"] = trekk(antall, varm=False)
    sett.sjekk()
    return sett


# --- SQLite FTS5 -----------------------------------------------------------------------

KOLONNER = "id, tittel, tekst, part, partstype, status, aar"


def bygg_fts5(sti: Path, tabeller: dict[str, list[Dok]]) -> None:
    """Én FTS5-tabell per dokumentmengde (samme mengder som Whooshs delindekser)."""
    db = sqlite3.connect(sti)
    for navn, doks in tabeller.items():
        db.execute(
            f"CREATE VIRTUAL TABLE {navn} USING fts5(id UNINDEXED, tittel, tekst, "
            "part UNINDEXED, partstype UNINDEXED, status UNINDEXED, aar UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )
        db.executemany(
            f"INSERT INTO {navn} VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((d.id, d.tittel, d.tekst, d.part, d.partstype, d.status, str(d.aar)) for d in doks),
        )
    db.commit()
    db.close()


def fts_uttrykk(sp: Sporring | str, prefiks: bool) -> str:
    """Samme ord som Whoosh får. Rene ord: ordene slik de står. Prefiks (den rettferdige
    motparten til stamming og delord): stammen + * (avtalene → "avtal"*)."""
    if isinstance(sp, str):
        ord_ = [o.lower() for o in re.findall(r"\w+", sp) if o.lower() not in STOPPORD]
        sp = Sporring(sp, tuple(ord_))
    if sp.prefiks:
        return f'"{sp.tekst.rstrip("*")}"*'
    if prefiks:
        return " ".join(f'"{stamme(o)}"*' for o in sp.ord)
    return " ".join(f'"{o}"' for o in sp.ord)


def fts_sok(db: sqlite3.Connection, tabell: str, sp: Sporring, prefiks: bool) -> list[str]:
    """Bare treffsiden: ORDER BY rank LIMIT 20, fasetten som filter etter MATCH."""
    where, args = f"{tabell} MATCH ?", [fts_uttrykk(sp, prefiks)]
    if sp.fasett:
        where += f" AND {sp.fasett[0]} = ?"
        args.append(sp.fasett[1])
    sql = f"SELECT id, tittel FROM {tabell} WHERE {where} ORDER BY rank LIMIT 20"
    return [r[0] for r in db.execute(sql, args)]
