"""Validering ved kanten: organisasjonsnummer, fritekst og feltverdier etter malens manifest."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from email_validator import EmailNotValidError, validate_email

# Tegn som ikke er lov i XML 1.0 (og dermed ville ødelagt DOCX-filen).
_ULOVLIGE_TEGN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TELEFON = re.compile(r"^\+?[0-9 ()-]{5,20}$")


def rens_tekst(verdi: object, flerlinjet: bool = False) -> str:
    """Fjern kontrolltegn, usynlige formattegn (nullbredde, retningsstyring som U+202E) og
    ugyldige XML-tegn, og normaliser linjeskift og Unicode (NFC). Da kan ikke «Bodø fengsel»
    med et usynlig tegn bak seg registreres som en annen part enn «Bodø fengsel»."""
    tekst = "" if verdi is None else str(verdi)
    tekst = unicodedata.normalize("NFC", tekst.replace("\r\n", "\n").replace("\r", "\n"))
    if not flerlinjet:
        tekst = tekst.replace("\n", " ").replace("\t", " ")
    return uten_formattegn(_ULOVLIGE_TEGN.sub("", tekst)).strip()


def uten_formattegn(tekst: str) -> str:
    """Uten Unicode-kategori Cf (usynlige formattegn: nullbredde, retningsstyring, BOM)."""
    return "".join(t for t in tekst if unicodedata.category(t) != "Cf")


def kontrollsiffer(atte_siffer: str) -> int | None:
    """Mod-11-kontrollsifferet for de åtte første sifrene i et organisasjonsnummer (None: finnes
    ikke, nummerserien kan ikke brukes)."""
    vekter = (3, 2, 7, 6, 5, 4, 3, 2)
    rest = sum(int(s) * v for s, v in zip(atte_siffer, vekter, strict=True)) % 11
    kontroll = 0 if rest == 0 else 11 - rest
    return None if kontroll == 10 else kontroll


def orgnr_feil(nummer: str) -> str | None:
    """Returner en norsk feilmelding hvis organisasjonsnummeret er ugyldig, ellers None."""
    if not re.fullmatch(r"\d{9}", nummer):
        return "Organisasjonsnummeret må være nøyaktig 9 siffer."
    if kontrollsiffer(nummer[:8]) != int(nummer[8]):
        return "Organisasjonsnummeret er ugyldig (kontrollsifferet stemmer ikke)."
    return None


def normaliser_orgnr(verdi: object) -> str:
    return re.sub(r"[\s.]", "", rens_tekst(verdi))


def epost_feil(verdi: str) -> str | None:
    try:
        validate_email(verdi, check_deliverability=False)
    except EmailNotValidError:
        return "Ugyldig e-postadresse."
    return None


def telefon_feil(verdi: str) -> str | None:
    if not _TELEFON.fullmatch(verdi):
        return "Ugyldig telefonnummer (bruk siffer, mellomrom og eventuelt +)."
    return None


def lengde_feil(verdi: str, maks: int) -> str | None:
    if len(verdi) > maks:
        return f"Teksten er for lang ({len(verdi)} tegn, maks {maks})."
    return None


def les_dato(verdi: object) -> date:
    """Godta ISO (2026-06-01), norsk kort form (01.06.2026) eller et date-objekt."""
    if isinstance(verdi, date):
        return verdi
    tekst = rens_tekst(verdi)
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", tekst)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    return date.fromisoformat(tekst)


_SKJEMA_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def skjema_token(verdi: object) -> str | None:
    """Et skjemas engangsnøkkel (mot dobbel lagring), eller None om den mangler eller ikke
    ser ut som en (16–64 tegn, bokstaver, tall, - og _)."""
    if isinstance(verdi, str) and _SKJEMA_TOKEN.fullmatch(verdi):
        return verdi
    return None
