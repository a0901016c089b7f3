"""Brukeradministrasjonen: endre konto, engangslenke for nytt passord, egen e-postadresse med
bekreftelse, kommandolinjen og nettsidene. Feil inndata endrer ingenting. Ekte database og
ekte SMTP-tjener på loopback."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from dokumenter.brukere import administrasjon, kontoer
from dokumenter.cli import main as cli
from dokumenter.felles.feil import IkkeFunnet, IngenTilgang, Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.models import Bruker, Kontolenke, Kontologg
from tests.stotte.oppsett import PASSORD, hent_bruker
from tests.stotte.web import csrf, innlogget, logg_inn

NYTT = "Nytt-passord-fjell-91"
LENKE = re.compile(r"http://localhost\S*/konto/lenke/([A-Za-z0-9_-]+)")


def lag_oppsett(tj):
    admin = kontoer.opprett_bruker(tj, "ada", "Ada Admin", "admin", PASSORD, "ada@k.example.no")
    ola = kontoer.opprett_bruker(
        tj, "ola", "Ola Leder", "saksbehandler", PASSORD, "ola@k.example.no"
    )
    uten = kontoer.opprett_bruker(tj, "per", "Per Uten Epost", "saksbehandler", PASSORD)
    return {"admin": admin.id, "ola": ola.id, "uten": uten.id}


@pytest.fixture
def oppskrift():
    return lag_oppsett


@pytest.fixture
def saksbehandler(tj):
    return hent_bruker(tj, "ada")


def tilstand(tj) -> tuple:
    """Alt et avvist brukstilfelle ikke skal ha endret."""
    with tj.sesjoner() as s:
        brukere = s.execute(
            select(Bruker.id, Bruker.navn, Bruker.epost, Bruker.telefon, Bruker.rolle,
                   Bruker.aktiv, Bruker.passord_hash).order_by(Bruker.id)
        ).all()  # fmt: skip
        return (
            brukere,
            s.scalar(select(func.count()).select_from(Kontologg)),
            s.scalar(select(func.count()).select_from(Kontolenke)),
        )


def test_admin_endrer_navn_epost_telefon_og_rolle_og_det_logges(tj, forberedt):
    v = forberedt
    administrasjon.endre(
        tj, v["admin"], v["ola"], "Ola Nordmann", "OLA.N@k.example.no", "+47 75 14 50 00",
        "lesetilgang", "test",
    )  # fmt: skip
    k = administrasjon.hent(tj, v["admin"], v["ola"])
    assert (k.navn, k.epost, k.telefon, k.rolle) == (
        "Ola Nordmann", "ola.n@k.example.no", "+47 75 14 50 00", "lesetilgang"
    )  # fmt: skip
    with tj.sesjoner() as s:
        handlinger = s.scalars(
            select(Kontologg.handling).where(Kontologg.bruker_id == v["ola"]).order_by(Kontologg.id)
        ).all()
    assert handlinger[-2:] == ["konto_endret", "rolle_endret"]


@pytest.mark.parametrize(
    "gjor, feil",
    [
        (lambda tj, v: administrasjon.endre(tj, v["admin"], 9999, "X", "", "", "admin"),
         IkkeFunnet),
        (lambda tj, v: administrasjon.endre(
            tj, v["admin"], v["ola"], "Ola", "ada@k.example.no", "", "saksbehandler"),
         Valideringsfeil),
        (lambda tj, v: administrasjon.endre(
            tj, v["admin"], v["admin"], "Ada", "ada@k.example.no", "", "lesetilgang"),
         Valideringsfeil),
        (lambda tj, v: administrasjon.endre(
            tj, v["ola"], v["uten"], "Per", "", "", "admin"), IngenTilgang),
        (lambda tj, v: administrasjon.endre(
            tj, v["admin"], v["ola"], "Ola", "ola@k.example.no", "abc", "saksbehandler"),
         Valideringsfeil),
        (lambda tj, v: kontoer.deaktiver(tj, v["admin"], v["admin"]), Valideringsfeil),
        (lambda tj, v: kontoer.deaktiver(tj, v["admin"], 9999), IkkeFunnet),
        (lambda tj, v: administrasjon.send_nytt_passord(tj, v["admin"], v["uten"]),
         Valideringsfeil),
        (lambda tj, v: administrasjon.be_om_ny_epost(tj, v["ola"], "ada@k.example.no"),
         Valideringsfeil),
        (lambda tj, v: administrasjon.sett_passord(tj, "x" * 43, NYTT, NYTT), Valideringsfeil),
        (lambda tj, v: kontoer.opprett_bruker(
            tj, "ny", "Ny", "saksbehandler", PASSORD, "ola@k.example.no"), Valideringsfeil),
    ],
    ids=["ukjent-bruker", "epost-i-bruk", "egen-rolle", "ikke-admin", "ugyldig-telefon",
         "siste-admin-deaktiverer-seg-selv", "deaktiver-ukjent", "passord-uten-epost",
         "egen-epost-i-bruk", "ukjent-lenke", "opprett-epost-i-bruk"],
)  # fmt: skip
def test_feil_inndata_endrer_ingenting(tj, forberedt, gjor, feil):
    for_ = tilstand(tj)
    with pytest.raises(feil):
        gjor(tj, forberedt)
    assert tilstand(tj) == for_


def test_nytt_passord_med_engangslenke_som_bare_virker_en_gang(tj, forberedt, smtp_sink):
    v = forberedt
    assert administrasjon.send_nytt_passord(tj, v["admin"], v["ola"], "test") is None
    (epost,) = smtp_sink.vent_pa("ola@k.example.no")
    nokkel = LENKE.search(epost.tekst).group(1)
    with tj.sesjoner() as s:  # bare hashen lagres
        assert nokkel not in str(s.scalars(select(Kontolenke.nokkel_hash)).all())
    assert administrasjon.lenke(tj, nokkel).formal == "passord"
    nytt = "Nytt-passord-fjell-91"
    administrasjon.sett_passord(tj, nokkel, nytt, nytt)
    with tj.sesjoner() as s:
        assert tj.passord.stemmer(s.get(Bruker, v["ola"]).passord_hash, nytt)
    with pytest.raises(Valideringsfeil, match="brukt"):
        administrasjon.sett_passord(tj, nokkel, nytt + "x", nytt + "x")


def test_utlopt_lenke_for_nytt_passord_endrer_ingenting(tj, forberedt, smtp_sink):
    v = forberedt
    administrasjon.send_nytt_passord(tj, v["admin"], v["ola"])
    nokkel = LENKE.search(smtp_sink.vent_pa("ola@k.example.no")[0].tekst).group(1)
    with tj.transaksjon() as s:
        s.execute(update(Kontolenke).values(utloper=naa() - timedelta(minutes=1)))
    for_ = tilstand(tj)
    assert administrasjon.lenke(tj, nokkel) is None
    with pytest.raises(Valideringsfeil, match="utløpt"):
        administrasjon.sett_passord(tj, nokkel, "Nytt-passord-fjell-91", "Nytt-passord-fjell-91")
    assert tilstand(tj) == for_


def test_ny_epost_bekreftes_med_lenke_til_den_nye_adressen(tj, forberedt, smtp_sink):
    v = forberedt
    assert administrasjon.be_om_ny_epost(tj, v["ola"], "Ola@Ny.example.no") is None
    nokkel = LENKE.search(smtp_sink.vent_pa("ola@ny.example.no")[0].tekst).group(1)
    assert hent_bruker(tj, "ola").epost == "ola@k.example.no"  # ikke før bekreftelsen
    assert administrasjon.bekreft_epost(tj, nokkel) == "ola@ny.example.no"
    assert hent_bruker(tj, "ola").epost == "ola@ny.example.no"
    with pytest.raises(Valideringsfeil):
        administrasjon.bekreft_epost(tj, nokkel)


def test_kommandolinjen_endrer_deaktiverer_og_sender_lenke(tj, forberedt, smtp_sink, monkeypatch):
    monkeypatch.setenv("DOKUMENTER_INSTANS", str(tj.innstillinger.instans))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DOKUMENTER_DATABASE_URL", raising=False)
    k = CliRunner()
    r = k.invoke(
        cli, ["bruker", "endre", "per", "--epost", "per@k.example.no", "--telefon", "75 14 50 00"]
    )
    assert r.exit_code == 0, r.output
    assert hent_bruker(tj, "per").epost == "per@k.example.no"
    r = k.invoke(cli, ["bruker", "liste"])
    assert "per@k.example.no" in r.output and "Ada Admin" in r.output
    r = k.invoke(cli, ["bruker", "deaktiver", "per"])
    assert r.exit_code == 0 and not hent_bruker(tj, "per").aktiv
    r = k.invoke(cli, ["bruker", "aktiver", "per"])
    assert r.exit_code == 0 and hent_bruker(tj, "per").aktiv
    r = k.invoke(cli, ["bruker", "endre", "ingen", "--navn", "X"])
    assert r.exit_code == 1 and "Ingen bruker heter" in r.output
    r = k.invoke(cli, ["bruker", "endre", "per", "--epost", "ola@k.example.no"])
    assert r.exit_code == 1 and "brukes allerede" in r.output
    assert hent_bruker(tj, "per").epost == "per@k.example.no"


# --- Nettsidene -------------------------------------------------------------------------------


def test_admin_oppretter_bruker_som_setter_passord_med_lenken(app, tj, forberedt, smtp_sink):
    ada = innlogget(app, "ada")
    side = ada.get("/brukere/ny").get_data(as_text=True)
    data = {
        "brukernavn": "kim", "navn": "Kim Ny", "epost": "kim@k.example.no", "telefon": "",
        "rolle": "saksbehandler", "csrf_token": csrf(side),
    }  # fmt: skip
    svar = ada.post("/brukere/ny", data=data, follow_redirects=True)
    html = svar.get_data(as_text=True)
    assert "Kim Ny er opprettet" in html and "kim@k.example.no" in html
    lenke = LENKE.search(smtp_sink.vent_pa("kim@k.example.no")[0].tekst).group(0)
    k = app.test_client()
    sti = lenke.removeprefix("http://localhost")
    side = k.get(sti).get_data(as_text=True)
    assert "Sett nytt passord, Kim Ny" in side
    nytt = "Kims-eget-passord-fjell-7"
    svar = k.post(sti, data={"passord": nytt, "gjenta": nytt, "csrf_token": csrf(side)})
    assert svar.status_code == 302
    assert "Logg ut" in logg_inn(app.test_client(), "kim", nytt).get_data(as_text=True)
    assert k.get(sti).status_code == 410


def test_brukersidene_er_bare_for_administratorer(app, tj, forberedt):
    assert innlogget(app, "ola").get("/brukere/").status_code == 403
    assert innlogget(app, "ada").get("/brukere/").status_code == 200
