"""Utboksen til sak/arkiv: `send_utboks` (for cron: `dokumenter arkiv send-utboks`) leverer
meldingene som venter og leser kvitteringene som er kommet tilbake.

En melding går ny → sendt → kvittert, eller feilet (med feilen og antall forsøk; den prøves
igjen ved neste kjøring, høyst MAKS_FORSOK ganger, til en administrator sender den på nytt).

Kjøringen er trygg å gjenta og å avbryte: én kjøring om gangen (fil-lås i utboksen), og en
melding som ble levert før prosessen døde, men ikke rakk å bli merket «sendt», finnes igjen
hos transporten og merkes uten å leveres en gang til.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from lxml import etree
from sqlalchemy import or_, select

from dokumenter.brukere.roller import krev_skrivetilgang
from dokumenter.felles.feil import Domenefeil, IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Arkivmelding, Journalpost
from dokumenter.noark.transport import Transport, TransportFeil, Utgaende, lag_transport
from dokumenter.noark.xml import FIKS_KV, FIKS_KVITTERING, FIKS_OPPRETT, skjema
from dokumenter.tjenester import Tjenester

MAKS_FORSOK = 10
UTEN_KVITTERING = timedelta(hours=24)  # sendt, men ingen kvittering: vises som fastlåst
FEILMELDINGER = {"ugyldigforespoersel", "serverfeil", "ikkefunnet"}


class Opptatt(Domenefeil):
    """En annen prosess sender fra utboksen nå."""

    http_status = 409


@dataclass
class Utboksrapport:
    sendt: list[str] = field(default_factory=list)
    feilet: list[tuple[str, str]] = field(default_factory=list)
    kvittert: list[str] = field(default_factory=list)
    avviste_kvitteringer: list[tuple[str, str]] = field(default_factory=list)


@contextmanager
def _las(mappe: Path) -> Iterator[None]:
    mappe.mkdir(parents=True, exist_ok=True)
    with (mappe / ".las").open("w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Opptatt("En annen kjøring av send-utboks pågår; prøv igjen senere.") from None
        yield


def send_utboks(tj: Tjenester, transport: Transport | None = None) -> Utboksrapport:
    transport = transport or lag_transport(tj)
    r = Utboksrapport()
    with _las(tj.innstillinger.utboks):
        if hasattr(transport, "rydd"):
            transport.rydd()
        for fil in transport.kvitteringer():
            _kvittering(tj, transport, fil, r)
        with tj.sesjoner() as s:
            ventende = s.scalars(
                select(Arkivmelding.id)
                .where(
                    or_(
                        Arkivmelding.status == "ny",
                        (Arkivmelding.status == "feilet") & (Arkivmelding.forsok < MAKS_FORSOK),
                    )
                )
                .order_by(Arkivmelding.id)
            ).all()
        for melding_id in ventende:
            _send_en(tj, transport, melding_id, r)
    return r


def _send_en(tj: Tjenester, transport: Transport, melding_id: int, r: Utboksrapport) -> None:
    with tj.sesjoner() as s:
        m = s.get(Arkivmelding, melding_id)
        melding = Utgaende(m.meldings_id, m.meldingstype, m.xml, list(m.filer))
    feil = ""
    if not transport.levert(melding.meldings_id):
        ugyldig = _ugyldig(melding.xml)
        try:
            if ugyldig:
                raise TransportFeil(f"arkivmelding.xml er ikke gyldig mot Fiks Arkiv: {ugyldig}")
            transport.send(melding)
        except TransportFeil as e:
            feil = str(e)
    with tj.transaksjon() as s:
        m = s.get(Arkivmelding, melding_id)
        if feil:
            m.status, m.forsok, m.feil = "feilet", m.forsok + 1, feil
            r.feilet.append((m.meldings_id, feil))
        else:
            m.status, m.sendt, m.feil = "sendt", naa(), ""
            m.forsok += 1
            r.sendt.append(m.meldings_id)


def _ugyldig(xml: str) -> str:
    xsd = skjema(FIKS_OPPRETT)
    if xsd.validate(etree.fromstring(xml.encode("utf-8"))):
        return ""
    return str(xsd.error_log.last_error)


def _kvittering(tj: Tjenester, transport: Transport, fil: Path, r: Utboksrapport) -> None:
    meldings_id = fil.stem
    try:
        dok = etree.parse(str(fil))
    except (OSError, etree.XMLSyntaxError) as e:
        r.avviste_kvitteringer.append((fil.name, f"kan ikke leses: {e}"))
        transport.behandlet(fil, godtatt=False)
        return
    rot = etree.QName(dok.getroot()).localname
    with tj.transaksjon() as s:
        m = s.scalar(select(Arkivmelding).where(Arkivmelding.meldings_id == meldings_id))
        if m is None:
            r.avviste_kvitteringer.append((fil.name, "ingen melding med denne id-en"))
            transport.behandlet(fil, godtatt=False)
            return
        if rot in FEILMELDINGER:
            tekst = " ".join(t.strip() for t in dok.getroot().itertext() if t.strip())
            m.status, m.feil = "feilet", f"Sak/arkiv svarte {rot}: {tekst}"[:2000]
            if rot == "ugyldigforespoersel":
                m.forsok = MAKS_FORSOK  # å sende det samme igjen hjelper ikke
            r.feilet.append((meldings_id, m.feil))
            transport.behandlet(fil, godtatt=True)
            return
        xsd = skjema(FIKS_KVITTERING)
        if not xsd.validate(dok):
            grunn = f"ugyldig kvittering: {xsd.error_log.last_error}"
            m.feil = grunn[:2000]
            r.avviste_kvitteringer.append((fil.name, grunn))
            transport.behandlet(fil, godtatt=False)
            return
        m.arkivets_saksnummer, m.arkivets_journalpostnummer = _numre(dok)
        m.status, m.kvittert, m.feil = "kvittert", naa(), ""
        r.kvittert.append(meldings_id)
    transport.behandlet(fil, godtatt=True)


def _numre(dok: etree._ElementTree) -> tuple[str, str]:
    """(saksnummer, journalpostnummer) slik sak/arkiv ga dem: «2026/123» og «2026/123-4»
    (eller journalår/sekvensnummer når saken ikke er med i kvitteringen)."""

    def tall(forelder: str, navn: str) -> str:
        return dok.findtext(f"{{{FIKS_KV}}}{forelder}/{{{FIKS_KV}}}{navn}") or ""

    saksnummer = ""
    if tall("mappeKvittering", "saksaar"):
        saksnummer = f"{tall('mappeKvittering', 'saksaar')}/"
        saksnummer += tall("mappeKvittering", "sakssekvensnummer")
    jpnr = tall("registreringKvittering", "journalpostnummer")
    aar = tall("registreringKvittering", "journalaar")
    sekvens = tall("registreringKvittering", "journalsekvensnummer")
    if saksnummer and jpnr:
        journalpost = f"{saksnummer}-{jpnr}"
    else:
        journalpost = f"{aar}/{sekvens}" if aar else jpnr
    return saksnummer[:40], journalpost[:40]


# --- For administratorene -------------------------------------------------------------------


@dataclass
class Fastlaast:
    id: int
    meldings_id: str
    journalpost: str
    status: str
    forsok: int
    feil: str
    opprettet: object
    sendt: object


def fastlaaste(tj: Tjenester) -> list[Fastlaast]:
    """Meldinger som trenger et menneske: feilet, eller sendt uten kvittering på et døgn."""
    grense = naa() - UTEN_KVITTERING
    with tj.sesjoner() as s:
        rader = s.execute(
            select(Arkivmelding, Journalpost.tittel)
            .join(Journalpost, Journalpost.id == Arkivmelding.journalpost_id)
            .where(
                or_(
                    Arkivmelding.status == "feilet",
                    (Arkivmelding.status == "sendt") & (Arkivmelding.sendt < grense),
                )
            )
            .order_by(Arkivmelding.id)
        ).all()
        return [
            Fastlaast(
                m.id,
                m.meldings_id,
                tittel,
                m.status,
                m.forsok,
                m.feil,
                som_utc(m.opprettet),
                som_utc(m.sendt) if m.sendt else None,
            )
            for m, tittel in rader
        ]


def send_paa_nytt(tj: Tjenester, melding_id: int, bruker_id: int) -> None:
    """Sett en feilet (eller ukvittert) melding tilbake i køen; neste kjøring sender den."""
    with tj.transaksjon() as s:
        krev_skrivetilgang(s, bruker_id)
        m = s.get(Arkivmelding, melding_id)
        if m is None:
            raise IkkeFunnet("Meldingen finnes ikke.")
        if m.status == "kvittert":
            raise Valideringsfeil({"melding": "Meldingen er alt kvittert av sak/arkiv."})
        m.status, m.forsok = "ny", 0
