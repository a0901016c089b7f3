"""Søk med brukerens tilgang: ansatte finner avtaler, avvik og evalueringer (i søkeindeksen),
og de individuelle planene `planer.tilgang` gir dem grunnlag for (dekryptert og søkt i minnet
for hvert søk, aldri i indeksen). Planene som vises i treffene, logges i planenes innsynslogg
her, før svaret gis tilbake, så ingen side eller API kan vise et plantreff uten logg.

Søket kjøres i søkekjøreren (`tj.sokekjorer`): noen få egne tråder, høyst to søk i gang per
bruker, og en tidsgrense. For mange søk på en gang gir `ForMangeForsok` (429) med en norsk
melding; et søk som bruker opp tiden, gir et tomt resultat med melding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from arkiv.sok.budsjett import Tidsavbrudd
from arkiv.sok.indeks import Indeksdokument, Resultat
from arkiv.sok.kjorer import Opptatt
from dokumenter.brukere.roller import ANSATTROLLER
from dokumenter.felles.feil import ForMangeForsok
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.models import Bruker, Plan
from dokumenter.planer.innsynslogg import logg_visninger
from dokumenter.planer.tilgang import synlige_plan_ider
from dokumenter.sok import arter, vedlikehold
from dokumenter.sok.skjema import FASETTER
from dokumenter.tjenester import Tjenester

# Tilgangsgruppen alle ansatte har. Hver individuelle plan har sin egen gruppe («plan:7»),
# så den aldri kan finnes (treff, utdrag, fasettantall) av andre enn dem som har tilgang.
ANSATTE = "ansatte"


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
    fra: str = "",
) -> Resultat:
    """Søket med brukerens tilgang. `filtre` avgrenser på fasettene (`skjema.FASETTER`);
    hvert treff har domenets felt (se `skjema.SOKESKJEMA`) i `felt`. Planene i treffene
    logges (én gang per plan, bruker og døgn) før resultatet gis tilbake."""

    def kjor() -> Resultat:
        return _sok(
            tj, sporring, rolle, bruker_id, filtre, bare_gjeldende, sorter_dato, side, per_side
        )

    try:
        r = tj.sokekjorer.kjor(bruker_id if bruker_id is not None else rolle, kjor)
    except Opptatt as e:
        raise ForMangeForsok(str(e)) from None
    except Tidsavbrudd as e:
        return Resultat([], 0, 1, 0, fasetter={f: [] for f in FASETTER}, melding=str(e))
    plantreff = [t.objekt_id for t in r.treff if t.art == "plan"]
    if plantreff and bruker_id is not None:
        logg_visninger(tj, bruker_id, plantreff, "sokt_fram", fra)
    return r


def _sok(
    tj: Tjenester,
    sporring: str,
    rolle: str,
    bruker_id: int | None,
    filtre: dict[str, str] | None,
    bare_gjeldende: bool,
    sorter_dato: bool,
    side: int,
    per_side: int,
) -> Resultat:
    vedlikehold.sikre(tj)  # mangler indeksen, bygges den i bakgrunnen (søkesiden sier fra)
    grupper = [ANSATTE] if rolle in ANSATTROLLER else []
    planer: list[Indeksdokument] = []
    plangrupper: list[str] = []
    if bruker_id is not None and grupper:
        with tj.sesjoner() as s:
            ider = synlige_plan_ider(s, s.get(Bruker, bruker_id))
            for plan in s.scalars(
                select(Plan)
                .where(Plan.id.in_(ider))
                .order_by(Plan.id)
                .options(
                    selectinload(Plan.versjoner),
                    selectinload(Plan.part),
                    selectinload(Plan.koordinator),
                )
            ):
                planer += arter.plandokumenter(tj, plan, bare_gjeldende)
        plangrupper = [f"plan:{i}" for i in ider]
    # Indeksen søkes bare med ANSATTE (en plan skal aldri komme derfra, heller ikke fra en
    # indeks bygd før planene ble tatt ut); planene bare med sine egne grupper.
    return tj.indeks.sok(
        sporring,
        grupper,
        minnetilgang=plangrupper,
        filtre=filtre,
        bare_gjeldende=bare_gjeldende,
        sorter_dato=sorter_dato,
        side=side,
        per_side=per_side,
        minnedokumenter=planer,
    )


def indeksstatus(tj: Tjenester) -> str | None:
    """Det søkesiden skal si om søkeindeksen (mangler, bygges, ikke oppdatert), eller None."""
    return vedlikehold.melding(tj)


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
