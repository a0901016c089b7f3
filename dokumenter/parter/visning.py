"""Oppslag av parter: listen, valglisten, én part med kontaktpersonenes portaltilgang."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.models import Avtale, Bruker, Kontaktperson, Part
from dokumenter.tjenester import Tjenester


def liste(tj: Tjenester) -> list[Part]:
    with tj.sesjoner() as s:
        return list(
            s.scalars(select(Part).options(selectinload(Part.kontaktpersoner)).order_by(Part.navn))
        )


def valg(tj: Tjenester) -> list[tuple[int, str]]:
    """(id, navn) for alle parter, til valglister."""
    with tj.sesjoner() as s:
        return [(r.id, r.navn) for r in s.execute(select(Part.id, Part.navn).order_by(Part.navn))]


def hent(tj: Tjenester, part_id: int) -> Part:
    """Parten med kontaktpersonene (til skjemaet)."""
    with tj.sesjoner() as s:
        part = s.get(Part, part_id, options=[selectinload(Part.kontaktpersoner)])
    if part is None:
        raise IkkeFunnet("Parten finnes ikke.")
    return part


@dataclass
class Partside:
    part: Part
    portal: dict[str, str]  # e-post -> «Har tilgang» / «Invitert»


def partside(tj: Tjenester, part_id: int) -> Partside:
    with tj.sesjoner() as s:
        part = s.get(
            Part,
            part_id,
            options=[
                selectinload(Part.kontaktpersoner),
                selectinload(Part.avtaler).selectinload(Avtale.ansvarlig),
            ],
        )
        if part is None:
            raise IkkeFunnet("Parten finnes ikke.")
        # Portaltilgang per kontaktperson (partnerbrukeren har e-postadressen som brukernavn).
        epost = {k.epost.strip().lower() for k in part.kontaktpersoner if k.epost}
        portal = {
            b.brukernavn: "Har tilgang" if b.aktiv else "Invitert"
            for b in s.scalars(
                select(Bruker).where(
                    Bruker.rolle == PARTNER, Bruker.part_id == part_id, Bruker.brukernavn.in_(epost)
                )
            )
        }
    return Partside(part, portal)


def kontaktperson(tj: Tjenester, part_id: int, kontakt_id: int) -> Kontaktperson:
    with tj.sesjoner() as s:
        kp = s.get(Kontaktperson, kontakt_id)
    if kp is None or kp.part_id != part_id:
        raise IkkeFunnet("Kontaktpersonen finnes ikke.")
    return kp
