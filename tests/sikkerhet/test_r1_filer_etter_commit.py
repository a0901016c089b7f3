"""R1: filer tapt etter commit. Filene skal ligge på sin endelige plass før raden committes,
så ingen feil eller krasj etter commit kan etterlate en versjon uten filer; og ingen feil
eller krasj før commit kan etterlate foreldreløse filer (etter `gjenopprett` ved oppstart).

Hvert steg prøves med en innsprøytet OSError (full disk, tomt for inoder) og med SIGKILL, både
med arkivet i mappen og i objektlageret (SeaweedFS; der med ryddefrist 0, så oppstarten rydder
straks, og uten stegene som bare finnes i mappen).
"""

from __future__ import annotations

import errno
import random
import signal
import time
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from arkiv import lager as lagermodul
from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.drift import arkivdrift
from dokumenter.models import Avtale, AvtaleVersjon
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import apne
from tests.sikkerhet.krasjbarn import StubbKonverterer, start_barn

FOR_COMMIT = ["skriv_fil", "etter_fil", "skriv_nye", "lenke_inn", "etter_lenke", "for_commit"]
ETTER_COMMIT = ["etter_commit", "rydd_ventemappe"]
BARE_MAPPE = {"lenke_inn", "etter_lenke"}  # hard lenke fra ventemappen: ikke i objektlageret


def felt(tj, **endring):
    return {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT, **endring}


@pytest.fixture
def stubb_tj(tj, lagertype, request):
    tj.konverterer = StubbKonverterer()
    if lagertype == "s3":
        request.getfixturevalue("i_s3")(tj, ryddefrist=0)
    return tj


def _bare_mappe(tj, punkt: str) -> None:
    if not isinstance(tj.lager, lagermodul.Fillager) and punkt in BARE_MAPPE:
        pytest.skip(f"steget {punkt} finnes bare i arkivmappen")


@pytest.fixture
def avtale(stubb_tj, saksbehandler):
    part = parter.opprett_part(
        stubb_tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    return skriving.opprett_utkast(stubb_tj, part.id, felt(stubb_tj), saksbehandler.id)


def _versjoner(tj) -> int:
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(AvtaleVersjon))


def _ventemapper(tj) -> list:
    """Ventemappene (mappen) eller merkene (objektlageret) etter lagringer som ikke er ferdige."""
    if not isinstance(tj.lager, lagermodul.Fillager):
        return list(tj.lager._merker())
    rot = tj.lager.rot / lagermodul.VENTENDE
    return [p for p in rot.iterdir() if p.is_dir()] if rot.is_dir() else []


def _sjekk_hel(tj) -> int:
    """Som en ny prosess: gjenopprett, så skal arkivet stemme med databasen, helt."""
    tj2 = apne(tj.innstillinger)
    try:
        rapport = arkivdrift.verifiser(tj2)
        assert rapport.ren, rapport
        assert _ventemapper(tj2) == []
        with tj2.sesjoner() as s:
            versjoner = s.scalars(select(AvtaleVersjon).order_by(AvtaleVersjon.id)).all()
            assert all(len(v.dokumenter) == 2 for v in versjoner)
            assert [v.nummer for v in versjoner] == list(range(1, len(versjoner) + 1))
            assert s.scalar(select(Avtale.gjeldende_versjon)) == len(versjoner)
        return len(versjoner)
    finally:
        tj2.lukk()


@pytest.fixture
def feil_ved():
    """Sprøyt inn en OSError (ENOSPC) første gang et navngitt steg nås."""
    treff: list[str] = []

    def sett(punkt: str) -> list[str]:
        def krok(navn: str) -> None:
            if navn == punkt and not treff:
                treff.append(navn)
                raise OSError(errno.ENOSPC, "No space left on device")

        lagermodul.sett_feilkrok(krok)
        return treff

    yield sett
    lagermodul.sett_feilkrok(None)


@pytest.mark.parametrize("punkt", FOR_COMMIT)
def test_oserror_for_commit_gir_tydelig_feil_og_ingen_rester(
    stubb_tj, avtale, saksbehandler, feil_ved, punkt
):
    tj = stubb_tj
    _bare_mappe(tj, punkt)
    filer_for = list(tj.lager.shaer())
    treff = feil_ved(punkt)
    with pytest.raises(Exception, match="No space left") as e:
        skriving.lagre_versjon(tj, avtale.id, felt(tj, varslingsfrist_dager=40), saksbehandler.id)
    assert treff == [punkt]
    if punkt != "for_commit":  # der kaster testkroken utenfor arkivet, ellers arkivets feil
        assert "Kunne ikke skrive til arkivet" in str(e.value)
    assert _versjoner(tj) == 1
    assert list(tj.lager.shaer()) == filer_for  # ingenting nytt ble liggende
    assert _ventemapper(tj) == []
    assert _sjekk_hel(tj) == 1


