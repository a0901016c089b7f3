"""Funn 2b: ansattøkter hadde ingen absolutt levetid, og partnerøktens grense stod i
kapselen. Nå håndheves levetidene på tjenersiden: ansatte 8 timer uten bruk og høyst 12
timer fra innlogging, partnere høyst 2 timer fra innlogging. Databasen skrives sjelden:
sist_brukt høyst én gang i minuttet, data bare når økten er endret."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from dokumenter.brukere import okter
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Okt


def rad(tj, bruker_id: int) -> Okt:
    with tj.sesjoner() as s:
        return s.scalar(select(Okt).where(Okt.bruker_id == bruker_id))


def flytt_tilbake(tj, bruker_id: int, **felt: timedelta) -> None:
    """Flytt øktens tidspunkter tilbake i tid (som om tiden hadde gått)."""
    r = rad(tj, bruker_id)
    verdier = {navn: som_utc(getattr(r, navn)) - d for navn, d in felt.items()}
    with tj.transaksjon() as s:
        s.execute(update(Okt).where(Okt.id == r.id).values(**verdier))


def test_ansattokten_utloper_etter_atte_timer_uten_bruk(tj, kari, logg_inn):
    k, _ = logg_inn("kari")
    flytt_tilbake(tj, kari.id, sist_brukt=timedelta(hours=7, minutes=59))
    assert k.get("/").status_code == 200  # brukt: teller på nytt
    flytt_tilbake(tj, kari.id, sist_brukt=timedelta(hours=8, seconds=1))
    svar = k.get("/")
    assert svar.status_code == 302 and svar.headers["Location"].startswith("/logg-inn")
    assert okter.antall(tj, kari.id) == 0  # raden er slettet, ikke bare avvist


def test_ansattokten_varer_hoyst_tolv_timer_selv_i_bruk(tj, kari, logg_inn):
    k, _ = logg_inn("kari")
    r = rad(tj, kari.id)
    assert som_utc(r.utloper) - som_utc(r.opprettet) == timedelta(hours=12)
    # Brukt hele tiden (sist_brukt er fersk), men innlogget for 12 timer siden:
    flytt_tilbake(tj, kari.id, opprettet=timedelta(hours=12), utloper=timedelta(hours=12))
    assert k.get("/").status_code == 302


def test_partnerokten_varer_to_timer_fra_innlogging(tj, partner, logg_inn):
    k, _ = logg_inn(partner.brukernavn, portal=True)
    r = rad(tj, partner.id)
    assert r.art == "partner"
    assert som_utc(r.utloper) - som_utc(r.opprettet) == timedelta(hours=2)
    flytt_tilbake(tj, partner.id, utloper=timedelta(minutes=119))
    assert k.get("/portal/").status_code == 200
    flytt_tilbake(tj, partner.id, utloper=timedelta(minutes=2))
    svar = k.get("/portal/")
    assert svar.status_code == 302 and svar.headers["Location"].startswith("/portal/logg-inn")
    assert k.get("/portal/").status_code == 302  # logget ut, ikke bare omdirigert


def test_sist_brukt_skrives_hoyst_en_gang_i_minuttet(tj, kari, logg_inn, skrivinger):
    k, _ = logg_inn("kari")
    k.get("/")  # CSRF-nøkkelen til utloggingsknappen lagres én gang
    setninger = skrivinger()
    for _ in range(5):
        assert k.get("/avtaler/").status_code == 200
    assert setninger == []  # ingen endring og under ett minutt: ingen skriving
    flytt_tilbake(tj, kari.id, sist_brukt=timedelta(seconds=61))
    setninger.clear()
    k.get("/avtaler/")
    k.get("/avtaler/")
    assert setninger == ["UPDATE sist_brukt"]  # bare tidspunktet, ikke dataene


def test_statiske_filer_slar_ikke_opp_okten(tj, kari, logg_inn, skrivinger):
    k, _ = logg_inn("kari")
    flytt_tilbake(tj, kari.id, sist_brukt=timedelta(seconds=61))
    setninger = skrivinger()
    assert k.get("/static/stil.css").status_code == 200
    assert setninger == []


def test_anonyme_besok_uten_skjema_lagrer_ingen_okt(tj, app, skrivinger):
    setninger = skrivinger()
    k = app.test_client()
    assert k.get("/static/stil.css").status_code == 200
    assert k.get("/").status_code == 302  # til innloggingen, med en melding (lagres)
    assert k.get_cookie("okt") is not None and setninger == ["INSERT"]


def test_utlopte_okter_ryddes_ved_innlogging(tj, kari, partner, logg_inn):
    logg_inn(partner.brukernavn, portal=True)
    flytt_tilbake(tj, partner.id, opprettet=timedelta(hours=3), utloper=timedelta(hours=3))
    logg_inn("kari")
    with tj.sesjoner() as s:
        assert (
            s.scalar(select(func.count()).select_from(Okt).where(Okt.bruker_id == partner.id)) == 0
        )
        assert s.scalar(select(func.min(Okt.utloper))) is not None
    assert som_utc(rad(tj, kari.id).utloper) > naa()
