"""Signert kopi av en avtale: PDF/A + signaturside + revisjonsspor, forseglet med kommunens
sertifikat (PAdES B-B), og kontroll av en slik kopi.

Forseglingen dekker hele filen, så enhver endring av en byte etterpå blir oppdaget.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import json
import logging
import os
import secrets
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from docx import Document
from docx.document import Document as DocxDokument
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, create_string_object

from dokumenter.felles.feil import Arkivfeil
from dokumenter.felles.formatering import tidspunkt as norsk_tidspunkt
from dokumenter.felles.innstillinger import Innstillinger

logger = logging.getLogger(__name__)


FELTNAVN = "Kommunesegl"
"""Navnet på det usynlige signaturfeltet forseglingen legges i."""

META_SIGNATURER = "/Dokumenter-Signaturer"
"""Egendefinert dokumentinfo: JSON-liste med én ordbok per signatur."""

META_SHA256 = "/Dokumenter-SHA256"
"""Egendefinert dokumentinfo: SHA-256 (hex) av PDF-en som ble signert."""

_GRUNN = "Signert kopi"
_STED = "Norge"
_GYLDIG_I_DAGER = 5 * 365
_MONO = "Liberation Mono"
# pyHanko logger hver avvist signatur med full stakksporing; uten egne loggoppsett havner det
# på stderr (logging.lastResort). Resultatet står i Verifikasjon.feil, så hold dem stille her.
for _navn in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_navn).addHandler(logging.NullHandler())


class SeglFeil(Arkivfeil):
    """Forseglingen kunne ikke lages; meldingen (bokmål) sier hva som kan gjøres."""


@dataclass(frozen=True)
class Signatur:
    """Én person som har signert."""

    navn: str
    rolle: str
    institusjon: str
    tidspunkt: dt.datetime
    ip: str


@dataclass(frozen=True)
class Sporhendelse:
    """Én linje i revisjonssporet."""

    tidspunkt: dt.datetime
    hvem: str
    hva: str
    ip: str


@dataclass(frozen=True)
class Segl:
    """Kommunens sertifikat og nøkkel (PEM-filer)."""

    nokkel: Path
    sertifikat: Path

    @classmethod
    def fra_innstillinger(cls, inn: Innstillinger) -> Segl:
        """$DOKUMENTER_SEGL_NOKKEL / $DOKUMENTER_SEGL_SERTIFIKAT, ellers <instans>/segl/."""
        return cls(*inn.segl_filer)

    def finnes(self) -> bool:
        return self.nokkel.is_file() and self.sertifikat.is_file()


# -- demosegl ----------------------------------------------------------------------------------


def _skriv_atomisk(sti: Path, data: bytes, modus: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{sti.name}.", dir=sti.parent)
    try:
        os.fchmod(fd, modus)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, sti)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def lag_demo_segl(mappe: Path, organisasjon: str = "Rana kommune (DEMO)") -> Segl:
    """Lag et selvsignert demosertifikat (RSA 2048, 5 år) i `mappe`, om det ikke finnes.

    Kun for demo og test: et ekte kommunesegl skal være utstedt av en godkjent utsteder.
    """
    mappe = Path(mappe)
    segl = Segl(nokkel=mappe / "nokkel.pem", sertifikat=mappe / "sertifikat.pem")
    if segl.finnes():
        return segl
    mappe.mkdir(parents=True, exist_ok=True)
    # RSA, ikke EC: med en EC-nøkkel merker pyHanko filen som PDF 2.0 (ISO/TS 32002), og det
    # passer ikke i en PDF/A-2-fil.
    nokkel = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    navn = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisasjon} – demosegl"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisasjon),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
        ]
    )
    naa = dt.datetime.now(dt.UTC)
    bruk = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    sertifikat = (
        x509.CertificateBuilder()
        .subject_name(navn)
        .issuer_name(navn)
        .public_key(nokkel.public_key())
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
        .not_valid_before(naa - dt.timedelta(minutes=5))
        .not_valid_after(naa + dt.timedelta(days=_GYLDIG_I_DAGER))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(bruk, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(nokkel.public_key()), False)
        .sign(nokkel, hashes.SHA256())
    )
    pem_nokkel = nokkel.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _skriv_atomisk(segl.nokkel, pem_nokkel, 0o600)
    _skriv_atomisk(segl.sertifikat, sertifikat.public_bytes(serialization.Encoding.PEM), 0o644)
    return segl


# -- signaturside og revisjonsspor -------------------------------------------------------------


def _ren(tekst: object) -> str:
    """Tekst uten kontrolltegn (og uten tegn XML ikke tåler); linjeskift blir mellomrom."""
    ut = []
    for tegn in str(tekst):
        if tegn in "\t\n\r\v\f\x85\u2028\u2029":
            ut.append(" ")
        elif unicodedata.category(tegn) in ("Cc", "Cs") or tegn in "\ufffe\uffff":
            continue
        else:
            ut.append(tegn)
    return " ".join("".join(ut).split())


def _tabell(doc: DocxDokument, overskrifter: list[str], rader: list[list[str]]) -> None:
    tabell = doc.add_table(rows=1, cols=len(overskrifter))
    tabell.style = "Table Grid"
    for celle, tekst in zip(tabell.rows[0].cells, overskrifter, strict=True):
        celle.text = ""
        celle.paragraphs[0].add_run(tekst).bold = True
    for rad in rader:
        celler = tabell.add_row().cells
        for celle, tekst in zip(celler, rad, strict=True):
            celle.text = _ren(tekst)


def _sjekksum(doc: DocxDokument, dokument_sha256: str) -> None:
    avsnitt = doc.add_paragraph("SHA-256 for det signerte dokumentet:")
    avsnitt.paragraph_format.space_after = Pt(2)
    kode = doc.add_paragraph().add_run(_ren(dokument_sha256))
    kode.font.name = _MONO
    kode.font.size = Pt(9)


def signaturside_docx(
    tittel: str,
    versjon: int,
    dokument_sha256: str,
    signaturer: list[Signatur],
    hendelser: list[Sporhendelse],
) -> bytes:
    """DOCX med signaturside (side 1) og revisjonsspor (side 2).

    Tidene vises i norsk tid; tider uten tidssone regnes som UTC.
    """
    doc = Document()
    doc.core_properties.title = _ren(f"Signaturside – {tittel}")
    doc.core_properties.language = "nb-NO"

    doc.add_heading("Signaturside", level=1)
    doc.add_paragraph().add_run(_ren(tittel)).bold = True
    doc.add_paragraph(f"Versjon {int(versjon)}")
    _sjekksum(doc, dokument_sha256)
    doc.add_paragraph(
        "Dokumentet er signert elektronisk av disse personene:"
        if signaturer
        else "Ingen har signert dokumentet."
    )
    _tabell(
        doc,
        ["Navn", "Rolle", "Institusjon", "Signert"],
        [[s.navn, s.rolle, s.institusjon, norsk_tidspunkt(s.tidspunkt)] for s in signaturer],
    )
    doc.add_paragraph(
        "Kopien er forseglet med kommunens elektroniske segl. Endres filen etterpå, blir "
        "forseglingen ugyldig."
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    doc.add_heading("Revisjonsspor", level=1)
    doc.add_paragraph().add_run(_ren(f"{tittel}, versjon {int(versjon)}")).bold = True
    _tabell(
        doc,
        ["Tidspunkt", "Hvem", "Hva", "IP-adresse"],
        [[norsk_tidspunkt(h.tidspunkt), h.hvem, h.hva, h.ip] for h in hendelser],
    )
    _sjekksum(doc, dokument_sha256)

    ut = io.BytesIO()
    doc.save(ut)
    return ut.getvalue()


def lag_metadata(signaturer: list[Signatur], dokument_sha256: str) -> dict[str, str]:
    """Dokumentinfo-feltene `verifiser` leser tilbake (signaturene som JSON og SHA-256)."""
    liste = [
        {
            "navn": _ren(s.navn),
            "rolle": _ren(s.rolle),
            "institusjon": _ren(s.institusjon),
            "tidspunkt": s.tidspunkt.isoformat(),
            "ip": _ren(s.ip),
        }
        for s in signaturer
    ]
    return {
        META_SIGNATURER: json.dumps(liste, ensure_ascii=False),
        META_SHA256: _ren(dokument_sha256),
    }


# -- forsegling --------------------------------------------------------------------------------


def _sla_sammen(pdf: bytes, sidene_pdf: bytes, metadata: dict[str, str]) -> bytes:
    """Sidene fra `sidene_pdf` etter sidene i `pdf`; katalogen (XMP, OutputIntents) fra `pdf`."""
    try:
        hoved = PdfReader(io.BytesIO(pdf), strict=False)
        tillegg = PdfReader(io.BytesIO(sidene_pdf), strict=False)
        skriver = PdfWriter(clone_from=hoved)
        for side in tillegg.pages:
            skriver.add_page(side)
    except Exception as feil:  # noqa: BLE001 - pyHanko og pypdf kan kaste hva som helst
        raise SeglFeil(
            f"Kunne ikke lese PDF-ene som skal settes sammen ({_kort(feil)}). "
            "Lag PDF/A-filene på nytt."
        ) from None
    # pyHanko skriver «pyHanko» som Producer i XMP ved forseglingen, men legger det bare til
    # i dokumentinfoen; satt likt på forhånd holder de to i samsvar (et PDF/A-krav).
    info = {NameObject("/Producer"): create_string_object(VENDOR)}
    for nokkel, verdi in metadata.items():
        navn = nokkel if nokkel.startswith("/") else f"/{nokkel}"
        info[NameObject(navn)] = create_string_object(_ren_metadata(verdi))
    skriver.add_metadata(info)
    ut = io.BytesIO()
    skriver.write(ut)
    return ut.getvalue()


def _ren_metadata(tekst: str) -> str:
    return "".join(t for t in str(tekst) if unicodedata.category(t) != "Cs")


def lag_signert_kopi(pdf: bytes, sidene_pdf: bytes, segl: Segl, metadata: dict[str, str]) -> bytes:
    """Slå sammen avtalen og signatursidene, og forsegl alt med kommunens sertifikat."""
    if not segl.finnes():
        raise SeglFeil(
            f"Fant ikke kommunens segl ({segl.nokkel} og {segl.sertifikat}). Sett "
            "DOKUMENTER_SEGL_NOKKEL og DOKUMENTER_SEGL_SERTIFIKAT, eller lag et demosegl."
        )
    signer = signers.SimpleSigner.load(str(segl.nokkel), str(segl.sertifikat))
    if signer is None:  # pyHanko logger feilen og gir None i stedet for å reise unntak
        raise SeglFeil(
            f"Kunne ikke lese nøkkelen {segl.nokkel} eller sertifikatet {segl.sertifikat}. "
            "Sjekk at begge er PEM-filer uten passord, og at nøkkelen hører til sertifikatet."
        )
    samlet = _sla_sammen(pdf, sidene_pdf, metadata)
    try:
        skriver = IncrementalPdfFileWriter(io.BytesIO(samlet), strict=False)
        fields.append_signature_field(skriver, fields.SigFieldSpec(sig_field_name=FELTNAVN))
        meta = signers.PdfSignatureMetadata(
            field_name=FELTNAVN,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=_GRUNN,
            location=_STED,
        )
        ut = signers.PdfSigner(meta, signer=signer).sign_pdf(skriver)
    except SeglFeil:
        raise
    except Exception as feil:  # noqa: BLE001 - pyHanko og pypdf kan kaste hva som helst
        raise SeglFeil(f"Forseglingen feilet ({_kort(feil)}). Meld fra om feilen.") from None
    return ut.getvalue()


# -- kontroll ----------------------------------------------------------------------------------


@dataclass
class Verifikasjon:
    """Resultatet av å kontrollere en signert kopi."""

    intakt: bool
    gyldig: bool = False
    hele_dokumentet: bool = False
    undertegner: str = ""
    tidspunkt: dt.datetime | None = None
    signaturer: list[dict] = field(default_factory=list)
    dokument_sha256: str | None = None
    feil: list[str] = field(default_factory=list)

    def rapport(self) -> str:
        """Flerlinjet tekst for kommandolinjen."""
        ja = {True: "ja", False: "NEI"}
        linjer = [
            f"Intakt: {ja[self.intakt]}",
            f"Gyldig segl: {ja[self.gyldig]}",
            f"Forseglingen dekker hele filen: {ja[self.hele_dokumentet]}",
        ]
        if self.undertegner:
            linjer.append(f"Forseglet av: {self.undertegner}")
        if self.tidspunkt is not None:
            linjer.append(f"Forseglet: {norsk_tidspunkt(self.tidspunkt)}")
        if self.dokument_sha256:
            linjer.append(f"SHA-256 for det signerte dokumentet: {self.dokument_sha256}")
        if self.signaturer:
            linjer.append("Signert av:")
            for s in self.signaturer:
                linjer.append("  - " + _signaturlinje(s))
        for f in self.feil:
            linjer.append(f"Feil: {f}")
        if not self.feil:
            linjer.append("Den signerte kopien er uendret og forseglet med et godkjent sertifikat.")
        return "\n".join(linjer)


def _signaturlinje(s: dict) -> str:
    deler = [str(s.get("navn") or "(uten navn)")]
    rolle = ", ".join(str(s[k]) for k in ("rolle", "institusjon") if s.get(k))
    if rolle:
        deler.append(f"({rolle})")
    with contextlib.suppress(TypeError, ValueError):
        deler.append(norsk_tidspunkt(dt.datetime.fromisoformat(str(s["tidspunkt"]))))
    if s.get("ip"):
        deler.append(f"fra {s['ip']}")
    return " ".join(deler)


def _kort(feil: object, tegn: int = 200) -> str:
    tekst = " ".join(str(feil).split()) or type(feil).__name__
    return tekst if len(tekst) <= tegn else tekst[: tegn - 1] + "…"


def _subjekt(sertifikat: asn1_x509.Certificate) -> str:
    """«Rana kommune – segl (Rana kommune, NO)» ut fra CN, O og C."""
    navn = sertifikat.subject.native
    cn, org, land = (navn.get(k) for k in ("common_name", "organization_name", "country_name"))
    if not cn:
        return sertifikat.subject.human_friendly
    tillegg = ", ".join(str(v) for v in (org, land) if v)
    return f"{cn} ({tillegg})" if tillegg else str(cn)


def _endringsniva(diff: object) -> str:
    if isinstance(diff, DiffResult):
        if diff.modification_level <= ModificationLevel.LTA_UPDATES:
            return " (uten å endre sidene, f.eks. endret dokumentinfo eller vedlagt tekst)"
        return " (sider, skjemafelt eller merknader er endret)"
    return " (sider eller andre objekter er endret eller lagt til)"


def _tillitsfeil(sertifikat: asn1_x509.Certificate, undertegner: str) -> str:
    utlop = None
    with contextlib.suppress(Exception):
        utlop = sertifikat["tbs_certificate"]["validity"]["not_after"].native
    if isinstance(utlop, dt.datetime) and utlop < dt.datetime.now(dt.UTC):
        return (
            f"Sertifikatet forseglingen er laget med ({undertegner or 'ukjent'}) gikk ut "
            f"{norsk_tidspunkt(utlop)}, så det kan ikke lenger godkjennes."
        )
    return (
        f"Forseglingen er laget med et sertifikat som ikke er godkjent her "
        f"({undertegner or 'ukjent'}). Oppgi kommunens sertifikat."
    )


def _les_tillit(tillit: list[Path], feil: list[str]) -> list[asn1_x509.Certificate]:
    sertifikater = []
    for sti in tillit:
        try:
            sertifikater.append(load_cert_from_pemder(str(sti)))
        except (OSError, ValueError, TypeError) as e:
            feil.append(f"Kunne ikke lese sertifikatet {sti} ({_kort(e)}).")
    return sertifikater


def _les_metadata(resultat: Verifikasjon, info: object) -> None:
    if not isinstance(info, generic.DictionaryObject):
        return
    sha = info.get(META_SHA256)
    if isinstance(sha, str) and sha:
        resultat.dokument_sha256 = str(sha)
    tekst = info.get(META_SIGNATURER)
    if tekst is None:
        return
    try:
        liste = json.loads(str(tekst))
    except ValueError:
        liste = None
    if isinstance(liste, list) and all(isinstance(s, dict) for s in liste):
        resultat.signaturer = liste
    else:
        resultat.feil.append("Signaturlisten i dokumentinfoen kan ikke leses.")


def verifiser(pdf: bytes, tillit: list[Path] | None = None) -> Verifikasjon:
    """Kontroller forseglingen av en signert kopi. Reiser aldri unntak for dårlige filer."""
    try:
        return _verifiser(bytes(pdf), tillit)
    except Exception as e:  # siste skanse: en kontroll skal aldri krasje på en rar fil
        logger.exception("Uventet feil under kontroll av forsegling")
        return Verifikasjon(intakt=False, feil=[f"Filen kunne ikke kontrolleres ({_kort(e)})."])


def _verifiser(pdf: bytes, tillit: list[Path] | None) -> Verifikasjon:
    resultat = Verifikasjon(intakt=False)
    if b"%PDF-" not in pdf[:1024]:
        resultat.feil.append("Filen er ikke en PDF.")
        return resultat
    try:
        leser = PdfFileReader(io.BytesIO(pdf), strict=False)
        _ = leser.root  # katalogen må kunne leses
    except Exception as e:  # noqa: BLE001 - pyHanko og pypdf kan kaste hva som helst
        resultat.feil.append(
            f"PDF-filen er skadet eller ufullstendig og kan ikke leses ({_kort(e)})."
        )
        return resultat
    try:
        alle = list(leser.embedded_regular_signatures)
    except Exception as e:  # noqa: BLE001 - pyHanko og pypdf kan kaste hva som helst
        resultat.feil.append(
            f"Signaturen i filen er skadet og kan ikke leses ({_kort(e)}). Filen kan være "
            "endret etter forseglingen."
        )
        return resultat
    if not alle:
        resultat.feil.append("Fant ingen signatur i filen.")
        return resultat
    segl = next((s for s in alle if s.field_name == FELTNAVN), alle[-1])
    if len(alle) > 1:
        resultat.feil.append(
            f"Filen har {len(alle)} signaturer; en signert kopi skal bare ha kommuneseglet."
        )

    sertifikater = _les_tillit(list(tillit or []), resultat.feil)
    if tillit is None or (not sertifikater and not tillit):
        resultat.feil.append(
            "Ingen sertifikat å stole på er oppgitt, så det er ikke kontrollert hvem som "
            "forseglet filen."
        )
    kontekst = ValidationContext(trust_roots=sertifikater, allow_fetching=False)
    try:
        status = _uten_hendelsessloyfe(validate_pdf_signature, segl, kontekst)
    except Exception as e:  # noqa: BLE001 - pyHanko og pypdf kan kaste hva som helst
        resultat.feil.append(
            f"Signaturen i filen er skadet og kan ikke kontrolleres ({_kort(e)}). Filen kan "
            "være endret etter forseglingen."
        )
        return resultat

    with contextlib.suppress(Exception):
        resultat.undertegner = _subjekt(status.signing_cert)
    resultat.tidspunkt = status.signer_reported_dt
    resultat.hele_dokumentet = status.coverage == SignatureCoverageLevel.ENTIRE_FILE

    kryptografi_ok = bool(status.intact and status.valid)
    if not status.intact:
        resultat.feil.append(
            "Innholdet stemmer ikke med forseglingen: filen er endret etter at den ble forseglet."
        )
    elif not status.valid:
        resultat.feil.append(
            "Signaturverdien stemmer ikke med sertifikatet: forseglingen er skadet eller falsk."
        )
    elif not resultat.hele_dokumentet:
        # Strengt med vilje: systemet legger aldri noe til etter forseglingen. pyHanko godtar
        # f.eks. en endret dokumentinfo i et tillegg (LTA_UPDATES), men da er det ikke lenger
        # den forseglede kopien.
        if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            resultat.feil.append(
                "Filen er endret etter forseglingen: noe er lagt til på slutten av filen"
                + _endringsniva(status.diff_result)
                + ". Bruk originalen fra arkivet."
            )
        else:
            resultat.feil.append(
                "Forseglingen dekker ikke hele filen, så deler av innholdet er ikke beskyttet."
            )
    resultat.intakt = kryptografi_ok and resultat.hele_dokumentet
    if resultat.intakt and sertifikater and not status.trusted:
        resultat.feil.append(_tillitsfeil(status.signing_cert, resultat.undertegner))
    resultat.gyldig = resultat.intakt and bool(status.trusted) and bool(sertifikater)

    with contextlib.suppress(Exception):
        # Les dokumentinfoen slik den var da forseglingen ble laget, ikke fra en senere endring.
        historisk = leser.get_historical_resolver(segl.signed_revision)
        # (Referanser i tilhengeren slås ellers opp i siste versjon, ikke i den forseglede.)
        info = historisk.trailer_view.raw_get("/Info")
        if isinstance(info, generic.IndirectObject):
            info = historisk.get_object(info.reference)
        _les_metadata(resultat, info)
    return resultat


def _uten_hendelsessloyfe(funksjon, *args):
    """pyHanko bruker asyncio.run() inni; går det allerede en hendelsessløyfe i tråden
    (Jupyter, asynkrone kallere), kjøres kallet i en egen tråd i stedet for å feile."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return funksjon(*args)
    with ThreadPoolExecutor(max_workers=1) as utforer:
        return utforer.submit(funksjon, *args).result()
