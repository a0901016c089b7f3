"""Kontroll av en forseglet kopi: er filen uendret, er seglet gyldig og laget av et
sertifikat vi stoler på, og hvem signerte. Brukes av `dokumenter signatur verifiser`."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from dokumenter.felles.formatering import tidspunkt as norsk_tidspunkt
from dokumenter.infrastruktur.forsegling.felles import FELTNAVN, META_SHA256, META_SIGNATURER, kort

logger = logging.getLogger(__name__)


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
            feil.append(f"Kunne ikke lese sertifikatet {sti} ({kort(e)}).")
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
        return Verifikasjon(intakt=False, feil=[f"Filen kunne ikke kontrolleres ({kort(e)})."])


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
            f"PDF-filen er skadet eller ufullstendig og kan ikke leses ({kort(e)})."
        )
        return resultat
    try:
        alle = list(leser.embedded_regular_signatures)
    except Exception as e:  # noqa: BLE001 - pyHanko og pypdf kan kaste hva som helst
        resultat.feil.append(
            f"Signaturen i filen er skadet og kan ikke leses ({kort(e)}). Filen kan være "
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
            f"Signaturen i filen er skadet og kan ikke kontrolleres ({kort(e)}). Filen kan "
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
