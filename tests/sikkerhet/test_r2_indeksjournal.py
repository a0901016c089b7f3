"""R2: søket drev fra databasen i stillhet. En SIGKILL mellom commit og oppdatering av indeksen
lot den gamle versjonen stå som gjeldende i søket (5 av 5), uten merke og også etter omstart;
en slettet indeks ga 0 treff uten varsel, og neste lagring laget en indeks med bare den ene
avtalen. Ingenting reparerte noe av det ved oppstart.

Nå står hver endring i journalen (`indeksjobb`) i samme transaksjon som endringen, utføres
etter commit og ved oppstart; en indeks som mangler eller ikke hører til arkivet, bygges på
nytt i bakgrunnen, og søket sier fra så lenge.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import select

from arkiv.sok.indeks import Sokeindeks
from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.models import Avtale, AvtaleVersjon
from dokumenter.parter import skriving as parter
from dokumenter.sider import sok
from dokumenter.sok import arter, indeksering, journal, vedlikehold
from dokumenter.sok.skjema import SOKESKJEMA
from dokumenter.tjenester import apne
from tests.stotte.oppsett import PASSORD
from web import create_app

pytestmark = pytest.mark.libreoffice

# Hvert punkt i en lagring der prosessen kan dø (arkiv.lager.feilpunkt), i rekkefølge.
FEILPUNKTER = (
    "etter_fil",  # en fil i ventemappen
    "for_commit",  # alle filene i ventemappen
    "etter_commit",  # databasen har versjonen og jobben; filene er ikke flyttet inn
    "etter_filene",  # filene er i lageret; indeksen er ikke rørt
    "indeks_for_commit",  # indeksen er skrevet, men ikke committet
    "indeks_etter_commit",  # indeksen er committet; jobben er ikke merket utført
    "etter_indeks",  # alt er gjort
)

BARN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from dokumenter.avtaler import produksjon, skriving
    from dokumenter.cli.demo import AVTALEFELT
    from dokumenter.tjenester import apne
    from tests.stotte.oppsett import lag_innstillinger

    class FerdigPdf:  # står i for LibreOffice, så barnet starter raskt og etterlater ingenting
        def __init__(self, pdf):
            self.pdf, self.n = pdf, 0
        def til_pdfa(self, docx, timeout=60):
            self.n += 1
            return self.pdf + f"\\n% {self.n}\\n".encode()
        def lukk(self):
            pass

    tj = apne(lag_innstillinger(Path(sys.argv[1])))
    avtale_id, bruker_id, pdf = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    tj.konverterer = FerdigPdf(tj.lager.les(pdf))
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    print("KLAR", flush=True)
    n = 0
    while True:
        n += 1
        skriving.lagre_versjon(tj, avtale_id, {**verdier, "varslingsfrist_dager": n}, bruker_id)
    """
)


def felt(tj, **endring):
    return {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT, **endring}


