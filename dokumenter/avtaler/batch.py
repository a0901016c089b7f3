"""Utkast for alle parter av en type på én gang (`dokumenter avtale generer-alle`).

Kommandoen kan kjøres igjen etter et avbrudd: en part hvis gjeldende versjon allerede har
nøyaktig disse verdiene med samme mal (samme hash av feltverdiene som kanonisk JSON og
malfilens SHA-256), hoppes over som «allerede oppdatert»."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from dokumenter.avtaler.livslop import KAN_ENDRES, STATUSER
from dokumenter.avtaler.produksjon import MAL
from dokumenter.avtaler.skriving import lagre_versjon, opprett_utkast
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.models import Part
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.sok import indeksering
from dokumenter.tjenester import Tjenester


@dataclass
class Batchrapport:
    ok: list[str] = field(default_factory=list)
    feil: list[tuple[str, str]] = field(default_factory=list)
    hoppet_over: list[tuple[str, str]] = field(default_factory=list)  # (part, grunn)


ALLEREDE_OPPDATERT = "allerede oppdatert"


def innholdshash(feltverdier: dict[str, Any], mal_sha256: str) -> str:
    """SHA-256 av feltverdiene som kanonisk JSON pluss malfilens SHA-256: like verdier med
    samme mal gir samme hash, uansett rekkefølge på feltene."""
    kanonisk = json.dumps(
        feltverdier, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(f"{kanonisk}\n{mal_sha256}".encode()).hexdigest()


def generer_alle(
    tj: Tjenester,
    partstype: str,
    bruker_id: int,
    ekstra: dict[str, Any] | None = None,
    fremdrift: Callable[[str], None] | None = None,
    fra: str = "",
) -> Batchrapport:
    """Lag utkast (eller ny versjon) for hver part av en type; én feil stopper ikke resten."""
    if partstype not in PARTSTYPER:
        raise Valideringsfeil({"type": f"Ukjent partstype «{partstype}»."})
    mal = tj.mal(MAL)
    mal_sha256 = hashlib.sha256(mal.fil.read_bytes()).hexdigest()
    rapport = Batchrapport()
    standard = {**mal.standardverdier(), **(ekstra or {})}
    feltnavn = {f.navn for f in mal.felt}
    with tj.sesjoner() as s:
        parter = []
        for p in s.scalars(select(Part).where(Part.type == partstype).order_by(Part.navn)):
            aktiv = _aktiv_avtale(p)
            if aktiv is not None and aktiv[2] not in KAN_ENDRES:
                grunn = f"avtalen er «{STATUSER[aktiv[2]]}»; sett den til revisjon for å endre"
                rapport.hoppet_over.append((p.navn, grunn))
            elif aktiv is not None and _uendret(mal, standard, feltnavn, aktiv, mal_sha256):
                rapport.hoppet_over.append((p.navn, ALLEREDE_OPPDATERT))
            else:
                parter.append((p.id, p.navn, aktiv))

    def en_part(part_id: int, navn: str, avtale: tuple | None) -> str | None:
        try:
            if avtale is None:
                opprett_utkast(tj, part_id, standard, bruker_id, fra=fra)
            else:
                lagre_versjon(
                    tj,
                    avtale[0],
                    _nye_verdier(standard, feltnavn, avtale),
                    bruker_id,
                    "Regenerert fra gjeldende mønsteravtale",
                    fra=fra,
                )
        except Valideringsfeil as e:
            return "; ".join(e.feil.values())
        except Exception as e:  # noqa: BLE001 - én part skal aldri stoppe resten
            return str(e) or type(e).__name__
        return None

    if fremdrift:
        for navn, _ in rapport.hoppet_over:
            fremdrift(navn)
    # Like mange tråder som konvertereren har LibreOffice-prosesser (en pool gir parallellitet).
    # Søkeindeksen skrives én gang til slutt, ikke én gang per part.
    with (
        indeksering.samlet(tj),
        ThreadPoolExecutor(max_workers=getattr(tj.konverterer, "antall", 1)) as utforer,
    ):
        for (_, navn, _), melding in zip(
            parter, utforer.map(lambda p: en_part(*p), parter), strict=True
        ):
            if melding is None:
                rapport.ok.append(navn)
            else:
                rapport.feil.append((navn, melding))
            if fremdrift:
                fremdrift(navn)
    return rapport


def _nye_verdier(standard: dict, feltnavn: set[str], avtale: tuple) -> dict[str, Any]:
    return {k: v for k, v in {**standard, **avtale[1]}.items() if k in feltnavn}


def _uendret(mal: Any, standard: dict, feltnavn: set[str], avtale: tuple, mal_sha256: str) -> bool:
    """Har gjeldende versjon allerede nøyaktig de verdiene en ny versjon ville fått?"""
    try:
        nye = mal.valider(_nye_verdier(standard, feltnavn, avtale))
    except Valideringsfeil:
        return False  # lagre_versjon gir den norske meldingen
    return innholdshash(nye, mal_sha256) == innholdshash(avtale[1], avtale[3])


def _aktiv_avtale(part: Part) -> tuple[int, dict, str, str] | None:
    """(id, feltverdier, status, malens SHA-256) for partens nyeste avtale som ikke er
    avsluttet."""
    aktive = [a for a in part.avtaler if a.status != "avsluttet"]
    if not aktive:
        return None
    siste = aktive[-1]
    v = siste.siste_versjon
    return siste.id, dict(v.feltverdier if v else {}), siste.status, v.mal_sha256 if v else ""
