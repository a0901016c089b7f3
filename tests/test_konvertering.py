"""PDF/A-konverteringen mot ekte LibreOffice: varm server, omstart etter krasj og tidsavbrudd,
kald soffice og pool."""

from __future__ import annotations

import io
import os
import signal
import threading
from pathlib import Path

import docx
import pypdf
import pytest

from dokumenter.infrastruktur.konvertering import (
    KaldKonverterer,
    KonverteringsFeil,
    KonverterPool,
    LibreOfficeMangler,
    VarmKonverterer,
    finn_soffice,
)

pytestmark = pytest.mark.libreoffice

TEKST = "Løslatelse æøå ÆØÅ"


def lag_docx(avsnitt: int = 24) -> bytes:
    """En DOCX på omtrent fire sider."""
    d = docx.Document()
    d.add_heading(TEKST, level=1)
    for i in range(avsnitt):
        d.add_paragraph(f"{i + 1}. {TEKST}. " + "Avtalen gjelder bolig og oppfølging. " * 12)
    ut = io.BytesIO()
    d.save(ut)
    return ut.getvalue()


def tekst_og_pdfa(pdf: bytes) -> tuple[str, str | None, str | None]:
    leser = pypdf.PdfReader(io.BytesIO(pdf))
    tekst = "\n".join(side.extract_text() or "" for side in leser.pages)
    xmp = leser.xmp_metadata
    assert xmp is not None, "PDF-en mangler XMP-metadata"
    return tekst, xmp.pdfaid_part, xmp.pdfaid_conformance


def assert_pdfa2b(pdf: bytes) -> None:
    tekst, part, konformitet = tekst_og_pdfa(pdf)
    assert TEKST in tekst
    assert (part, konformitet) == ("2", "B")


def levende_i_gruppe(pgid: int) -> list[int]:
    """Prosesser i prosessgruppen som ikke er døde (zombier teller som døde)."""
    levende = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            felt = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(felt[2]) == pgid and felt[0] != "Z":
            levende.append(int(stat.parent.name))
    return levende


@pytest.fixture(scope="module")
def dokument() -> bytes:
    return lag_docx()


@pytest.fixture
def varm(konverterer):
    """Kjøringens varme konverterer (conftest.py): testene under dreper og bytter serveren
    dens, og den starter en ny ved neste konvertering."""
    return konverterer


def test_finn_soffice():
    sti = finn_soffice()
    assert sti is not None and os.access(sti, os.X_OK)


def test_varm_gir_pdfa2b_med_norske_tegn(varm, dokument):
    pdf = varm.til_pdfa(dokument)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 3
    assert_pdfa2b(pdf)


def test_varm_gjenbruker_samme_prosess(varm, dokument):
    varm.til_pdfa(dokument)
    pid = varm.pid
    assert pid is not None
    assert_pdfa2b(varm.til_pdfa(dokument))
    assert varm.pid == pid


def test_flere_traader_deler_en_server(varm, dokument):
    varm.til_pdfa(dokument)
    pid = varm.pid
    resultater: list[bytes] = []
    traader = [
        threading.Thread(target=lambda: resultater.append(varm.til_pdfa(dokument)))
        for _ in range(4)
    ]
    for t in traader:
        t.start()
    for t in traader:
        t.join()
    assert len(resultater) == 4
    for pdf in resultater:
        assert_pdfa2b(pdf)
    assert varm.pid == pid


def test_ugyldig_docx_gir_feil_og_serveren_lever(varm, dokument):
    varm.til_pdfa(dokument)
    pid = varm.pid
    with pytest.raises(KonverteringsFeil, match="kunne ikke lese dokumentet"):
        varm.til_pdfa(b"not a docx")
    with pytest.raises(KonverteringsFeil, match="tomt"):
        varm.til_pdfa(b"")
    assert varm.pid == pid
    assert_pdfa2b(varm.til_pdfa(dokument))
    assert varm.pid == pid


def test_drept_server_startes_paa_nytt(varm, dokument):
    varm.til_pdfa(dokument)
    pid = varm.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert_pdfa2b(varm.til_pdfa(dokument))
    assert varm.pid not in (None, pid)


def test_tidsavbrudd_gir_feil_og_neste_konvertering_virker(varm, dokument):
    with pytest.raises(KonverteringsFeil, match="brukte mer enn"):
        varm.til_pdfa(dokument, timeout=0.001)
    assert_pdfa2b(varm.til_pdfa(dokument))


def test_manglende_uno_miljo_gir_norsk_feilmelding(tmp_path: Path, dokument):
    with (
        VarmKonverterer(tmp_path / "finnes-ikke") as k,
        pytest.raises(KonverteringsFeil, match="Fant ikke uno-miljøet") as feil,
    ):
        k.til_pdfa(dokument)
    assert "make" in str(feil.value)


def test_manglende_soffice_gir_libreoffice_mangler(dokument):
    with pytest.raises(LibreOfficeMangler, match="LibreOffice er ikke installert"):
        KaldKonverterer(soffice="/finnes/ikke/soffice").til_pdfa(dokument)
    with (
        VarmKonverterer(soffice="/finnes/ikke/soffice") as k,
        pytest.raises(LibreOfficeMangler, match="libreoffice-writer-nogui"),
    ):
        k.til_pdfa(dokument)


def test_kald_gir_pdfa2b(dokument):
    kald = KaldKonverterer()
    assert_pdfa2b(kald.til_pdfa(dokument))
    with pytest.raises(KonverteringsFeil, match="kunne ikke lese dokumentet"):
        kald.til_pdfa(b"not a docx")
    with pytest.raises(KonverteringsFeil, match="brukte mer enn"):
        kald.til_pdfa(dokument, timeout=0.001)


def test_pool_fra_to_traader_og_lukk(dokument):
    with KonverterPool(2) as pool:
        pool.start()
        pids = {k.pid for k in pool.konverterere}
        assert len(pids) == 2 and None not in pids
        resultater: list[bytes] = []

        def arbeid() -> None:
            for _ in range(3):
                resultater.append(pool.til_pdfa(dokument))

        traader = [threading.Thread(target=arbeid) for _ in range(2)]
        for t in traader:
            t.start()
        for t in traader:
            t.join()
        assert len(resultater) == 6
        for pdf in resultater:
            assert_pdfa2b(pdf)
        mapper = [k._tilstand.server.mappe for k in pool.konverterere]
    assert all(k.pid is None for k in pool.konverterere)
    assert not any(m.exists() for m in mapper)
    assert not any(levende_i_gruppe(pid) for pid in pids)
    with pytest.raises(KonverteringsFeil, match="lukket"):
        pool.til_pdfa(dokument)
