"""Teksten i hver avtaleversjon, hentet ut av DOCX-en én gang og lagret (`versjonstekst`).

Versjonen lagres med teksten (`registrer`, i samme transaksjon). Versjoner fra før tabellen
fantes, får teksten første gang indeksen trenger den (`hent`, `hent_mange`). En DOCX i arkivet
endres aldri, så teksten heller ikke; ingen DOCX leses to ganger for søkets skyld.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dokumenter.infrastruktur.sammenligning import avsnitt_fra_docx
from dokumenter.models import Versjonstekst
from dokumenter.tjenester import Tjenester

logger = logging.getLogger(__name__)


def fra_docx(docx: bytes) -> str:
    return "\n".join(t for _, t in avsnitt_fra_docx(docx))


def registrer(s: Session, versjon_id: int, tekst: str) -> None:
    """Lagre teksten til en ny versjon, i transaksjonen som registrerer versjonen."""
    s.add(Versjonstekst(versjon_id=versjon_id, tekst=tekst))


def hent(tj: Tjenester, versjon_id: int, docx_sha256: str | None) -> str:
    """Versjonens tekst; hentes ut av DOCX-en (og lagres) om den mangler."""
    return hent_mange(tj, {versjon_id: docx_sha256})[versjon_id]


def hent_mange(tj: Tjenester, versjoner: dict[int, str | None]) -> dict[int, str]:
    """Tekstene til versjonene (id -> SHA-256 for DOCX-en), med én spørring; de som mangler,
    hentes ut av DOCX-ene og lagres i én transaksjon."""
    if not versjoner:
        return {}
    with tj.sesjoner() as s:
        tekster = dict(_lagrede(s, versjoner))
    mangler = {v: sha for v, sha in versjoner.items() if v not in tekster}
    if mangler:
        nye = {v: fra_docx(tj.lager.les(sha)) if sha else "" for v, sha in mangler.items()}
        tekster.update(nye)
        try:
            with tj.transaksjon() as s:
                ferdige = {v for v, _ in _lagrede(s, nye)}  # en annen prosess kan ha rukket det
                s.add_all(
                    Versjonstekst(versjon_id=v, tekst=t) for v, t in nye.items() if v not in ferdige
                )
        except IntegrityError:
            logger.info("Versjonstekstene ble lagret av en annen samtidig")
    return tekster


def _lagrede(s: Session, versjoner: Iterable[int]) -> list[tuple[int, str]]:
    return list(
        s.execute(
            select(Versjonstekst.versjon_id, Versjonstekst.tekst).where(
                Versjonstekst.versjon_id.in_(list(versjoner))
            )
        )
    )
