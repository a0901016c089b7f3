"""Hva et arkivuttrekk omfatter, og dataene det skrives fra, lest i biter (så hukommelsen er
flat uansett størrelse) og i fast rekkefølge (så samme database gir samme uttrekk).

Utvalget er journalpostene med journaldato i perioden (og i arkivdelen, når den er valgt), og
saksmappene de står i; saksmapper uten journalposter tas med når de ble opprettet i perioden.
Saksstatus, saksansvarlig og avslutning leses fra avtalen eller planen (for en kassert plan:
slik de var ved kassasjonen). En enhet som ikke er avsluttet, får uttrekkets sluttidspunkt som
avsluttetDato (skjemaet krever den); saksstatusen viser at den fortsatt er under behandling.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import som_utc
from dokumenter.models import (
    Arkiv,
    Arkivdel,
    Avtale,
    Bruker,
    Dokumentbeskrivelse,
    Dokumentobjekt,
    Hendelse,
    Journalpost,
    Klasse,
    Kontaktperson,
    Metadataendring,
    Part,
    Plan,
    Planlogg,
    Saksmappe,
    Skjermingsendring,
)
from dokumenter.noark import kodeverk as kv
from dokumenter.noark.skjerming import skjermet_naa

BIT = 500  # saksmapper per spørring
IKKE_AVSLUTTET = "Ikke avsluttet (uttrekkets sluttidspunkt)"


@dataclass(frozen=True)
class Utvalg:
    fra: date | None = None
    til: date | None = None
    arkivdel: str | None = None  # kode eller tittel


@dataclass
class Grunnlag:
    """Det lille som trengs hele veien: arkivet, arkivdelene, klassene, navn og skjerming."""

    arkiv: Arkiv
    arkivdeler: dict[int, Arkivdel]
    klasser: dict[int, Klasse]
    brukere: dict[int, str]
    parter: dict[int, tuple[str, str, str]]  # navn, orgnr, første kontaktperson
    skjermede_mapper: set[int]
    skjermede_avvik: set[int]
    valgt_arkivdel: int | None
    sluttid: datetime
    start: date
    slutt: date

    def navn(self, bruker_id: int | None) -> str:
        return self.brukere.get(bruker_id, kv.SYSTEMET) if bruker_id else kv.SYSTEMET


@dataclass
class Post:
    jp: Journalpost
    skjermet: bool
    dokumenter: list[tuple[Dokumentbeskrivelse, list[Dokumentobjekt]]] = field(default_factory=list)


@dataclass
class Mappe:
    mappe: Saksmappe
    skjermet: bool
    saksstatus: str
    avsluttet: datetime
    avsluttet_av: str
    saksansvarlig: str
    kassasjonsdato: date | None
    poster: list[Post] = field(default_factory=list)


def journalvilkar(u: Utvalg, g: Grunnlag) -> list:
    vilkar = []
    if u.fra:
        vilkar.append(Journalpost.journaldato >= u.fra)
    if u.til:
        vilkar.append(Journalpost.journaldato <= u.til)
    if g.valgt_arkivdel is not None:
        vilkar.append(Journalpost.arkivdel_id == g.valgt_arkivdel)
    return vilkar


def _mappevilkar(u: Utvalg, g: Grunnlag) -> list:
    vilkar = []
    if u.fra:
        vilkar.append(Saksmappe.opprettet >= datetime.combine(u.fra, time(), UTC))
    if u.til:
        vilkar.append(Saksmappe.opprettet < datetime.combine(u.til + timedelta(1), time(), UTC))
    if g.valgt_arkivdel is not None:
        vilkar.append(Saksmappe.arkivdel_id == g.valgt_arkivdel)
    return vilkar


def grunnlag(s: Session, u: Utvalg) -> Grunnlag:
    arkivdeler = {a.id: a for a in s.scalars(select(Arkivdel).order_by(Arkivdel.id))}
    valgt = None
    if u.arkivdel:
        navn = u.arkivdel.strip().lower()
        treff = [a for a in arkivdeler.values() if navn in (a.kode, a.tittel.lower())]
        if not treff:
            kjente = ", ".join(f"«{a.tittel}»" for a in arkivdeler.values())
            raise Valideringsfeil({"arkivdel": f"Ukjent arkivdel. Velg en av {kjente}."})
        valgt = treff[0].id
    if u.fra and u.til and u.fra > u.til:
        raise Valideringsfeil({"fra": "Fra-datoen er etter til-datoen."})
    kontakter: dict[int, str] = {}
    for part_id, navn in s.execute(
        select(Kontaktperson.part_id, Kontaktperson.navn).order_by(Kontaktperson.id.desc())
    ):
        kontakter[part_id] = navn
    mapper, avvik = skjermet_naa(s)
    g = Grunnlag(
        arkiv=s.scalar(select(Arkiv)),
        arkivdeler=arkivdeler,
        klasser={k.id: k for k in s.scalars(select(Klasse))},
        brukere=dict(s.execute(select(Bruker.id, Bruker.navn)).all()),
        parter={
            p.id: (p.navn, p.orgnr, kontakter.get(p.id, ""))
            for p in s.execute(select(Part.id, Part.navn, Part.orgnr))
        },
        skjermede_mapper=mapper,
        skjermede_avvik=avvik,
        valgt_arkivdel=valgt,
        sluttid=datetime.now(UTC),
        start=date.today(),
        slutt=date.today(),
    )
    _periode(s, u, g)
    return g


def _periode(s: Session, u: Utvalg, g: Grunnlag) -> None:
    """Sluttidspunktet er slutten av til-datoen, eller ellers siste registrering eller endring
    i arkivet, ikke klokka nå: samme database gir samme uttrekk."""
    jv = journalvilkar(u, g)
    siste = [
        s.scalar(select(func.max(Journalpost.opprettet)).where(*jv)),
        s.scalar(select(func.max(Saksmappe.opprettet)).where(*_mappevilkar(u, g))),
        s.scalar(select(func.max(Metadataendring.endret))),
        s.scalar(select(func.max(Skjermingsendring.tidspunkt))),
        s.scalar(
            select(func.max(Hendelse.tidspunkt)).where(
                Hendelse.type.in_(("status_endret", "ansvar_overfort"))
            )
        ),
        s.scalar(
            select(func.max(Planlogg.tidspunkt)).where(
                Planlogg.handling.in_(("koordinator_byttet", "avsluttet"))
            )
        ),
    ]
    siste_tid = max((som_utc(t) for t in siste if t is not None), default=None)
    if u.til:
        g.sluttid = datetime.combine(u.til, time(23, 59, 59), UTC)
    elif siste_tid is not None:
        # Opp til hele sekunder (xs:dateTime i uttrekket), så ingen endring havner etter.
        g.sluttid = siste_tid.replace(microsecond=0) + timedelta(
            seconds=bool(siste_tid.microsecond)
        )
    else:
        g.sluttid = som_utc(g.arkiv.opprettet).replace(microsecond=0)
    forste = s.scalar(select(func.min(Journalpost.journaldato)).where(*jv))
    periodestart = min(a.periode_start for a in g.arkivdeler.values())
    g.start = u.fra or forste or periodestart
    g.slutt = u.til or g.sluttid.date()


def mappe_ider(s: Session, u: Utvalg, g: Grunnlag) -> list[int]:
    """Saksmappene i utvalget, i uttrekkets rekkefølge (arkivdel, klasse, saksnummer)."""
    sporring = (
        select(Saksmappe.id)
        .join(Klasse, Klasse.id == Saksmappe.klasse_id)
        .order_by(
            Saksmappe.arkivdel_id,
            Klasse.klasse_id,
            Saksmappe.saksaar,
            Saksmappe.sakssekvensnummer,
        )
    )
    mv = _mappevilkar(u, g)
    if mv:
        med_poster = select(Journalpost.saksmappe_id).where(*journalvilkar(u, g))
        sporring = sporring.where(or_(Saksmappe.id.in_(med_poster), and_(*mv)))
    return list(s.scalars(sporring))


def mapper(s: Session, u: Utvalg, g: Grunnlag, ider: list[int]) -> Iterator[Mappe]:
    """Saksmappene med journalposter og dokumenter, `BIT` om gangen. Sesjonen tømmes mellom
    bitene, så ingenting blir liggende."""
    jv = journalvilkar(u, g)
    for start in range(0, len(ider), BIT):
        bit = ider[start : start + BIT]
        yield from _bit(s, g, bit, jv)
        s.expunge_all()


def _bit(s: Session, g: Grunnlag, bit: list[int], jv: list) -> Iterator[Mappe]:
    rader = {m.id: m for m in s.scalars(select(Saksmappe).where(Saksmappe.id.in_(bit)))}
    avtaler = {
        a.id: a
        for a in s.execute(
            select(Avtale.id, Avtale.status, Avtale.ansvarlig_id, Avtale.endret).where(
                Avtale.id.in_([m.avtale_id for m in rader.values() if m.avtale_id])
            )
        )
    }
    planer = {
        p.id: p
        for p in s.execute(
            select(
                Plan.id, Plan.status, Plan.koordinator_id, Plan.endret, Plan.slettes_etter
            ).where(Plan.id.in_([m.plan_id for m in rader.values() if m.plan_id]))
        )
    }
    lukket = _avsluttet(s, avtaler, planer)
    jp_ider = select(Journalpost.id).where(Journalpost.saksmappe_id.in_(bit), *jv)
    poster: dict[int, list[Post]] = defaultdict(list)
    alle: dict[int, Post] = {}
    for jp in s.scalars(
        select(Journalpost)
        .where(Journalpost.id.in_(jp_ider))
        .order_by(Journalpost.saksmappe_id, Journalpost.journalpostnummer)
    ):
        skjermet = _mappe_skjermet(g, rader[jp.saksmappe_id]) or (jp.avvik_id in g.skjermede_avvik)
        post = Post(jp, skjermet)
        poster[jp.saksmappe_id].append(post)
        alle[jp.id] = post
    objekter: dict[int, list[Dokumentobjekt]] = defaultdict(list)
    db_ider = select(Dokumentbeskrivelse.id).where(Dokumentbeskrivelse.journalpost_id.in_(jp_ider))
    for do in s.scalars(
        select(Dokumentobjekt)
        .where(Dokumentobjekt.dokumentbeskrivelse_id.in_(db_ider), Dokumentobjekt.filtype == "pdf")
        .order_by(Dokumentobjekt.id)
    ):
        objekter[do.dokumentbeskrivelse_id].append(do)
    for db in s.scalars(
        select(Dokumentbeskrivelse)
        .where(Dokumentbeskrivelse.journalpost_id.in_(jp_ider))
        .order_by(Dokumentbeskrivelse.journalpost_id, Dokumentbeskrivelse.dokumentnummer)
    ):
        alle[db.journalpost_id].dokumenter.append((db, objekter.get(db.id, [])))
    for mappe_id in bit:
        m = rader[mappe_id]
        yield _mappe(g, m, avtaler, planer, lukket, poster.get(mappe_id, []))


def _mappe_skjermet(g: Grunnlag, m: Saksmappe) -> bool:
    return m.plan_nummer is not None or m.id in g.skjermede_mapper


def _avsluttet(s: Session, avtaler: dict, planer: dict) -> dict[tuple[str, int], tuple]:
    """(art, id) -> (tidspunkt, bruker_id) for avsluttede avtaler og planer."""
    ut: dict[tuple[str, int], tuple] = {}
    lukkede = [a.id for a in avtaler.values() if a.status in kv.AVSLUTTEDE_AVTALER]
    for avtale_id, tid, bruker in s.execute(
        select(Hendelse.avtale_id, Hendelse.tidspunkt, Hendelse.bruker_id)
        .where(Hendelse.avtale_id.in_(lukkede), Hendelse.type == "status_endret")
        .order_by(Hendelse.id)
    ):
        ut[("avtale", avtale_id)] = (tid, bruker)
    lukkede = [p.id for p in planer.values() if p.status in kv.AVSLUTTEDE_PLANER]
    for plan_id, tid, bruker in s.execute(
        select(Planlogg.plan_id, Planlogg.tidspunkt, Planlogg.bruker_id)
        .where(Planlogg.plan_id.in_(lukkede), Planlogg.handling == "avsluttet")
        .order_by(Planlogg.id)
    ):
        ut[("plan", plan_id)] = (tid, bruker)
    return ut


def _mappe(
    g: Grunnlag, m: Saksmappe, avtaler: dict, planer: dict, lukket: dict, poster: list[Post]
) -> Mappe:
    apen = (kv.UNDER_BEHANDLING[1], g.sluttid, IKKE_AVSLUTTET)
    kassasjonsdato = m.kassasjonsdato
    if m.avtale_id is not None:
        a = avtaler[m.avtale_id]
        ansvarlig = g.navn(a.ansvarlig_id)
        status = apen
        if a.status in kv.AVSLUTTEDE_AVTALER:
            tid, bruker = lukket.get(("avtale", a.id), (a.endret, None))
            status = (kv.AVSLUTTET[1], som_utc(tid), g.navn(bruker))
    elif m.plan_id is not None:
        p = planer[m.plan_id]
        ansvarlig, kassasjonsdato = g.navn(p.koordinator_id), p.slettes_etter
        status = apen
        if p.status in kv.AVSLUTTEDE_PLANER:
            tid, bruker = lukket.get(("plan", p.id), (p.endret, None))
            status = (kv.AVSLUTTET[1], som_utc(tid), g.navn(bruker))
    else:  # kassert plan: slik den var ved kassasjonen
        ansvarlig = m.saksansvarlig or kv.SYSTEMET
        status = (kv.AVSLUTTET[1], som_utc(m.avsluttet or m.kassert), m.avsluttet_av)
    return Mappe(
        m,
        _mappe_skjermet(g, m),
        status[0],
        min(status[1], g.sluttid) if status[0] == kv.AVSLUTTET[1] else status[1],
        status[2] or kv.SYSTEMET,
        ansvarlig,
        kassasjonsdato,
        poster,
    )


def antall_i_basen(s: Session, u: Utvalg, g: Grunnlag, ider: list[int]) -> dict[str, int]:
    """Det databasen sier utvalget har, talt uavhengig av skrivingen (for kontrollen)."""
    jv = journalvilkar(u, g)
    jp = select(Journalpost.id).where(*jv)
    db = select(Dokumentbeskrivelse.id).where(Dokumentbeskrivelse.journalpost_id.in_(jp))
    return {
        "mappe": len(ider),
        "registrering": s.scalar(select(func.count()).select_from(jp.subquery())),
        "dokumentbeskrivelse": s.scalar(select(func.count()).select_from(db.subquery())),
        "dokumentobjekt": s.scalar(
            select(func.count())
            .select_from(Dokumentobjekt)
            .where(Dokumentobjekt.dokumentbeskrivelse_id.in_(db), Dokumentobjekt.filtype == "pdf")
        ),
    }
