"""Funn 6: engangskoden (6 sifre) kunne gjettes over en lang runde: 5 forsøk per kode og 3
koder i kvarteret gir rundt 1 440 gjetninger i døgnet. Nå er det høyst 10 koder i døgnet per
signerer, og etter 10 feil koder settes runden på pause (avtaler og planer, gjennom motoren);
kommunen får e-post, og en ansatt med skrivetilgang åpner den igjen (logget), som nullstiller
telleren."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.brukere import kontoer
from dokumenter.cli.demo import AVTALEFELT
from dokumenter.felles.feil import IngenTilgang, Valideringsfeil
from dokumenter.models import Engangskode, Hendelse, Planlogg, Signeringsrunde
from dokumenter.planer import signering as plansignering
from dokumenter.signering.koder import FEIL_KODER_PER_RUNDE, KODE_MAKS_FORSOK, KODER_PER_DOGN
from dokumenter.signering.runder import Signatarvalg
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import RELASJONER, lag_planverden

KODE = re.compile(r"er (\d{6})\.")


@pytest.fixture
def runde(tj, kari, admin, partner, part_id):
    """En avtale (kari er ansvarlig) sendt til signering av administratoren: parten først."""
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, part_id, felt, kari.id)
    valg = [Signatarvalg(partner.id, "part"), Signatarvalg(kari.id, "kommune")]
    signering.start_runde(tj, avtale.id, valg, admin.id)
    return avtale.id


def kode(tj, smtp_sink, epost: str, avtale_id: int, bruker_id: int) -> str:
    smtp_sink.tom()
    signering.send_kode(tj, avtale_id, bruker_id)
    return KODE.search(smtp_sink.vent_pa(epost)[-1].tekst).group(1)


def feil(kode_: str) -> str:
    return f"{(int(kode_) + 1) % 1_000_000:06d}"


def eldre_koder(tj, minutter: int = 16) -> None:
    """Flytt kodene tilbake i tid (kvarteret er gått)."""
    with tj.transaksjon() as s:
        for k in s.scalars(select(Engangskode)):
            k.opprettet -= timedelta(minutes=minutter)


def rundestatus(tj, avtale_id: int) -> tuple[str, int]:
    with tj.sesjoner() as s:
        r = s.scalar(select(Signeringsrunde).where(Signeringsrunde.avtale_id == avtale_id))
        return r.status, r.feil_koder


def hendelser(tj, avtale_id: int) -> list[tuple[str, int | None]]:
    with tj.sesjoner() as s:
        return [
            (h.type, h.bruker_id)
            for h in s.scalars(select(Hendelse).where(Hendelse.avtale_id == avtale_id))
        ]


def test_hoyst_ti_koder_i_dognet(tj, runde, partner, smtp_sink):
    for i in range(KODER_PER_DOGN):
        if i and i % 3 == 0:
            eldre_koder(tj)
        kode(tj, smtp_sink, partner.epost, runde, partner.id)
    eldre_koder(tj)
    with pytest.raises(Valideringsfeil, match="10 koder det siste døgnet"):
        signering.send_kode(tj, runde, partner.id)
    eldre_koder(tj, 24 * 60)  # et døgn senere går det igjen
    kode(tj, smtp_sink, partner.epost, runde, partner.id)


def test_ti_feil_koder_setter_runden_pa_pause_og_varsler_kommunen(
    tj, runde, kari, admin, partner, smtp_sink
):
    gjetninger = 0
    while gjetninger < FEIL_KODER_PER_RUNDE:
        riktig = kode(tj, smtp_sink, partner.epost, runde, partner.id)
        for _ in range(KODE_MAKS_FORSOK):
            with pytest.raises(Valideringsfeil) as e:
                signering.signer(tj, runde, partner.id, feil(riktig), "198.51.100.9")
            gjetninger += 1
            if gjetninger == FEIL_KODER_PER_RUNDE:
                break
    assert "satt på pause" in e.value.feil["kode"]
    assert rundestatus(tj, runde) == ("pauset", FEIL_KODER_PER_RUNDE)
    # Kommunen (den som startet runden og den ansvarlige) får e-post.
    for epost in (admin.epost, kari.epost):
        melding = smtp_sink.vent_pa(epost)[-1]
        assert melding.emne.startswith("Signering satt på pause")
        assert "gjette" in melding.tekst and "Anne Bodø" in melding.tekst
    assert ("signering_pauset", None) in hendelser(tj, runde)
    # Ingen kan signere nå, heller ikke med den siste (riktige) koden eller en ny.
    with pytest.raises(Valideringsfeil, match="satt på pause"):
        signering.signer(tj, runde, partner.id, riktig, "198.51.100.9")
    with pytest.raises(Valideringsfeil, match="satt på pause"):
        signering.send_kode(tj, runde, partner.id)
    with tj.sesjoner() as s:
        assert all(k.brukt is not None for k in s.scalars(select(Engangskode)))


def _sett_pa_pause(tj, avtale_id: int) -> None:
    with tj.transaksjon() as s:
        s.execute(
            update(Signeringsrunde)
            .where(Signeringsrunde.avtale_id == avtale_id)
            .values(status="pauset", feil_koder=FEIL_KODER_PER_RUNDE)
        )


def test_ansatt_med_skrivetilgang_apner_runden_igjen_fra_avtalesiden(
    tj, runde, kari, partner, logg_inn, csrf, smtp_sink
):
    _sett_pa_pause(tj, runde)
    k, _ = logg_inn("kari")
    side = k.get(f"/avtaler/{runde}").get_data(as_text=True)
    assert "satt på pause" in side and "Åpne signeringen igjen" in side
    svar = k.post(
        f"/avtaler/{runde}/signering/gjenoppta", data={"csrf_token": csrf(k, f"/avtaler/{runde}")}
    )
    assert svar.status_code == 302
    assert rundestatus(tj, runde) == ("aktiv", 0)
    assert ("signering_gjenopptatt", kari.id) in hendelser(tj, runde)
    # Parten kan signere igjen med en ny kode.
    signering.signer(
        tj, runde, partner.id, kode(tj, smtp_sink, partner.epost, runde, partner.id), "10.0.0.1"
    )


def test_lesetilgang_og_partnere_kan_ikke_apne_runden(tj, runde, partner, logg_inn, csrf, app):
    _sett_pa_pause(tj, runde)
    kontoer.opprett_bruker(tj, "leser", "Lars Leser", "lesetilgang", PASSORD)
    leser, _ = logg_inn("leser")
    assert "Åpne signeringen igjen" not in leser.get(f"/avtaler/{runde}").get_data(as_text=True)
    token = csrf(leser, f"/avtaler/{runde}")
    assert (
        leser.post(f"/avtaler/{runde}/signering/gjenoppta", data={"csrf_token": token}).status_code
        == 403
    )
    part, _ = logg_inn(partner.brukernavn, portal=True)
    assert "satt på pause" in part.get(f"/portal/avtaler/{runde}/signer").get_data(as_text=True)
    with pytest.raises(IngenTilgang):
        signering.gjenoppta_runde(tj, runde, partner.id)
    assert rundestatus(tj, runde)[0] == "pauset"


def test_planer_settes_pa_pause_og_apnes_igjen_gjennom_samme_motor(tj, smtp_sink, logg_inn, csrf):
    v = lag_planverden(tj)
    koord, partner = v.brukere["koordinator"], v.brukere["partner_medlem"]
    valg = [Signatarvalg(partner, "part"), Signatarvalg(koord, "kommune")]
    plansignering.start_runde(tj, v.plan_id, valg, koord)
    epost = RELASJONER["partner_medlem"]
    for _ in range(2):
        smtp_sink.tom()
        plansignering.send_kode(tj, v.plan_id, partner)
        riktig = KODE.search(smtp_sink.vent_pa(epost)[-1].tekst).group(1)
        for _ in range(KODE_MAKS_FORSOK):
            with pytest.raises(Valideringsfeil):
                plansignering.signer(tj, v.plan_id, partner, feil(riktig), "198.51.100.9")
    assert plansignering.pauset(tj, v.plan_id)
    melding = smtp_sink.vent_pa("koord@k.example.no")[-1]
    assert "individuell plan" in melding.emne and "Nordmann" not in melding.tekst

    k, _ = logg_inn("koord")
    side = k.get(f"/planer/{v.plan_id}").get_data(as_text=True)
    assert "Åpne signeringen igjen" in side
    k.post(
        f"/planer/{v.plan_id}/signering/gjenoppta",
        data={"csrf_token": csrf(k, f"/planer/{v.plan_id}")},
    )
    assert not plansignering.pauset(tj, v.plan_id)
    with tj.sesjoner() as s:
        handlinger = [
            (r.handling, r.bruker_id)
            for r in s.scalars(select(Planlogg).where(Planlogg.plan_id == v.plan_id))
        ]
    assert ("signering_pauset", None) in handlinger  # systemet, ikke signereren
    assert ("signering_gjenopptatt", koord) in handlinger
