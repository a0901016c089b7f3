"""Oppslag av parter: listen, valglisten, én part med kontaktpersonenes portaltilgang."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.infrastruktur.sidevis import hent_side
from dokumenter.models import Avtale, Bruker, Kontaktperson, Part
from dokumenter.parter.typer import SEKTORER, typer_i_sektor
from dokumenter.tjenester import Tjenester


@dataclass(frozen=True)
class Partrad:
    """En rad i partslisten."""

    id: int
    navn: str
    type: str
    orgnr: str
    kontaktpersoner: tuple[str, ...]


PARTSLISTE = Sortering({"navn": False, "type": False, "orgnr": False}, standard="navn")


def liste(
    tj: Tjenester, sektor: str = "", tekst: str = "", utvalg: Utvalg | None = None
) -> Side[Partrad]:
    """Én side av partene, med kontaktpersonene (én spørring for hele siden). `sektor` og
    `tekst` (del av navnet eller organisasjonsnummeret) avgrenser."""
    utvalg = utvalg or PARTSLISTE.utvalg({})
    sporring = select(Part.id, Part.navn, Part.type, Part.orgnr)
    if sektor in SEKTORER:
        sporring = sporring.where(Part.type.in_(typer_i_sektor(sektor)))
    tekst = tekst.strip()[:100].replace("%", "").replace("_", "")
    if tekst:
        sporring = sporring.where(
            or_(Part.navn.ilike(f"%{tekst}%"), Part.orgnr == tekst.replace(" ", ""))
        )
    kolonner = {"navn": [Part.navn], "type": [Part.type], "orgnr": [Part.orgnr]}
    with tj.sesjoner() as s:
        side = hent_side(s, sporring, utvalg, kolonner, Part.id, tuple)
        kontakter: dict[int, list[str]] = {}
        for part_id, navn in s.execute(
            select(Kontaktperson.part_id, Kontaktperson.navn)
            .where(Kontaktperson.part_id.in_([r[0] for r in side.rader]))
            .order_by(Kontaktperson.id)
        ):
            kontakter.setdefault(part_id, []).append(navn)
    return Side(
        [Partrad(*r, tuple(kontakter.get(r[0], ()))) for r in side.rader], side.totalt, side.utvalg
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
