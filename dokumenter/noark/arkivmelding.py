"""Fiks Arkiv: én `arkivmelding` (no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett) per
journalpost, lagt i utboksen i samme transaksjon som journalposten. Den første meldingen i en
sak har også saksmappen med.

Meldingen er et øyeblikksbilde: det som ble registrert, slik det var da. Sak/arkiv-systemet
gir sine egne numre og systemID-er; vår saksmappe og journalpost finnes igjen der som
`referanseEksternNoekkel` (fagsystem «dokumenter», nøkkel = vår systemID).
"""

from __future__ import annotations

import uuid

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.models import (
    Arkivdel,
    Arkivmelding,
    Avtale,
    Dokumentbeskrivelse,
    Dokumentobjekt,
    Journalpost,
    Klasse,
    Part,
    Plan,
    Saksmappe,
)
from dokumenter.noark import kodeverk as kv
from dokumenter.noark.poster import brukernavn
from dokumenter.noark.skjerming import journalpost_skjermet, mappe_skjermet
from dokumenter.noark.xml import FIKS_AM, FIKS_MDK, XSI, dato, med_type, tid, under
from dokumenter.tjenester import Tjenester

MELDINGSTYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett"
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def legg_i_utboks(tj: Tjenester, s: Session, mappe: Saksmappe, jp: Journalpost) -> Arkivmelding:
    """Meldingen for journalposten, med saksmappen når saken ikke har sendt noe før."""
    tidligere = s.scalar(
        select(Arkivmelding.id)
        .join(Journalpost, Journalpost.id == Arkivmelding.journalpost_id)
        .where(Journalpost.saksmappe_id == mappe.id)
        .limit(1)
    )
    xml, filer = bygg(tj, s, mappe, jp, med_mappe=tidligere is None)
    melding = Arkivmelding(
        meldings_id=str(uuid.uuid4()),
        journalpost_id=jp.id,
        meldingstype=MELDINGSTYPE,
        xml=xml,
        filer=filer,
        status="ny",
        forsok=0,
        feil="",
    )
    s.add(melding)
    return melding


def _m(forelder: etree._Element, navn: str, tekst: object = None) -> etree._Element:
    """Et element fra metadatakatalogen (kode, beskrivelse, navn, fagsystem …)."""
    el = etree.SubElement(forelder, f"{{{FIKS_MDK}}}{navn}")
    if tekst is not None:
        el.text = str(tekst)
    return el


def _kode(forelder: etree._Element, navn: str, kode: tuple[str, str]) -> None:
    el = under(forelder, navn)
    _m(el, "kode", kode[0])
    _m(el, "beskrivelse", kode[1])


def _ekstern(forelder: etree._Element, navn: str, system_id: str, mdk: bool = False) -> None:
    """Vår nøkkel hos sak/arkiv (fagsystem + systemID). `mdk`: elementet står i en type fra
    metadatakatalogen (referanseTilMappe), og er da selv i det navnerommet."""
    el = _m(forelder, navn) if mdk else under(forelder, navn)
    _m(el, "fagsystem", kv.SYSTEM)
    _m(el, "noekkel", system_id)


def _skjerming(forelder: etree._Element) -> None:
    el = under(forelder, "skjerming")
    _kode(el, "tilgangsrestriksjon", kv.UNNTATT)
    under(el, "skjermingshjemmel", kv.SKJERMINGSHJEMMEL)


