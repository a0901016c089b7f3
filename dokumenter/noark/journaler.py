"""loependeJournal.xml og offentligJournal.xml (journalpostene i perioden, i journalnummerets
rekkefølge) og endringslogg.xml (endringer i metadata etter registrering).

Offentlig journal har det som kan vises: for skjermede journalposter og saker står den
offentlige tittelen (skjermede ord erstattet av *****) og korrespondansepartens navn er
skjult. Endringsloggen bygges av revisjonsloggen (avtalene), innsynsloggen (planene),
skjermingsendringene og det som ble tatt vare på ved kassasjon, flettet etter tidspunkt.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles.tid import som_utc
from dokumenter.models import (
    Avtale,
    Hendelse,
    Journalpost,
    Klasse,
    Metadataendring,
    Plan,
    Planlogg,
    Saksmappe,
    Skjermingsendring,
)
from dokumenter.noark import kodeverk as kv
from dokumenter.noark.utvalg import Grunnlag, Utvalg, journalvilkar
from dokumenter.noark.xml import NS, Tekstfil, dato, felt, felter, tekst, tid

STROM = 1000  # rader per henting når journalene leses


def _hode(ns: str, rot: str, g: Grunnlag, antall: int, arkivskaper: tuple[str, str]) -> str:
    return (
        f'<{rot} xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ns} {rot}.xsd"><journalhode>'
        + felter(
            ("journalStartDato", dato(g.start)),
            ("journalSluttDato", dato(g.slutt)),
            ("antallJournalposter", antall),
        )
        + "<arkivskaper>"
        + felter(("arkivskaperID", arkivskaper[0]), ("arkivskaperNavn", arkivskaper[1]))
        + "</arkivskaper></journalhode>\n"
    )


def skriv_journaler(
    s: Session,
    u: Utvalg,
    g: Grunnlag,
    loepende: Tekstfil,
    offentlig: Tekstfil,
    antall: int,
    arkivskaper: tuple[str, str],
    enhet: str,
    fremdrift: Callable[[int], None],
) -> int:
    """Skriv begge journalene i én gjennomgang; gir antall journalregistreringer."""
    loepende.skriv(_hode(NS["loependeJournal"], "loependeJournal", g, antall, arkivskaper))
    offentlig.skriv(_hode(NS["offentligJournal"], "offentligJournal", g, antall, arkivskaper))
    skrevet = 0
    for rad in _rader(s, u, g):
        _en(loepende, offentlig, g, enhet, rad)
        skrevet += 1
        if skrevet % 100 == 0:
            fremdrift(100)
    fremdrift(skrevet % 100)
    loepende.skriv("</loependeJournal>\n")
    offentlig.skriv("</offentligJournal>\n")
    return skrevet


def _rader(s: Session, u: Utvalg, g: Grunnlag) -> Iterator:
    jp, sm = Journalpost, Saksmappe
    sporring = (
        select(
            jp.system_id,
            jp.journalaar,
            jp.journalsekvensnummer,
            jp.journalpostnummer,
            jp.tittel,
            jp.offentlig_tittel,
            jp.journaldato,
            jp.dokumentets_dato,
            jp.korrespondanseparttype,
            jp.korrespondansepart,
            jp.avvik_id,
            jp.opprettet_av_id,
            sm.id.label("mappe_id"),
            sm.saksaar,
            sm.sakssekvensnummer,
            sm.tittel.label("mappetittel"),
            sm.offentlig_tittel.label("mappe_offentlig"),
            sm.plan_nummer,
            sm.saksansvarlig,
            sm.arkivdel_id,
            Klasse.klasse_id,
            Klasse.tittel.label("klassetittel"),
            Avtale.ansvarlig_id,
            Plan.koordinator_id,
        )
        .join(sm, sm.id == jp.saksmappe_id)
        .join(Klasse, Klasse.id == sm.klasse_id)
        .outerjoin(Avtale, Avtale.id == sm.avtale_id)
        .outerjoin(Plan, Plan.id == sm.plan_id)
        .where(*journalvilkar(u, g))
        .order_by(jp.journalaar, jp.journalsekvensnummer)
        .execution_options(yield_per=STROM)
    )
    yield from s.execute(sporring)


def _en(loepende: Tekstfil, offentlig: Tekstfil, g: Grunnlag, enhet: str, r) -> None:
    """Én journalpost i begge journalene (den varme veien: f-strenger, escaping av tekst fra
    brukerne; systemID, tall og datoer er trygge)."""
    mappe_skjermet = r.plan_nummer is not None or r.mappe_id in g.skjermede_mapper
    skjermet = mappe_skjermet or r.avvik_id in g.skjermede_avvik
    ansvarlig_id = r.ansvarlig_id or r.koordinator_id
    ansvarlig = g.navn(ansvarlig_id) if ansvarlig_id else (r.saksansvarlig or kv.SYSTEMET)
    saksbehandler = tekst(g.navn(r.opprettet_av_id) if r.opprettet_av_id else ansvarlig)
    ansvarlig, enhet = tekst(ansvarlig), tekst(enhet)
    tittel, offentlig_tittel = tekst(r.tittel), tekst(r.offentlig_tittel)
    mappetittel, mappe_offentlig = tekst(r.mappetittel), tekst(r.mappe_offentlig)
    klasse = (
        f"<journalregistrering><klasse><klasseID>{tekst(r.klasse_id)}</klasseID>"
        f"<tittel>{tekst(r.klassetittel)}</tittel></klasse><saksmappe>"
        f"<mappeID>{r.saksaar}/{r.sakssekvensnummer}</mappeID><saksaar>{r.saksaar}</saksaar>"
        f"<sakssekvensnummer>{r.sakssekvensnummer}</sakssekvensnummer>"
    )
    nummer = (
        f"<journalpost><systemID>{r.system_id}</systemID><journalaar>{r.journalaar}</journalaar>"
        f"<journalsekvensnummer>{r.journalsekvensnummer}</journalsekvensnummer>"
        f"<journalpostnummer>{r.journalpostnummer}</journalpostnummer>"
    )
    datoer = (
        f"<journaldato>{dato(r.journaldato)}</journaldato>"
        f"<dokumentetsDato>{dato(r.dokumentets_dato)}</dokumentetsDato>"
        f"<administrativEnhet>{enhet}</administrativEnhet>"
        f"<saksbehandler>{saksbehandler}</saksbehandler>"
    )
    skjerming = SKJERMING if skjermet else ""
    type_ = f"<korrespondanseparttype>{r.korrespondanseparttype}</korrespondanseparttype>"
    navn = tekst(r.korrespondansepart)
    if mappe_skjermet:
        lm = f"<offentligTittel>{mappe_offentlig}</offentligTittel>{MAPPE_SKJERMET}"
    else:
        lm = ""
    loepende.skriv(
        klasse,
        f"<tittel>{mappetittel}</tittel>{lm}<administrativEnhet>{enhet}</administrativEnhet>"
        f"<saksansvarlig>{ansvarlig}</saksansvarlig>"
        f"<referanseArkivdel>{g.arkivdeler[r.arkivdel_id].system_id}</referanseArkivdel>"
        f"</saksmappe>{nummer}<tittel>{tittel}</tittel>",
        f"<offentligTittel>{offentlig_tittel}</offentligTittel>{TITTEL_SKJERMET}"
        if skjermet
        else "",
        datoer,
        skjerming,
        f"<korrespondansepart>{type_}<korrespondansepartNavn>{navn}</korrespondansepartNavn>",
        felt("skjermingMetadata", kv.SKJERMING_REGISTRERING[r.korrespondanseparttype])
        if skjermet
        else "",
        "</korrespondansepart></journalpost></journalregistrering>\n",
    )
    offentlig.skriv(
        klasse,
        f"<offentligTittel>{mappe_offentlig if mappe_skjermet else mappetittel}</offentligTittel>"
        f"<administrativEnhet>{enhet}</administrativEnhet>"
        f"<saksansvarlig>{ansvarlig}</saksansvarlig>{SKJERMING if mappe_skjermet else ''}"
        f"</saksmappe>{nummer}"
        f"<offentligTittel>{offentlig_tittel if skjermet else tittel}</offentligTittel>",
        TITTEL_SKJERMET if skjermet else "",
        datoer,
        skjerming,
        f"<korrespondansepart>{type_}<korrespondansepartNavn>"
        f"{kv.SKJULT if skjermet else navn}</korrespondansepartNavn></korrespondansepart>"
        "</journalpost></journalregistrering>\n",
    )


SKJERMING = felter(
    ("tilgangsrestriksjon", kv.UNNTATT[1]), ("skjermingshjemmel", kv.SKJERMINGSHJEMMEL)
)
MAPPE_SKJERMET = felt("skjermingMetadata", kv.SKJERMING_MAPPE[0])
TITTEL_SKJERMET = felt("skjermingMetadata", kv.SKJERMING_TITTEL_REGISTRERING)


# --- Endringsloggen -------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Endring:
    tidspunkt: datetime
    kilde: int  # fast rekkefølge mellom kildene ved likt tidspunkt
    rad: int
    arkivenhet: str
    metadata: str
    tidligere: str
    ny: str
    hvem: str


def _saksstatus(status: str | None) -> str:
    return kv.AVSLUTTET[1] if status in kv.AVSLUTTEDE_AVTALER else kv.UNDER_BEHANDLING[1]


def _fra_avtalene(s: Session, g: Grunnlag, mapper: dict[int, str]) -> Iterator[Endring]:
    for h_id, avtale_id, type_, bruker, detaljer, tidspunkt in s.execute(
        select(
            Hendelse.id,
            Hendelse.avtale_id,
            Hendelse.type,
            Hendelse.bruker_id,
            Hendelse.detaljer,
            Hendelse.tidspunkt,
        )
        .where(Hendelse.type.in_(("status_endret", "ansvar_overfort")))
        .order_by(Hendelse.tidspunkt, Hendelse.id)
        .execution_options(yield_per=STROM)
    ):
        system_id = mapper.get(avtale_id)
        if system_id is None:
            continue
        d = detaljer or {}
        if type_ == "status_endret":
            fra, til = _saksstatus(d.get("fra_status")), _saksstatus(d.get("til_status"))
            if fra == til:
                continue
            yield Endring(
                som_utc(tidspunkt), 1, h_id, system_id, "saksstatus", fra, til, g.navn(bruker)
            )
        else:
            fra, til = g.navn(d.get("fra_bruker")), g.navn(d.get("til_bruker"))
            yield Endring(
                som_utc(tidspunkt), 1, h_id, system_id, "saksansvarlig", fra, til, g.navn(bruker)
            )


def _fra_planene(s: Session, g: Grunnlag, planer: dict[int, str]) -> Iterator[Endring]:
    for p_id, plan_id, handling, bruker, detaljer, tidspunkt in s.execute(
        select(
            Planlogg.id,
            Planlogg.plan_id,
            Planlogg.handling,
            Planlogg.bruker_id,
            Planlogg.detaljer,
            Planlogg.tidspunkt,
        )
        .where(Planlogg.handling.in_(("koordinator_byttet", "avsluttet")))
        .order_by(Planlogg.tidspunkt, Planlogg.id)
    ):
        system_id = planer.get(plan_id)
        if system_id is None:
            continue
        d = detaljer or {}
        if handling == "koordinator_byttet":
            endring = ("saksansvarlig", d.get("fra_koordinator") or "-", d.get("til") or "-")
        else:
            endring = ("saksstatus", kv.UNDER_BEHANDLING[1], kv.AVSLUTTET[1])
        yield Endring(som_utc(tidspunkt), 2, p_id, system_id, *endring, g.navn(bruker))


def _fra_skjermingen(
    s: Session, g: Grunnlag, mapper: dict[int, str], avvikposter: dict[int, list[str]]
) -> Iterator[Endring]:
    tidligere: dict[tuple, bool] = {}
    for rad in s.scalars(select(Skjermingsendring).order_by(Skjermingsendring.id)):
        nokkel = ("mappe", rad.saksmappe_id) if rad.saksmappe_id else ("avvik", rad.avvik_id)
        var = tidligere.get(nokkel, False)
        tidligere[nokkel] = rad.skjermet
        enheter = sorted(
            ([mapper[rad.saksmappe_id]] if rad.saksmappe_id in mapper else [])
            + avvikposter.get(rad.avvik_id or 0, [])
        )
        ny = (
            f"{kv.UNNTATT[1]} ({kv.SKJERMINGSHJEMMEL}): {rad.grunn}"
            if rad.skjermet
            else (f"Ingen skjerming: {rad.grunn}")
        )
        for enhet in enheter:
            yield Endring(
                som_utc(rad.tidspunkt),
                3,
                rad.id,
                enhet,
                "skjerming",
                kv.UNNTATT[1] if var else "Ingen skjerming",
                ny,
                g.navn(rad.bruker_id),
            )


def _bevart(s: Session, enheter: set[str]) -> Iterator[Endring]:
    for rad in s.scalars(
        select(Metadataendring).order_by(Metadataendring.endret, Metadataendring.id)
    ):
        if rad.arkivenhet in enheter:
            yield Endring(
                som_utc(rad.endret),
                4,
                rad.id,
                rad.arkivenhet,
                rad.metadata_navn,
                rad.tidligere_verdi,
                rad.ny_verdi,
                rad.endret_av,
            )


def endringer(s: Session, g: Grunnlag, enheter: Enheter) -> Iterator[Endring]:
    """Alle endringene for enhetene i uttrekket, eldste først (fast rekkefølge)."""
    strommer = (
        _fra_avtalene(s, g, enheter.avtaler),
        _fra_planene(s, g, enheter.planer),
        _fra_skjermingen(s, g, enheter.mapper, enheter.avvikposter),
        _bevart(s, enheter.bevart),
    )
    for e in heapq.merge(*strommer):
        if e.tidspunkt <= g.sluttid:
            yield e


@dataclass
class Enheter:
    """SystemID-ene i uttrekket som endringer kan gjelde (samlet mens arkivstrukturen skrives)."""

    avtaler: dict[int, str]  # avtale_id -> saksmappens systemID
    planer: dict[int, str]  # plan_id -> saksmappens systemID
    mapper: dict[int, str]  # saksmappe_id -> systemID
    avvikposter: dict[int, list[str]]  # avvik_id -> journalpostenes systemID
    bevart: set[str]  # kasserte planers saksmapper og dokumentbeskrivelser


def skriv_endringslogg(f: Tekstfil, endringer_: Iterator[Endring]) -> int:
    ns = NS["endringslogg"]
    f.skriv(
        f'<endringslogg xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ns} endringslogg.xsd">\n'
    )
    antall = 0
    for e in endringer_:
        f.skriv(
            "<endring>",
            felt("referanseArkivenhet", e.arkivenhet),
            felt("referanseMetadata", e.metadata),
            felt("endretDato", tid(e.tidspunkt)),
            felt("endretAv", e.hvem or kv.SYSTEMET),
            felt("tidligereVerdi", e.tidligere or "-"),
            felt("nyVerdi", e.ny or "-"),
            "</endring>\n",
        )
        antall += 1
    f.skriv("</endringslogg>\n")
    return antall