@pytest.mark.parametrize("punkt", ETTER_COMMIT)
def test_oserror_etter_commit_mister_ingen_filer(stubb_tj, avtale, saksbehandler, feil_ved, punkt):
    tj = stubb_tj
    treff = feil_ved(punkt)
    v = skriving.lagre_versjon(
        tj, avtale.id, felt(tj, varslingsfrist_dager=40), saksbehandler.id
    )  # brukeren får versjonen: den er lagret
    assert treff == [punkt] and v.nummer == 2
    assert arkivdrift.verifiser(tj).ren  # filene er på plass allerede, før noen rydder
    assert _sjekk_hel(tj) == 2


def test_ventemappe_fra_gammel_kode_flyttes_inn_om_raden_finnes(stubb_tj, avtale):
    """En ventemappe uten `.nye` (krasj mellom commit og flytting i den forrige koden): filer
    databasen kjenner, skal inn i lageret; resten kastes."""
    tj = stubb_tj
    if not isinstance(tj.lager, lagermodul.Fillager):
        pytest.skip("ventemapper finnes bare i arkivmappen")
    with tj.sesjoner() as s:
        pdf = s.get(Avtale, avtale.id).versjoner[0].dokument("pdf").sha256
    data = tj.lager.les(pdf)
    gammel = tj.lager.rot / lagermodul.VENTENDE / "gammel"
    gammel.mkdir()
    (gammel / ".las").touch()
    (gammel / pdf).write_bytes(data)
    (gammel / ("ab" * 32)).write_bytes(b"aldri registrert")
    tj.lager.sti(pdf).unlink()
    r = lagermodul.gjenopprett(tj.lager, tj.er_registrert)
    assert r.fullfort == 1 and tj.lager.les(pdf) == data
    assert not gammel.exists()


@pytest.mark.parametrize("punkt", FOR_COMMIT + ETTER_COMMIT)
def test_sigkill_ved_hvert_steg(stubb_tj, avtale, saksbehandler, punkt):
    _bare_mappe(stubb_tj, punkt)
    barn = start_barn(
        stubb_tj.innstillinger.instans,
        avtale.id,
        saksbehandler.id,
        {"DOKUMENTER_FEILPUNKT": punkt},
        s3=stubb_tj.innstillinger.s3,
    )
    assert barn.wait(timeout=60) == 86
    assert _sjekk_hel(stubb_tj) == (2 if punkt in ETTER_COMMIT else 1)


def test_sigkill_pa_tilfeldige_tidspunkt(stubb_tj, avtale, saksbehandler):
    rng = random.Random(13)
    forrige = 1
    for _ in range(6):
        barn = start_barn(
            stubb_tj.innstillinger.instans,
            avtale.id,
            saksbehandler.id,
            s3=stubb_tj.innstillinger.s3,
        )
        time.sleep(rng.uniform(0.05, 0.6))
        barn.send_signal(signal.SIGKILL)
        barn.wait(timeout=30)
        antall = _sjekk_hel(stubb_tj)
        assert antall >= forrige
        forrige = antall


@pytest.mark.parametrize("lagertype", ["s3"], indirect=True)
@pytest.mark.parametrize("punkt", ["etter_fil", "for_commit"])
def test_s3_krasj_mellom_opplasting_og_commit_gir_foreldrelost_objekt_aldri_rad_uten(
    stubb_tj, avtale, saksbehandler, punkt
):
    """Med den vanlige ryddefristen (1 t) blir det nye objektet liggende etter krasjen (en annen
    node kunne vært i ferd med å bruke det): ingen rad uten objekt, og `verifiser` viser det
    foreldreløse. Etter fristen fjerner oppstarten det."""
    tj = stubb_tj
    inn = tj.innstillinger.med(s3=replace(tj.innstillinger.s3, ryddefrist=3600))
    barn = start_barn(
        inn.instans, avtale.id, saksbehandler.id, {"DOKUMENTER_FEILPUNKT": punkt}, s3=inn.s3
    )
    assert barn.wait(timeout=60) == 86
    tj2 = apne(inn)
    try:
        r = arkivdrift.verifiser(tj2)
        assert r.mangler == [] and r.endret == [] and r.foreldrelose, r
        assert len(_ventemapper(tj2)) == 1  # merket står til fristen er ute
        assert _versjoner(tj2) == 1
    finally:
        tj2.lukk()
    assert _sjekk_hel(tj) == 1  # ryddefrist 0: som når fristen er ute
