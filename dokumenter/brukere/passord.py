"""Passordregler (ASVS 2.1): minst 12 tegn, høyst 200, og ikke lett å gjette. Styrken måles
uten nett med zxcvbn (ordlister over vanlige og lekkede passord, tastaturmønstre, årstall,
gjentakelser), med brukerens navn, brukernavn og e-postadresse og vanlige norske ord som
ekstra ordliste. Selve hashingen er `infrastruktur.passord` (via `tj.passord`)."""

from __future__ import annotations

import re
import threading

from zxcvbn import zxcvbn

from dokumenter.felles.feil import Valideringsfeil

MIN_PASSORDLENGDE = 12
MAKS_PASSORDLENGDE = 200
MIN_STYRKE = 3  # zxcvbn 0–4; 3 = «trygt mot gjetting over nett», ASVS nivå 2
ZXCVBN_MAKS = 72  # zxcvbn godtar ikke lengre tekst; resten av passordet gjør det bare sterkere
# Ord zxcvbn ikke kjenner (ordlistene er engelske), men som norske brukere ofte velger.
NORSKE_ORD = (
    "passord", "passordet", "hemmelig", "velkommen", "sommer", "vinter", "høst", "vår",
    "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "desember", "mandag", "fredag", "norge", "noreg", "kommune",
    "kommunen", "oslo", "bergen", "trondheim", "tromsø", "bodø", "rana", "mosjøen", "nordland",
    "rosenborg", "glimt", "brann", "fotball", "hund", "katt", "mamma", "pappa", "elsker",
    "jegelskerdeg", "kjæreste", "heisann", "hallo", "takk", "avtale", "avtaler", "portal",
    "avtaleportal", "boligsosial", "fengsel", "klinikk", "saksbehandler", "admin", "demo",
    "test", "bruker", "qwertyuiopå", "asdfghjkløæ",
)  # fmt: skip
RAD = (
    "Velg et lengre passord, for eksempel tre eller fire tilfeldige ord med bindestrek eller "
    "mellomrom mellom. Unngå navnet ditt, e-postadressen, årstall, «passord» og kjente ord "
    "eller mønstre som «sommer2026» og «qwerty»."
)
FOR_SVAKT = f"Passordet er for lett å gjette. {RAD}"
# zxcvbn legger brukerens ord i en global ordliste under hvert kall: ett kall om gangen.
_ZXCVBN_LAS = threading.Lock()


def _brukerord(*brukerdata: str) -> list[str]:
    """Navn, brukernavn og e-post som hele tekster og hvert ord for seg."""
    ord_ = []
    for tekst in brukerdata:
        tekst = (tekst or "").strip().lower()
        if tekst:
            ord_.append(tekst)
            ord_ += [d for d in re.split(r"[\s@._+-]+", tekst) if len(d) >= 3]
    return ord_


def _styrke(passord: str, ord_: list[str]) -> int:
    with _ZXCVBN_LAS:
        return zxcvbn(passord[:ZXCVBN_MAKS], user_inputs=ord_)["score"]


def _uten(passord: str, ord_: list[str]) -> str:
    """Passordet med brukerens egne ord tatt ut (zxcvbn overser dem mellom skilletegn)."""
    for o in sorted(ord_, key=len, reverse=True):
        passord = re.sub(re.escape(o), "", passord, flags=re.IGNORECASE)
    return passord


def passordfeil(passord: str, *brukerdata: str) -> str | None:
    """Norsk melding om hva som er galt med passordet, eller None når det kan brukes.
    `brukerdata` er brukerens navn, brukernavn og e-postadresse: det som står igjen når de er
    tatt ut, må også være sterkt nok."""
    if len(passord) < MIN_PASSORDLENGDE:
        return f"Passordet må ha minst {MIN_PASSORDLENGDE} tegn. {RAD}"
    if len(passord) > MAKS_PASSORDLENGDE:
        return f"Passordet kan ha høyst {MAKS_PASSORDLENGDE} tegn."
    egne = _brukerord(*brukerdata)
    ord_ = [*egne, *NORSKE_ORD]  # brukerens egne ord gjettes først
    if _styrke(passord, ord_) < MIN_STYRKE:
        return FOR_SVAKT
    rest = _uten(passord, egne)
    if rest != passord and _styrke(rest, ord_) < MIN_STYRKE:
        return FOR_SVAKT
    return None


def sjekk_nytt_passord(
    passord: str, gjenta: str | None, brukerdata: tuple[str, ...] = (), felt: str = "passord"
) -> None:
    """Valideringsfeil når passordet ikke følger reglene, eller når `gjenta` (None: ikke
    spurt) ikke er lik. `brukerdata` er brukerens navn, brukernavn og e-postadresse."""
    if m := passordfeil(passord, *brukerdata):
        raise Valideringsfeil({felt: m})
    if gjenta is not None and passord != gjenta:
        raise Valideringsfeil(
            {"gjenta": "Passordene er ikke like. Skriv det nye passordet to ganger."}
        )
