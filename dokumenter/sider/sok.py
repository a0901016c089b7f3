"""Søk med brukerens tilgangsgrupper: ansatte ser avtaler, avvik og evalueringer, og bare
de planene `planer.tilgang` gir dem grunnlag for."""

from __future__ import annotations

from arkiv.sok.indeks import Resultat
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
