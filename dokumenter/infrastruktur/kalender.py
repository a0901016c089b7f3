"""Kalenderfiler (iCalendar, RFC 5545) for evalueringsmøter: én invitasjon eller en feed.

Møter med klokkeslett legges i norsk tid (Europe/Oslo) med VTIMEZONE; møter uten klokkeslett
blir heldagshendelser. All tekst renses for kontrolltegn før den skrives, og linjeskift i
tekst kodes som «\n» av icalendar, så fritekst kan ikke lage nye linjer eller komponenter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress

from dokumenter.felles.formatering import TIDSSONE
from dokumenter.felles.validering import epost_feil, rens_tekst

PRODID = "-//Boligsosiale avtaler//NO"
OSLO = ZoneInfo(TIDSSONE)
PAMINNELSE_FOR = timedelta(days=1)

# C1-kontrolltegn (bl.a. NEL) og Unicode-linje-/avsnittsskille, som rens_tekst lar være.
_C1_KONTROLLTEGN = re.compile("[\x80-\x9f]")
_LINJESKILLE = re.compile("[\u2028\u2029]")


@dataclass(frozen=True)
class Evalueringsmote:
    """Ett evalueringsmøte. `start` er lokal norsk tid uten tidssone; None gir heldagshendelse."""

    uid: str  # stabil, f.eks. "evaluering-avtale-12-2027@dokumenter" (lages av kalleren)
    tittel: str  # "Evaluering: samarbeidsavtale med Bodø fengsel"
    dato: date
    start: time | None = None
    varighet_min: int = 90
    sted: str = ""
    beskrivelse: str = ""
    arrangor_epost: str = ""  # ORGANIZER (mailto:); påkrevd i en invitasjon (REQUEST)
    arrangor_navn: str = ""  # CN på ORGANIZER når oppgitt
    deltakere: tuple[str, ...] = ()  # ATTENDEE (mailto:)


def _tekst(verdi: object, flerlinjet: bool = False) -> str:
    """rens_tekst, og i tillegg fjern C1-kontrolltegn og gjør U+2028/U+2029 til linjeskift."""
    tekst = _LINJESKILLE.sub("\n", "" if verdi is None else str(verdi))
    return _C1_KONTROLLTEGN.sub("", rens_tekst(tekst, flerlinjet=flerlinjet)).strip()


def _epost(verdi: str) -> str:
    """Renset e-postadresse uten «mailto:»; ValueError hvis den er ugyldig."""
    adresse = _tekst(verdi)
    if adresse[:7].lower() == "mailto:":
        adresse = adresse[7:].strip()
    if epost_feil(adresse):
        raise ValueError(f"Ugyldig e-postadresse i kalenderinvitasjonen: {adresse!r}.")
    return adresse


def _stempel(naa: datetime | None) -> datetime:
    """DTSTAMP i UTC uten mikrosekunder; tider uten tidssone regnes som UTC."""
    if naa is None:
        naa = datetime.now(UTC)
    naa = naa.replace(tzinfo=UTC) if naa.tzinfo is None else naa.astimezone(UTC)
    return naa.replace(microsecond=0)


def _start_slutt(mote: Evalueringsmote) -> tuple[date | datetime, date | datetime]:
    if mote.start is None:
        return mote.dato, mote.dato + timedelta(days=1)
    if mote.start.tzinfo is not None:
        raise ValueError("Starttidspunktet skal være lokal norsk tid uten tidssone.")
    if mote.varighet_min <= 0:
        raise ValueError(f"Møtet må vare minst ett minutt (varighet {mote.varighet_min}).")
    start = datetime.combine(mote.dato, mote.start, tzinfo=OSLO)
    return start, start + timedelta(minutes=mote.varighet_min)


def _hendelse(mote: Evalueringsmote, stempel: datetime, med_deltakere: bool) -> Event:
    uid = _tekst(mote.uid)
    if not uid:
        raise ValueError("Evalueringsmøtet mangler UID.")
    tittel = _tekst(mote.tittel)
    start, slutt = _start_slutt(mote)
    hendelse = Event.new(
        uid=uid,
        stamp=stempel,
        summary=tittel or None,
        start=start,
        end=slutt,
        location=_tekst(mote.sted) or None,
        description=_tekst(mote.beskrivelse, flerlinjet=True) or None,
        sequence=0,
    )
    if mote.start is None:
        # Heldagshendelsen markerer en frist og skal ikke vise brukeren som opptatt.
        hendelse.add("transp", "TRANSPARENT")
    if mote.arrangor_epost:
        navn = _tekst(mote.arrangor_navn)
        arrangor = vCalAddress.new(_epost(mote.arrangor_epost), cn=navn or None)
        hendelse.add("organizer", arrangor)
    if med_deltakere:
        for adresse in mote.deltakere:
            deltaker = vCalAddress.new(
                _epost(adresse), role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True
            )
            hendelse.add("attendee", deltaker)
    paminnelse = f"Påminnelse: {tittel or 'evaluering av samarbeidsavtale'}"
    hendelse.add_component(Alarm.new_display(paminnelse, -PAMINNELSE_FOR))
    return hendelse


def _kalender(metode: str, hendelser: list[Event], moter: list[Evalueringsmote]) -> Calendar:
    kalender = Calendar()
    kalender.add("prodid", PRODID)
    kalender.add("version", "2.0")
    kalender.add("calscale", "GREGORIAN")
    kalender.add("method", metode)
    for hendelse in hendelser:
        kalender.add_component(hendelse)
    datoer = [m.dato for m in moter if m.start is not None]
    if datoer:
        # VTIMEZONE bare for årene møtene (og påminnelsene dagen før) faller i; standardspennet
        # i icalendar er 1970–2038 og gir en lang liste med overganger.
        kalender.add_missing_timezones(
            first_date=date(min(datoer).year - 1, 12, 1),
            last_date=date(max(datoer).year + 1, 1, 1),
        )
        # icalendar skriver en engelsk COMMENT («This timezone only works from …») i hver
        # VTIMEZONE; den er ikke en del av tidssonen og skal ikke vises brukeren.
        for sone in kalender.walk("VTIMEZONE"):
            sone.pop("COMMENT", None)
    return kalender


def mote_ics(mote: Evalueringsmote, naa: datetime | None = None) -> bytes:
    """Invitasjon (METHOD:REQUEST) til ett evalueringsmøte, som UTF-8 med CRLF. RFC 5546
    krever ORGANIZER i en REQUEST: uten `arrangor_epost` gir den ValueError."""
    if not _tekst(mote.arrangor_epost):
        raise ValueError("En kalenderinvitasjon må ha en arrangør (e-postadresse).")
    hendelse = _hendelse(mote, _stempel(naa), med_deltakere=True)
    return _kalender("REQUEST", [hendelse], [mote]).to_ical()


def feed_ics(moter: Iterable[Evalueringsmote], navn: str, naa: datetime | None = None) -> bytes:
    """Abonnementsfeed (METHOD:PUBLISH) med én VEVENT per møte og X-WR-CALNAME=navn.

    Deltakere tas ikke med (RFC 5546 tillater ikke ATTENDEE i PUBLISH, og feed-adresser deles
    lett videre). To møter med samme UID gir ValueError.
    """
    moter = list(moter)
    stempel = _stempel(naa)
    sett: set[str] = set()
    hendelser = []
    for mote in moter:
        hendelse = _hendelse(mote, stempel, med_deltakere=False)
        uid = str(hendelse["UID"])
        if uid in sett:
            raise ValueError(f"To evalueringsmøter i feeden har samme UID: {uid!r}.")
        sett.add(uid)
        hendelser.append(hendelse)
    kalender = _kalender("PUBLISH", hendelser, moter)
    kalender.calendar_name = _tekst(navn) or "Evalueringer"
    kalender.add("x-wr-timezone", TIDSSONE)
    return kalender.to_ical()
