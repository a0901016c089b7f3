"""Arkivets integritet: kontroll, uforanderlige rader, sikkerhetskopi, krasj og full disk."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from arkiv.lager import LagerFeil
from dokumenter.avtaler import lesing, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.drift import arkivdrift
from dokumenter.felles import feil
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.models import Avtale, AvtaleVersjon, Dokument, Hendelse
from dokumenter.parter import skriving as parter
from dokumenter.sider import sok as sok
from dokumenter.tjenester import apne
from tests.stotte.arkivlager import fjern_forbi, skriv_forbi
from tests.stotte.avtaler import avtalefelt
from tests.stotte.oppsett import (
    PASSORD,
    filer_i_arkivet,
    hent,
    hent_bruker,
    lag_innstillinger,
    lag_saksbehandler,
)

pytestmark = pytest.mark.libreoffice


def lag_avtale(tj):
    """Saksbehandleren og et utkast til avtale med Bodø fengsel (én versjon, DOCX og PDF)."""
    saksbehandler = lag_saksbehandler(tj)
    part = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    return skriving.opprett_utkast(tj, part.id, avtalefelt(tj), saksbehandler.id, fra="test").id


@pytest.fixture
def oppskrift():
    """Byggingen over kjøres én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_avtale


@pytest.fixture
def saksbehandler(tj):
    return hent_bruker(tj, "kari")


@pytest.fixture
def avtale(tj, forberedt):
    return hent(tj, Avtale, forberedt)


def tell(tj, modell):
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(modell))


@pytest.mark.begge_databaser
def test_verifiser_finner_endrede_manglende_og_foreldrelose_filer(tj, avtale, lagertype, i_s3):
    if lagertype == "s3":
        i_s3(tj)
    assert arkivdrift.verifiser(tj).ren
    with tj.sesjoner() as s:
        docx, pdf = (d.sha256 for d in s.get(Avtale, avtale.id).versjoner[0].dokumenter)
    skriv_forbi(tj.lager, docx, b"tuklet med")
    fjern_forbi(tj.lager, pdf)
    skriv_forbi(tj.lager, "ab" * 32, b"ingen peker hit")
    r = arkivdrift.verifiser(tj)
    assert (r.endret, r.mangler, r.foreldrelose) == ([docx], [pdf], ["ab" * 32])
    assert not r.ren
    (hva,) = arkivdrift.beskriv(tj, [docx])
    assert tj.lager.plassering(docx) in hva.tekst and "versjon 1, DOCX" in hva.tekst


@pytest.mark.begge_databaser
def test_versjoner_dokumenter_og_logg_kan_ikke_endres_eller_slettes(tj, avtale):
    for sql in (
        "UPDATE avtaleversjon SET grunn = 'skjult'",
        "DELETE FROM avtaleversjon",
        "UPDATE dokument SET sha256 = 'x'",
        "DELETE FROM hendelse",
        "UPDATE hendelse SET type = 'x'",
    ):
        with pytest.raises(IntegrityError, match="kan bare få nye rader"), tj.transaksjon() as s:
            s.execute(text(sql))
    assert tell(tj, AvtaleVersjon) == 1


@pytest.mark.begge_databaser
def test_revisjonslogg_for_hele_livslopet(tj, avtale, saksbehandler):

    ola = brukere.opprett_bruker(tj, "ola", "Ola", "saksbehandler", PASSORD)
    skriving.lagre_versjon(
        tj, avtale.id, avtalefelt(tj), saksbehandler.id, "Ny", 1, fra="web 10.0.0.7"
    )
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", saksbehandler.id, fra="web 10.0.0.7")
    skriving.overfor_ansvar(tj, avtale.id, ola.id, saksbehandler.id, "Overtar", fra="cli")
    with tj.sesjoner() as s:
        dok_id = s.get(Avtale, avtale.id).versjoner[1].dokument("pdf").id
    lesing.les_dokument(tj, dok_id, ola.id, fra="web 10.0.0.8")
    with tj.sesjoner() as s:
        hendelser = s.scalars(select(Hendelse).order_by(Hendelse.id)).all()
    assert [h.type for h in hendelser] == [
        "opprettet",
        "ny_versjon",
        "generert",
        "ny_versjon",
        "generert",
        "status_endret",
        "ansvar_overfort",
        "lastet_ned",
    ]
    assert hendelser[-1].fra == "web 10.0.0.8" and hendelser[-1].bruker_id == ola.id
    assert hendelser[5].detaljer == {"fra_status": "utkast", "til_status": "til_gjennomgang"}


