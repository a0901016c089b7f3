"""Lesing av avtalens dokumenter fra arkivet (sjekket mot SHA-256), med logg over
nedlastinger."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from dokumenter.felles.feil import Arkivfeil, IkkeFunnet
from dokumenter.infrastruktur.sammenligning import (
    avsnitt_fra_docx,
)
from dokumenter.models import AvtaleVersjon, Dokument
from dokumenter.tjenester import Tjenester


def les_dokument(
    tj: Tjenester,
    dokument_id: int,
    bruker_id: int | None = None,
    fra: str = "",
    kjente: Collection[str] = (),
) -> tuple[Dokument, str, bytes | None]:
    """Dokumentet, et filnavn å laste ned under, og innholdet (sjekket mot SHA-256).

    Med bruker_id registreres nedlastingen i revisjonsloggen. `kjente`: SHA-256 av filer
    klienten alt har (If-None-Match); er dokumentet en av dem, er innholdet None, og ingenting
    leses eller logges (tilgangen er sjekket som ellers).
    """
    with tj.sesjoner() as s:
        dok = s.get(Dokument, dokument_id)
        if dok is None:
            raise IkkeFunnet("Dokumentet finnes ikke.")
        versjon = dok.versjon
        avtale_id = versjon.avtale_id
        filnavn = f"Samarbeidsavtale {versjon.avtale.part.navn} v{versjon.nummer}.{dok.format}"
        s.expunge_all()
    if dok.sha256 in kjente:
        return dok, filnavn, None
    if bruker_id is None:
        return dok, filnavn, tj.lager.les(dok.sha256)
    data = les_og_logg(
        tj, dok.sha256, avtale_id, bruker_id, fra, versjon=versjon.nummer, format=dok.format
    )
    return dok, filnavn, data


def les_og_logg(
    tj: Tjenester, sha256: str, avtale_id: int, bruker_id: int, fra: str, **detaljer: Any
) -> bytes:
    """Les en fil fra arkivet (sjekket mot SHA-256) og logg nedlastingen på avtalen. Loggen
    skrives i en egen, kort transaksjon; er databasen låst, går posten via køen på disk
    (`Tjenester.logg_hendelse_uten_a_vente`), så en nedlasting aldri venter på skrivelåsen."""
    data = tj.lager.les(sha256)
    tj.logg_hendelse_uten_a_vente(
        avtale_id, "lastet_ned", bruker_id, fra, {**detaljer, "sha256": sha256}
    )
    return data


def forhandsvisning(tj: Tjenester, sha256: str) -> list[tuple[str, str]]:
    """Avsnittene i en lagret DOCX som (stil, tekst), for visning i nettsiden."""
    return avsnitt_fra_docx(tj.lager.les(sha256))


def gjeldende_tekst(
    tj: Tjenester, versjon: AvtaleVersjon | None
) -> tuple[list[tuple[str, str]], str]:
    """(avsnittene i versjonens DOCX, feilmelding). Kan ikke arkivet lese filen, er teksten
    tom og meldingen sier hvorfor; siden vises likevel."""
    docx = versjon.dokument("docx") if versjon else None
    if docx is None:
        return [], ""
    try:
        return forhandsvisning(tj, docx.sha256), ""
    except Arkivfeil as e:
        return [], str(e)
