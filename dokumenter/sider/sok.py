"""Søk med brukerens tilgangsgrupper: ansatte ser avtaler, avvik og evalueringer, og bare
de planene `planer.tilgang` gir dem grunnlag for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arkiv.sok.indeks import Resultat
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.models import Bruker
from dokumenter.planer.tilgang import synlige_plan_ider
from dokumenter.tjenester import Tjenester

# Tilgangsgruppen alle ansatte har. Hver individuelle plan har sin egen gruppe («plan:7»),
# så den aldri kan finnes (treff, utdrag, fasettantall) av andre enn dem som har tilgang.
ANSATTE = "ansatte"


def tilgangsgrupper(tj: Tjenester, rolle: str, bruker_id: int | None = None) -> list[str]:
    """Tilgangsgruppene brukeren søker med: ansatte ser avtalene, avvikene og evalueringene,
    og planene `plantilgang` sier at de kan åpne (avgjort ved hvert søk)."""
    grupper = [ANSATTE] if rolle in ("admin", "saksbehandler", "lesetilgang") else []
    if bruker_id is not None and grupper:
        with tj.sesjoner() as s:
            grupper += [f"plan:{i}" for i in synlige_plan_ider(s, s.get(Bruker, bruker_id))]
    return grupper


def sok(
    tj: Tjenester,
    sporring: str,
    rolle: str,
    bruker_id: int | None = None,
    filtre: dict[str, str] | None = None,
    bare_gjeldende: bool = True,
    sorter_dato: bool = False,
    side: int = 1,
    per_side: int = 20,
) -> Resultat:
    """Søket med brukerens tilgangsgrupper. `filtre` avgrenser på fasettene
    (`skjema.FASETTER`); hvert treff har domenets felt (se `skjema.SOKESKJEMA`) i `felt`."""
    return tj.indeks.sok(
        sporring,
        tilgangsgrupper(tj, rolle, bruker_id),
        filtre=filtre,
        bare_gjeldende=bare_gjeldende,
        sorter_dato=sorter_dato,
        side=side,
        per_side=per_side,
    )


FASETTGRENSE = 10  # verdier per fasett på søkesiden; resten bak «vis alle»
FASETTVERDIER = Sortering({"antall": True}, standard="antall", per_side=50)


@dataclass(frozen=True)
class Fasett:
    """De vanligste verdiene av én fasett blant treffene, og hvor mange ulike det er i alt.
    En valgt verdi er alltid med, så avgrensningen kan fjernes."""

    felt: str
    verdier: list[tuple[str, int]]
    antall_verdier: int

    @property
    def flere(self) -> bool:
        return self.antall_verdier > len(self.verdier)


@dataclass(frozen=True)
class Sokeside:
    resultat: Resultat
    fasetter: list[Fasett]


def sokeside(
    tj: Tjenester,
    sporring: str,
    rolle: str,
    bruker_id: int | None = None,
    filtre: dict[str, str] | None = None,
    fasettgrense: int = FASETTGRENSE,
    **valg: Any,
) -> Sokeside:
    """Søket slik søkesiden viser det: treffene og de `fasettgrense` vanligste verdiene av
    hver fasett (ikke alle: et ord kan treffe tusenvis av parter)."""
    r = sok(tj, sporring, rolle, bruker_id, filtre=filtre, **valg)
    fasetter = []
    for felt, par in r.fasetter.items():
        valgt = (filtre or {}).get(felt)
        topp = par[:fasettgrense]
        if valgt and all(v != valgt for v, _ in topp):
            topp += [p for p in par if p[0] == valgt]
        fasetter.append(Fasett(felt, topp, len(par)))
    return Sokeside(r, fasetter)


def fasettverdier(
    tj: Tjenester,
    felt: str,
    sporring: str,
    rolle: str,
    bruker_id: int | None = None,
    utvalg: Utvalg | None = None,
    **valg: Any,
) -> Side[tuple[str, int]]:
    """Alle verdiene av én fasett blant treffene, flest treff først, én side om gangen."""
    utvalg = utvalg or FASETTVERDIER.utvalg({})
    par = sok(tj, sporring, rolle, bruker_id, per_side=1, **valg).fasetter.get(felt, [])
    sider = max(1, -(-len(par) // utvalg.per_side))
    utvalg = utvalg.med(side=min(utvalg.side, sider))
    if not utvalg.synkende:
        par = par[::-1]
    return Side(par[utvalg.offset : utvalg.offset + utvalg.per_side], len(par), utvalg)