def bygg(
    tj: Tjenester, s: Session, mappe: Saksmappe, jp: Journalpost, med_mappe: bool
) -> tuple[str, list[dict]]:
    """(arkivmelding.xml, filene som følger med) for journalposten."""
    rot = etree.Element(
        f"{{{FIKS_AM}}}arkivmelding", nsmap={None: FIKS_AM, "n5mdk": FIKS_MDK, "xsi": XSI}
    )
    rot.set(f"{{{XSI}}}schemaLocation", f"{FIKS_AM} {MELDINGSTYPE}.xsd")
    under(rot, "system", kv.SYSTEM)
    antall = under(rot, "antallFiler")
    part = s.get(Part, mappe.part_id)
    if med_mappe:
        _mappe(tj, s, under(rot, "mappe"), mappe, part)
    filer = _registrering(s, med_type(under(rot, "registrering"), "journalpost"), mappe, jp)
    antall.text = str(len(filer))
    xml = etree.tostring(rot, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml.decode("utf-8"), filer


def _mappe(tj: Tjenester, s: Session, el: etree._Element, mappe: Saksmappe, part: Part) -> None:
    med_type(el, "saksmappe")
    skjermet = mappe_skjermet(s, mappe)
    under(el, "tittel", mappe.tittel)
    if skjermet:
        under(el, "offentligTittel", mappe.offentlig_tittel)
    under(el, "opprettetDato", tid(mappe.opprettet))
    under(el, "opprettetAv", brukernavn(s, mappe.opprettet_av_id))
    arkivdel = s.get(Arkivdel, mappe.arkivdel_id)
    _kode(el, "arkivdel", (arkivdel.kode, arkivdel.tittel))
    p = under(el, "part")
    under(p, "partNavn", part.navn)
    _kode(p, "partRolle", ("AVTALEPART", "Avtalepart"))
    org = under(p, "organisasjonID")
    under(org, "identifikator", part.orgnr)
    if skjermet:
        _skjerming(el)
    klasse = s.get(Klasse, mappe.klasse_id)
    k = under(el, "klassifikasjon")
    under(k, "klassifikasjonssystemID", arkivdel.klassifikasjonssystem_id)
    under(k, "klasseID", klasse.klasse_id)
    under(k, "tittel", klasse.tittel)
    _ekstern(el, "referanseEksternNoekkel", mappe.system_id)
    under(el, "saksdato", dato(mappe.opprettet.date()))
    enhet = under(el, "administrativEnhet")
    _m(enhet, "navn", tj.innstillinger.arkivoppsett.enhet)
    ansvarlig = under(el, "saksansvarlig")
    _m(ansvarlig, "navn", _saksansvarlig(s, mappe))
    _kode(el, "saksstatus", kv.UNDER_BEHANDLING)


def _saksansvarlig(s: Session, mappe: Saksmappe) -> str:
    if mappe.avtale_id is not None:
        return s.get(Avtale, mappe.avtale_id).ansvarlig.navn
    if mappe.plan_id is not None:
        return s.get(Plan, mappe.plan_id).koordinator.navn
    return mappe.saksansvarlig or kv.SYSTEMET


def _registrering(s: Session, el: etree._Element, mappe: Saksmappe, jp: Journalpost) -> list[dict]:
    skjermet = journalpost_skjermet(s, jp, mappe)
    under(el, "systemID", jp.system_id)
    under(el, "opprettetDato", tid(jp.opprettet))
    under(el, "opprettetAv", brukernavn(s, jp.opprettet_av_id))
    forelder = under(el, "referanseForelderMappe")
    _ekstern(forelder, "referanseEksternNoekkel", mappe.system_id, mdk=True)
    if skjermet:
        _skjerming(el)
    filer: list[dict] = []
    beskrivelser = s.scalars(
        select(Dokumentbeskrivelse)
        .where(Dokumentbeskrivelse.journalpost_id == jp.id)
        .order_by(Dokumentbeskrivelse.dokumentnummer)
    ).all()
    for db in beskrivelser:
        _dokument(s, under(el, "dokumentbeskrivelse"), db, jp, skjermet, filer)
    under(el, "tittel", jp.tittel)
    if skjermet:
        under(el, "offentligTittel", jp.offentlig_tittel)
    kp = under(el, "korrespondansepart")
    _kode(kp, "korrespondanseparttype", kv.KORRESPONDANSEPARTTYPER[jp.journalposttype])
    under(kp, "korrespondansepartNavn", jp.korrespondansepart)
    if jp.kontaktperson:
        under(kp, "kontaktperson", jp.kontaktperson)
    if skjermet:
        under(kp, "erSkjermet", "true")
    _ekstern(el, "referanseEksternNoekkel", jp.system_id)
    _kode(el, "journalposttype", (jp.journalposttype, kv.JOURNALPOSTTYPER[jp.journalposttype]))
    _kode(el, "journalstatus", kv.JOURNALSTATUS[jp.journalposttype])
    under(el, "journaldato", dato(jp.journaldato))
    under(el, "dokumentetsDato", dato(jp.dokumentets_dato))
    if jp.journalposttype == "I":
        under(el, "mottattDato", tid(jp.opprettet))
    elif jp.journalposttype == "U":
        under(el, "sendtDato", tid(jp.opprettet))
    return filer


def _dokument(
    s: Session,
    el: etree._Element,
    db: Dokumentbeskrivelse,
    jp: Journalpost,
    skjermet: bool,
    filer: list[dict],
) -> None:
    under(el, "systemID", db.system_id)
    _kode(el, "dokumenttype", (db.dokumenttype.upper()[:20], db.dokumenttype))
    _kode(el, "dokumentstatus", kv.DOKUMENTSTATUS)
    under(el, "tittel", db.tittel)
    under(el, "opprettetDato", tid(db.opprettet))
    _kode(el, "tilknyttetRegistreringSom", kv.HOVEDDOKUMENT)
    under(el, "dokumentnummer", db.dokumentnummer)
    if skjermet:
        _skjerming(el)
    objekter = s.scalars(
        select(Dokumentobjekt)
        .where(Dokumentobjekt.dokumentbeskrivelse_id == db.id)
        .order_by(Dokumentobjekt.id)
    ).all()
    for do in objekter:
        o = under(el, "dokumentobjekt")
        under(o, "systemID", do.system_id)
        under(o, "versjonsnummer", do.versjonsnummer)
        variant = kv.ARKIVFORMAT if do.variantformat == kv.ARKIVFORMAT[1] else kv.PRODUKSJONSFORMAT
        _kode(o, "variantformat", variant)
        _kode(o, "format", (do.format, do.format_detaljer or do.format))
        under(o, "mimeType", MIME.get(do.filtype, "application/octet-stream"))
        filnavn = f"{_filnavn(db.tittel)}.{do.filtype}"
        referanse = f"{do.system_id}.{do.filtype}"
        under(o, "filnavn", filnavn)
        under(o, "referanseDokumentfil", referanse)
        under(o, "sjekksum", do.sjekksum)
        under(o, "sjekksumAlgoritme", kv.SJEKKSUMALGORITME)
        under(o, "filstoerrelse", do.filstoerrelse)
        filer.append(
            {
                "referanseDokumentfil": referanse,
                "filnavn": filnavn,
                "lager_sha256": do.lager_sha256,
                "kryptert": do.kryptert,
                "sjekksum": do.sjekksum,
                "storrelse": do.filstoerrelse,
            }
        )


def _filnavn(tittel: str) -> str:
    rent = "".join(t if t.isalnum() or t in " -_.,()" else "-" for t in tittel)
    return rent.strip()[:120] or "dokument"
