"""Små tall i statistikk om personer: regelen som hindrer at noen kan kjennes igjen i en
opptelling (§ 10-tallene i evalueringen og oversikten over vanskeligstilte).

Regelen:

1. **Primær skjerming.** Et antall fra 1 til 4 vises som «under 5». 0 vises som 0: at ingen
   er i en gruppe, sier ingenting om en bestemt person.
2. **Sekundær skjerming.** Der en sum vises sammen med delene sine (en rad, en kolonne, en
   gruppe tall som summerer seg), kan ikke bare én del være skjult: da ville summen minus de
   andre delene gi det skjulte tallet. Er nøyaktig én del skjult, skjules også den minste
   andre delen som ikke er 0 (vist som «skjult»); er alle de andre delene 0, skjules summen.
   Skjules summen selv (den er 1–4), er alle delene også under 5, og ingenting kan regnes ut.

Grensen 5 er den vanlige i offentlig statistikk om få personer (SSB og helseregistrene
bruker 3–5); med 5 kan ingen av tallene i en tabell over en liten kommunes planer peke ut
én person, heller ikke ved å trekke tall fra hverandre innenfor tabellen. Tabellene viser
aldri hvem som er talt med, bare hvor mange.

Rene funksjoner uten database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GRENSE = 5
UNDER = f"under {GRENSE}"
SKJULT = "skjult"
REGEL = (
    f"Antall fra 1 til {GRENSE - 1} vises som «{UNDER}», så ingen kan kjennes igjen. Der en sum "
    f"og delene vises sammen, er også en annen del «{SKJULT}» når bare én del ellers ville "
    "vært skjult, så det skjulte tallet ikke kan regnes ut."
)


@dataclass(frozen=True)
class Tall:
    """Et antall slik det kan vises: `tekst` er tallet, «under 5» eller «skjult»; `verdi` er
    None når tallet er skjult (diagrammer og CSV bruker det)."""

    tekst: str
    verdi: int | None

    @property
    def skjult(self) -> bool:
        return self.verdi is None

    def __str__(self) -> str:
        return self.tekst


def er_lite(n: int) -> bool:
    return 0 < n < GRENSE


def vis(n: int) -> Tall:
    """Ett tall alene (primær skjerming)."""
    if n < 0:
        raise ValueError(f"Et antall kan ikke være negativt ({n}).")
    return Tall(UNDER, None) if er_lite(n) else Tall(str(n), n)


def gruppe(sum_: int, deler: Mapping[str, int]) -> tuple[Tall, dict[str, Tall]]:
    """En sum og delene den består av, skjermet etter begge reglene."""
    navn = list(deler)
    tabell = skjerm_tabell([[deler[n] for n in navn]], radsummer=[sum_], kolonnesummer=None)
    return tabell.radsummer[0], dict(zip(navn, tabell.celler[0], strict=True))


@dataclass(frozen=True)
class Skjermet:
    celler: list[list[Tall]]
    radsummer: list[Tall]
    kolonnesummer: list[Tall]
    total: Tall | None


def skjerm_tabell(
    celler: Sequence[Sequence[int]],
    radsummer: Sequence[int] | None = None,
    kolonnesummer: Sequence[int] | None = None,
    total: int | None = None,
) -> Skjermet:
    """En krysstabell (for eksempel overgangene mellom behovsnivåer) med summer per rad og
    kolonne. Summene er delenes sum når de ikke er gitt; gi dem når delene ikke dekker alt
    (en rad kan ha personer som ikke står i noen kolonne). Sekundær skjerming gjentas til
    ingen rad eller kolonne med synlig sum har nøyaktig én skjult del."""
    rader = [list(r) for r in celler]
    bredde = max((len(r) for r in rader), default=0)
    if any(len(r) != bredde for r in rader):
        raise ValueError("Alle radene i tabellen må ha like mange celler.")
    rsum = list(radsummer) if radsummer is not None else [sum(r) for r in rader]
    ksum = (
        list(kolonnesummer)
        if kolonnesummer is not None
        else [sum(r[k] for r in rader) for k in range(bredde)]
    )
    skjult = [[er_lite(n) for n in r] for r in rader]
    sekundaer: set[tuple[int, int]] = set()
    # Linjene (rader og kolonner) med summen sin: ("r", i) eller ("k", k).
    linjer = {("r", i): [(i, k) for k in range(bredde)] for i in range(len(rader))}
    if kolonnesummer is not None or radsummer is None:
        linjer |= {("k", k): [(i, k) for i in range(len(rader))] for k in range(bredde)}
    summer = {("r", i): n for i, n in enumerate(rsum)} | {("k", k): n for k, n in enumerate(ksum)}
    skjulte_summer = {linje for linje in linjer if er_lite(summer[linje])}
    endret = True
    while endret:
        endret = False
        for linje, posisjoner in linjer.items():
            if linje in skjulte_summer:
                continue  # summen er skjult: ingenting kan regnes ut fra den
            skjulte = [p for p in posisjoner if skjult[p[0]][p[1]]]
            if len(skjulte) != 1:
                continue
            kandidater = [p for p in posisjoner if not skjult[p[0]][p[1]] and rader[p[0]][p[1]] > 0]
            if kandidater:
                i, k = min(kandidater, key=lambda p: (rader[p[0]][p[1]], p))
                skjult[i][k] = True
                sekundaer.add((i, k))
            else:  # resten er 0: summen ville vist det skjulte tallet
                skjulte_summer.add(linje)
            endret = True

    def sum_(linje: tuple[str, int]) -> Tall:
        return (
            Tall(SKJULT, None)
            if linje in skjulte_summer and not er_lite(summer[linje])
            else (vis(summer[linje]))
        )

    def celle(i: int, k: int) -> Tall:
        if (i, k) in sekundaer:
            return Tall(SKJULT, None)
        return vis(rader[i][k])

    radsummer = [sum_(("r", i)) for i in range(len(rsum))]
    kolonnesummer = [sum_(("k", k)) for k in range(len(ksum))]
    vist_total = None
    if total is not None:
        # Totalen minus de synlige summene ville vist en sum som er den eneste skjulte.
        alene = any(sum(s.skjult for s in summer_) == 1 for summer_ in (radsummer, kolonnesummer))
        vist_total = Tall(SKJULT, None) if alene and not er_lite(total) else vis(total)
    return Skjermet(
        celler=[[celle(i, k) for k in range(bredde)] for i in range(len(rader))],
        radsummer=radsummer,
        kolonnesummer=kolonnesummer,
        total=vist_total,
    )
