"""Passordregler: minstelengden. Selve hashingen er `infrastruktur.passord` (via
`tj.passord`)."""

from __future__ import annotations

MIN_PASSORDLENGDE = 10
