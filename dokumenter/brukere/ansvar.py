"""Hva en ansatt har ansvar for, som noen må ta over når hen slutter: avtaler som ansvarlig,
åpne avvik som kommunens oppfølger, planer som koordinator og ventende signeringer.

Bare oppslag mot modellene; overføringen ligger i `dokumenter.overforing`. Deaktiveringen
(`kontoer.deaktiver`) nekter så lenge noe her ville stått uten noen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.models import Avtale, Avvik, Bruker, Plan, Signatar, Signeringsrunde

AVSLUTTEDE_AVTALER = ("ikke_inngaatt", "avsluttet")
AVSLUTTEDE_PLANER = ("avsluttet",)
GJELDENDE_RUNDER = ("aktiv", "pauset")


@dataclass
class Ansvar:
    avtaler: list[tuple[int, str, str]] = field(default_factory=list)  # id, part, status
    avvik: list[tuple[int, str, int]] = field(default_factory=list)  # id, nummer, avtale_id
    planer: list[tuple[int, str]] = field(default_factory=list)  # id, plannummer
    signeringer: list[tuple[str, int]] = field(default_factory=list)  # ("avtale"|"plan", id)
    kalender: bool = False  # har en kalenderlenke (trekkes ved overføring)

    @property
    def tomt(self) -> bool:
        """Ingenting som ville stått uten noen (kalenderlenken trekkes uansett)."""
        return not (self.avtaler or self.avvik or self.planer or self.signeringer)

    def antall(self) -> dict[str, int]:
        return {
            "avtaler": len(self.avtaler),
            "avvik": len(self.avvik),
            "planer": len(self.planer),
            "signeringer": len(self.signeringer),
        }


def ansvar(s: Session, bruker_id: int) -> Ansvar:
    avtaler = s.scalars(
        select(Avtale)
        .where(Avtale.ansvarlig_id == bruker_id, Avtale.status.not_in(AVSLUTTEDE_AVTALER))
        .order_by(Avtale.id)
    )
    avvik = s.scalars(
        select(Avvik)
        .where(Avvik.oppfolger_id == bruker_id, Avvik.status != "lukket")
        .order_by(Avvik.id)
    )
    planer = s.scalars(
        select(Plan)
        .where(Plan.koordinator_id == bruker_id, Plan.status.not_in(AVSLUTTEDE_PLANER))
        .order_by(Plan.id)
    )
    runder = s.scalars(
        select(Signeringsrunde)
        .join(Signatar, Signatar.runde_id == Signeringsrunde.id)
        .where(
            Signatar.bruker_id == bruker_id,
            Signatar.status == "venter",
            Signeringsrunde.status.in_(GJELDENDE_RUNDER),
        )
        .order_by(Signeringsrunde.id)
    )
    bruker = s.get(Bruker, bruker_id)
    return Ansvar(
        avtaler=[(a.id, a.part.navn, a.status) for a in avtaler],
        avvik=[(a.id, a.nummer, a.avtale_id) for a in avvik],
        planer=[(p.id, p.nummer) for p in planer],
        signeringer=[
            ("avtale", r.avtale_id) if r.avtale_id is not None else ("plan", r.plan_id)
            for r in runder
        ],
        kalender=bool(bruker and bruker.kalender_nokkel_hash),
    )
