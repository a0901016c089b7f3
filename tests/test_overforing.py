"""Overføring av ansvar når en ansatt slutter: avtaler, avvik, planer og en ventende signering
flyttes til etterfølgeren i én transaksjon og logges per sak; kalenderlenken trekkes, og
kontoen deaktiveres i samme steg. Feil inndata endrer ingenting. Ekte database, LibreOffice og
SMTP-tjener på loopback."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dokumenter.avtaler import signering
from dokumenter.avvik import skriving as avvik
from dokumenter.avvik.regler import Melder
from dokumenter.brukere import kontoer
from dokumenter.cli import main as cli
from dokumenter.felles.feil import IngenTilgang, Valideringsfeil
from dokumenter.models import (
    Ansvarsoverforing,
    Avtale,
    Avvik,
    Bruker,
    Hendelse,
    Plan,
    Planlogg,
    Signatar,
)
from dokumenter.overforing import ansvar as overforing
from dokumenter.planer.tilgang import grunnlag
from dokumenter.signering.runder import Signatarvalg
from tests.stotte.avtaler import inngatt_avtale
from tests.stotte.planverden import lag_planverden
from tests.stotte.web import csrf, innlogget

pytestmark = pytest.mark.libreoffice


def lag_oppsett(tj):
    """Planverdenen, pluss et åpent avvik koordinatoren følger opp, en kalenderlenke og en
    signeringsrunde der koordinatoren står først for kommunen."""
    v = lag_planverden(tj)
    koord = v.brukere["koordinator"]
    inngatt = inngatt_avtale(tj, v.bodo_id, koord)
    data = {
        "paragraf": "§ 4",
        "kategori": "varsling",
        "hendelsesdato": date.today(),
        "oppdaget": date.today(),
        "hva_skjedde": "Ingen varsel.",
    }
    avvik.registrer(tj, inngatt, data, Melder(koord, "saksbehandler"))
    with tj.transaksjon() as s:
        s.get(Bruker, koord).kalender_nokkel_hash = "a" * 64
    signering.start_runde(
        tj,
        v.avtale_id,
        [
            Signatarvalg(koord, "kommune", "Kommunalsjef"),
            Signatarvalg(v.brukere["partner_medlem"], "part", "Fengselsleder"),
        ],
        koord,
    )
    return v


@pytest.fixture
def oppskrift():
    return lag_oppsett


def bilde(tj, koord: int) -> tuple:
    """Alt en avvist overføring ikke skal ha endret."""
    with tj.sesjoner() as s:
        return (
            s.scalars(select(Avtale.ansvarlig_id).order_by(Avtale.id)).all(),
            s.scalars(select(Avvik.oppfolger_id).order_by(Avvik.id)).all(),
            s.scalars(select(Plan.koordinator_id).order_by(Plan.id)).all(),
            s.scalars(select(Signatar.bruker_id).order_by(Signatar.id)).all(),
            s.get(Bruker, koord).aktiv,
            s.get(Bruker, koord).kalender_nokkel_hash,
            s.scalar(select(func.count()).select_from(Hendelse)),
            s.scalar(select(func.count()).select_from(Planlogg)),
        )


def test_beholdningen_viser_alt_den_ansatte_har_ansvar_for(tj, forberedt):
    v = forberedt
    b = overforing.beholdning(tj, v.brukere["admin_uten_tilgang"], v.brukere["koordinator"])
    assert b.ansvar.antall() == {"avtaler": 2, "avvik": 1, "planer": 1, "signeringer": 1}
    assert b.ansvar.kalender and [p for p, _ in b.ansvar.planer] == [v.plan_id]
    with pytest.raises(IngenTilgang):
        overforing.beholdning(tj, v.brukere["annen_ansatt"], v.brukere["koordinator"])


def test_deaktivering_nektes_mens_noe_ville_staatt_uten_noen(tj, forberedt):
    v = forberedt
    sjef, koord = v.brukere["admin_uten_tilgang"], v.brukere["koordinator"]
    for_ = bilde(tj, koord)
    with pytest.raises(Valideringsfeil, match="har fortsatt ansvar"):
        kontoer.deaktiver(tj, sjef, koord)
    assert bilde(tj, koord) == for_


@pytest.mark.parametrize(
    "til, grunn, melding",
    [
        ({"alle": 9999}, "Sluttet", "velg en aktiv saksbehandler"),
        ({"alle": "koordinator"}, "Sluttet", "velg en annen enn den som slutter"),
        ({"alle": "tilgang"}, "Sluttet", "velg en aktiv saksbehandler"),  # bare lesetilgang
        ({"alle": "annen_ansatt"}, "", "Skriv hvorfor"),
        ({"alle": "annen_ansatt", "avvik": None}, "Sluttet", None),  # alt må ha en etterfølger
    ],
    ids=["ukjent-etterfolger", "seg-selv", "lesetilgang", "uten-grunn", "mangler-ett-slag"],
)
def test_feil_inndata_endrer_ingenting(tj, forberedt, til, grunn, melding):
    v = forberedt
    sjef, koord = v.brukere["admin_uten_tilgang"], v.brukere["koordinator"]
    ider = {k: v.brukere.get(x, x) if isinstance(x, str) else x for k, x in til.items()}
    fordeling = {slag: ider.get(slag, ider["alle"]) for slag in overforing.SLAG}
    for_ = bilde(tj, koord)
    with pytest.raises(Valideringsfeil, match=melding or "Åpne avvik"):
        overforing.overfor(tj, sjef, koord, fordeling, grunn, deaktiver=True)
    assert bilde(tj, koord) == for_


def test_alt_flyttes_i_ett_steg_og_kontoen_deaktiveres(tj, forberedt, smtp_sink):
    v = forberedt
    sjef, koord, ny = (
        v.brukere["admin_uten_tilgang"],
        v.brukere["koordinator"],
        v.brukere["annen_ansatt"],
    )
    smtp_sink.tom()
    feil = overforing.overfor(
        tj, sjef, koord, dict.fromkeys(overforing.SLAG, ny), "Sluttet 1. mars", deaktiver=True
    )
    assert feil == []
    with tj.sesjoner() as s:
        assert set(s.scalars(select(Avtale.ansvarlig_id))) == {ny}
        assert set(s.scalars(select(Avvik.oppfolger_id))) == {ny}
        plan = s.get(Plan, v.plan_id)
        assert plan.koordinator_id == ny
        assert koord not in set(s.scalars(select(Signatar.bruker_id)))
        gammel = s.get(Bruker, koord)
        assert not gammel.aktiv and gammel.kalender_nokkel_hash is None
        assert grunnlag(s, plan, gammel) is None  # mistet tilgangen til planen
        assert grunnlag(s, plan, s.get(Bruker, ny)).type == "koordinator"
        # Logget per sak: ansvarsoverføring og hendelse per avtale, avvik, plan og signering.
        overfort = select(func.count()).where(Ansvarsoverforing.utfort_av_id == sjef)
        assert s.scalar(overfort) == 2
        typer = s.scalars(select(Hendelse.type).where(Hendelse.bruker_id == sjef)).all()
        assert sorted(typer) == [
            "ansvar_overfort", "ansvar_overfort", "avvik_overfort", "signerer_erstattet"
        ]  # fmt: skip
        planlogg = s.scalars(
            select(Planlogg.handling).where(
                Planlogg.plan_id == v.plan_id, Planlogg.bruker_id == sjef
            )
        ).all()
        assert planlogg == ["koordinator_byttet"]
    # Den nye signereren står for tur og har fått e-post; etterfølgeren fikk oversikten.
    eposter = smtp_sink.vent_pa("annen@k.example.no", 2)
    emner = sorted(e.emne for e in eposter)
    assert any("overtatt ansvar etter Ansatt Koord" in e for e in emner)
    assert any("signer" in e.lower() for e in emner)
    # Nå kan kontoen deaktiveres (den er det allerede), og ingenting står igjen.
    b = overforing.beholdning(tj, sjef, koord)
    assert b.ansvar.tomt and not b.aktiv


def test_overforingssiden_flytter_og_deaktiverer(app, tj, forberedt):
    v = forberedt
    sjef = innlogget(app, "sjef")
    koord = v.brukere["koordinator"]
    side = sjef.get(f"/brukere/{koord}/overfor").get_data(as_text=True)
    assert "Ventende signeringer" in side and 'id="beholdning"' in side
    assert innlogget(app, "annen").get(f"/brukere/{koord}/overfor").status_code == 403
    data = {"csrf_token": csrf(side), "alle": "", "grunn": "Sluttet", "deaktiver": "1"}
    svar = sjef.post(f"/brukere/{koord}/overfor", data=data)
    assert svar.status_code == 400 and "velg en aktiv saksbehandler" in svar.get_data(as_text=True)
    data["alle"] = str(v.brukere["annen_ansatt"])
    svar = sjef.post(f"/brukere/{koord}/overfor", data=data, follow_redirects=True)
    html = svar.get_data(as_text=True)
    assert "Ansvaret etter Ansatt Koord er overført" in html and "er deaktivert" in html


def test_kommandolinjen_overforer_og_deaktiverer(tj, forberedt, smtp_sink, monkeypatch):
    v = forberedt
    koord, annen = v.brukere["koordinator"], v.brukere["annen_ansatt"]
    monkeypatch.setenv("DOKUMENTER_INSTANS", str(tj.innstillinger.instans))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    k = CliRunner()
    for_ = bilde(tj, koord)
    overfor = ["bruker", "overfor", "koord", "--av", "sjef", "--grunn", "Sluttet", "--til"]
    r = k.invoke(cli, [*overfor, "ingen"])
    assert r.exit_code == 1 and "Ingen bruker heter" in r.output
    r = k.invoke(cli, [*overfor, "annen", "--grunn", " "])
    assert r.exit_code == 1 and "Skriv hvorfor" in r.output
    r = k.invoke(cli, [*overfor, "annen", "--av", "annen"])  # ikke administrator
    assert r.exit_code == 1 and "Bare administratorer" in r.output
    assert bilde(tj, koord) == for_

    r = k.invoke(cli, [*overfor, "annen", "--deaktiver"])
    assert r.exit_code == 0, r.output
    assert "Ansvaret etter koord er overført til annen." in r.output
    with tj.sesjoner() as s:
        assert set(s.scalars(select(Avtale.ansvarlig_id))) == {annen}
        assert s.get(Plan, v.plan_id).koordinator_id == annen
        assert not s.get(Bruker, koord).aktiv
        assert koord not in s.scalars(select(Signatar.bruker_id)).all()