@pytest.mark.begge_databaser
def test_samtidig_lagring_en_vinner_ingen_overskrives(tj, avtale, saksbehandler):
    resultater = []

    def lagre(frist):
        try:
            v = skriving.lagre_versjon(
                tj,
                avtale.id,
                avtalefelt(tj, varslingsfrist_dager=frist),
                saksbehandler.id,
                forventet_versjon=1,
            )
            resultater.append(("ok", v.nummer))
        except feil.Konflikt as e:
            resultater.append(("konflikt", e.gjeldende))

    traader = [threading.Thread(target=lagre, args=(f,)) for f in (40, 50)]
    for t in traader:
        t.start()
    for t in traader:
        t.join()
    assert sorted(resultater) == [("konflikt", 2), ("ok", 2)]
    assert tell(tj, AvtaleVersjon) == 2
    assert arkivdrift.verifiser(tj).ren


def test_sikkerhetskopi_mens_noen_lagrer_og_gjenoppretting(tj, avtale, saksbehandler, tmp_path):
    stopp = threading.Event()

    def skriv_hele_tiden():
        n = 1
        while not stopp.is_set():
            skriving.lagre_versjon(
                tj, avtale.id, avtalefelt(tj, varslingsfrist_dager=n), saksbehandler.id
            )
            n += 1

    skriver = threading.Thread(target=skriv_hele_tiden)
    skriver.start()
    try:
        time.sleep(0.5)
        info = arkivdrift.lag_sikkerhetskopi(tj, tmp_path / "kopi")
    finally:
        stopp.set()
        skriver.join()
    assert info["filer"] >= 3

    ny = lag_innstillinger(tmp_path / "gjenopprettet")
    rapport = arkivdrift.gjenopprett(ny, tmp_path / "kopi")
    assert rapport.ren and rapport.kontrollert == info["filer"]
    tj2 = apne(ny)
    try:
        with tj2.sesjoner() as s:
            versjoner = s.scalars(select(AvtaleVersjon)).all()
            assert versjoner and all(len(v.dokumenter) == 2 for v in versjoner)

        assert sok.sok(tj2, "løslatelse", "admin").totalt == 1  # indeksen er bygget på nytt
    finally:
        tj2.lukk()
    with pytest.raises(LagerFeil, match="er ikke tom"):
        arkivdrift.gjenopprett(ny, tmp_path / "kopi")
    with pytest.raises(LagerFeil, match="finnes og er ikke tom"):
        arkivdrift.lag_sikkerhetskopi(tj, tmp_path / "kopi")


def test_cli_verifiser_sikkerhetskopi_gjenopprett(tj, avtale, tmp_path):
    def kjor(instans, *args):
        env = {**os.environ, "DOKUMENTER_INSTANS": str(instans)}
        return subprocess.run(
            [sys.executable, "-m", "dokumenter", "arkiv", *args],
            env=env,
            cwd=REPO_ROT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    instans = tj.innstillinger.instans
    r = kjor(instans, "verifiser")
    assert r.returncode == 0 and "Arkivet er i orden." in r.stdout, r.stdout + r.stderr
    r = kjor(instans, "sikkerhetskopi", str(tmp_path / "kopi"))
    assert r.returncode == 0, r.stderr
    r = kjor(tmp_path / "ny", "gjenopprett", str(tmp_path / "kopi"))
    assert r.returncode == 0 and "Arkivet er i orden." in r.stdout, r.stdout + r.stderr
    next(iter(filer_i_arkivet(apne(lag_innstillinger(tmp_path / "ny"))))).write_bytes(b"x")
    r = kjor(tmp_path / "ny", "verifiser")
    assert r.returncode == 1 and "Endret (SHA-256 stemmer ikke): 1" in r.stdout


KRASJBARN = textwrap.dedent(
    """
    import sys
    from dokumenter.avtaler import produksjon, skriving
    from dokumenter.cli.demo import AVTALEFELT
    from dokumenter.tjenester import apne
    from tests.stotte.oppsett import lag_innstillinger
    from pathlib import Path

    tj = apne(lag_innstillinger(Path(sys.argv[1])))
    avtale_id, bruker_id = int(sys.argv[2]), int(sys.argv[3])
    tj.konverterer.til_pdfa  # noqa
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    k = tj.konverterer
    k.start()
    print("PGID", k.pid, flush=True)
    n = 0
    while True:
        n += 1
        skriving.lagre_versjon(tj, avtale_id, {**verdier, "varslingsfrist_dager": n}, bruker_id)
    """
)


def _start_barn(tj, avtale, saksbehandler, env=None):
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            KRASJBARN,
            str(tj.innstillinger.instans),
            str(avtale.id),
            str(saksbehandler.id),
        ],
        cwd=REPO_ROT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
    )


