"""Avtaler fra mønsteravtalen, laget rett gjennom brukstilfellene."""

from __future__ import annotations

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.cli.demo import AVTALEFELT
from dokumenter.models import Avtale


def avtalefelt(tj, **endring) -> dict:
    """Mønsteravtalens standardverdier med demoens felt, og `endring` til slutt."""
    return {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT, **endring}


def inngatt_avtale(tj, part_id: int, ansvarlig_id: int) -> int:
    """En avtale fra mønsteravtalen, gjort «inngått» med en skannet kopi (dens egen PDF/A)."""
    avtale = skriving.opprett_utkast(tj, part_id, avtalefelt(tj), ansvarlig_id)
    with tj.sesjoner() as s:
        pdf = tj.lager.les(s.get(Avtale, avtale.id).siste_versjon.dokument("pdf").sha256)
    signering.last_opp_signert(tj, avtale.id, pdf, ansvarlig_id)
    return avtale.id
