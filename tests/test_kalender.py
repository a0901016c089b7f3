from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar

from dokumenter.infrastruktur.kalender import PRODID, Evalueringsmote, feed_ics, mote_ics

NAA = datetime(2026, 5, 1, 12, 30, 5, 123456, tzinfo=UTC)
TITTEL = "Evaluering: samarbeidsavtale med Bodø fengsel – «Ærlig» og åpen"


def lag_mote(**endringer) -> Evalueringsmote:
    felt = {
        "uid": "evaluering-avtale-12-2027@dokumenter",
        "tittel": TITTEL,
        "dato": date(2027, 1, 14),
        "start": time(10, 0),
        "varighet_min": 90,
        "sted": "Rådhuset, møterom Ærfugl; 2. etg.",
        "beskrivelse": "Gjennomgang av avtalen.\nTa med årsrapporten.",
        "arrangor_epost": "ola.nordmann@bodo.kommune.no",
        "deltakere": ("kari@example.no", "mailto:per@example.no"),
    }
    felt.update(endringer)
    return Evalueringsmote(**felt)


def les(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def eneste_hendelse(kalender: Calendar):
    hendelser = kalender.walk("VEVENT")
    assert len(hendelser) == 1
    return hendelser[0]


def test_invitasjon_med_klokkeslett_vinter():
    data = mote_ics(lag_mote(), naa=NAA)
    kalender = les(data)
    assert str(kalender["METHOD"]) == "REQUEST"
    assert str(kalender["PRODID"]) == PRODID
    assert str(kalender["VERSION"]) == "2.0"

    hendelse = eneste_hendelse(kalender)
    assert str(hendelse["SUMMARY"]) == TITTEL
    assert str(hendelse["UID"]) == "evaluering-avtale-12-2027@dokumenter"
    assert str(hendelse["LOCATION"]) == "Rådhuset, møterom Ærfugl; 2. etg."
    assert str(hendelse["DESCRIPTION"]) == "Gjennomgang av avtalen.\nTa med årsrapporten."

    assert hendelse["DTSTART"].params["TZID"] == "Europe/Oslo"
    start = hendelse.decoded("DTSTART")
    assert (start.date(), start.time()) == (date(2027, 1, 14), time(10, 0))
    assert start.utcoffset() == timedelta(hours=1)
    slutt = hendelse.decoded("DTEND")
    assert slutt - start == timedelta(minutes=90)
    assert slutt.time() == time(11, 30)
    assert hendelse.decoded("DTSTAMP") == datetime(2026, 5, 1, 12, 30, 5, tzinfo=UTC)
    assert b"DTSTAMP:20260501T123005Z\r\n" in data

    tidssoner = kalender.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in tidssoner] == ["Europe/Oslo"]
    assert kalender.get_missing_tzids() == set()


