"""Argon2-hashing av passord og engangskoder, med kostnaden innstillingene sier.

Profilen «test» er den billigste argon2 tillater. Den kan bare velges ved å lage
`Innstillinger` i kode (testene gjør det); `Innstillinger.fra_miljo` gir alltid «produksjon».
"""

from __future__ import annotations

from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PROFILER = {
    "produksjon": {},  # argon2-cffi sine anbefalte standardverdier (RFC 9106, lav minnebruk)
    "test": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
}


class Hasher:
    def __init__(self, profil: str = "produksjon") -> None:
        if profil not in PROFILER:
            raise ValueError(f"Ukjent passordprofil {profil!r}.")
        self._argon2 = PasswordHasher(**PROFILER[profil])

    def hash(self, hemmelighet: str) -> str:
        return self._argon2.hash(hemmelighet)

    def stemmer(self, hash_: str, hemmelighet: str) -> bool:
        try:
            return self._argon2.verify(hash_, hemmelighet)
        except (VerificationError, InvalidHashError):
            return False

    def trenger_ny_hash(self, hash_: str) -> bool:
        return self._argon2.check_needs_rehash(hash_)

    @cached_property
    def attrapp(self) -> str:
        """En hash å sjekke mot når brukernavnet ikke finnes, så svartiden ikke røper det."""
        return self.hash("ikke-et-ekte-passord")