def _drep_konverterer(linje):
    if linje.startswith("PGID "):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int(linje.split()[1]), signal.SIGKILL)


def _sjekk_hel(tj):
    tj2 = apne(tj.innstillinger)  # rydder avbrutte lagringer, som enhver ny prosess gjør
    try:
        rapport = arkivdrift.verifiser(tj2)
        assert rapport.ren, rapport
        with tj2.sesjoner() as s:
            versjoner = s.scalars(select(AvtaleVersjon)).all()
            assert all(len(v.dokumenter) == 2 for v in versjoner)
            assert [v.nummer for v in versjoner] == list(range(1, len(versjoner) + 1))
            assert s.scalar(select(Avtale.gjeldende_versjon)) == len(versjoner)
        return len(versjoner)
    finally:
        tj2.lukk()


@pytest.mark.parametrize("punkt", ["etter_fil", "for_commit", "etter_commit"])
def test_krasj_pa_kjente_punkter_gir_hel_versjon_eller_ingen(tj, avtale, saksbehandler, punkt):
    barn = _start_barn(tj, avtale, saksbehandler, {"DOKUMENTER_FEILPUNKT": punkt})
    pgid_linje = barn.stdout.readline()
    assert barn.wait(timeout=120) == 86
    _drep_konverterer(pgid_linje)  # barnet døde uten å rydde; LibreOffice-gruppen lever
    assert _sjekk_hel(tj) == (2 if punkt == "etter_commit" else 1)


def test_sigkill_pa_tilfeldige_tidspunkt(tj, avtale, saksbehandler):
    rng = random.Random(20261126)
    forrige = 1
    for _ in range(3):
        barn = _start_barn(tj, avtale, saksbehandler)
        pgid_linje = barn.stdout.readline()
        time.sleep(rng.uniform(0.2, 1.5))
        barn.send_signal(signal.SIGKILL)
        barn.wait(timeout=30)
        _drep_konverterer(pgid_linje)
        antall = _sjekk_hel(tj)
        assert antall >= forrige
        forrige = antall


def test_full_disk_gir_tydelig_feil_og_endrer_ingenting(tj, avtale, saksbehandler, tmp_path):
    mappe = tmp_path / "liten"
    mappe.mkdir()
    montert = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mappe)])
    if montert.returncode != 0:
        pytest.skip("kan ikke montere tmpfs her (krever root)")
    try:
        from arkiv.lager import Fillager

        tj.lager = Fillager(mappe)
        for_versjoner, for_hendelser = tell(tj, AvtaleVersjon), tell(tj, Hendelse)
        with pytest.raises(LagerFeil, match="Kunne ikke skrive til arkivet.*No space left"):
            skriving.lagre_versjon(tj, avtale.id, avtalefelt(tj), saksbehandler.id)
        assert (tell(tj, AvtaleVersjon), tell(tj, Hendelse)) == (for_versjoner, for_hendelser)
        assert tell(tj, Dokument) == 2
        assert [p for p in mappe.rglob("*") if p.is_file()] == []
    finally:
        subprocess.run(["umount", str(mappe)])


