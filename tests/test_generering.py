"""Utkast fra mønsteravtalen til DOCX og PDF/A, med ekte LibreOffice og ekte arkiv."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select

from dokumenter.avtaler import batch, skriving
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.felles import feil
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.formatering import orgnr
from dokumenter.infrastruktur.maler import MalFeil
from dokumenter.models import Avtale, AvtaleVersjon, Dokument
from dokumenter.parter import skriving as parter
from tests.stotte.avtaler import avtalefelt
from tests.stotte.maler import endre_tekst
from tests.stotte.oppsett import filer_i_arkivet

pytestmark = [pytest.mark.libreoffice, pytest.mark.begge_databaser]


def ny_part(tj, navn, type_, nr, kontakter=()):
    return parter.opprett_part(
        tj,
        {
            "navn": navn,
            "type": type_,
            "orgnr": fiktivt_orgnr(nr),
            "adresse": "Storgata 1",
            "kontaktpersoner": [{"navn": k} for k in kontakter],
        },
    )


def docx_tekst(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    deler = [p.text for p in doc.paragraphs]
    deler += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(deler)


def dokumentene(tj, avtale_id):
    with tj.sesjoner() as s:
        v = s.scalars(select(AvtaleVersjon).where(AvtaleVersjon.avtale_id == avtale_id)).one()
        return {d.format: (d, tj.lager.les(d.sha256)) for d in v.dokumenter}


def test_fengsel_far_kriminalomsorgsteksten_i_docx_og_pdfa(tj, saksbehandler):
    part = ny_part(tj, "Bodø fengsel", "fengsel", 1, ["Åse Ødegård", "Pål Bråten"])
    avtale = skriving.opprett_utkast(
        tj,
        part.id,
        avtalefelt(tj, gyldig_fra="2007-06-01", varslingsfrist_dager=45),
        saksbehandler.id,
    )
    filer = dokumentene(tj, avtale.id)
    dok_docx, docx = filer["docx"]
    dok_pdf, pdf = filer["pdf"]

    tekst = docx_tekst(docx)
    assert "Bodø fengsel" in tekst
    assert "Åse Ødegård" in tekst and "Pål Bråten" in tekst
    assert "løslatelse" in tekst and "innsatte" in tekst
    assert "utskrivning" not in tekst and "pasient" not in tekst
    assert "1. juni 2007" in tekst
    assert "45 dager" in tekst
    assert "æ" in tekst and "ø" in tekst and "å" in tekst
    assert not re.search(r"\{\{|\{%|%\}|\}\}", tekst)

    leser = PdfReader(io.BytesIO(pdf))
    pdf_tekst = "\n".join(s.extract_text() for s in leser.pages)
    assert "Bodø fengsel" in pdf_tekst and "løslatelse" in pdf_tekst
    xmp = leser.xmp_metadata
    assert xmp is not None
    xml = xmp.rdf_root.toxml()
    assert re.search(r"pdfaid:part(>|=\")2", xml)
    assert re.search(r"pdfaid:conformance(>|=\")B", xml)
    # Avtalens egen tittel, ikke malens «Samarbeidsavtale – mønsteravtale», både i Info og
    # i XMP (PDF/A krever at de er like), og i DOCX-en.
    assert leser.metadata.title == "Samarbeidsavtale – Bodø fengsel"
    assert xmp.dc_title == {"x-default": "Samarbeidsavtale – Bodø fengsel"}
    assert (
        "<dc:title>Samarbeidsavtale – Bodø fengsel</dc:title>"
        in zipfile.ZipFile(io.BytesIO(docx)).read("docProps/core.xml").decode()
    )

    # Avviksskjemaet er vedlegg 2 bak avtalen i PDF/A-en (avtalens § 9), ikke i DOCX-en.
    assert "gjerne i forkant av innsettelse" in tekst and "minst hver tredje måned" in tekst
    assert "avviksskjemaet i vedlegg 2 til avtalen" in tekst
    assert "Vedlegg 2 til samarbeidsavtalen" not in tekst
    siste = " ".join(leser.pages[-1].extract_text().split())
    forste_vedlegg = next(
        i
        for i, s in enumerate(leser.pages)
        if "Vedlegg 2 til samarbeidsavtalen" in s.extract_text()
    )
    assert "Avviksskjema" in " ".join(leser.pages[forste_vedlegg].extract_text().split())
    assert "Fylles ut når avviket meldes" in " ".join(pdf_tekst.split())
    assert "1. juni 2007" in " ".join(leser.pages[forste_vedlegg].extract_text().split())
    assert "Lukking" not in siste

    assert dok_docx.variant == "produksjonsformat" and dok_pdf.variant == "arkivformat"
    assert dok_docx.sha256 == hashlib.sha256(docx).hexdigest()
    assert dok_pdf.storrelse == len(pdf)
    assert tj.lager.sti(dok_pdf.sha256).is_file()


def test_alle_fengsler_far_samme_tekst_og_klinikker_helseteksten(tj, saksbehandler):
    tekster = {}
    for nr, (navn, type_) in enumerate(
        [
            ("Mosjøen fengsel", "fengsel"),
            ("Trondheim fengsel", "fengsel"),
            ("Nordlandsklinikken", "behandlingsinstitusjon"),
            ("DPS Nord", "dps"),
        ],
        start=1,
    ):
        part = ny_part(tj, navn, type_, nr)
        a = skriving.opprett_utkast(tj, part.id, avtalefelt(tj), saksbehandler.id)
        tekst = docx_tekst(dokumentene(tj, a.id)["docx"][1])
        tekster[navn] = tekst.replace(navn, "X").replace(orgnr(part.orgnr), "N")
    # Alt utenom partens navn og organisasjonsnummer er likt for to fengsler.
    assert tekster["Mosjøen fengsel"] == tekster["Trondheim fengsel"]
    klinikk = tekster["Nordlandsklinikken"]
    assert "utskrivning" in klinikk and "pasient" in klinikk
    assert "løslatelse" not in klinikk and "innsatte" not in klinikk


def test_fiendtlig_tekst_escapes_og_kontrolltegn_fjernes(tj, saksbehandler):
    part = ny_part(tj, 'Klinikk & <Nord> "AS"', "behandlingsinstitusjon", 7)
    hilsen = "Linje 1 & <b>fet</b>\x00\x07\nLinje 2 ]]> {{ ikke_kode }}"
    a = skriving.opprett_utkast(
        tj,
        part.id,
        avtalefelt(tj, saerlige_bestemmelser=hilsen, kommune_enhet="R&D <enhet>"),
        saksbehandler.id,
    )
    tekst = docx_tekst(dokumentene(tj, a.id)["docx"][1])
    assert 'Klinikk & <Nord> "AS"' in tekst
    assert "Linje 1 & <b>fet</b>" in tekst and "Linje 2 ]]> {{ ikke_kode }}" in tekst
    assert "R&D <enhet>" in tekst
    assert "\x00" not in tekst and "\x07" not in tekst


def _tilstand(tj):
    with tj.sesjoner() as s:
        rader = tuple(
            s.scalar(select(func.count()).select_from(m)) for m in (Avtale, AvtaleVersjon, Dokument)
        )
    return rader, sorted(filer_i_arkivet(tj))


def test_ugyldige_felt_skriver_ingenting(tj, saksbehandler):
    part = ny_part(tj, "Bodø fengsel", "fengsel", 1)
    for endring in (
        {"kommune_kontakt_navn": ""},
        {"kommune_kontakt_navn": "x" * 10_000},
        {"varslingsfrist_dager": "tretti"},
        {"gyldig_fra": "2007-13-45"},
    ):
        with pytest.raises(Valideringsfeil):
            skriving.opprett_utkast(tj, part.id, avtalefelt(tj, **endring), saksbehandler.id)
    assert _tilstand(tj) == ((0, 0, 0), [])


def test_mal_med_syntaksfeil_gir_melding_og_skriver_ingenting(tj, saksbehandler, kopi_av_maler):
    endre_tekst(kopi_av_maler, "samarbeidsavtale", "{{ varslingsfrist_dager }}", "{% if %}")
    tj.innstillinger = dataclasses.replace(tj.innstillinger, maler=kopi_av_maler)
    part = ny_part(tj, "Bodø fengsel", "fengsel", 1)
    with pytest.raises(MalFeil, match="samarbeidsavtale.docx kunne ikke fylles ut"):
        skriving.opprett_utkast(tj, part.id, avtalefelt(tj), saksbehandler.id)
    assert _tilstand(tj) == ((0, 0, 0), [])


def test_ny_versjon_beholder_den_gamle(tj, saksbehandler):
    part = ny_part(tj, "Bodø fengsel", "fengsel", 1)
    a = skriving.opprett_utkast(tj, part.id, avtalefelt(tj), saksbehandler.id)
    v2 = skriving.lagre_versjon(
        tj,
        a.id,
        avtalefelt(tj, varslingsfrist_dager=60),
        saksbehandler.id,
        "Ny frist",
        forventet_versjon=1,
    )
    assert v2.nummer == 2
    with pytest.raises(feil.Konflikt):
        skriving.lagre_versjon(tj, a.id, avtalefelt(tj), saksbehandler.id, forventet_versjon=1)
    with tj.sesjoner() as s:
        versjoner = s.get(Avtale, a.id).versjoner
        assert [v.feltverdier["varslingsfrist_dager"] for v in versjoner] == [30, 60]
        assert versjoner[0].dokument("pdf").sha256 != versjoner[1].dokument("pdf").sha256
        assert tj.lager.finnes(versjoner[0].mal_sha256)


def test_generer_alle_rapporterer_feil_og_fullforer_resten(tj, saksbehandler):
    for nr, navn in enumerate(("Bodø fengsel", "Mosjøen fengsel"), start=1):
        part = ny_part(tj, navn, "fengsel", nr)
        skriving.opprett_utkast(tj, part.id, avtalefelt(tj), saksbehandler.id)
    ny_part(tj, "Trondheim fengsel", "fengsel", 3)  # ingen avtale, og ingen kontaktperson gitt
    ny_part(tj, "Nordlandsklinikken", "behandlingsinstitusjon", 4)
    sett = []
    rapport = batch.generer_alle(tj, "fengsel", saksbehandler.id, fremdrift=sett.append)
    # Samme mal og samme verdier: ingen ny versjon (se tests/sikkerhet/test_r6_*).
    assert sorted(rapport.hoppet_over) == [
        ("Bodø fengsel", batch.ALLEREDE_OPPDATERT),
        ("Mosjøen fengsel", batch.ALLEREDE_OPPDATERT),
    ]
    assert [n for n, _ in rapport.feil] == ["Trondheim fengsel"]
    assert "må fylles ut" in rapport.feil[0][1]
    assert len(sett) == 3
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Avtale)) == 2
        assert s.scalar(select(func.count()).select_from(AvtaleVersjon)) == 2


def test_generer_alle_skriver_sokeindeksen_en_gang_til_slutt(tj, saksbehandler, monkeypatch):
    """Hver lagring melder en jobb i journalen; generer-alle utfører dem samlet til slutt (én
    skriving av indeksen, ikke én per part), og alle avtalene finnes i søket etterpå."""
    from dokumenter.sider import sok
    from dokumenter.sok import indeksering, journal

    skrivinger = []  # én utføring av jobbene = én skriving, med begge søkemotorene
    ekte = indeksering.utfor
    monkeypatch.setattr(indeksering, "utfor", lambda *a: (skrivinger.append(1), ekte(*a))[1])
    navn = ("Bodø fengsel", "Mosjøen fengsel", "Ravneberget fengsel")
    for nr, n in enumerate(navn, start=1):
        ny_part(tj, n, "fengsel", nr, ["Kari Kontakt"])
    rapport = batch.generer_alle(tj, "fengsel", saksbehandler.id, ekstra=avtalefelt(tj))
    assert sorted(rapport.ok) == sorted(navn) and not rapport.feil
    assert len(skrivinger) == 1
    assert journal.status(tj).ventende == 0
    treff = sok.sok(tj, "løslatelse", "admin").treff
    assert sorted(t.felt["part"] for t in treff) == sorted(navn)


def test_avviksskjemaet_bak_avtalen_konverteres_en_gang_for_samme_avtale(tj, saksbehandler):
    """Vedlegg 2 (det tomme avviksskjemaet) er likt for hver versjon av en avtale: den andre
    lagringen konverterer bare avtalen, og PDF-en har fortsatt vedlegget bak seg."""

    class Tellende:
        def __init__(self, ekte) -> None:
            self.ekte, self.kall = ekte, 0

        def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
            self.kall += 1
            return self.ekte.til_pdfa(docx, timeout)

    tellende = Tellende(tj.konverterer)
    tj.konverterer = tellende
    part = ny_part(tj, "Bodø fengsel", "fengsel", 1, ["Kari Kontakt"])
    a = skriving.opprett_utkast(tj, part.id, avtalefelt(tj), saksbehandler.id)
    assert tellende.kall == 2  # avtalen og skjemaet
    skriving.lagre_versjon(tj, a.id, avtalefelt(tj, varslingsfrist_dager=60), saksbehandler.id)
    assert tellende.kall == 3  # bare avtalen
    with tj.sesjoner() as s:
        pdfer = [v.dokument("pdf").sha256 for v in s.get(Avtale, a.id).versjoner]
    sider = [len(PdfReader(io.BytesIO(tj.lager.les(p))).pages) for p in pdfer]
    assert sider[0] == sider[1] > 4  # avtalen med vedlegg 2 begge gangene
