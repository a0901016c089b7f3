"""Skjerming: hva som er unntatt offentlighet, og brukstilfellet for å skjerme eller oppheve.

- Individuelle planer er alltid skjermet (tittel og korrespondansepart; hjemmel
  `kodeverk.SKJERMINGSHJEMMEL`), og personen står aldri i en tittel.
- En avtale (saksmappen) er åpen til en ansatt skjermer den; et avvik (avvikets journalposter)
  likeså, for eksempel når det gjelder en navngitt person.
- Hver endring står i `skjermingsendring` med hvem, når og hvorfor (den siste gjelder), i
  avtalens revisjonslogg og i arkivuttrekkets endringslogg.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dokumenter.avtaler.livslop import logg
from dokumenter.brukere.roller import krev_skrivetilgang
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.validering import rens_tekst
from dokumenter.models import Avvik, Journalpost, Saksmappe, Skjermingsendring
from dokumenter.tjenester import Tjenester


def _siste(s: Session, vilkar) -> bool:
    rad = s.scalar(
        select(Skjermingsendring.skjermet)
        .where(vilkar)
        .order_by(Skjermingsendring.id.desc())
        .limit(1)
    )
    return bool(rad)


def mappe_skjermet(s: Session, mappe: Saksmappe) -> bool:
    if mappe.plan_nummer is not None:
        return True
    return _siste(s, Skjermingsendring.saksmappe_id == mappe.id)


def avvik_skjermet(s: Session, avvik_id: int) -> bool:
    return _siste(s, Skjermingsendring.avvik_id == avvik_id)


def skjermede_avvik(s: Session, avvik_ider: Iterable[int]) -> set[int]:
    """Hvilke av avvikene som er skjermet nå (den siste endringen per avvik), i én spørring."""
    ider = set(avvik_ider)
    if not ider:
        return set()
    siste = (
        select(func.max(Skjermingsendring.id))
        .where(Skjermingsendring.avvik_id.in_(ider))
        .group_by(Skjermingsendring.avvik_id)
    )
    return set(
        s.scalars(
            select(Skjermingsendring.avvik_id).where(
                Skjermingsendring.id.in_(siste), Skjermingsendring.skjermet.is_(True)
            )
        )
    )


def journalpost_skjermet(s: Session, jp: Journalpost, mappe: Saksmappe) -> bool:
    return mappe_skjermet(s, mappe) or (jp.avvik_id is not None and avvik_skjermet(s, jp.avvik_id))


def skjermet_naa(s: Session) -> tuple[set[int], set[int]]:
    """(saksmapper, avvik) som er skjermet nå, fra hele loggen på én gang (for uttrekket)."""
    mapper: dict[int, bool] = {}
    avvik: dict[int, bool] = {}
    for mappe_id, avvik_id, skjermet in s.execute(
        select(
            Skjermingsendring.saksmappe_id,
            Skjermingsendring.avvik_id,
            Skjermingsendring.skjermet,
        ).order_by(Skjermingsendring.id)
    ):
        if mappe_id is not None:
            mapper[mappe_id] = skjermet
        if avvik_id is not None:
            avvik[avvik_id] = skjermet
    return {m for m, j in mapper.items() if j}, {a for a, j in avvik.items() if j}


def sett_skjerming(
    tj: Tjenester,
    bruker_id: int,
    skjermet: bool,
    grunn: str,
    avtale_id: int | None = None,
    avvik_id: int | None = None,
    fra: str = "",
) -> None:
    """Skjerm eller opphev skjermingen av en avtales sak eller av et avvik, med begrunnelse.
    Planene er alltid skjermet og kan ikke endres her."""
    grunn = rens_tekst(grunn, flerlinjet=True)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor skjermingen endres."})
    if len(grunn) > 1000:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 1000 tegn."})
    with tj.transaksjon() as s:
        krev_skrivetilgang(s, bruker_id)
        if avvik_id is not None:
            avvik = s.get(Avvik, avvik_id)
            if avvik is None:
                raise IkkeFunnet("Avviket finnes ikke.")
            naa, hva, sak = avvik_skjermet(s, avvik_id), f"Avvik {avvik.nummer}", avvik.avtale_id
            rad = Skjermingsendring(avvik_id=avvik_id)
        else:
            mappe = s.scalar(select(Saksmappe).where(Saksmappe.avtale_id == avtale_id))
            if mappe is None:
                raise IkkeFunnet("Avtalen finnes ikke.")
            naa, hva, sak = mappe_skjermet(s, mappe), "Avtalens sak", avtale_id
            rad = Skjermingsendring(saksmappe_id=mappe.id)
        if naa == skjermet:
            tilstand = "skjermet" if skjermet else "ikke skjermet"
            raise Valideringsfeil({"skjermet": f"{hva} er allerede {tilstand}."})
        rad.skjermet, rad.grunn, rad.bruker_id = skjermet, grunn, bruker_id
        s.add(rad)
        logg(
            s,
            sak,
            "skjerming_endret",
            bruker_id,
            fra,
            skjermet=skjermet,
            grunn=grunn,
            **({"avvik": avvik.nummer} if avvik_id is not None else {}),
        )
