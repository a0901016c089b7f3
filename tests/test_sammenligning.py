"""Sammenligning av to versjoner av mønsteravtalen, med ekte DOCX-filer fra malen."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import UTC, date, datetime

import pytest
from docx import Document
from lxml import etree

from dokumenter.avtaler import produksjon as avtaler
from dokumenter.cli.demo import AVTALEFELT
from dokumenter.infrastruktur.redline import sammenligning_docx
from dokumenter.infrastruktur.render import PartData, kontekst, render_docx
from dokumenter.infrastruktur.sammenligning import (
    Sammenligning,
    avsnitt_fra_docx,
    feltendringer,
    ordendringer,
    sammenlign,
)

SAERLIG = "Partene møtes hver mandag. Kommunen & fengselet deler kostnaden <50/50>."
FIENTLIG = "Tillegg & <b>fet</b> \x07 «slutt»"
MAL = avtaler.MAL


@pytest.fixture(scope="module")
def lag(mal):
    def lag(partstype: str = "fengsel", **endring) -> bytes:
        part = PartData("Bodø fengsel", partstype, partstype, "974760673", "Bodø")
        verdier = mal.valider({**mal.standardverdier(), **AVTALEFELT, **endring})
        ctx = kontekst(mal, part, verdier, mal.variant_for(partstype), date(2026, 3, 12))
        return render_docx(mal, ctx)

    return lag


@pytest.fixture(scope="module")
def v1(lag):
    return avsnitt_fra_docx(lag(varslingsfrist_dager=30))


@pytest.fixture(scope="module")
def v2(lag):
    return avsnitt_fra_docx(lag(varslingsfrist_dager=45))


@pytest.fixture(scope="module")
def v3(lag):
    return avsnitt_fra_docx(lag(varslingsfrist_dager=30, saerlige_bestemmelser=SAERLIG))


def ord_med(s: Sammenligning, op: str) -> list[str]:
    return [t for sek in s.seksjoner for a in sek.avsnitt for o, t in a.tokens if o == op]


def gjenskap(s: Sammenligning) -> tuple[list[str], list[str]]:
    alle = [a for sek in s.seksjoner for a in sek.avsnitt]
    gammel = [a.gammel_tekst for a in alle if a.endring != "inn"]
    ny = [a.ny_tekst for a in alle if a.endring != "ut"]
    return gammel, ny


def tekster(avsnitt):
    return [t for _, t in avsnitt]


def test_avsnitt_fra_docx_gir_stiler_og_tabellrader(v1):
    assert v1[0] == ("Title", "Samarbeidsavtale")
    assert ("Heading 1", "§ 6 Varsling før løslatelse") in v1
    assert ("Heading 2", "4.1 Ved innsettelse") in v1
    assert any(stil == "List Bullet" for stil, _ in v1)
    assert ("Tabellrad", "Part | Navn | Rolle | Telefon | E-post") in v1
    assert all(tekst.strip() for _, tekst in v1)
    tabellrad = v1.index(("Tabellrad", "Part | Navn | Rolle | Telefon | E-post"))
    assert v1[tabellrad - 1][1].startswith("Hver part skal ha minst én kontaktperson")


def test_endret_frist_gir_bare_30_ut_og_45_inn(v1, v2):
    s = sammenlign(v1, v2)
    assert "§ 6 Varsling før løslatelse: endret" in s.sammendrag
    assert "§ 1 Avtalens parter: uendret" in s.sammendrag
    assert s.sammendrag.startswith("Innledning: uendret; § 1 Avtalens parter: uendret")
    assert [sek.status for sek in s.seksjoner].count("endret") == 1
    assert ord_med(s, "inn") == ["45"]
    assert ord_med(s, "ut") == ["30"]
    assert (s.ord_inn, s.ord_ut) == (1, 1)
    varsling = s.seksjon("6")
    assert varsling.ord_inn == 1 and varsling.ord_ut == 1
    endret = [a for a in varsling.avsnitt if a.endring == "endret"]
    assert len(endret) == 1
    assert ("ut", "30") in endret[0].tokens and ("inn", "45") in endret[0].tokens
    assert gjenskap(s) == (tekster(v1), tekster(v2))


def test_ny_paragraf_og_omnummerering(v1, v3):
    s = sammenlign(v1, v3)
    saerlig = s.seksjon("12")
    assert saerlig.overskrift == "§ 12 Særlige bestemmelser"
    assert saerlig.status == "ny"
    assert all(a.endring == "inn" for a in saerlig.avsnitt)
    assert SAERLIG in [a.ny_tekst for a in saerlig.avsnitt]
    underskrifter = s.seksjon("13")
    assert underskrifter.tittel == "Underskrifter"
    assert underskrifter.status == "uendret"
    assert underskrifter.tidligere == "§ 12"
    assert "§ 12 Særlige bestemmelser: ny" in s.sammendrag
    assert "§ 13 Underskrifter (tidligere § 12): uendret" in s.sammendrag
    assert s.antall == {"uendret": 13, "endret": 0, "ny": 1, "fjernet": 0}
    assert gjenskap(s) == (tekster(v1), tekster(v3))

    tilbake = sammenlign(v3, v1)
    assert tilbake.seksjoner[-2].overskrift == "§ 12 Særlige bestemmelser"
    assert tilbake.seksjoner[-2].status == "fjernet"
    assert tilbake.seksjoner[-1].etikett == "§ 12 Underskrifter (tidligere § 13)"
    assert gjenskap(tilbake) == (tekster(v3), tekster(v1))


def test_endret_tittel_pares_paa_nummer_og_fjernet_paragraf(v1):
    ny = [
        (stil, "§ 4 Rutiner" if tekst == "§ 4 Rutiner for samarbeidet" else tekst)
        for stil, tekst in v1
    ]
    start = ny.index(("Heading 1", "§ 7 Samordning av individuelle planer"))
    slutt = ny.index(("Heading 1", "§ 8 Taushetsplikt og samtykke"))
    del ny[start:slutt]
    s = sammenlign(v1, ny)
    rutiner = s.seksjon("4")
    assert rutiner.status == "endret"
    assert rutiner.tidligere == "§ 4 Rutiner for samarbeidet"
    assert rutiner.avsnitt[0].tokens == [("lik", "§ 4 Rutiner"), ("ut", " for samarbeidet")]
    assert all(a.endring == "lik" for a in rutiner.avsnitt[1:])
    fjernet = [sek for sek in s.seksjoner if sek.status == "fjernet"]
    assert [f.overskrift for f in fjernet] == ["§ 7 Samordning av individuelle planer"]
    assert "§ 7 Samordning av individuelle planer: fjernet; § 8 Taushetsplikt" in s.sammendrag
    assert s.antall["ny"] == 0
    assert gjenskap(s) == (tekster(v1), tekster(ny))


def test_like_dokumenter_er_uendret(v1, lag):
    s = sammenlign(v1, avsnitt_fra_docx(lag(varslingsfrist_dager=30)))
    assert {sek.status for sek in s.seksjoner} == {"uendret"}
    assert not s.har_endringer
    assert (s.ord_inn, s.ord_ut) == (0, 0)
    assert all(sek.tidligere is None for sek in s.seksjoner)
    assert len(s.seksjoner) == 13  # innledningen og § 1–12
    assert gjenskap(s) == (tekster(v1), tekster(v1))


def test_annen_variant_gir_mange_endringer_som_kan_gjenskapes(v1, lag):
    dps = avsnitt_fra_docx(lag("dps"))
    s = sammenlign(v1, dps)
    assert s.seksjon("6").status == "endret"
    assert s.seksjon("6").tidligere == "§ 6 Varsling før løslatelse"
    assert "fjernet" not in {sek.status for sek in s.seksjoner}
    assert "pasienten" in "".join(ord_med(s, "inn"))
    assert "innsatte" in "".join(ord_med(s, "ut"))
    assert gjenskap(s) == (tekster(v1), tekster(dps))


@pytest.mark.parametrize(
    ("gammel", "ny"),
    [
        ("Avtalen gjelder fra 1. januar 2008.", "Avtalen gjelder fra 1. mars 2009."),
        ("a b c", "x b y"),
        ("", "Ny tekst."),
        ("Gammel tekst.", ""),
        ("Tre  mellomrom\tog\nlinjeskift", "Tre mellomrom og linjeskift"),
        ("NAV-kontoret og e-post", "NAV-kontoret, e-posten og telefon"),
        (FIENTLIG, "Tillegg & <i>kursiv</i> «slutt»"),
    ],
)
def test_ordendringer_gjenskaper_begge_tekstene(gammel, ny):
    tokens = ordendringer(gammel, ny)
    assert "".join(t for op, t in tokens if op != "inn") == gammel
    assert "".join(t for op, t in tokens if op != "ut") == ny
    assert all(t for _, t in tokens)
    assert all(op in ("lik", "inn", "ut") for op, _ in tokens)


def test_feltendringer():
    etiketter = {"a": "Alfa", "b": "Beta", "c": "Gamma", "d": "Delta"}
    gamle = {"a": 30, "b": None, "c": "x", "d": "", "e": 1}
    nye = {"a": 45, "b": "", "c": "y", "e": 2}
    endringer = feltendringer(gamle, nye, etiketter)
    assert [(f.navn, f.etikett, f.fra, f.til) for f in endringer] == [
        ("a", "Alfa", 30, 45),
        ("c", "Gamma", "x", "y"),
        ("e", "e", 1, 2),
    ]
    assert feltendringer(gamle, dict(gamle), etiketter) == []


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TIDSPUNKT = datetime(2026, 3, 13, 9, 30, tzinfo=UTC)


def _tekstdelen(data: bytes) -> list[etree._Element]:
    """Avsnittene i «Avtaleteksten med endringer» (etter sideskiftet)."""
    kropp = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    avsnitt = list(kropp.iter(f"{W}p"))
    start = next(
        i for i, p in enumerate(avsnitt) if "".join(p.itertext()) == "Avtaleteksten med endringer"
    )
    return avsnitt[start + 1 :]


def _versjon(data: bytes, godta: bool) -> list[str]:
    """Teksten slik Word viser den når alle endringer er godtatt (eller avvist): et avsnitt
    med et slettet avsnittsmerke forsvinner ved godta, et med innsatt merke ved avvis."""
    bort, merke = (f"{W}del", f"{W}del") if godta else (f"{W}ins", f"{W}ins")
    ut = []
    for p in _tekstdelen(data):
        ppr = p.find(f"{W}pPr")
        rpr = ppr.find(f"{W}rPr") if ppr is not None else None
        if rpr is not None and rpr.find(merke) is not None:
            continue
        tekst = ""
        for el in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br"):
            if any(a.tag == bort for a in el.iterancestors()):
                continue
            tekst += {f"{W}tab": "\t", f"{W}br": "\n"}.get(el.tag, el.text or "")
        ut.append(tekst)
    return ut


def _endringer(data: bytes) -> list[etree._Element]:
    kropp = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return list(kropp.iter(f"{W}ins", f"{W}del"))


def test_redline_er_sporede_endringer_med_forfatter_og_tidspunkt(v1, v2, mal):
    s = sammenlign(v1, v2)
    etiketter = {f.navn: f.etikett for f in mal.felt}
    felt = feltendringer({"varslingsfrist_dager": 30}, {"varslingsfrist_dager": 45}, etiketter)
    data = sammenligning_docx(
        s,
        "Samarbeidsavtale – Bodø fengsel",
        "Versjon 1 (12. mars 2026, Kari) sammenlignet med versjon 2 (13. mars 2026, Ola)",
        felt,
        "Ola (versjon 2)",
        TIDSPUNKT,
    )
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[1].text.startswith("Versjon 1 (12. mars 2026, Kari)")

    endringer = _endringer(data)
    assert [e.tag for e in endringer] == [f"{W}del", f"{W}ins"]
    slettet, innsatt = endringer
    assert "".join(slettet.itertext()) == "30" and slettet.find(f"{W}r/{W}delText") is not None
    assert "".join(innsatt.itertext()) == "45"
    for e in endringer:
        assert e.get(f"{W}author") == "Ola (versjon 2)"
        assert e.get(f"{W}date") == "2026-03-13T09:30:00Z"
    assert len({e.get(f"{W}id") for e in endringer}) == 2
    # Ingen manuell formatering: godtas endringen, ser teksten ut som resten.
    assert innsatt.find(f"{W}r/{W}rPr") is None

    assert _versjon(data, godta=True) == tekster(v2)
    assert _versjon(data, godta=False) == tekster(v1)

    overskrifter = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "§ 6 Varsling før løslatelse" in overskrifter
    assert "Sammendrag" in overskrifter
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)

    sammendrag, felttabell = doc.tables
    rader = [[c.text for c in r.cells] for r in sammendrag.rows]
    assert rader[0] == ["Del av avtalen", "Status", "Merknad"]
    assert ["§ 6 Varsling før løslatelse", "Endret", "1 ord lagt til, 1 ord fjernet"] in rader
    assert ["§ 1 Avtalens parter", "Uendret", ""] in rader
    assert [[c.text for c in r.cells] for r in felttabell.rows][1] == [
        "Varslingsfrist (dager)",
        "30",
        "45",
    ]
    stiler = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")
    assert b'w:val="nb-NO"' in stiler


def test_nye_og_fjernede_avsnitt_har_sporet_avsnittsmerke(v1, v3):
    for gammel, ny in ((v1, v3), (v3, v1)):
        data = sammenligning_docx(sammenlign(gammel, ny), "T", "", [], "K", TIDSPUNKT)
        assert _versjon(data, godta=True) == tekster(ny)
        assert _versjon(data, godta=False) == tekster(gammel)


def test_fiendtlig_tekst_gir_gyldig_docx(v1):
    ny = [*v1, ("Normal", FIENTLIG), ("Ukjent stil", "Mer & mer")]
    s = sammenlign(v1, ny)
    felt = feltendringer({"x": "<før>"}, {"x": "etter & \x00\x1f"}, {"x": "Felt <x> & \x07"})
    data = sammenligning_docx(s, "Tittel & <b>\x07", "Under\x0btittel", felt, "<Ola> & \x07")

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
    etree.fromstring(xml)  # gyldig XML
    assert b"\x07" not in xml and b"\x00" not in xml

    doc = Document(io.BytesIO(data))
    assert "Tittel & <b>" in "\n".join(p.text for p in doc.paragraphs)
    godtatt = _versjon(data, godta=True)
    assert "Tillegg & <b>fet</b>  «slutt»" in godtatt and "Mer & mer" in godtatt
    assert {e.get(f"{W}author") for e in _endringer(data)} == {"<Ola> & "}
    celler = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Felt <x> & " in celler and "<før>" in celler and "etter & " in celler


@pytest.mark.libreoffice
def test_libreoffice_leser_og_skriver_de_samme_endringene(v1, lag, tmp_path):
    """LibreOffice åpner redline-DOCX-en og ser hver sporede endring: lagret på nytt som DOCX
    har den like mange innsettinger og slettinger (med samme forfatter), og som ODT er de
    registrerte endringer (text:tracked-changes)."""
    from dokumenter.infrastruktur.konvertering import finn_soffice

    dps = avsnitt_fra_docx(lag("dps", saerlige_bestemmelser="Ny linje.\nOg en til."))
    data = sammenligning_docx(sammenlign(v1, dps), "T", "", [], "Kari Koordinator", TIDSPUNKT)
    inn = len([e for e in _endringer(data) if e.tag == f"{W}ins"])
    ut = len([e for e in _endringer(data) if e.tag == f"{W}del"])
    assert inn > 10 and ut > 10
    (tmp_path / "redline.docx").write_bytes(data)
    soffice = finn_soffice()
    if soffice is None:
        pytest.fail("LibreOffice (soffice) mangler; kjør make test, som installerer det.")
    for filter_, mappe in (("docx:MS Word 2007 XML", "docx"), ("odt", "odt")):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path}/profil",
                "--headless",
                "--convert-to",
                filter_,
                "--outdir",
                str(tmp_path / mappe),
                str(tmp_path / "redline.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    rundtur = (tmp_path / "docx" / "redline.docx").read_bytes()
    endringer = _endringer(rundtur)
    assert len([e for e in endringer if e.tag == f"{W}ins"]) == inn
    assert len([e for e in endringer if e.tag == f"{W}del"]) == ut
    assert {e.get(f"{W}author") for e in endringer} == {"Kari Koordinator"}
    assert _versjon(rundtur, godta=True) == _versjon(data, godta=True)
    assert _versjon(rundtur, godta=False) == _versjon(data, godta=False)
    innhold = zipfile.ZipFile(tmp_path / "odt" / "redline.odt").read("content.xml").decode()
    assert "<text:tracked-changes" in innhold
    assert innhold.count("<text:insertion") > 0 and innhold.count("<text:deletion") > 0


def test_tom_og_uten_paragrafer():
    assert sammenlign([], []).seksjoner == []
    s = sammenlign([("Normal", "Bare tekst.")], [("Normal", "Bare ny tekst.")])
    assert [(sek.overskrift, sek.status) for sek in s.seksjoner] == [("Innledning", "endret")]
    assert s.ord_inn == 1 and s.ord_ut == 0
    data = sammenligning_docx(s, "T", "", [])
    assert "Ingen feltverdier er endret." in [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert _versjon(data, godta=True) == ["Bare ny tekst."]
    assert _versjon(data, godta=False) == ["Bare tekst."]