@pytest.fixture
def avtaler(tj, saksbehandler):
    bodo = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    mo = parter.opprett_part(
        tj, {"navn": "Mo fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(2)}
    )
    a = skriving.opprett_utkast(tj, bodo.id, felt(tj), saksbehandler.id)
    b = skriving.opprett_utkast(tj, mo.id, felt(tj), saksbehandler.id)
    return a, b


def _barn(tj, avtale, bruker, env=None) -> subprocess.Popen:
    with tj.sesjoner() as s:
        pdf = s.get(Avtale, avtale.id).versjoner[0].dokument("pdf").sha256
    argumenter = [str(tj.innstillinger.instans), str(avtale.id), str(bruker.id), pdf]
    barn = subprocess.Popen(
        [sys.executable, "-c", BARN, *argumenter],
        cwd=REPO_ROT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert barn.stdout.readline().strip() == "KLAR"
    return barn


def _sjekk_at_soket_stemmer_med_databasen(tj, avtale_id: int) -> int:
    """Start som en ny prosess gjør (appen), og se at søket viser det databasen har."""
    tj2 = apne(tj.innstillinger)
    try:
        create_app(tj2, TESTING=True)  # oppstart: ventende jobber tas inn
        assert tj2.venter_bakgrunn(indeksering.BYGGING, 60)
        with tj2.sesjoner() as s:
            gjeldende = s.get(Avtale, avtale_id).gjeldende_versjon
            nummer = s.scalars(
                select(AvtaleVersjon.nummer).where(AvtaleVersjon.avtale_id == avtale_id)
            ).all()
        assert sorted(nummer) == list(range(1, gjeldende + 1))
        r = sok.sok(tj2, "løslatelse", "admin")
        assert {(t.objekt_id, t.versjon) for t in r.treff if t.objekt_id == avtale_id} == {
            (avtale_id, gjeldende)
        }
        alle = sok.sok(tj2, "løslatelse", "admin", bare_gjeldende=False, per_side=500)
        assert sorted(t.versjon for t in alle.treff if t.objekt_id == avtale_id) == nummer
        assert journal.status(tj2).ventende == 0
        assert vedlikehold.kontroller(tj2) is None and sok.indeksstatus(tj2) is None
        return gjeldende
    finally:
        tj2.lukk()


def test_sigkill_paa_hvert_steg_av_en_lagring_gir_riktig_sok_etter_oppstart(
    tj, avtaler, saksbehandler
):
    a, _ = avtaler
    forrige = 1
    for punkt in FEILPUNKTER:
        barn = _barn(tj, a, saksbehandler, {"DOKUMENTER_FEILPUNKT": punkt})
        assert barn.wait(timeout=60) == 86, punkt
        gjeldende = _sjekk_at_soket_stemmer_med_databasen(tj, a.id)
        ventet = forrige if punkt in ("etter_fil", "for_commit") else forrige + 1
        assert gjeldende == ventet, punkt
        forrige = gjeldende


def test_sigkill_paa_tilfeldige_tidspunkt_gir_riktig_sok_etter_oppstart(tj, avtaler, saksbehandler):
    a, _ = avtaler
    rng = random.Random(20261203)
    for _ in range(4):
        barn = _barn(tj, a, saksbehandler)
        time.sleep(rng.uniform(0.05, 1.0))
        barn.send_signal(signal.SIGKILL)
        barn.wait(timeout=30)
        _sjekk_at_soket_stemmer_med_databasen(tj, a.id)


@contextlib.contextmanager
def _treg_gjenoppbygging(monkeypatch, sekunder: float):
    ekte = arter.alle_dokumenter

    def treg(*args, **kwargs):
        time.sleep(sekunder)
        yield from ekte(*args, **kwargs)

    monkeypatch.setattr(arter, "alle_dokumenter", treg)
    yield
    monkeypatch.setattr(arter, "alle_dokumenter", ekte)


def test_slettet_indeks_sier_fra_bygges_i_bakgrunnen_og_lagringer_gaar_ikke_tapt(
    tj, avtaler, saksbehandler, monkeypatch
):
    a, b = avtaler
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    k = app.test_client()
    innlogget = k.post("/logg-inn", data={"brukernavn": "kari", "passord": PASSORD})
    assert innlogget.status_code == 302
    with _treg_gjenoppbygging(monkeypatch, 1.5):
        shutil.rmtree(tj.indeks.mappe)
        data = k.get("/api/sok?q=løslatelse").get_json()
        assert data["totalt"] == 0 and data["indeks_foreldet"]  # ikke 0 treff i stillhet
        assert "bygges på nytt" in data["indeks_melding"]
        assert "bygges på nytt" in k.get("/sok?q=løslatelse").get_data(as_text=True)
        # En lagring mens indeksen bygges: ingen ny indeks med bare denne avtalen, og jobben
        # står til gjenoppbyggingen tar den inn.
        skriving.lagre_versjon(tj, b.id, felt(tj, varslingsfrist_dager=60), saksbehandler.id)
        assert tj.venter_bakgrunn(indeksering.BYGGING, 60)
    data = k.get("/api/sok?q=løslatelse").get_json()
    assert {(t["avtale_id"], t["versjon"]) for t in data["treff"]} == {(a.id, 1), (b.id, 2)}
    assert not data["indeks_foreldet"] and data["indeks_melding"] == ""
    assert journal.status(tj).ventende == 0


def test_indeks_som_ikke_horer_til_arkivet_oppdages_og_bygges_paa_nytt(tj, avtaler):
    a, b = avtaler
    # Indeksen slettes, og noe skriver en ny med bare én (fremmed) avtale i samme mappe.
    shutil.rmtree(tj.indeks.mappe)
    fremmed = Sokeindeks(tj.indeks.mappe, SOKESKJEMA)  # som før: lager en ny ved behov
    with tj.sesjoner() as s:
        dokumenter = arter.avtaledokumenter(tj, s, a.id)
    fremmed.erstatt_objekt("avtale", 999, lambda: [_flytt(d, 999) for d in dokumenter])
    grunn = vedlikehold.kontroller(tj)
    assert grunn is not None and "hører ikke til dette arkivet" in grunn
    assert "1 avtaler" in grunn and "2 avtaler" in grunn
    create_app(tj, TESTING=True)  # oppstarten merker den og bygger på nytt i bakgrunnen
    assert tj.venter_bakgrunn(indeksering.BYGGING, 60)
    assert vedlikehold.kontroller(tj) is None and sok.indeksstatus(tj) is None
    r = sok.sok(tj, "løslatelse", "admin")
    assert sorted(t.objekt_id for t in r.treff) == sorted([a.id, b.id])


def _flytt(dok, objekt_id: int):
    dok.id, dok.objekt_id = f"avtale:{objekt_id}:{dok.versjon}", objekt_id
    return dok
