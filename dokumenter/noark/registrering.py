"""Journalføringen (`Journalforing`, porten `Tjenester.journal`): saksmappen når en avtale eller
plan opprettes, og en journalpost med dokumentbeskrivelser og dokumentobjekter for hvert
dokument som går ut, kommer inn eller lages, med meldingen til sak/arkiv i utboksen.

Alt skjer i transaksjonen som gjør endringen, så hendelsen og journalposten finnes begge
eller ingen av dem. Numrene (saksår/sekvensnummer, journalår/sekvensnummer og
journalpostnummer i saken) gis under en lås (PostgreSQL: en transaksjonslås; SQLite tar
skrivelåsen ved BEGIN IMMEDIATE), så to samtidige registreringer aldri får samme nummer.
"""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dokumenter.felles.tid import naa
from dokumenter.models import (
    Arkivdel,
    Avtale,
    Dokumentbeskrivelse,
    Dokumentobjekt,
    Journalpost,
    Klasse,
    Plan,
    Saksmappe,
)
from dokumenter.noark import arkivmelding, kassasjon, poster
from dokumenter.noark import kodeverk as kv
from dokumenter.noark.klassifikasjon import ordning
from dokumenter.noark.poster import Nypost, ny_system_id
from dokumenter.tjenester import Arkivhendelse, Tjenester

NUMMERLAS = 150010  # nøkkelen for PostgreSQL-låsen på numrene (pg_advisory_xact_lock)


class Journalforing:
    """Implementasjonen av porten `Tjenester.journal` (koblet til med `noark.koble_til`)."""

    def __init__(self, tj: Tjenester) -> None:
        self.tj = tj

    def ny_sak(self, s: Session, art: str, sak_id: int, bruker_id: int) -> None:
        saksmappe(self.tj, s, art, sak_id, bruker_id)

    def registrer(self, s: Session, hendelse: Arkivhendelse) -> None:
        mappe = saksmappe(self.tj, s, hendelse.art, hendelse.sak_id, hendelse.bruker_id)
        post = poster.BYGGERE[hendelse.type](self.tj, s, mappe, hendelse)
        if hendelse.kilde_id is not None:
            post.kilde = f"{hendelse.art}/{hendelse.type}:{hendelse.kilde_id}"
        jp = journalfor(s, mappe, post, hendelse.bruker_id)
        arkivmelding.legg_i_utboks(self.tj, s, mappe, jp)

    def kasser_plan(self, s: Session, plan_id: int, utfort_av: str) -> None:
        mappe = saksmappe(self.tj, s, "plan", plan_id, None)
        kassasjon.kasser_plan(s, mappe, plan_id, utfort_av)


def _las_numrene(s: Session) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:n)"), {"n": NUMMERLAS})


def saksmappe(tj: Tjenester, s: Session, art: str, sak_id: int, bruker_id: int | None) -> Saksmappe:
    """Sakens saksmappe; lages første gang (også for avtaler og planer fra før arkivet kom)."""
    kolonne = Saksmappe.avtale_id if art == "avtale" else Saksmappe.plan_id
    mappe = s.scalar(select(Saksmappe).where(kolonne == sak_id))
    if mappe is not None:
        return mappe
    _las_numrene(s)
    if art == "avtale":
        avtale = s.get(Avtale, sak_id)
        part, arkivdel_kode = avtale.part, kv.SAMARBEIDSAVTALER
        tittel, forste = f"Samarbeidsavtale med {part.navn}", "Samarbeidsavtale med"
        kassasjon: dict = {"kassasjonsvedtak": kv.BEVARES[1], "bevaringstid": None}
        ekstra: dict = {"avtale_id": sak_id}
    else:
        plan = s.get(Plan, sak_id)
        part, arkivdel_kode = plan.part, kv.INDIVIDUELLE_PLANER
        # Nummeret, aldri personen. Tittelen er likevel skjermet (planer er alltid skjermet).
        tittel, forste = f"Individuell plan {plan.nummer}", "Individuell plan"
        dager = tj.innstillinger.plan_oppbevaring_dager
        kassasjon = {
            "kassasjonsvedtak": kv.KASSERES[1],
            "kassasjonshjemmel": kv.KASSASJONSHJEMMEL_PLAN,
            "bevaringstid": math.ceil(dager / 365),
        }
        ekstra = {"plan_id": sak_id, "plan_nummer": plan.nummer}
    arkivdel = s.scalar(select(Arkivdel).where(Arkivdel.kode == arkivdel_kode))
    klassedef = ordning(tj.innstillinger.arkivoppsett.klasser).klasse_for(arkivdel_kode, part.type)
    klasse = s.scalar(
        select(Klasse).where(
            Klasse.arkivdel_id == arkivdel.id, Klasse.klasse_id == klassedef.klasse_id
        )
    )
    if klasse is None:
        klasse = Klasse(
            system_id=ny_system_id(),
            arkivdel_id=arkivdel.id,
            klasse_id=klassedef.klasse_id,
            tittel=klassedef.tittel,
        )
        s.add(klasse)
        s.flush()
    aar = date.today().year
    mappe = Saksmappe(
        system_id=ny_system_id(),
        arkivdel_id=arkivdel.id,
        klasse_id=klasse.id,
        saksaar=aar,
        sakssekvensnummer=_neste(s, Saksmappe.sakssekvensnummer, Saksmappe.saksaar, aar),
        part_id=part.id,
        tittel=tittel,
        offentlig_tittel=f"{forste} {kv.SKJULT}",
        siste_journalpostnummer=0,
        opprettet_av_id=bruker_id,
        **kassasjon,
        **ekstra,
    )
    s.add(mappe)
    s.flush()
    return mappe