def test_invitasjon_med_klokkeslett_sommer_er_fortsatt_klokka_ti():
    kalender = les(mote_ics(lag_mote(dato=date(2027, 6, 17), varighet_min=45), naa=NAA))
    hendelse = eneste_hendelse(kalender)
    start = hendelse.decoded("DTSTART")
    assert hendelse["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert (start.date(), start.time()) == (date(2027, 6, 17), time(10, 0))
    assert start.utcoffset() == timedelta(hours=2)
    assert start.astimezone(UTC).time() == time(8, 0)
    assert hendelse.decoded("DTEND") - start == timedelta(minutes=45)
    assert len(kalender.walk("VTIMEZONE")) == 1


def test_arrangor_deltakere_og_paminnelse():
    hendelse = eneste_hendelse(les(mote_ics(lag_mote(), naa=NAA)))
    assert str(hendelse["ORGANIZER"]) == "mailto:ola.nordmann@bodo.kommune.no"
    deltakere = hendelse["ATTENDEE"]
    assert [str(d) for d in deltakere] == ["mailto:kari@example.no", "mailto:per@example.no"]
    assert all(d.params["RSVP"] == "TRUE" for d in deltakere)
    assert all(d.params["PARTSTAT"] == "NEEDS-ACTION" for d in deltakere)

    alarmer = hendelse.walk("VALARM")
    assert len(alarmer) == 1
    assert str(alarmer[0]["ACTION"]) == "DISPLAY"
    assert alarmer[0].decoded("TRIGGER") == timedelta(days=-1)
    assert "Bodø" in str(alarmer[0]["DESCRIPTION"])


def test_heldagshendelse_uten_tidssone():
    mote = lag_mote(start=None, arrangor_epost="", deltakere=())
    kalender = les(feed_ics([mote], "Frister", naa=NAA))  # en feed trenger ingen arrangør
    hendelse = eneste_hendelse(kalender)
    start = hendelse.decoded("DTSTART")
    assert type(start) is date
    assert start == date(2027, 1, 14)
    assert hendelse.decoded("DTEND") == date(2027, 1, 15)
    assert hendelse["DTSTART"].params.get("VALUE") == "DATE"
    assert kalender.walk("VTIMEZONE") == []
    assert "ORGANIZER" not in hendelse
    assert "ATTENDEE" not in hendelse
    assert str(hendelse["TRANSP"]) == "TRANSPARENT"
    assert len(hendelse.walk("VALARM")) == 1


def test_utdata_er_utf8_med_crlf_og_brettede_linjer():
    data = mote_ics(lag_mote(beskrivelse="æøå " * 60), naa=NAA)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert "Bodø".encode() in data
    linjer = data.split(b"\r\n")
    assert b"\n" not in b"".join(linjer)
    assert all(len(linje) <= 75 for linje in linjer)
    for linje in linjer:
        linje.decode("utf-8")  # brettingen deler ikke et tegn midt i
    beskrivelse = str(eneste_hendelse(les(data))["DESCRIPTION"])
    assert beskrivelse == ("æøå " * 60).strip()


def test_dtstamp_er_utc_ogsaa_fra_annen_tidssone_og_uten_naa():
    oslo_tid = datetime(2026, 5, 1, 14, 30, 5, tzinfo=timezone(timedelta(hours=2)))
    hendelse = eneste_hendelse(les(mote_ics(lag_mote(), naa=oslo_tid)))
    assert hendelse.decoded("DTSTAMP") == datetime(2026, 5, 1, 12, 30, 5, tzinfo=UTC)

    uten_tidssone = datetime(2026, 5, 1, 12, 30, 5)  # regnes som UTC, som ellers i systemet
    hendelse = eneste_hendelse(les(mote_ics(lag_mote(), naa=uten_tidssone)))
    assert hendelse.decoded("DTSTAMP") == datetime(2026, 5, 1, 12, 30, 5, tzinfo=UTC)

    for_ = datetime.now(UTC).replace(microsecond=0)
    stempel = eneste_hendelse(les(mote_ics(lag_mote()))).decoded("DTSTAMP")
    assert for_ <= stempel <= datetime.now(UTC)
    assert stempel.utcoffset() == timedelta(0)


def test_feed_med_tre_moter():
    moter = [
        lag_mote(uid="evaluering-avtale-1-2027@dokumenter", dato=date(2027, 1, 14)),
        lag_mote(uid="evaluering-avtale-2-2027@dokumenter", dato=date(2027, 6, 17)),
        lag_mote(uid="evaluering-avtale-3-2028@dokumenter", dato=date(2028, 3, 1), start=None),
    ]
    kalender = les(feed_ics(iter(moter), "Evalueringer – Kari Ås", naa=NAA))
    assert str(kalender["METHOD"]) == "PUBLISH"
    assert str(kalender["X-WR-CALNAME"]) == "Evalueringer – Kari Ås"
    assert str(kalender["PRODID"]) == PRODID
    hendelser = kalender.walk("VEVENT")
    assert [str(h["UID"]) for h in hendelser] == [m.uid for m in moter]
    assert all(len(h.walk("VALARM")) == 1 for h in hendelser)
    # Deltakerlisten publiseres ikke i feeden.
    assert all("ATTENDEE" not in h for h in hendelser)
    assert str(hendelser[0]["ORGANIZER"]) == "mailto:ola.nordmann@bodo.kommune.no"
    assert hendelser[0].decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert hendelser[1].decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert type(hendelser[2].decoded("DTSTART")) is date
    assert len(kalender.walk("VTIMEZONE")) == 1
    assert kalender.get_missing_tzids() == set()


def test_tom_feed_og_feed_med_bare_heldagshendelser():
    kalender = les(feed_ics([], "Tom", naa=NAA))
    assert kalender.walk("VEVENT") == []
    assert str(kalender["X-WR-CALNAME"]) == "Tom"
    kalender = les(feed_ics([lag_mote(start=None)], "Heldag", naa=NAA))
    assert len(kalender.walk("VEVENT")) == 1
    assert kalender.walk("VTIMEZONE") == []


def test_feed_avviser_samme_uid_to_ganger():
    with pytest.raises(ValueError, match="samme UID"):
        feed_ics([lag_mote(), lag_mote(dato=date(2027, 2, 1))], "Dobbel", naa=NAA)


FIENTLIG = (
    "Tekst\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:ond@angriper\r\nSUMMARY:Ond\r\n"
    "\nEND:VEVENT\nBEGIN:VEVENT\rUID:ond2\x00\x07\x1b\x0b\x0c\x7f\x85"
    "\u2028BEGIN:VEVENT\u2029END:VCALENDAR"
)


def test_fientlig_tekst_kan_ikke_lage_nye_komponenter():
    mote = lag_mote(
        uid="evaluering-avtale-12-2027@dokumenter\r\nBEGIN:VEVENT",
        tittel=FIENTLIG,
        sted=FIENTLIG,
        beskrivelse=FIENTLIG,
    )
    data = mote_ics(mote, naa=NAA)
    kalender = les(data)
    hendelse = eneste_hendelse(kalender)
    assert len(kalender.walk("VCALENDAR")) == 1
    assert b"\r\nBEGIN:VEVENT\r\n" in data
    assert data.count(b"\r\nBEGIN:VEVENT\r\n") == 1
    assert data.count(b"\r\nUID:") == 1
    for felt in ("SUMMARY", "LOCATION", "DESCRIPTION", "UID"):
        verdi = str(hendelse[felt])
        assert not any(ord(t) < 32 and t != "\n" for t in verdi), felt
        assert not any(t in verdi for t in "\x7f\x85\u2028\u2029"), felt
    assert "\n" not in str(hendelse["SUMMARY"])
    assert "\n" in str(hendelse["DESCRIPTION"])  # flerlinjet beskrivelse beholder linjeskift
    assert "BEGIN:VEVENT" in str(hendelse["DESCRIPTION"])  # som ufarlig tekst

    feed = les(feed_ics([mote, lag_mote(uid="a"), lag_mote(uid="b")], FIENTLIG, naa=NAA))
    assert len(feed.walk("VEVENT")) == 3
    assert "\n" not in str(feed["X-WR-CALNAME"])


@pytest.mark.parametrize(
    "endringer",
    [
        {"arrangor_epost": "ikke-en-adresse"},
        {"deltakere": ("kari@example.no", "per@example.no\r\nATTENDEE:mailto:ond@x.no")},
        {"uid": " \x00 "},
        {"varighet_min": 0},
        {"start": time(10, 0, tzinfo=UTC)},
    ],
)
def test_ugyldige_verdier_avvises(endringer):
    with pytest.raises(ValueError):
        mote_ics(lag_mote(**endringer), naa=NAA)


@pytest.mark.parametrize("arrangor", ["", "  ", "\x00"])
def test_invitasjon_uten_arrangor_avvises(arrangor):
    """RFC 5546: en REQUEST må ha ORGANIZER."""
    with pytest.raises(ValueError, match="arrangør"):
        mote_ics(lag_mote(arrangor_epost=arrangor), naa=NAA)


def test_arrangor_med_navn():
    mote = lag_mote(arrangor_navn="Ola Nordmann")
    arrangor = eneste_hendelse(les(mote_ics(mote, naa=NAA)))["ORGANIZER"]
    assert str(arrangor) == "mailto:ola.nordmann@bodo.kommune.no"
    assert arrangor.params["CN"] == "Ola Nordmann"


@pytest.mark.parametrize("lag", ["invitasjon", "feed"])
def test_tidssonen_uten_engelsk_kommentar(lag):
    """VTIMEZONE for Europe/Oslo uten icalendars «This timezone only works …»."""
    moter = [lag_mote(), lag_mote(uid="sommer", dato=date(2028, 6, 1))]
    data = mote_ics(moter[0], naa=NAA) if lag == "invitasjon" else feed_ics(moter, "E", naa=NAA)
    assert b"This timezone" not in data and b"COMMENT" not in data
    (sone,) = les(data).walk("VTIMEZONE")
    assert str(sone["TZID"]) == "Europe/Oslo"
    assert {str(d["TZNAME"]) for d in sone.walk("DAYLIGHT")} == {"CEST"}
