"""Overgangen fra institusjon til bolig mot ekte database og SMTP: fasene fra datoene,
minstelisten med frister fra tilbudet, kontaktene og varselet til sekundærkontakten, møtene,
oppgavene, boligutfallet på faste punkter, kartleggingen, påminnelsene, tilgangen (planens)
og slettingen sammen med planen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from dokumenter.felles.feil import IkkeFunnet, IngenTilgang, Valideringsfeil
from dokumenter.models import (
    Boligutfall,
    Bruker,
    Kartlegging,
    Overgang,
    Overgangsoppgave,
    Planlogg,
)
from dokumenter.overgang import kartlegging, lesing, oppgaver, paminnelser, skriving, utfall
from dokumenter.overgang.regler import MINSTELISTE, forfalte_punkter, gjeldende_fase
from dokumenter.planer import ansvarsgruppe, avslutning, sletting
from tests.stotte.planverden import lag_planverden

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def verden(tj):
    return lag_planverden(tj)


def _koord(v):
    return v.brukere["koordinator"]


def _overgang(tj, plan_id) -> Overgang:
    with tj.sesjoner() as s:
        o = s.scalar(select(Overgang).where(Overgang.plan_id == plan_id))
        _ = o.oppgaver, o.utfall, o.moter
        s.expunge_all()
        return o


def test_start_gir_minstelisten_og_fristene_folger_tilbudet(tj, verden):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord, "test")
    with pytest.raises(Valideringsfeil, match="allerede"):
        skriving.start(tj, v.plan_id, koord, "test")
    o = _overgang(tj, v.plan_id)
    assert [x.standard for x in o.oppgaver] == [m.nokkel for m in MINSTELISTE]
    assert all(x.frist is None for x in o.oppgaver)
    assert gjeldende_fase(o, date.today()) == "institusjon"

    tilbud = date.today() - timedelta(days=2)
    skriving.oppdater(tj, v.plan_id, {"tilbud_dato": tilbud}, koord, "test")
    o = _overgang(tj, v.plan_id)
    frister = {x.standard: x.frist for x in o.oppgaver}
    assert frister["mobler"] == tilbud + timedelta(days=3)
    assert frister["hjemmebesok"] == tilbud + timedelta(days=28)
    assert gjeldende_fase(o, date.today()) == "overgangsperiode"
    assert gjeldende_fase(o, tilbud + timedelta(days=28)) == "oppfolging"

    # En frist endret for hånd står når tilbudsdatoen flyttes; de andre flytter med.
    strom = next(x for x in o.oppgaver if x.standard == "strom")
    oppgaver.endre(
        tj,
        v.plan_id,
        strom.id,
        {"tittel": strom.tittel, "frist": date.today() + timedelta(days=40)},
        koord,
    )
    skriving.oppdater(tj, v.plan_id, {"tilbud_dato": tilbud - timedelta(days=1)}, koord)
    frister = {x.standard: x.frist for x in _overgang(tj, v.plan_id).oppgaver}
    assert frister["strom"] == date.today() + timedelta(days=40)
    assert frister["mobler"] == tilbud + timedelta(days=2)


@pytest.mark.parametrize(
    ("endring", "felt"),
    [
        ({"tilbud_dato": date.today() + timedelta(days=1)}, "tilbud_dato"),
        ({"visning_dato": date.today()}, "visning_dato"),  # før bolig er tilbudt
        ({"overlapp_fra": date.today()}, "overlapp_til"),
        (
            {
                "tilbud_dato": date.today(),
                "overlapp_fra": date.today(),
                "overlapp_til": date.today() + timedelta(days=40),
                "overlapp_betaler": "Bydelen",
            },
            "overlapp_til",
        ),
        (
            {"overlapp_fra": date.today(), "overlapp_til": date.today() + timedelta(days=10)},
            "overlapp_betaler",
        ),
        ({"motefrekvens_maneder": 6}, "motefrekvens_maneder"),
        ({"ukjent": 1}, "ukjent"),
        ({"primaerkontakt_id": 0 + 10_000}, "primaerkontakt_id"),
    ],
)
def test_ugyldige_endringer_gir_norsk_melding_og_endrer_ingenting(tj, verden, endring, felt):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    for_ = _overgang(tj, v.plan_id).endret
    with pytest.raises(Valideringsfeil) as e:
        skriving.oppdater(tj, v.plan_id, endring, koord)
    assert felt in e.value.feil
    assert _overgang(tj, v.plan_id).endret == for_


def test_kontakter_fra_ansvarsgruppen_og_varsel_ved_bytte(tj, verden, smtp_sink):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    nav, fengsel = v.brukere["medlem"], v.brukere["partner_medlem"]
    # Revisoren har lesetilgang, men er verken koordinator eller i ansvarsgruppen.
    with pytest.raises(Valideringsfeil, match="ansvarsgruppen"):
        skriving.oppdater(tj, v.plan_id, {"booppfolger_id": v.brukere["tilgang"]}, koord)
    skriving.oppdater(
        tj,
        v.plan_id,
        {"primaerkontakt_id": fengsel, "booppfolger_id": nav, "sekundaerkontakt_id": koord},
        koord,
    )
    with pytest.raises(Valideringsfeil, match="annen"):
        skriving.oppdater(tj, v.plan_id, {"sekundaerkontakt_id": nav}, koord)
    smtp_sink.tom()
    # Booppfølgeren gir saken videre til koordinatoren selv: sekundærkontakten (koordinatoren)
    # får e-post som bare nevner plannummeret.
    skriving.oppdater(tj, v.plan_id, {"booppfolger_id": None}, koord)
    (post,) = smtp_sink.vent_pa("koord@k.example.no")
    assert "booppfølger" in post.emne and "IP-" in post.emne
    assert "Ola" not in post.tekst and "Nordmann" not in post.tekst
    # Minstelistens oppgaver følger rollen.
    o = _overgang(tj, v.plan_id)
    with tj.sesjoner() as s:
        o = s.get(Overgang, o.id)
        strom = next(x for x in o.oppgaver if x.standard == "strom")
        adresse = next(x for x in o.oppgaver if x.standard == "adresse")
        assert oppgaver.ansvarlig(o, strom) is None
        assert oppgaver.ansvarlig(o, adresse).id == fengsel


def test_moter_og_oppfolgingsniva(tj, verden):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    skriving.oppdater(tj, v.plan_id, {"motefrekvens_maneder": 1}, koord)
    holdt = date.today() - timedelta(days=3)
    skriving.registrer_mote(
        tj, v.plan_id, {"type": "samarbeidsmote", "dato": holdt, "deltakere": "Kari, Fiona"}, koord
    )
    o = _overgang(tj, v.plan_id)
    assert o.neste_samarbeidsmote == holdt + relativedelta(months=1)
    assert o.samarbeidsmote_paminnet is None
    with pytest.raises(Valideringsfeil, match="nivået"):
        skriving.registrer_mote(
            tj, v.plan_id, {"type": "boligmote", "dato": holdt, "deltakere": "Alle"}, koord
        )
    with pytest.raises(Valideringsfeil, match="fram i tid"):
        skriving.registrer_mote(
            tj,
            v.plan_id,
            {"type": "samarbeidsmote", "dato": date.today() + timedelta(1), "deltakere": "x"},
            koord,
        )
    skriving.registrer_mote(
        tj,
        v.plan_id,
        {"type": "boligmote", "dato": holdt, "deltakere": "Alle", "oppfolgingsniva": "tett"},
        koord,
    )
    side = lesing.les(tj, v.plan_id, koord)
    assert side.oppfolgingsniva == "tett"
    assert [m[0] for m in side.moter] == ["samarbeidsmote", "boligmote"]


def test_oppgaver_legg_til_endre_og_status(tj, verden):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    with pytest.raises(Valideringsfeil, match="ansvaret"):
        oppgaver.legg_til(tj, v.plan_id, {"tittel": "Søk om TT-kort"}, koord)
    oppgaver.legg_til(
        tj,
        v.plan_id,
        {"tittel": "Søk om TT-kort", "frist": date.today(), "ansvarlig_tekst": "Personen selv"},
        koord,
    )
    o = _overgang(tj, v.plan_id)
    ny = o.oppgaver[-1]
    assert ny.tittel == "Søk om TT-kort" and ny.ansvarlig_tekst == "Personen selv"
    assert oppgaver.sett_status(tj, v.plan_id, ny.id, "ferdig", koord) == "Søk om TT-kort"
    o = _overgang(tj, v.plan_id)
    assert o.oppgaver[-1].status == "ferdig" and o.oppgaver[-1].fullfort == date.today()
    with pytest.raises(Valideringsfeil):
        oppgaver.sett_status(tj, v.plan_id, 999_999, "ferdig", koord)


def test_boligutfall_i_rekkefolge_og_forfalte_punkter(tj, verden):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    with pytest.raises(Valideringsfeil, match="Registrer først"):
        utfall.registrer(
            tj, v.plan_id, {"punkt": "4_uker", "dato": date.today(), "utfall": "beholdt"}, koord
        )
    losladt = date.today() - timedelta(days=200)
    skriving.oppdater(tj, v.plan_id, {"forventet_losladt": losladt}, koord)
    assert forfalte_punkter(_overgang(tj, v.plan_id), date.today()) == [("losladt", losladt)]
    with pytest.raises(Valideringsfeil, match="årsaken"):
        utfall.registrer(
            tj,
            v.plan_id,
            {"punkt": "losladt", "dato": losladt, "utfall": "midlertidig"},
            koord,
        )
    utfall.registrer(
        tj, v.plan_id, {"punkt": "losladt", "dato": losladt, "utfall": "fast_bolig"}, koord
    )
    punkter = [p for p, _ in forfalte_punkter(_overgang(tj, v.plan_id), date.today())]
    assert punkter == ["4_uker", "3_mnd", "6_mnd"]
    with pytest.raises(Valideringsfeil, match="tidligst"):
        utfall.registrer(
            tj,
            v.plan_id,
            {"punkt": "6_mnd", "dato": losladt + timedelta(days=100), "utfall": "beholdt"},
            koord,
        )
    utfall.registrer(
        tj,
        v.plan_id,
        {"punkt": "4_uker", "dato": losladt + timedelta(days=28), "utfall": "beholdt"},
        koord,
    )
    # Rettelse av et punkt: samme rad, ny verdi, logget som rettet.
    utfall.registrer(
        tj,
        v.plan_id,
        {
            "punkt": "4_uker",
            "dato": losladt + timedelta(days=30),
            "utfall": "institusjon",
            "arsak": "Tilbakefall",
        },
        koord,
    )
    with tj.sesjoner() as s:
        rader = s.scalars(select(Boligutfall).order_by(Boligutfall.punkt)).all()
        assert [(r.punkt, r.utfall) for r in rader] == [
            ("4_uker", "institusjon"),
            ("losladt", "fast_bolig"),
        ]
        handlinger = s.scalars(
            select(Planlogg.handling).where(Planlogg.handling.like("utfall_%"))
        ).all()
        assert handlinger == ["utfall_registrert", "utfall_registrert", "utfall_rettet"]


def test_kartlegging_er_en_historikk(tj, verden):
    v, koord = verden, _koord(verden)
    with pytest.raises(Valideringsfeil, match="underkategori"):
        kartlegging.registrer(
            tj,
            v.plan_id,
            {
                "kategori": "fare",
                "underkategori": "natt",
                "behovsniva": 3,
                "gyldig_fra": date.today(),
            },
            koord,
        )
    for dager, kategori, under, niva in (
        (90, "uten_bolig", "fengsel", 4),
        (10, "bosatt", "bosatt", 3),
    ):
        kartlegging.registrer(
            tj,
            v.plan_id,
            {
                "kategori": kategori,
                "underkategori": under,
                "behovsniva": niva,
                "gyldig_fra": date.today() - timedelta(days=dager),
            },
            koord,
        )
    side = lesing.les(tj, v.plan_id, koord)
    assert not side.har_overgang
    assert [(k[1], k[3]) for k in side.kartlegginger] == [("bosatt", 3), ("uten_bolig", 4)]


def test_tilgangen_er_planens(tj, verden):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    for relasjon in ("annen_ansatt", "admin_uten_tilgang", "partner_samme_inst"):
        with pytest.raises(IkkeFunnet):
            lesing.les(tj, v.plan_id, v.brukere[relasjon])
        with pytest.raises(IkkeFunnet):
            skriving.oppdater(tj, v.plan_id, {"bolig": "x"}, v.brukere[relasjon])
    # Lesetilgang gir lesing, ikke endring; fengselet (samtykke) kan lese.
    assert lesing.les(tj, v.plan_id, v.brukere["tilgang"]).har_overgang
    assert lesing.les(tj, v.plan_id, v.brukere["partner_medlem"]).har_overgang
    with pytest.raises(IngenTilgang):
        oppgaver.legg_til(tj, v.plan_id, {"tittel": "x"}, v.brukere["tilgang"])
    with tj.sesjoner() as s:
        nektet = s.scalar(
            select(func.count()).select_from(Planlogg).where(Planlogg.handling == "nektet")
        )
    assert nektet == 6


def test_paminnelser_og_kontakt_som_faller_fra(tj, verden, smtp_sink):
    v, koord = verden, _koord(verden)
    nav = v.brukere["medlem"]
    skriving.start(tj, v.plan_id, koord)
    skriving.oppdater(
        tj,
        v.plan_id,
        {
            "neste_samarbeidsmote": date.today() + timedelta(days=3),
            "booppfolger_id": nav,
            "sekundaerkontakt_id": koord,
        },
        koord,
    )
    o = _overgang(tj, v.plan_id)
    mobler = next(x for x in o.oppgaver if x.standard == "mobler")
    oppgaver.endre(
        tj,
        v.plan_id,
        mobler.id,
        {"tittel": mobler.tittel, "frist": date.today() - timedelta(days=1)},
        koord,
    )
    smtp_sink.tom()
    antall, feil = paminnelser.send_paminnelser(tj)
    assert feil == []
    # Samarbeidsmøtet: koordinatoren (primærkontakten er ikke satt); oppgaven: booppfølgeren.
    assert antall == 2
    (mote,) = smtp_sink.vent_pa("koord@k.example.no")
    assert "Samarbeidsmøte" in mote.emne
    (oppgave,) = smtp_sink.vent_pa("nav@k.example.no")
    assert "forfalt" in oppgave.emne and mobler.tittel in oppgave.tekst
    assert paminnelser.send_paminnelser(tj) == (0, [])  # ikke igjen med en gang

    # Booppfølgeren fjernes fra ansvarsgruppen: sekundærkontakten varsles én gang.
    with tj.sesjoner() as s:
        medlem = next(m.id for m in s.get(Overgang, o.id).plan.medlemmer if m.bruker_id == nav)
    ansvarsgruppe.fjern_medlem(tj, v.plan_id, medlem, koord)
    smtp_sink.tom()
    antall, _ = paminnelser.send_paminnelser(tj)
    assert antall == 1
    (varsel,) = smtp_sink.vent_pa("koord@k.example.no")
    assert "falt fra" in varsel.emne
    assert paminnelser.send_paminnelser(tj) == (0, [])
    # Oppgaven påminnes ikke til en som ikke lenger har tilgang (koordinatoren får den neste).
    with tj.transaksjon() as s:
        s.get(Overgangsoppgave, mobler.id).paminnet = None
    smtp_sink.tom()
    paminnelser.send_paminnelser(tj)
    assert all("nav@" not in ",".join(m.til) for m in smtp_sink.meldinger())


def test_forsidens_forfalte_oppgaver_logges_uten_personen(tj, verden):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    skriving.oppdater(tj, v.plan_id, {"tilbud_dato": date.today() - timedelta(days=20)}, koord)
    mine = lesing.mine_forfalte_oppgaver(tj, koord, "test")
    assert {f.nummer for f in mine} == {lesing.les(tj, v.plan_id, koord).nummer}
    assert len(mine) == 6  # fristene 3–14 dager etter tilbudet
    assert lesing.mine_forfalte_oppgaver(tj, v.brukere["annen_ansatt"]) == []
    with tj.sesjoner() as s:
        logget = s.scalars(
            select(Planlogg.bruker_id).where(Planlogg.handling == "oppgaver_vist")
        ).all()
    assert logget == [koord]


def test_sletting_tar_overgangen_med(tj, verden):
    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    skriving.oppdater(tj, v.plan_id, {"forventet_losladt": date.today()}, koord)
    utfall.registrer(
        tj, v.plan_id, {"punkt": "losladt", "dato": date.today(), "utfall": "fast_bolig"}, koord
    )
    kartlegging.registrer(
        tj,
        v.plan_id,
        {
            "kategori": "bosatt",
            "underkategori": "bosatt",
            "behovsniva": 2,
            "gyldig_fra": date.today(),
        },
        koord,
    )
    slettes = avslutning.avslutt(tj, v.plan_id, "Flyttet", koord)
    rapport = sletting.slett_utlopte(tj, idag=slettes + timedelta(days=1))
    assert rapport.rader["overgang"] == 1 and rapport.rader["kartlegging"] == 1
    with tj.sesjoner() as s:
        for modell in (Overgang, Overgangsoppgave, Boligutfall, Kartlegging):
            assert s.scalar(select(func.count()).select_from(modell)) == 0
        assert s.get(Bruker, koord) is not None


def test_oppgavene_som_kalenderfeed(tj, verden):
    from icalendar import Calendar

    from dokumenter.evaluering.kalender import ny_kalendernokkel
    from dokumenter.overgang.kalender import oppgave_feed

    v, koord = verden, _koord(verden)
    skriving.start(tj, v.plan_id, koord)
    skriving.oppdater(tj, v.plan_id, {"tilbud_dato": date.today()}, koord)
    nokkel = ny_kalendernokkel(tj, koord)
    kal = Calendar.from_ical(oppgave_feed(tj, nokkel))
    hendelser = kal.walk("VEVENT")
    assert len(hendelser) == len(MINSTELISTE)
    assert all(str(h["SUMMARY"]).startswith("IP-") for h in hendelser)
    assert all("Ola" not in str(h.get("DESCRIPTION", "")) for h in hendelser)
    assert oppgave_feed(tj, "ukjent") is None
    # En annen ansatt uten tilgang til planen får en tom feed.
    annen = ny_kalendernokkel(tj, v.brukere["annen_ansatt"])
    assert Calendar.from_ical(oppgave_feed(tj, annen)).walk("VEVENT") == []
    with tj.sesjoner() as s:
        logget = s.scalars(
            select(Planlogg.bruker_id).where(Planlogg.handling == "oppgaver_i_kalender")
        ).all()
    assert logget == [koord]
