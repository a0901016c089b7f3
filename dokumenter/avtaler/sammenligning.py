"""Redline mellom to versjoner av samme avtale: tekst og feltendringer, som side og DOCX."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dokumenter.avtaler.produksjon import MAL
from dokumenter.felles import formatering
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.felles.tid import som_utc
from dokumenter.infrastruktur.redline import sammenligning_docx
from dokumenter.infrastruktur.sammenligning import (
    Feltendring,
    Sammenligning,
    avsnitt_fra_docx,
    feltendringer,
    sammenlign,
)
from dokumenter.models import (
    Avtale,
    AvtaleVersjon,
)
from dokumenter.tjenester import Tjenester


@dataclass(frozen=True)
class Versjonssammenligning:
    avtale_id: int
    part: str
    fra: AvtaleVersjon
    til: AvtaleVersjon
    tekst: Sammenligning
    felt: list[Feltendring]

    @property
    def tittel(self) -> str:
        return f"Samarbeidsavtale med {self.part}: endringer"

    @property
    def undertittel(self) -> str:
        def om(v: AvtaleVersjon) -> str:
            return (
                f"versjon {v.nummer} ({formatering.tidspunkt(v.opprettet)}, {v.opprettet_av.navn})"
            )

        tekst = f"{om(self.til)} sammenlignet med {om(self.fra)}"
        return tekst[:1].upper() + tekst[1:]


def sammenlign_versjoner(
    tj: Tjenester, avtale_id: int, fra_nummer: int, til_nummer: int
) -> Versjonssammenligning:
    """Redline og feltendringer mellom to versjoner av samme avtale."""
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        versjoner = {
            v.nummer: v
            for v in s.scalars(
                select(AvtaleVersjon)
                .where(
                    AvtaleVersjon.avtale_id == avtale_id,
                    AvtaleVersjon.nummer.in_([fra_nummer, til_nummer]),
                )
                .options(
                    selectinload(AvtaleVersjon.dokumenter),
                    selectinload(AvtaleVersjon.opprettet_av),
                )
            )
        }
        if fra_nummer not in versjoner or til_nummer not in versjoner:
            raise IkkeFunnet("Versjonen finnes ikke.")
        part = avtale.part.navn
    fra, til = versjoner[fra_nummer], versjoner[til_nummer]
    tekst = sammenlign(
        avsnitt_fra_docx(tj.lager.les(fra.dokument("docx").sha256)),
        avsnitt_fra_docx(tj.lager.les(til.dokument("docx").sha256)),
    )
    etiketter = {f.navn: f.etikett for f in tj.mal(MAL).felt}
    return Versjonssammenligning(
        avtale_id, part, fra, til, tekst, feltendringer(fra.feltverdier, til.feltverdier, etiketter)
    )


def sammenligning_som_docx(v: Versjonssammenligning) -> bytes:
    """Redline-DOCX med sporede endringer; forfatteren og tidspunktet er den nye versjonens."""
    forfatter = f"{v.til.opprettet_av.navn} (versjon {v.til.nummer})"
    return sammenligning_docx(
        v.tekst, v.tittel, v.undertittel, v.felt, forfatter, som_utc(v.til.opprettet)
    )
