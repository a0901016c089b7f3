"""Kommunens segl: nøkkel og sertifikat (også et selvsignert DEMO-segl), og forseglingen av en
signert kopi (PAdES B-B) over PDF/A + signaturside + revisjonsspor. Forseglingen dekker hele
filen, så enhver endring av en byte etterpå blir oppdaget."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import secrets
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import get_pyca_cryptography_hash
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, create_string_object

from dokumenter.felles.feil import Arkivfeil
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.infrastruktur.forsegling.felles import FELTNAVN, kort

_GRUNN = "Signert kopi"
_STED = "Norge"
_GYLDIG_I_DAGER = 5 * 365
# pyHanko logger hver avvist signatur med full stakksporing; uten egne loggoppsett havner det
# på stderr (logging.lastResort). Resultatet står i Verifikasjon.feil, så hold dem stille her.
for _navn in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_navn).addHandler(logging.NullHandler())


class SeglFeil(Arkivfeil):
    """Forseglingen kunne ikke lages; meldingen (bokmål) sier hva som kan gjøres."""


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
            f"Kunne ikke lese PDF-ene som skal settes sammen ({kort(feil)}). "
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
    signer = _forsegler(segl)
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
        raise SeglFeil(f"Forseglingen feilet ({kort(feil)}). Meld fra om feilen.") from None
    return ut.getvalue()


class _Forsegler(signers.SimpleSigner):
    """pyHankos SimpleSigner, men nøkkelen leses inn én gang: SimpleSigner dekoder den på nytt
    (med RSA-kontroll, ~40 ms) ved hver signatur, og to ganger per forsegling."""

    @cached_property
    def _nokkel(self) -> object:
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mekanisme = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mekanisme == "rsassa_pkcs1v15" and isinstance(self._nokkel, rsa.RSAPrivateKey):
            return self._nokkel.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


_forseglere: dict[tuple, _Forsegler] = {}
_forseglerlas = threading.Lock()


def _forsegler(segl: Segl) -> _Forsegler:
    """Kommunens nøkkel og sertifikat, lest én gang per prosess (på nytt om filene endres)."""
    nokkel = (
        str(segl.nokkel),
        str(segl.sertifikat),
        segl.nokkel.stat().st_mtime_ns,
        segl.sertifikat.stat().st_mtime_ns,
    )
    with _forseglerlas:
        if nokkel not in _forseglere:
            lastet = signers.SimpleSigner.load(str(segl.nokkel), str(segl.sertifikat))
            if lastet is None:  # pyHanko logger feilen og gir None i stedet for å reise unntak
                raise SeglFeil(
                    f"Kunne ikke lese nøkkelen {segl.nokkel} eller sertifikatet "
                    f"{segl.sertifikat}. Sjekk at begge er PEM-filer uten passord, og at nøkkelen "
                    "hører til sertifikatet."
                )
            _forseglere.clear()
            _forseglere[nokkel] = _Forsegler(
                signing_cert=lastet.signing_cert,
                signing_key=lastet.signing_key,
                cert_registry=lastet.cert_registry,
            )
        return _forseglere[nokkel]
