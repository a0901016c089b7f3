"""Kommunens ordning (klassifikasjonssystem og klasser) fra en TOML-fil: standard er
`ordning.toml` ved siden av denne modulen; DOKUMENTER_ARKIV_KLASSER peker på kommunens egen.

Filen leses og kontrolleres én gang per prosess. En feil i den er en feil i oppsettet
(`Oppsettsfeil`), med en norsk melding om hva som må rettes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dokumenter.felles.feil import Oppsettsfeil
from dokumenter.noark.kodeverk import INDIVIDUELLE_PLANER, SAMARBEIDSAVTALER

STANDARD = Path(__file__).resolve().parent / "ordning.toml"
MED_SAKER = (SAMARBEIDSAVTALER, INDIVIDUELLE_PLANER)  # arkivdelene der saksmappene står


@dataclass(frozen=True)
class Klassedef:
    arkivdel: str
    klasse_id: str
    tittel: str
    partstyper: tuple[str, ...]


@dataclass(frozen=True)
class Ordning:
    tittel: str
    type: str
    klasser: tuple[Klassedef, ...]

    def klasse_for(self, arkivdel: str, partstype: str) -> Klassedef:
        """Den første klassen i arkivdelen med partstypen, ellers arkivdelens reserve."""
        i_delen = [k for k in self.klasser if k.arkivdel == arkivdel]
        treff = next((k for k in i_delen if partstype in k.partstyper), None)
        return treff or next(k for k in i_delen if not k.partstyper)


def ordning(fil: Path | None) -> Ordning:
    return _les(str(fil or STANDARD))


@lru_cache(maxsize=4)
def _les(sti: str) -> Ordning:
    try:
        data = tomllib.loads(Path(sti).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise Oppsettsfeil(f"Klassifikasjonsfilen {sti} kan ikke leses: {e}") from e
    system = data.get("klassifikasjonssystem") or {}
    klasser = tuple(_klasse(sti, i, k) for i, k in enumerate(data.get("klasse") or [], 1))
    for arkivdel in MED_SAKER:
        if not any(k.arkivdel == arkivdel and not k.partstyper for k in klasser):
            raise Oppsettsfeil(
                f"Klassifikasjonsfilen {sti} mangler en reserveklasse (uten «partstyper») for "
                f"arkivdelen «{arkivdel}»."
            )
    ider = [(k.arkivdel, k.klasse_id) for k in klasser]
    if len(set(ider)) != len(ider):
        raise Oppsettsfeil(f"Klassifikasjonsfilen {sti} har samme klasseID to ganger.")
    tittel = str(system.get("tittel") or "").strip()
    if not tittel:
        raise Oppsettsfeil(f"Klassifikasjonsfilen {sti} mangler [klassifikasjonssystem] tittel.")
    return Ordning(tittel, str(system.get("type") or "").strip(), klasser)


def _klasse(sti: str, nummer: int, k: dict) -> Klassedef:
    arkivdel = str(k.get("arkivdel") or "")
    klasse_id = str(k.get("klasseID") or "").strip()
    tittel = str(k.get("tittel") or "").strip()
    if arkivdel not in MED_SAKER or not klasse_id or not tittel or len(klasse_id) > 40:
        raise Oppsettsfeil(
            f"Klassifikasjonsfilen {sti}, klasse nr. {nummer}: trenger «arkivdel» (en av "
            f"{', '.join(MED_SAKER)}), «klasseID» (høyst 40 tegn) og «tittel»."
        )
    return Klassedef(arkivdel, klasse_id, tittel[:200], tuple(k.get("partstyper") or ()))
