"""Arkivuttrekket hele veien, på SQLite og PostgreSQL: demodataene og arkivverdenen
(`tests/stotte/noarkverden.py`) eksporteres, og hver XML-fil valideres mot Arkivverkets skjemaer,
hver sjekksum og hvert antall stemmer, skjermede planer er skjult i offentlig journal, ingen
person står noe sted i uttrekket, og den kasserte planen er registrert uten filer. En
endret byte, en fjernet fil eller et endret antall gjør at kontrollen feiler med navn."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.models import Arkivmelding, Journalpost, Saksmappe
from dokumenter.noark.kodeverk import JOURNALPOSTTYPER
from dokumenter.noark.kontroll import kontroller
from dokumenter.noark.uttrekk import Utvalg, lag_uttrekk
from dokumenter.noark.xml import FIKS_OPPRETT, NOARK5, NS
from tests.stotte.noarkverden import lag_noarkverden

pytestmark = pytest.mark.libreoffice

SKJEMA_FOR = {
    "arkivstruktur.xml": "arkivstruktur.xsd",
    "endringslogg.xml": "endringslogg.xsd",
    "loependeJournal.xml": "loependeJournal.xsd",
    "offentligJournal.xml": "offentligJournal.xsd",
    "arkivuttrekk.xml": "addml.xsd",
}
AS = {"a": NS["arkivstruktur"], "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


def _kjor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dokumenter", "arkiv", *args],
        cwd=REPO_ROT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.begge_databaser
def test_uttrekket_er_gyldig_fullstendig_og_skjermet(tj, smtp_sink, tmp_path):
    verden = lag_noarkverden(tj, smtp_sink)
    r = lag_uttrekk(tj, tmp_path / "uttrekk", Utvalg())
    assert r.kontroll.ren, r.kontroll.problemer
    ut = tmp_path / "uttrekk"

    # Hver XML-fil er gyldig mot skjemaet, lest på egen hånd (ikke bare av kontrollen).
    for xml, xsd in SKJEMA_FOR.items():
        skjema = etree.XMLSchema(etree.parse(str(NOARK5 / xsd)))
        assert skjema.validate(etree.parse(str(ut / xml))), (xml, skjema.error_log)
        assert (ut / xsd).read_bytes() == (NOARK5 / xsd).read_bytes()

    # Antallene i arkivuttrekk.xml = XML-en = databasen.
    struktur = etree.parse(str(ut / "arkivstruktur.xml"))
    i_xml = {n: len(struktur.findall(f".//a:{n}", AS)) for n in r.antall}
    assert i_xml == r.antall
    with tj.sesjoner() as s:
        assert r.antall["mappe"] == s.scalar(select(func.count()).select_from(Saksmappe))
        assert r.antall["registrering"] == s.scalar(select(func.count()).select_from(Journalpost))
    addml = (ut / "arkivuttrekk.xml").read_text()
    for navn, antall in r.antall.items():
        assert f"<value>{navn}</value>" in addml and f"<value>{antall}</value>" in addml

    # Hver referanseDokumentfil finnes, med riktig SHA-256 og størrelse.
    objekter = struktur.findall(".//a:dokumentobjekt", AS)
    assert objekter
    for do in objekter:
        fil = ut / do.findtext("a:referanseDokumentfil", namespaces=AS)
        assert hashlib.sha256(fil.read_bytes()).hexdigest() == do.findtext(
            "a:sjekksum", namespaces=AS
        )
        assert fil.stat().st_size == int(do.findtext("a:filstoerrelse", namespaces=AS))
        assert do.findtext("a:format", namespaces=AS) == "fmt/477"  # PDF/A-2b
    assert not list(ut.glob("dokumenter/*.docx"))  # produksjonsformatet avleveres ikke

    # Ingen person står i noen fil (heller ikke i PDF-ene eller i filnavnene).
    for fil in ut.rglob("*"):
        for navn in verden.personer:
            assert navn not in fil.name
            if fil.is_file():
                assert navn.encode() not in fil.read_bytes(), (navn, fil.name)

    _skjermingen(ut, verden)
    _kassasjonen(ut, struktur, verden)
    _journalposttypene(struktur)
    _likt_og_utvalg(tj, tmp_path)

    # Hver melding til sak/arkiv er gyldig mot Fiks Arkiv, én per journalpost.
    fiks = etree.XMLSchema(etree.parse(str(FIKS_OPPRETT)))
    with tj.sesjoner() as s:
        meldinger = s.scalars(select(Arkivmelding)).all()
        assert len(meldinger) == s.scalar(select(func.count()).select_from(Journalpost))
    for m in meldinger:
        assert fiks.validate(etree.fromstring(m.xml.encode())), fiks.error_log


def _skjermingen(ut: Path, verden) -> None:
    """Planens tittel og korrespondansepart er skjult i offentlig journal, ikke i løpende."""
    ns = {"o": NS["offentligJournal"]}
    offentlig = etree.parse(str(ut / "offentligJournal.xml"))
    planposter = [
        jr
        for jr in offentlig.findall("o:journalregistrering", ns)
        if jr.findtext("o:klasse/o:klasseID", namespaces=ns) == "BSA-2.1"
    ]
    assert planposter
    for jr in planposter:
        assert (
            jr.findtext("o:journalpost/o:offentligTittel", namespaces=ns)
            == "Individuell plan *****"
        )
        assert jr.findtext(".//o:korrespondansepartNavn", namespaces=ns) == "*****"
        assert (
            jr.findtext("o:saksmappe/o:offentligTittel", namespaces=ns) == "Individuell plan *****"
        )
        assert "IP-" not in etree.tostring(jr, encoding="unicode")
    loepende = (ut / "loependeJournal.xml").read_text()
    assert verden.kassert_plan in loepende  # den fulle tittelen (nummeret, aldri personen)
    # Det skjermede avviket: korrespondanseparten (Tromsø fengsel) er skjult offentlig.
    avviksposter = [
        jr
        for jr in offentlig.findall("o:journalregistrering", ns)
        if (jr.findtext("o:journalpost/o:offentligTittel", namespaces=ns) or "").startswith(
            "Avviksskjema *****"
        )
    ]
    assert len(avviksposter) == 3
    assert all(
        jr.findtext(".//o:korrespondansepartNavn", namespaces=ns) == "*****" for jr in avviksposter
    )


def _kassasjonen(ut: Path, struktur, verden) -> None:
    """Den kasserte planen: sak og journalposter står, med utført kassasjon og uten filer."""
    mappe = next(
        m
        for m in struktur.findall(".//a:mappe", AS)
        if m.findtext("a:tittel", namespaces=AS) == f"Individuell plan {verden.kassert_plan}"
    )
    assert mappe.findtext("a:saksstatus", namespaces=AS) == "Avsluttet"
    assert mappe.findtext("a:kassasjon/a:kassasjonsvedtak", namespaces=AS) == "Kasseres"
    beskrivelser = mappe.findall(".//a:dokumentbeskrivelse", AS)
    assert len(beskrivelser) == 2  # versjonen og den skannede kopien
    for db in beskrivelser:
        assert db.find("a:dokumentobjekt", AS) is None
        assert db.findtext("a:utfoertKassasjon/a:kassertAv", namespaces=AS) == "test"
    endringer = (ut / "endringslogg.xml").read_text()
    for db in beskrivelser:
        assert db.findtext("a:systemID", namespaces=AS) in endringer
    assert "utfoertKassasjon" in endringer and "skjerming" in endringer


def _journalposttypene(struktur) -> None:
    typer = [
        r.findtext("a:journalposttype", namespaces=AS)
        for r in struktur.findall(".//a:registrering", AS)
    ]
    assert set(typer) == set(JOURNALPOSTTYPER.values())  # U, I, N og X


def _likt_og_utvalg(tj, tmp_path: Path) -> None:
    """Samme database gir samme XML (bortsett fra tidspunktet i arkivuttrekk.xml); en mappe
    som ikke er tom, nektes; arkivdelen og perioden avgrenser utvalget."""
    b = lag_uttrekk(tj, tmp_path / "igjen", Utvalg())
    assert b.kontroll.ren
    for navn in SKJEMA_FOR:
        a_, b_ = (tmp_path / d / navn for d in ("uttrekk", "igjen"))
        if navn != "arkivuttrekk.xml":
            assert a_.read_bytes() == b_.read_bytes(), navn
            continue
        ulike = [
            (x, y)
            for x, y in zip(a_.read_text().splitlines(), b_.read_text().splitlines(), strict=True)
            if x != y
        ]
        assert all("laget" in x for x, _ in ulike) and len(ulike) <= 1  # samme sekund: like
    with pytest.raises(Valideringsfeil, match="finnes og er ikke tom"):
        lag_uttrekk(tj, tmp_path / "igjen", Utvalg())
    # Avvik og evalueringer: de to sendte demoavvikene, vårt avvik (sendt, besvart, lukket)
    # og evalueringen, i avtalenes saker.
    c = lag_uttrekk(tj, tmp_path / "avvik", Utvalg(arkivdel="Avvik og evalueringer"))
    assert c.kontroll.ren and c.antall["registrering"] == 2 + 3 + 1
    with pytest.raises(Valideringsfeil, match="ingen journalposter"):
        lag_uttrekk(tj, tmp_path / "tom", Utvalg(til=date(2000, 1, 1)))


def test_kommandolinjen_og_kontroll_av_endret_byte_fjernet_fil_og_endret_antall(
    tj, smtp_sink, tmp_path, monkeypatch
):
    lag_noarkverden(tj, smtp_sink)
    ut = tmp_path / "uttrekk"
    monkeypatch.setenv("DOKUMENTER_INSTANS", str(tj.innstillinger.instans))
    r = _kjor("uttrekk", str(ut), "--fra", "01.01.2000")
    assert r.returncode == 0 and "Uttrekket er kontrollert og i orden." in r.stdout, r.stderr
    r = _kjor("uttrekk", str(ut))
    assert r.returncode == 1 and "finnes og er ikke tom" in r.stderr
    r = _kjor("kontroller-uttrekk", str(ut))
    assert r.returncode == 0 and "Uttrekket er i orden." in r.stdout, r.stdout + r.stderr

    filer = sorted((ut / "dokumenter").iterdir())
    data = bytearray(filer[0].read_bytes())
    data[len(data) // 2] ^= 0x01
    filer[0].write_bytes(bytes(data))
    r = _kjor("kontroller-uttrekk", str(ut))
    assert r.returncode == 1 and f"{filer[0].name}: SHA-256 er" in r.stdout, r.stdout

    filer[1].unlink()
    r = _kjor("kontroller-uttrekk", str(ut))
    assert r.returncode == 1 and f"{filer[1].name} mangler" in r.stdout, r.stdout

    addml = ut / "arkivuttrekk.xml"
    tekst = addml.read_text()
    struktur = etree.parse(str(ut / "arkivstruktur.xml"))
    antall = len(struktur.findall(".//a:registrering", AS))
    gammel = "<value>registrering</value><properties>"
    i = tekst.index(gammel)
    j = tekst.index(f"<value>{antall}</value>", i)
    addml.write_text(
        tekst[:j] + f"<value>{antall + 1}</value>" + tekst[j + len(f"<value>{antall}</value>") :]
    )
    rapport = kontroller(ut)
    assert any(
        f"sier {antall + 1} for arkivstruktur/registrering, men XML-en har {antall}" in p
        for p in rapport.problemer
    ), rapport.problemer

    # En XML-fil som ikke følger skjemaet.
    struktur_fil = ut / "arkivstruktur.xml"
    tekst = struktur_fil.read_text()
    feil = "<saksstatuz>Under behandling</saksstatuz>"
    struktur_fil.write_text(tekst.replace("<saksstatus>Under behandling</saksstatus>", feil, 1))
    assert any("arkivstruktur.xml er ikke gyldig" in p for p in kontroller(ut).problemer)
