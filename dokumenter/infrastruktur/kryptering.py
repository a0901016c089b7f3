"""Kryptering på applikasjonsnivå for individuelle planer: personens navn og fødselsdato og
innholdet i hver versjon (feltverdiene) i databasen, og planens filer i arkivet. En kopi av
databasefilen eller arkivmappen alene røper dem ikke; nøkkelen ligger utenfor begge.

Nøkkelen kommer fra DOKUMENTER_PLANNOKKEL (Fernet-nøkler, kommaseparert: den første
krypterer, alle kan dekryptere, så en nøkkel kan byttes ut), ellers fra filen
`<instans>/plannokkel`, som `dokumenter init` lager med rettighetene 0600.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from dokumenter.felles.feil import Oppsettsfeil
from dokumenter.felles.innstillinger import Innstillinger

NOKKELFIL = "plannokkel"


class NokkelFeil(Oppsettsfeil):
    """Nøkkelen mangler, er ugyldig eller passer ikke til dataene."""


class Chiffer:
    def __init__(self, nokler: list[str]) -> None:
        if not nokler:
            raise NokkelFeil(
                "Nøkkelen for individuelle planer mangler. Sett DOKUMENTER_PLANNOKKEL eller "
                "kjør «dokumenter init»."
            )
        try:
            self._fernet = MultiFernet([Fernet(n.strip().encode()) for n in nokler])
        except ValueError as e:
            raise NokkelFeil(
                "Nøkkelen for individuelle planer er ugyldig (må være en Fernet-nøkkel)."
            ) from e

    @classmethod
    def fra_innstillinger(cls, inn: Innstillinger) -> Chiffer:
        """Nøklene fra DOKUMENTER_PLANNOKKEL, ellers fra `<instans>/plannokkel`."""
        if inn.plannokler:
            return cls(list(inn.plannokler))
        try:
            verdi = (inn.instans / NOKKELFIL).read_text(encoding="ascii")
        except FileNotFoundError:
            verdi = ""
        return cls([n for n in verdi.replace("\n", ",").split(",") if n.strip()])

    def krypter(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def dekrypter(self, data: bytes) -> bytes:
        try:
            return self._fernet.decrypt(data)
        except InvalidToken as e:
            raise NokkelFeil(
                "Planens data kan ikke dekrypteres med nøkkelen som er satt opp."
            ) from e

    def krypter_tekst(self, tekst: str) -> str:
        return self.krypter(tekst.encode("utf-8")).decode("ascii")

    def dekrypter_tekst(self, token: str) -> str:
        return self.dekrypter(token.encode("ascii")).decode("utf-8")

    def krypter_json(self, verdi: Any) -> str:
        """JSON (nøklene sortert) kryptert som tekst, for en databasekolonne."""
        return self.krypter_tekst(json.dumps(verdi, ensure_ascii=False, sort_keys=True))

    def dekrypter_json(self, token: str) -> Any:
        return json.loads(self.dekrypter_tekst(token))


def lag_nokkelfil(inn: Innstillinger) -> bool:
    """Lag `<instans>/plannokkel` (0600) hvis verken den eller miljøvariabelen finnes."""
    fil = inn.instans / NOKKELFIL
    if inn.plannokler or fil.exists():
        return False
    fd = os.open(fil, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(Fernet.generate_key().decode("ascii") + "\n")
    return True
