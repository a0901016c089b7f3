"""Signert kopi: ekte LibreOffice, ekte pyHanko-forsegling og ekte kontroll, uten mocker."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography import x509
from docx import Document
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.infrastruktur import forsegling
from dokumenter.infrastruktur.forsegling import (
    Segl,
    SeglFeil,
    Signatur,
    Sporhendelse,
    lag_demo_segl,
    lag_metadata,
    lag_signert_kopi,
    signaturside_docx,
    verifiser,
)

UTC = dt.UTC
SIGNATURER = [
    Signatur(
        "Kåre Ødegård",
        "Daglig leder",
        "Ødegård Bolig AS",
        dt.datetime(2026, 11, 26, 8, 14, tzinfo=UTC),
        "10.0.0.7",
    ),
    Signatur(
        "Åse Ærlig",
        "Rådgiver",
        "Rana kommune",
        dt.datetime(2026, 11, 26, 9, 2, tzinfo=UTC),
        "2001:db8::1",
    ),
]
HENDELSER = [
    Sporhendelse(
        dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        "Kari Saksbehandler",
        "Sendt til signering",
        "10.0.0.3",
    ),
    Sporhendelse(
        dt.datetime(2026, 11, 26, 8, 14, tzinfo=UTC), "Kåre Ødegård", "Signerte", "10.0.0.7"
    ),
    Sporhendelse(
        dt.datetime(2026, 11, 26, 9, 2, tzinfo=UTC), "Åse Ærlig", "Signerte", "2001:db8::1"
    ),
]


@dataclass(frozen=True)
class Forseglet:
    original: bytes
    signert: bytes
    segl: Segl
    annet_segl: Segl


def _avtale_docx() -> bytes:
    doc = Document()
    doc.add_heading("Samarbeidsavtale om boligsosialt arbeid", level=1)
    doc.add_paragraph("Avtalen gjelder mellom Rana kommune og Ødegård Bolig AS.")
    doc.add_paragraph("Partene forplikter seg til å samarbeide om æ, ø og å.")
    ut = io.BytesIO()
    doc.save(ut)
    return ut.getvalue()


@pytest.fixture(scope="module")
def forseglet(konverterer, tmp_path_factory) -> Forseglet:
    mappe = tmp_path_factory.mktemp("segl")
    segl = lag_demo_segl(mappe / "rana")
    annet = lag_demo_segl(mappe / "annen", "Annen kommune (DEMO)")
    pdf = konverterer.til_pdfa(_avtale_docx())
    sha = hashlib.sha256(pdf).hexdigest()
    sider = konverterer.til_pdfa(
        signaturside_docx("Samarbeidsavtale – Ødegård", 3, sha, SIGNATURER, HENDELSER)
    )
    signert = lag_signert_kopi(pdf, sider, segl, lag_metadata(SIGNATURER, sha))
    return Forseglet(original=pdf, signert=signert, segl=segl, annet_segl=annet)


def _byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    treff = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert treff, "fant ingen /ByteRange"
    a, b, c, d = (int(x) for x in treff.groups())
    return a, b, c, d


def _flipp(pdf: bytes, indeks: int) -> bytes:
    data = bytearray(pdf)
    data[indeks] ^= 0x01
    return bytes(data)


def _bytt_hexsiffer(pdf: bytes, indeks: int) -> bytes:
    data = bytearray(pdf)
    data[indeks] = ord("1") if data[indeks] == ord("0") else ord("0")
    return bytes(data)


# -- den gode kopien ---------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_forseglet_kopi_er_intakt_og_gyldig(forseglet):
    v = verifiser(forseglet.signert, [forseglet.segl.sertifikat])
    assert v.intakt and v.gyldig and v.hele_dokumentet, v.feil
    assert v.feil == []
    assert v.dokument_sha256 == hashlib.sha256(forseglet.original).hexdigest()
    assert [s["navn"] for s in v.signaturer] == ["Kåre Ødegård", "Åse Ærlig"]
    assert v.signaturer[0]["institusjon"] == "Ødegård Bolig AS"
    assert "Rana kommune (DEMO) – demosegl" in v.undertegner
    assert v.tidspunkt is not None
    assert abs(v.tidspunkt - dt.datetime.now(UTC)) < dt.timedelta(hours=1)
    rapport = v.rapport()
    assert "Intakt: ja" in rapport
    assert "Kåre Ødegård (Daglig leder, Ødegård Bolig AS) 26.11.2026 kl. 09:14" in rapport


@pytest.mark.libreoffice
def test_signatursidene_kommer_sist_med_norske_tegn(forseglet):
    original = PdfReader(io.BytesIO(forseglet.original))
    signert = PdfReader(io.BytesIO(forseglet.signert))
    assert len(signert.pages) == len(original.pages) + 2
    sha = hashlib.sha256(forseglet.original).hexdigest()

    signaturside = signert.pages[-2].extract_text()
    assert "Signaturside" in signaturside
    assert "Kåre Ødegård" in signaturside and "Åse Ærlig" in signaturside
    assert "Rådgiver" in signaturside
    assert "26.11.2026 kl. 09:14" in signaturside  # 08:14 UTC er 09:14 norsk vintertid
    assert sha in signaturside.replace("\n", "")

    spor = signert.pages[-1].extract_text()
    assert "Revisjonsspor" in spor
    assert "Sendt til signering" in spor and "2001:db8::1" in spor
    assert "25.11.2026 kl. 13:00" in spor
    assert sha in spor.replace("\n", "")

    assert "Ødegård Bolig AS" in signert.pages[0].extract_text()


@pytest.mark.libreoffice
def test_pdfa_katalogen_og_seglfeltet_er_med(forseglet):
    signert = PdfReader(io.BytesIO(forseglet.signert))
    katalog = signert.trailer["/Root"]
    assert "/OutputIntents" in katalog
    xmp = katalog["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part(?:>|=[\"'])\s*2", xmp)
    felt = signert.get_fields()
    assert felt and forsegling.FELTNAVN in felt
    # PDF/A-2 bygger på PDF 1.7; seglet skal ikke gjøre filen til PDF 2.0.
    assert str(katalog.get("/Version", "/1.7")) != "/2.0"
    info = signert.metadata
    assert info["/Producer"] in xmp.decode("utf-8")


# -- endringer skal oppdages -------------------------------------------------------------------


@pytest.mark.libreoffice
def test_en_flippet_byte_i_innholdet_oppdages(forseglet):
    _, lengde, _, _ = _byte_range(forseglet.signert)
    start = forseglet.signert.index(b"stream", 200)
    indeks = start + 60
    assert indeks < lengde
    v = verifiser(_flipp(forseglet.signert, indeks), [forseglet.segl.sertifikat])
    assert not v.intakt and not v.gyldig
    assert any("endret" in f for f in v.feil), v.feil


@pytest.mark.libreoffice
def test_endret_dokumentinfo_i_signert_del_oppdages(forseglet):
    indeks = forseglet.signert.index(b"/Dokumenter-SHA256") + 30
    v = verifiser(_flipp(forseglet.signert, indeks), [forseglet.segl.sertifikat])
    assert not v.intakt and not v.gyldig


@pytest.mark.libreoffice
def test_endret_signaturverdi_oppdages(forseglet):
    _, b, c, _ = _byte_range(forseglet.signert)
    innhold = forseglet.signert[b + 1 : c - 1].rstrip(b"0")
    if len(innhold) % 2:
        innhold += b"0"
    signerer = cms.ContentInfo.load(bytes.fromhex(innhold.decode()))["content"]
    verdi = signerer["signer_infos"][0]["signature"].native.hex().encode()
    posisjon = forseglet.signert.lower().index(verdi, b)
    endret = _bytt_hexsiffer(forseglet.signert, posisjon + len(verdi) // 2)
    v = verifiser(endret, [forseglet.segl.sertifikat])
    assert not v.intakt and not v.gyldig
    assert any("Signaturverdien" in f for f in v.feil), v.feil


@pytest.mark.libreoffice
@pytest.mark.parametrize("forskyvning", [3, 40, 200, 600])
def test_skadet_signaturbeholder_gir_feil_ikke_unntak(forseglet, forskyvning):
    _, b, _, _ = _byte_range(forseglet.signert)
    endret = _bytt_hexsiffer(forseglet.signert, b + forskyvning)
    v = verifiser(endret, [forseglet.segl.sertifikat])
    assert not v.intakt and not v.gyldig
    assert v.feil


def _inkrementelt(pdf: bytes, endre) -> bytes:
    skriver = PdfWriter(PdfReader(io.BytesIO(pdf)), incremental=True)
    endre(skriver)
    ut = io.BytesIO()
    skriver.write(ut)
    assert ut.getvalue().startswith(pdf)
    return ut.getvalue()


def _nytt_sideinnhold(skriver: PdfWriter) -> None:
    strom = DecodedStreamObject()
    strom.set_data(b"BT /F1 24 Tf 72 720 Td (Avtalen er oppsagt) Tj ET")
    skriver.pages[0][NameObject("/Contents")] = skriver._add_object(strom)


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "endre",
    [
        pytest.param(lambda w: w.add_blank_page(), id="ny-side"),
        pytest.param(_nytt_sideinnhold, id="nytt-sideinnhold"),
        pytest.param(lambda w: w.add_metadata({"/Dokumenter-SHA256": "0" * 64}), id="ny-info"),
    ],
)
def test_inkrementell_endring_etter_forsegling_oppdages(forseglet, endre):
    endret = _inkrementelt(forseglet.signert, endre)
    v = verifiser(endret, [forseglet.segl.sertifikat])
    assert not v.intakt and not v.gyldig and not v.hele_dokumentet
    assert any("endret etter forseglingen" in f for f in v.feil), v.feil
    # Metadataene leses fra den forseglede versjonen, ikke fra tillegget.
    assert v.dokument_sha256 == hashlib.sha256(forseglet.original).hexdigest()
    assert "Intakt: NEI" in v.rapport()


@pytest.mark.libreoffice
def test_bytes_lagt_til_etter_slutten_oppdages(forseglet):
    v = verifiser(forseglet.signert + b"\n% tillegg\n", [forseglet.segl.sertifikat])
    assert not v.intakt and not v.hele_dokumentet
    assert v.feil


# -- ødelagte og usignerte filer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "forventet"),
    [
        pytest.param(b"", "ikke en PDF", id="tom"),
        pytest.param(b"dette er ikke en pdf " * 100, "ikke en PDF", id="soppel"),
        pytest.param(b"PK\x03\x04" + bytes(range(256)) * 4, "ikke en PDF", id="zip"),
        pytest.param(b"%PDF-1.7\n%%EOF\n", "skadet", id="bare-hode"),
    ],
)
def test_soppel_gir_feil_ikke_unntak(data, forventet):
    v = verifiser(data)
    assert not v.intakt and not v.gyldig and not v.hele_dokumentet
    assert any(forventet in f for f in v.feil), v.feil
    assert "Intakt: NEI" in v.rapport()


@pytest.mark.libreoffice
@pytest.mark.parametrize("andel", [0.1, 0.5, 0.99])
def test_avkortet_pdf_gir_feil_ikke_unntak(forseglet, andel):
    data = forseglet.signert[: int(len(forseglet.signert) * andel)]
    v = verifiser(data, [forseglet.segl.sertifikat])
    assert not v.intakt and not v.gyldig
    assert v.feil


@pytest.mark.libreoffice
def test_usignert_pdf(forseglet):
    v = verifiser(forseglet.original, [forseglet.segl.sertifikat])
    assert not v.intakt and not v.gyldig
    assert v.feil == ["Fant ingen signatur i filen."]


# -- tillit ------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_annet_sertifikat_som_tillit_gir_intakt_men_ikke_gyldig(forseglet):
    v = verifiser(forseglet.signert, [forseglet.annet_segl.sertifikat])
    assert v.intakt and not v.gyldig
    assert any("ikke er godkjent" in f for f in v.feil), v.feil
    assert "Gyldig segl: NEI" in v.rapport()


@pytest.mark.libreoffice
def test_uten_tillit_er_seglet_ikke_gyldig(forseglet):
    v = verifiser(forseglet.signert)
    assert v.intakt and not v.gyldig
    assert any("Ingen sertifikat" in f for f in v.feil)


@pytest.mark.libreoffice
def test_manglende_tillitsfil_gir_feil_ikke_unntak(forseglet, tmp_path):
    v = verifiser(forseglet.signert, [tmp_path / "finnes-ikke.pem"])
    assert v.intakt and not v.gyldig
    assert any("finnes-ikke.pem" in f for f in v.feil)


# -- demosegl, signaturside og feil ved forsegling ---------------------------------------------


def test_demosegl_er_idempotent_og_nokkelen_privat(tmp_path):
    segl = lag_demo_segl(tmp_path / "segl")
    assert segl.finnes()
    assert stat.S_IMODE(segl.nokkel.stat().st_mode) == 0o600
    for_nokkel, for_sert = segl.nokkel.read_bytes(), segl.sertifikat.read_bytes()
    igjen = lag_demo_segl(tmp_path / "segl", "Noe annet")
    assert igjen == segl
    assert segl.nokkel.read_bytes() == for_nokkel
    assert segl.sertifikat.read_bytes() == for_sert

    sert = x509.load_pem_x509_certificate(for_sert)
    cn = sert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert cn == "Rana kommune (DEMO) – demosegl"
    assert sert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)[0].value == "NO"
    bruk = sert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert bruk.digital_signature and bruk.content_commitment
    varighet = sert.not_valid_after_utc - sert.not_valid_before_utc
    assert dt.timedelta(days=5 * 365) <= varighet < dt.timedelta(days=5 * 366 + 1)


def test_segl_fra_miljo(tmp_path, monkeypatch):
    monkeypatch.delenv("DOKUMENTER_SEGL_NOKKEL", raising=False)
    monkeypatch.delenv("DOKUMENTER_SEGL_SERTIFIKAT", raising=False)
    segl = Segl.fra_innstillinger(Innstillinger.fra_miljo(tmp_path))
    assert segl.nokkel == tmp_path / "segl" / "nokkel.pem"
    assert segl.sertifikat == tmp_path / "segl" / "sertifikat.pem"
    assert not segl.finnes()
    monkeypatch.setenv("DOKUMENTER_SEGL_NOKKEL", str(tmp_path / "k.pem"))
    monkeypatch.setenv("DOKUMENTER_SEGL_SERTIFIKAT", str(tmp_path / "s.pem"))
    inn = Innstillinger.fra_miljo(tmp_path)
    assert Segl.fra_innstillinger(inn) == Segl(tmp_path / "k.pem", tmp_path / "s.pem")


def test_signaturside_fjerner_kontrolltegn():
    rar = Signatur(
        "Ola\x00 Nord\x07mann\nJr.", "Leder\x1b", "Firma", dt.datetime(2026, 1, 5, 12), "::1"
    )
    data = signaturside_docx("Avtale\x0c om\ttak", 1, "ab" * 32, [rar], [])
    doc = Document(io.BytesIO(data))
    tekst = "\n".join(p.text for p in doc.paragraphs)
    celler = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Ola Nordmann Jr." in celler and "Leder" in celler
    assert "05.01.2026 kl. 13:00" in celler  # uten tidssone = UTC
    assert "Avtale om tak" in tekst and "ab" * 32 in tekst
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", tekst + "".join(celler))
    assert len(doc.tables) == 2


def test_forsegling_uten_segl_gir_norsk_feil(tmp_path):
    with pytest.raises(SeglFeil, match="Fant ikke kommunens segl"):
        lag_signert_kopi(
            b"%PDF-1.7", b"%PDF-1.7", Segl.fra_innstillinger(Innstillinger.fra_miljo(tmp_path)), {}
        )


def test_forsegling_av_soppel_gir_norsk_feil(tmp_path):
    segl = lag_demo_segl(tmp_path / "segl")
    with pytest.raises(SeglFeil, match="Kunne ikke lese PDF-ene"):
        lag_signert_kopi(b"ikke pdf", b"heller ikke", segl, {})


# -- kommandolinjen ----------------------------------------------------------------------------


def _cli(instans: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOKUMENTER_INSTANS": str(instans)}
    for navn in ("DOKUMENTER_SEGL_NOKKEL", "DOKUMENTER_SEGL_SERTIFIKAT", "DATABASE_URL"):
        env.pop(navn, None)
    program = Path(sys.executable).parent / "dokumenter"
    return subprocess.run(
        [str(program), "signatur", "verifiser", *args],
        cwd=REPO_ROT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.libreoffice
def test_cli_signatur_verifiser(forseglet, tmp_path):
    god = tmp_path / "signert.pdf"
    god.write_bytes(forseglet.signert)
    endret = tmp_path / "endret.pdf"
    endret.write_bytes(_flipp(forseglet.signert, forseglet.signert.index(b"stream", 200) + 60))
    pem = str(forseglet.segl.sertifikat)

    r = _cli(tmp_path / "instans", str(god), "--sertifikat", pem)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Intakt: ja" in r.stdout and "Kåre Ødegård" in r.stdout
    assert r.stderr == ""

    r = _cli(tmp_path / "instans", str(endret), "--sertifikat", pem)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Intakt: NEI" in r.stdout

    # Uten --sertifikat: instansens eget segl er tillitsroten.
    r = _cli(tmp_path / "instans", str(god))
    assert r.returncode == 1 and "Gyldig segl: NEI" in r.stdout
    segl = tmp_path / "instans" / "segl"
    segl.mkdir(parents=True)
    (segl / "sertifikat.pem").write_bytes(forseglet.segl.sertifikat.read_bytes())
    r = _cli(tmp_path / "instans", str(god))
    assert r.returncode == 0, r.stdout + r.stderr


def test_verifiser_virker_ogsa_med_en_kjorende_hendelsessloyfe(forseglet):
    """pyHanko kaller asyncio.run() inni; fra en asynkron kaller skal det ikke se ut som
    en endret fil."""
    import asyncio

    async def inni_sloyfe():
        return verifiser(forseglet.signert, [forseglet.segl.sertifikat])

    v = asyncio.run(inni_sloyfe())
    assert v.intakt and v.gyldig, v.feil