def test_arkivmappe_som_ikke_kan_skrives_gir_tydelig_feil(tj, avtale, saksbehandler, tmp_path):
    from arkiv.lager import Fillager

    blokkert = tmp_path / "ikke-en-mappe"
    blokkert.write_text("fil der arkivet skulle vært")
    tj.lager = Fillager(blokkert)
    for_tilstand = (tell(tj, AvtaleVersjon), tell(tj, Dokument), tell(tj, Hendelse))
    with pytest.raises(LagerFeil, match="Kunne ikke skrive til arkivet"):
        skriving.lagre_versjon(tj, avtale.id, avtalefelt(tj), saksbehandler.id)
    assert (tell(tj, AvtaleVersjon), tell(tj, Dokument), tell(tj, Hendelse)) == for_tilstand
    assert blokkert.read_text() == "fil der arkivet skulle vært"


def test_sikkerhetskopi_og_gjenoppretting_med_objektlageret(
    tj, avtale, i_s3, s3server, ny_boks, tmp_path
):
    """Filene i bøtta kopieres til kopiens mappe og gjenopprettes til en ny, tom bøtte."""
    i_s3(tj)
    info = arkivdrift.lag_sikkerhetskopi(tj, tmp_path / "kopi")
    assert info["filer"] == len(list(tj.lager.shaer())) >= 3 and info["feil"] == []

    ny = lag_innstillinger(tmp_path / "gjenopprettet").med(s3=s3server.oppsett(ny_boks()))
    rapport = arkivdrift.gjenopprett(ny, tmp_path / "kopi")
    assert rapport.ren and rapport.kontrollert == info["filer"]
    tj2 = apne(ny)
    try:
        assert list(tj2.lager.shaer()) == list(tj.lager.shaer())
        assert not (tmp_path / "gjenopprettet" / "arkiv").exists()  # filene er i bøtta
        assert sok.sok(tj2, "løslatelse", "admin").totalt == 1
    finally:
        tj2.lukk()
    ny2 = lag_innstillinger(tmp_path / "igjen").med(s3=ny.s3)
    with pytest.raises(LagerFeil, match="er ikke tom"):  # bøtta har filer fra før
        arkivdrift.gjenopprett(ny2, tmp_path / "kopi")
    assert not (tmp_path / "igjen" / "dokumenter.sqlite3").exists()


@pytest.mark.parametrize("databasetype", ["postgresql"], indirect=True)
def test_sikkerhetskopi_med_postgresql_og_objektlageret_har_bare_filene(
    tj, avtale, i_s3, s3server, ny_boks, postgres, tmp_path
):
    """Flere noder: databasen kopieres med pg_dump, filene i bøtta med sikkerhetskopien, og
    gjenopprettingen legger filene i en ny bøtte ved siden av den gjenopprettede databasen."""
    i_s3(tj)
    info = arkivdrift.lag_sikkerhetskopi(tj, tmp_path / "kopi")
    manifest = json.loads((tmp_path / "kopi" / "sikkerhetskopi.json").read_text())
    assert manifest["database"] is None and info["filer"] == len(list(tj.lager.shaer()))
    assert not (tmp_path / "kopi" / "dokumenter.sqlite3").exists()

    with pytest.raises(LagerFeil, match="pg_restore"):  # en SQLite-instans kan ikke ta den
        arkivdrift.gjenopprett(lag_innstillinger(tmp_path / "sqlite"), tmp_path / "kopi")

    # pg_dump + pg_restore, her som en kopi av databasen i samme klynge
    tj.sesjoner.kw["bind"].dispose()
    kilde = tj.innstillinger.database_url.rsplit("/", 1)[1]
    url = postgres.ny_database(f"gjenopprettet_{os.getpid()}", mal=kilde)
    ny = lag_innstillinger(tmp_path / "ny", database_url=url).med(s3=s3server.oppsett(ny_boks()))
    rapport = arkivdrift.gjenopprett(ny, tmp_path / "kopi")
    assert rapport.ren and rapport.kontrollert == info["filer"]
