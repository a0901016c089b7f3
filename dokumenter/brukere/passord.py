"""Passord og engangskoder hashes med argon2; minstelengden for passord."""

from __future__ import annotations

from argon2 import PasswordHasher

MIN_PASSORDLENGDE = 10

_hasher = PasswordHasher()
