"""Søket i PostgreSQL: tolkningen er den samme som i Whoosh (`soking.tolk`, samme skjema og
analyse), spørringen blir SQL (`tsvektor.Oversetter`), og PostgreSQL gjør resten:

- tilgangen: `tilgang && grupper` (GIN), så ingen rad utenfor brukerens grupper telles,
  rangeres eller gir utdrag;
- treffene, totalt og fasettene i én spørring (`GROUPING SETS` over de tilgjengelige treffene);
- rangeringen: «eksakt først» (treff uten delordleddene foran), så `ts_rank_cd` med vektene
  i `tsvektor.RANGVEKTER`. `ts_rank_cd` bruker bare radens egne ord og posisjoner, ingen idf
  over hele tabellen: rekkefølgen kan ikke røpe om et sjeldent ord står i et dokument søkeren
  ikke har tilgang til (Whooshs idf regnes over hele indeksen);
- utdragene lages av `utdrag.Uthever` (som i Whoosh) av den lagrede teksten på siden.

Dokumentene i minnet (planene) søkes som før i en Whoosh-indeks i minnet og flettes inn: likt
totalt og fasetter (summen), og i rekkefølgen «eksakt» først, så poengene delt på kildens beste
(de to motorenes poeng er ikke på samme skala). Prefikser (`avt*`) søkes med `:*` uten
utvidelse, så grensen `budsjett.MAKS_ORD` gjelder ikke her (bare `MIN_PREFIKS`), og utdragene
uthever ikke ordene et prefiks traff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from whoosh import query

from arkiv.sok import soking
from arkiv.sok.analyse import uten_delord
from arkiv.sok.budsjett import Budsjettfeil, Tidsavbrudd, gjenstaende, sjekk_frist, sjekk_jokertegn
from arkiv.sok.budsjett import utvid as utvid_ord
from arkiv.sok.soking import Resultat, Treff
from arkiv.sok.tsvektor import RANGVEKTER, Oversetter, Sql
from arkiv.sok.utdrag import Uthever

Sporsmal = soking.Sporsmal


@dataclass
class _Kandidat:
    eksakt: bool
    poeng: float
    dato: datetime
    kilde: int  # 0: PostgreSQL, 1: minnet
    rang: int
    ref: Any  # id i PostgreSQL, dokumentnummer i minnet


def sok(
    motor: Engine,
    skjema: Any,
    definisjon: Any,
    sp: Sporsmal,
    bare_gjeldende: bool,
    side: int,
    per_side: int,
    minnedokumenter: list[Any],
    minnetilgang: list[str],
) -> Resultat:
    fasetter = definisjon.fasetter
    tom = Resultat([], 0, 1, 0, fasetter={f: [] for f in fasetter})
    sp = replace(sp, filtre={f: v for f, v in sp.filtre.items() if f in fasetter and v != ""})
    if not sp.tilgang and not (minnedokumenter and minnetilgang):
        return tom
    q, melding = soking.tolk(sp.sporring, skjema, definisjon.sokbare)
    try:
        sjekk_jokertegn(q)
        minne = None
        if minnedokumenter and minnetilgang:
            minne = soking.Soker.i_minnet(skjema, minnedokumenter, None)
            q_minne = utvid_ord(q, [minne.searcher.reader()])
    except Budsjettfeil as e:
        return replace(tom, melding=str(e))
    totalt, tellinger, kandidater = 0, [], []
    side = max(1, side)
    if sp.tilgang:
        pg = _i_postgres(motor, skjema, definisjon, q, sp, bare_gjeldende, side * per_side)
        totalt, tellinger, kandidater = pg
    kjoring = None
    if minne is not None:
        kjoring = soking._Kjoring(minne, q_minne, replace(sp, tilgang=minnetilgang), definisjon)
        totalt += kjoring.totalt
        tellinger += [{f: kjoring.fasett(f) for f in fasetter}]
        kandidater += _fra_minnet(kjoring, sp, side * per_side)
    sider = max(1, -(-totalt // per_side))
    side = min(side, sider)
    kandidater = _ordne(kandidater, sp.sorter_dato or isinstance(q, query.Every))
    valgt = kandidater[(side - 1) * per_side : side * per_side]
    tekster = _tekster(motor, [k.ref for k in valgt if k.kilde == 0])
    uthever = Uthever(skjema, q)
    treff = []
    for k in valgt:
        sjekk_frist()
        if k.kilde == 0:
            if k.ref in tekster:  # ikke slettet i mellomtiden
                treff.append(_treff(tekster[k.ref], uthever, definisjon.lagrede))
        else:
            felt = kjoring.soker.searcher.stored_fields(k.ref)  # type: ignore[union-attr]
            treff.append(soking._treff(felt, uthever, definisjon.lagrede))
    return Resultat(
        treff=treff,
        totalt=totalt,
        side=side,
        sider=sider if totalt else 0,
        fasetter={f: soking._flett_fasett(t.get(f, []) for t in tellinger) for f in fasetter},
        melding=melding,
        tolket=str(q),
    )


def _ordne(kandidater: list[_Kandidat], etter_dato: bool) -> list[_Kandidat]:
    if etter_dato:
        return sorted(kandidater, key=lambda k: (-k.dato.timestamp(), k.kilde, k.rang))
    beste = {}
    for k in kandidater:
        beste[k.kilde] = max(beste.get(k.kilde, 0.0), k.poeng)

    def nokkel(k: _Kandidat) -> tuple:
        andel = k.poeng / beste[k.kilde] if beste[k.kilde] else 0.0
        return (not k.eksakt, -andel, k.kilde, k.rang)

    return sorted(kandidater, key=nokkel)


def _fra_minnet(kjoring: Any, sp: Sporsmal, antall: int) -> list[_Kandidat]:
    ut = []
    s = kjoring.soker.searcher
    for rang, (nokkel, d) in enumerate(kjoring.topp(antall)):
        dato = s.stored_fields(d)["dato"].replace(tzinfo=UTC)
        eksakt = nokkel >= soking.FORSPRANG
        poeng = nokkel - soking.FORSPRANG if eksakt else nokkel
        ut.append(_Kandidat(eksakt, poeng, dato, 1, rang, d))
    return ut


def _i_postgres(
    motor: Engine,
    skjema: Any,
    definisjon: Any,
    q: query.Query,
    sp: Sporsmal,
    bare_gjeldende: bool,
    antall: int,
) -> tuple[int, list[dict[str, list[tuple[str, int]]]], list[_Kandidat]]:
    """Totalt, fasettene og de `antall` beste fra `sokedokument`."""
    sql = Sql()
    o = Oversetter(skjema, definisjon.tall, sql)
    vilkar = [f"tilgang && CAST({sql.param(sp.tilgang)} AS text[])", o.vilkar(q)]
    if bare_gjeldende:
        vilkar.append("gjeldende")
    for f, v in sorted(sp.filtre.items()):
        vilkar.append(f"COALESCE(felt ->> {sql.param(f)} = {sql.param(v)}, FALSE)")
    hvor = " AND ".join(vilkar)
    eksakt_q = uten_delord(q)
    eksakt = "TRUE" if eksakt_q == q else o.vilkar(eksakt_q)
    rq = o.rangering(q)
    poeng = f"ts_rank_cd('{RANGVEKTER}', vektor, CAST({sql.param(rq)} AS tsquery))" if rq else "0"
    etter_dato = sp.sorter_dato or isinstance(q, query.Every)
    fasetter = definisjon.fasetter
    kolonner = [f"(felt ->> {sql.param(f)})" for f in fasetter]
    grupper = ", ".join([f"({k})" for k in kolonner] + ["()"])
    telling = (
        f"SELECT {', '.join(kolonner)}, "
        f"{', '.join(f'GROUPING({k})' for k in kolonner)}, count(*) "
        f"FROM sokedokument WHERE {hvor} GROUP BY GROUPING SETS ({grupper})"
    )
    beste = (
        f"SELECT id, ({eksakt}) AS eksakt, {poeng} AS poeng, dato FROM sokedokument "
        f"WHERE {hvor} ORDER BY "
        + ("dato DESC, id" if etter_dato else "2 DESC, 3 DESC, dato DESC, id")
        + f" LIMIT {int(antall)}"
    )
    try:
        with motor.begin() as conn:
            rest = gjenstaende()
            if rest is not None:
                conn.execute(text(f"SET LOCAL statement_timeout = {max(1, int(rest * 1000))}"))
            tellerader = conn.execute(text(telling), sql.params).all()
            rader = conn.execute(text(beste), sql.params).all()
    except OperationalError as e:
        if "statement timeout" in str(e) or "canceling statement" in str(e):
            sjekk_frist()
            raise Tidsavbrudd(gjenstaende() or 0) from None
        raise
    n = len(fasetter)
    totalt = 0
    telt: dict[str, list[tuple[str, int]]] = {f: [] for f in fasetter}
    for rad in tellerader:
        ute = rad[n : 2 * n]
        if all(ute):
            totalt = rad[-1]
            continue
        i = list(ute).index(0)
        if rad[i] is not None:
            telt[fasetter[i]].append((str(rad[i]), rad[-1]))
    kandidater = [
        _Kandidat(bool(e), float(p), d, 0, rang, i) for rang, (i, e, p, d) in enumerate(rader)
    ]
    return totalt, [telt], kandidater


def _tekster(motor: Engine, ider: list[str]) -> dict[str, dict[str, Any]]:
    if not ider:
        return {}
    with motor.connect() as conn:
        rader = conn.execute(
            text(
                "SELECT id, art, objekt_id, versjon, gjeldende, tittel, dato, tekst, felt "
                "FROM sokedokument WHERE id = ANY(CAST(:ider AS text[]))"
            ),
            {"ider": ider},
        ).mappings()
        return {r["id"]: dict(r) for r in rader}


def _treff(rad: dict[str, Any], uthever: Uthever, lagrede: Iterable[str]) -> Treff:
    felt = rad["felt"] if isinstance(rad["felt"], dict) else json.loads(rad["felt"])
    return Treff(
        id=rad["id"],
        art=rad["art"],
        objekt_id=rad["objekt_id"],
        versjon=rad["versjon"],
        gjeldende=rad["gjeldende"],
        tittel=rad["tittel"],
        dato=rad["dato"].astimezone(UTC).replace(tzinfo=None),
        utdrag=uthever.utdrag(rad["tekst"]),
        felt={navn: felt.get(navn) for navn in lagrede},
    )
