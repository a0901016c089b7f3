"""Det Noark-delen bygger på, uten database: skjemaene er uendrede kopier, formatkodene
(PRONOM) kjennes igjen fra filene, kommunens ordning leses og kontrolleres, og innstillingene
for arkivet og transporten gir norske feilmeldinger."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from dokumenter.felles.feil import Oppsettsfeil
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.noark import kodeverk
from dokumenter.noark.klassifikasjon import ordning
from dokumenter.noark.xml import SKJEMAMAPPE, skjema


def test_skjemaene_er_uendrede_kopier():
    note = (SKJEMAMAPPE / "NOTE.md").read_text()
    oppfort = dict(re.findall(r"- `([^`]+)`: `([0-9a-f]{64})`", note))
    filer = {
        p.relative_to(SKJEMAMAPPE).as_posix(): p
        for p in SKJEMAMAPPE.rglob("*")
        if p.is_file() and p.name != "NOTE.md"
    }
    assert set(oppfort) == set(filer)
    for navn, sti in filer.items():
        assert hashlib.sha256(sti.read_bytes()).hexdigest() == oppfort[navn], navn
    for xsd in SKJEMAMAPPE.rglob("*.xsd"):
        skjema(xsd)  # alle kan lastes (importene finnes ved siden av)


@pytest.mark.parametrize(
    ("data", "ventet"),
    [
        (b"%PDF-1.7\n<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>",
         ("fmt/477", True)),
        (b'%PDF-1.7\n<rdf:Description pdfaid:part="2" pdfaid:conformance="A"/>', ("fmt/476", True)),
        (b'%PDF-1.4\n<x pdfaid:part="1" pdfaid:conformance="B"/>', ("fmt/354", True)),
        (b"%PDF-1.5\nbare en skannet side", ("fmt/19", False)),
    ],
)  # fmt: skip
def test_formatkoden_leses_fra_pdf_ens_xmp(data, ventet):
    kode, _beskrivelse, er_pdfa = kodeverk.pdf_format(data)
    assert (kode, er_pdfa) == ventet


def test_kommunens_ordning(tmp_path: Path):
    o = ordning(None)
    assert o.klasse_for("samarbeidsavtaler", "fengsel").klasse_id == "BSA-1.1"
    assert o.klasse_for("samarbeidsavtaler", "dps").klasse_id == "BSA-1.2"
    assert o.klasse_for("samarbeidsavtaler", "utleier").klasse_id == "BSA-1.9"
    assert o.klasse_for("individuelle_planer", "fengsel").klasse_id == "BSA-2.1"
    egen = tmp_path / "ordning.toml"
    egen.write_text(
        '[klassifikasjonssystem]\ntittel = "Arkivnøkkel"\n\n'
        '[[klasse]]\narkivdel = "samarbeidsavtaler"\nklasseID = "008"\ntittel = "Avtaler"\n'
    )
    with pytest.raises(Oppsettsfeil, match="reserveklasse.*individuelle_planer"):
        ordning(egen)
    egen.write_text("[klassifikasjonssystem\n")
    with pytest.raises(Oppsettsfeil, match="kan ikke leses"):
        ordning(egen)


def test_arkivinnstillingene(tmp_path: Path):
    inn = Innstillinger.fra_miljo(tmp_path, miljo={})
    assert inn.arkivoppsett.transport == "mappe"
    assert inn.utboks == tmp_path.resolve() / "utboks"
    inn = Innstillinger.fra_miljo(
        tmp_path,
        miljo={"DOKUMENTER_ARKIV_NAVN": "Rana kommune", "DOKUMENTER_ARKIV_UTBOKS": "/srv/ut"},
    )
    assert (inn.arkivoppsett.navn, inn.arkivoppsett.arkivskaper_id) == ("Rana kommune",) * 2
    assert inn.utboks == Path("/srv/ut")
    with pytest.raises(ValueError, match="DOKUMENTER_ARKIV_TRANSPORT"):
        Innstillinger.fra_miljo(tmp_path, miljo={"DOKUMENTER_ARKIV_TRANSPORT": "brevdue"})
    with pytest.raises(ValueError, match="Fiks IO-kontoen.*DOKUMENTER_FIKS_IO_KONTO_ID"):
        Innstillinger.fra_miljo(tmp_path, miljo={"DOKUMENTER_ARKIV_TRANSPORT": "fiks-io"})
    fiks = {
        "DOKUMENTER_ARKIV_TRANSPORT": "fiks-io",
        "DOKUMENTER_FIKS_IO_KONTO_ID": "a",
        "DOKUMENTER_FIKS_IO_INTEGRASJON_ID": "b",
        "DOKUMENTER_FIKS_IO_INTEGRASJON_PASSORD": "hemmelig",
        "DOKUMENTER_FIKS_IO_PRIVATNOKKEL": "/n.pem",
        "DOKUMENTER_FIKS_ARKIV_MOTTAKER": "c",
    }
    inn = Innstillinger.fra_miljo(tmp_path, miljo=fiks)
    assert inn.arkivoppsett.fiks_io.mottaker_konto_id == "c"
    assert "hemmelig" not in repr(inn)