def _neste(s: Session, kolonne, aarskolonne, aar: int) -> int:
    return (s.scalar(select(func.max(kolonne)).where(aarskolonne == aar)) or 0) + 1


def journalfor(s: Session, mappe: Saksmappe, post: Nypost, bruker_id: int | None) -> Journalpost:
    """Journalposten med dokumentene, med neste journalnummer og neste nummer i saken."""
    _las_numrene(s)
    idag = date.today()
    mappe.siste_journalpostnummer += 1
    arkivdel_id = s.scalar(select(Arkivdel.id).where(Arkivdel.kode == post.arkivdel))
    jp = Journalpost(
        system_id=ny_system_id(),
        saksmappe_id=mappe.id,
        arkivdel_id=arkivdel_id,
        journalaar=idag.year,
        journalsekvensnummer=_neste(
            s, Journalpost.journalsekvensnummer, Journalpost.journalaar, idag.year
        ),
        journalpostnummer=mappe.siste_journalpostnummer,
        journalposttype=post.type,
        journalstatus=kv.JOURNALSTATUS[post.type][1],
        journaldato=idag,
        dokumentets_dato=post.dokumentets_dato,
        hendelse=post.hendelse,
        kilde=post.kilde,
        tittel=post.tittel[:300],
        offentlig_tittel=f"{post.forste_del} {kv.SKJULT}"[:300],
        avvik_id=post.avvik_id,
        korrespondanseparttype=kv.KORRESPONDANSEPARTTYPER[post.type][1],
        korrespondansepart=post.korrespondansepart[:200] or kv.SYSTEMET,
        kontaktperson=post.kontaktperson[:200],
        opprettet_av_id=bruker_id,
    )
    s.add(jp)
    s.flush()
    tid = naa()
    for nummer, dok in enumerate(post.dokumenter, 1):
        beskrivelse = Dokumentbeskrivelse(
            system_id=ny_system_id(),
            journalpost_id=jp.id,
            dokumentnummer=nummer,
            dokumenttype=dok.dokumenttype,
            tittel=dok.tittel[:300],
            opprettet=tid,
            opprettet_av_id=bruker_id,
        )
        s.add(beskrivelse)
        s.flush()
        for fil in dok.filer:
            s.add(
                Dokumentobjekt(
                    system_id=ny_system_id(),
                    dokumentbeskrivelse_id=beskrivelse.id,
                    versjonsnummer=1,
                    variantformat=fil.variantformat[1],
                    filtype=fil.filtype,
                    format=fil.format[0],
                    format_detaljer=fil.format[1][:100],
                    konvertert=fil.konvertert,
                    lager_sha256=fil.lager_sha256,
                    kryptert=fil.kryptert,
                    sjekksum=fil.sjekksum,
                    filstoerrelse=fil.storrelse,
                    opprettet=tid,
                    opprettet_av_id=bruker_id,
                )
            )
    s.flush()
    return jp
