"""Indeksen tar bare inn det som er endret, og ingen DOCX leses to ganger: en lagring skriver
den nye versjonen og den forrige (som ikke lenger er gjeldende), uansett hvor mange versjoner
avtalen har, og teksten hentes ut én gang, når versjonen lagres.

Testene merket `begge_databaser` går også med PostgreSQL, og dermed med søket i PostgreSQL:
der er den forrige versjonen én radoppdatering («gjeldende»), ikke en sletting og en ny rad."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.models import Avtale, Versjonstekst
from dokumenter.parter import skriving as parter
from dokumenter.sider import sok
from dokumenter.sok import indeksering, journal, tekster

pytestmark = pytest.mark.libreoffice


class FerdigPdf:
    """Står i for LibreOffice (samme PDF/A, gjort unik per kall), så testen går fort."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf, self.n = pdf, 0

    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
        self.n += 1
        return self.pdf + f"\n% {self.n}\n".encode()

    def lukk(self) -> None:
        pass


def felt(tj, **endring):
    return {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT, **endring}


@pytest.fixture
def avtale(tj, saksbehandler):
    part = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    a = skriving.opprett_utkast(tj, part.id, felt(tj), saksbehandler.id)
    with tj.sesjoner() as s:
        pdf = s.get(Avtale, a.id).versjoner[0].dokument("pdf").sha256
    tj._konverterer = None  # den delte LibreOffice-en lukkes av sin egen fixture
    tj.konverterer = FerdigPdf(tj.lager.les(pdf))
    for n in range(2, 7):
        skriving.lagre_versjon(tj, a.id, felt(tj, varslingsfrist_dager=n), saksbehandler.id)
    return a


@pytest.fixture
def maling(monkeypatch):
    """Teller DOCX-er som leses for tekst, og dokumenter skriveren skriver og fjerner."""
    tall = {"docx": 0, "skrevet": 0, "fjernet": 0}
    ekte_docx, ekte_utfor = tekster.fra_docx, indeksering.utfor

    def fra_docx(docx):
        tall["docx"] += 1
        return ekte_docx(docx)

    def utfor(tj, skriver, jobber):
        ekte_utfor(tj, skriver, jobber)
        tall["skrevet"] += skriver.skrevet
        tall["fjernet"] += skriver.fjernet

    monkeypatch.setattr(tekster, "fra_docx", fra_docx)
    monkeypatch.setattr(indeksering, "utfor", utfor)
    return tall


@pytest.mark.begge_databaser
def test_en_lagring_skriver_to_versjoner_og_leser_en_docx(
    tj, avtale, saksbehandler, maling, databasetype
):
    skriving.lagre_versjon(tj, avtale.id, felt(tj, varslingsfrist_dager=99), saksbehandler.id)
    if databasetype == "sqlite":
        # alle: versjon 7 ny, versjon 6 på nytt (ikke lenger gjeldende); gjeldende: 7 for 6.
        assert maling == {"docx": 1, "skrevet": 3, "fjernet": 2}
    else:  # versjon 7 ny, versjon 6 én radoppdatering
        assert maling == {"docx": 1, "skrevet": 2, "fjernet": 0}
    r = sok.sok(tj, "løslatelse", "admin", bare_gjeldende=False, per_side=50)
    assert sorted(t.versjon for t in r.treff) == list(range(1, 8))
    assert [t.versjon for t in sok.sok(tj, "løslatelse", "admin").treff] == [7]


@pytest.mark.begge_databaser
def test_ny_status_skriver_alle_versjoner_uten_aa_lese_en_docx(
    tj, avtale, saksbehandler, maling, databasetype
):
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", saksbehandler.id)
    if databasetype == "sqlite":
        assert maling == {"docx": 0, "skrevet": 6 + 1, "fjernet": 6 + 1}
    else:  # én rad per versjon, skrevet over
        assert maling == {"docx": 0, "skrevet": 6, "fjernet": 0}
    r = sok.sok(tj, "løslatelse", "admin", bare_gjeldende=False, per_side=50)
    assert {t.felt["status"] for t in r.treff} == {"til_gjennomgang"}


@pytest.mark.begge_databaser
def test_en_jobb_for_noe_som_ikke_er_endret_skriver_ingenting(tj, avtale, maling):
    with tj.transaksjon() as s:
        indeksering.meld(s, "avtale", avtale.id)  # utføres etter commit
    assert journal.status(tj).ventende == 0
    assert maling == {"docx": 0, "skrevet": 0, "fjernet": 0}


@pytest.mark.begge_databaser
def test_versjoner_uten_lagret_tekst_faar_den_en_gang(tj, avtale, maling):
    with tj.transaksjon() as s:  # som versjoner lagret før tabellen fantes (migrering 0012)
        s.execute(delete(Versjonstekst))
    indeksering.reindekser(tj)
    assert maling["docx"] == 6
    indeksering.reindekser(tj)
    assert maling["docx"] == 6  # lagret første gang
    assert sok.sok(tj, "løslatelse", "admin").totalt == 1


def test_lagringen_slar_ikke_sammen_segmenter_det_gjor_vedlikeholdet(tj, avtale, saksbehandler):
    """Sammenslåingen (noen hundre ms) ligger i vedlikeholdet, ikke i lagringen: etter mange
    lagringer står segmentene til `sla_sammen` slår dem sammen, og søket gir det samme."""
    from whoosh import index

    def segmenter() -> int:
        mappe = tj.indeks.mappe / "aktiv" / "gjeldende"
        return len(index.open_dir(str(mappe)).reader().leaf_readers())

    for n in range(8, 16):
        skriving.lagre_versjon(tj, avtale.id, felt(tj, varslingsfrist_dager=n), saksbehandler.id)
    for_sammenslaing = segmenter()
    treff = [t.versjon for t in sok.sok(tj, "løslatelse", "admin").treff]
    assert for_sammenslaing >= 8
    assert tj.indeks.sla_sammen() == 2  # begge delindeksene
    assert segmenter() < for_sammenslaing
    assert [t.versjon for t in sok.sok(tj, "løslatelse", "admin").treff] == treff == [14]
    assert tj.indeks.sla_sammen(minst=for_sammenslaing) == 0  # ingenting å gjøre
