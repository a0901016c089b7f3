"""Det sidene viser av arkivet: sakens saksnummer, arkivdel, klasse, skjerming og
journalposter (med meldingens status hos sak/arkiv), og om et avvik er skjermet.

Planens sak vises bare på plansiden, som alt har sjekket tilgangen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from dokumenter.felles.tid import som_utc
from dokumenter.models import (
    Arkivdel,
    Arkivmelding,
    Bruker,
    Journalpost,
    Klasse,
    Saksmappe,
    Skjermingsendring,
)
from dokumenter.noark import kodeverk as kv
from dokumenter.noark.skjerming import avvik_skjermet as _avvik_skjermet
from dokumenter.noark.skjerming import mappe_skjermet, skjermede_avvik
from dokumenter.tjenester import Tjenester

MELDINGSSTATUS = {"ny": "I utboksen", "sendt": "Sendt", "kvittert": "Arkivert", "feilet": "Feilet"}


@dataclass
class Journallinje:
    nummer: str  # «2026/17-3»: saksnummer og nummeret i saken
    journalnummer: str  # «2026/123»
    type: str
    dato: object
    tittel: str
    korrespondansepart: str
    skjermet: bool
    melding: str  # status for meldingen til sak/arkiv
    arkivets_nummer: str


@dataclass
class Skjermingslinje:
    tidspunkt: datetime
    hvem: str
    skjermet: bool
    grunn: str


@dataclass
class Arkivsak:
    saksnummer: str
    system_id: str
    arkivdel: str
    klasse: str
    skjermet: bool
    alltid_skjermet: bool
    kassasjon: str
    journalposter: list[Journallinje] = field(default_factory=list)
    skjerming: list[Skjermingslinje] = field(default_factory=list)


def for_avtale(tj: Tjenester, avtale_id: int) -> Arkivsak | None:
    return _sak(tj, Saksmappe.avtale_id == avtale_id)


def for_plan(tj: Tjenester, plan_id: int) -> Arkivsak | None:
    return _sak(tj, Saksmappe.plan_id == plan_id)


def avvik_skjermet(tj: Tjenester, avvik_id: int) -> bool:
    with tj.sesjoner() as s:
        return _avvik_skjermet(s, avvik_id)


def _sak(tj: Tjenester, vilkar) -> Arkivsak | None:
    with tj.sesjoner() as s:
        mappe = s.scalar(select(Saksmappe).where(vilkar))
        if mappe is None:
            return None
        skjermet = mappe_skjermet(s, mappe)
        klasse = s.get(Klasse, mappe.klasse_id)
        saksnummer = f"{mappe.saksaar}/{mappe.sakssekvensnummer}"
        kassasjon = mappe.kassasjonsvedtak + (
            f" ({mappe.bevaringstid} år etter avslutning)" if mappe.bevaringstid else ""
        )
        sak = Arkivsak(
            saksnummer,
            mappe.system_id,
            s.get(Arkivdel, mappe.arkivdel_id).tittel,
            f"{klasse.klasse_id} {klasse.tittel}",
            skjermet,
            mappe.plan_nummer is not None,
            kassasjon,
        )
        rader = s.execute(
            select(Journalpost, Arkivmelding)
            .outerjoin(Arkivmelding, Arkivmelding.journalpost_id == Journalpost.id)
            .where(Journalpost.saksmappe_id == mappe.id)
            .order_by(Journalpost.journalpostnummer)
        ).all()
        # Skjermingen av avvikene i saken i én spørring, ikke én per avvik.
        avvik_skjermet = skjermede_avvik(s, (jp.avvik_id for jp, _ in rader if jp.avvik_id))
        for jp, melding in rader:
            sak.journalposter.append(
                Journallinje(
                    f"{saksnummer}-{jp.journalpostnummer}",
                    f"{jp.journalaar}/{jp.journalsekvensnummer}",
                    kv.JOURNALPOSTTYPER[jp.journalposttype],
                    jp.journaldato,
                    jp.tittel,
                    jp.korrespondansepart,
                    skjermet or jp.avvik_id in avvik_skjermet,
                    MELDINGSSTATUS.get(melding.status, "") if melding else "",
                    melding.arkivets_journalpostnummer if melding else "",
                )
            )
        endringer = s.scalars(
            select(Skjermingsendring)
            .where(Skjermingsendring.saksmappe_id == mappe.id)
            .order_by(Skjermingsendring.id)
        ).all()
        ider = {rad.bruker_id for rad in endringer}  # bare navnene som vises, ikke alle brukere
        navn = dict(s.execute(select(Bruker.id, Bruker.navn).where(Bruker.id.in_(ider))).all())
        for rad in endringer:
            sak.skjerming.append(
                Skjermingslinje(
                    som_utc(rad.tidspunkt), navn.get(rad.bruker_id, ""), rad.skjermet, rad.grunn
                )
            )
        return sak
