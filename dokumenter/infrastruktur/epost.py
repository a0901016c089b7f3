"""Utgående e-post over SMTP: sending av én ren tekstmelding (oppsettet står i
`felles.innstillinger.SmtpOppsett`)."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from email_validator import EmailNotValidError, validate_email

from dokumenter.felles.feil import Domenefeil
from dokumenter.felles.innstillinger import SmtpOppsett

logger = logging.getLogger(__name__)


# Tegn som kan bryte en header-linje (eller lure en mottaker som tolker dem som linjeskift).
_LINJESKIFT = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


@dataclass(frozen=True)
class Epost:
    til: str
    emne: str
    tekst: str


class EpostFeil(Domenefeil):
    """E-posten ble ikke sendt; meldingen (bokmål) sier hvorfor."""


def _ingen_linjeskift(verdi: str, hva: str, til: str) -> None:
    if _LINJESKIFT.search(verdi):
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til!r}: {hva} inneholder linjeskift eller andre "
            "kontrolltegn, og det er ikke lov i en e-postheader."
        )


def _gyldig_mottaker(til: str) -> str:
    _ingen_linjeskift(til, "mottakeradressen", til)
    try:
        gyldig = validate_email(til.strip(), check_deliverability=False)
    except EmailNotValidError as feil:
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til!r}: det er ikke en gyldig e-postadresse."
        ) from feil
    return gyldig.ascii_email or gyldig.normalized


def _avsenderadresse(avsender: str, til: str) -> str:
    _ingen_linjeskift(avsender, "avsenderadressen", til)
    adresse = parseaddr(avsender)[1]
    if "@" not in adresse:
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til!r}: avsenderadressen {avsender!r} er ugyldig "
            "(sjekk DOKUMENTER_SMTP_AVSENDER)."
        )
    return adresse


def lag_melding(oppsett: SmtpOppsett, epost: Epost) -> EmailMessage:
    """Bygger meldingen (UTF-8, Date og Message-ID); EpostFeil ved ugyldige adresser eller emne."""
    til = _gyldig_mottaker(epost.til)
    fra = _avsenderadresse(oppsett.avsender, epost.til)
    _ingen_linjeskift(epost.emne, "emnet", epost.til)
    melding = EmailMessage()
    melding["From"] = oppsett.avsender
    melding["To"] = til
    melding["Subject"] = epost.emne
    melding["Date"] = formatdate(localtime=True)
    # Domenet oppgis selv: uten det slår make_msgid opp maskinens navn (DNS) for hver melding.
    melding["Message-ID"] = make_msgid(domain=fra.rpartition("@")[2] or "localhost")
    # quoted-printable holder brødteksten 7-biters, så også servere uten 8BITMIME tar den imot.
    melding.set_content(epost.tekst, charset="utf-8", cte="quoted-printable")
    return melding


def send(oppsett: SmtpOppsett, epost: Epost) -> None:
    """Sender e-posten; EpostFeil (bokmål) om den ikke ble levert til SMTP-serveren."""
    melding = lag_melding(oppsett, epost)
    til = melding["To"]
    server = f"{oppsett.vert}:{oppsett.port}"
    try:
        with smtplib.SMTP(oppsett.vert, oppsett.port, timeout=oppsett.timeout) as smtp:
            if oppsett.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if oppsett.bruker:
                smtp.login(oppsett.bruker, oppsett.passord or "")
            smtp.send_message(melding)
    except smtplib.SMTPAuthenticationError as feil:
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til}: SMTP-serveren {server} godtok ikke brukernavnet "
            f"{oppsett.bruker!r} eller passordet (kode {feil.smtp_code})."
        ) from feil
    except smtplib.SMTPRecipientsRefused as feil:
        kode, svar = next(iter(feil.recipients.values()), (0, b""))
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til}: SMTP-serveren {server} avviste mottakeren "
            f"({kode} {_tekst(svar)})."
        ) from feil
    except smtplib.SMTPNotSupportedError as feil:
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til}: SMTP-serveren {server} støtter ikke det som "
            f"trengs ({feil})."
        ) from feil
    except smtplib.SMTPResponseException as feil:
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til}: SMTP-serveren {server} svarte med en feil "
            f"({feil.smtp_code} {_tekst(feil.smtp_error)})."
        ) from feil
    except (smtplib.SMTPException, OSError) as feil:
        raise EpostFeil(
            f"Kunne ikke sende e-post til {til}: SMTP-serveren svarte ikke ({server}: "
            f"{_feiltekst(feil)})."
        ) from feil
    logger.info("E-post sendt til %s via %s (emne %r)", til, server, epost.emne)


def _tekst(svar: bytes | str) -> str:
    return svar.decode("utf-8", "replace") if isinstance(svar, bytes) else str(svar)


def _feiltekst(feil: BaseException) -> str:
    # smtplib gjør tidsavbrudd mens den venter på svar om til SMTPServerDisconnected.
    arsak: BaseException | None = feil
    while arsak is not None:
        if isinstance(arsak, TimeoutError):
            return "tidsavbrudd"
        arsak = arsak.__cause__ or arsak.__context__
    if isinstance(feil, ConnectionRefusedError):
        return "ingen lytter på porten"
    if isinstance(feil, smtplib.SMTPServerDisconnected):
        return "forbindelsen ble brutt"
    return str(feil) or type(feil).__name__
