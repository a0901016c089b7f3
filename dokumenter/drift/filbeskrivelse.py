"""Hva en fil i arkivet er: fra SHA-256 til «avtale 7 (Bodø fengsel), versjon 3, PDF/A»,
slått opp i databasen. Brukes av både `verifiser` og sikkerhetskopien, så en skadet fil
alltid nevnes på samme måte. Planer nevnes med nummer, aldri med personens navn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from arkiv.grensesnitt import Arkivlager
from dokumenter.models import (
    Avtale,
    AvtaleVersjon,
    Avvik,
    Avviksskjema,
    Dokument,
    Evaluering,
    Malfil,
    Part,
    Plan,
    Plandokument,
    SignertKopi,
)

FORMATNAVN = {
    "docx": "DOCX",
    "pdf": "PDF/A",
    "forseglet": "forseglet signert kopi",
    "skannet": "skannet signert kopi",
    # Overgangsskjemaet (versjonen er skjemaets) og skriftlige samtykker, lagret som planens filer.
    "skjema_docx": "overgangsskjema, DOCX",
    "skjema_pdf": "overgangsskjema, PDF/A",
    "skjema_skannet": "overgangsskjema, skannet signert kopi",
    "samtykke_skannet": "skannet skriftlig samtykke",
}


@dataclass(frozen=True)
class Filbeskrivelse:
    sha256: str
    hva: tuple[str, ...]  # én tekst per rad som peker på filen; tom: ingen rad gjør det
    sti: str  # stien i arkivmappen, eller s3://boks/nøkkel

    @property
    def tekst(self) -> str:
        hva = "; ".join(self.hva) or "ingen rad i databasen peker på filen"
        return f"{hva} – {self.sti} (SHA-256 {self.sha256})"


def beskriv(s: Session, lager: Arkivlager, sha256er: Iterable[str]) -> list[Filbeskrivelse]:
    """Én beskrivelse per fil, i samme rekkefølge."""
    return [Filbeskrivelse(sha, tuple(_hva(s, sha)), lager.plassering(sha)) for sha in sha256er]


def _avtale(s: Session, avtale_id: int) -> str:
    navn = s.scalar(
        select(Part.navn).join(Avtale, Avtale.part_id == Part.id).where(Avtale.id == avtale_id)
    )
    return f"avtale {avtale_id} ({navn})"


def _hva(s: Session, sha: str) -> Iterable[str]:
    for dok, nummer, avtale_id in s.execute(
        select(Dokument, AvtaleVersjon.nummer, AvtaleVersjon.avtale_id)
        .join(AvtaleVersjon, Dokument.versjon_id == AvtaleVersjon.id)
        .where(Dokument.sha256 == sha)
    ):
        yield f"{_avtale(s, avtale_id)}, versjon {nummer}, {FORMATNAVN.get(dok.format, dok.format)}"
    for kopi in s.scalars(select(SignertKopi).where(SignertKopi.sha256 == sha)):
        yield (
            f"{_avtale(s, kopi.avtale_id)}, versjon {kopi.versjon_nummer}, "
            f"{FORMATNAVN.get(kopi.type, kopi.type)}"
        )
    for mal in s.scalars(select(Malfil).where(Malfil.sha256 == sha)):
        yield f"mal «{mal.navn}» versjon {mal.versjon}, malfil (DOCX)"
    for dok, nummer in s.execute(
        select(Plandokument, Plan.nummer)
        .join(Plan, Plandokument.plan_id == Plan.id)
        .where(Plandokument.sha256 == sha)
    ):
        art = FORMATNAVN.get(dok.type, dok.type)
        yield f"plan {nummer}, versjon {dok.versjon_nummer}, {art} (kryptert)"
    for skjema, avvik in s.execute(
        select(Avviksskjema, Avvik)
        .join(Avvik, Avviksskjema.avvik_id == Avvik.id)
        .where((Avviksskjema.docx_sha256 == sha) | (Avviksskjema.pdf_sha256 == sha))
    ):
        fmt = "DOCX" if skjema.docx_sha256 == sha else "PDF/A"
        yield (
            f"avvik {avvik.nummer} ({_avtale(s, avvik.avtale_id)}), avviksskjema "
            f"{skjema.nummer} ({skjema.anledning}), {fmt}"
        )
    for ev in s.scalars(
        select(Evaluering).where((Evaluering.docx_sha256 == sha) | (Evaluering.pdf_sha256 == sha))
    ):
        fmt = "DOCX" if ev.docx_sha256 == sha else "PDF/A"
        yield (
            f"evaluering {ev.id} av {_avtale(s, ev.avtale_id)} ({ev.dato.isoformat()}), "
            f"evalueringsrapport, {fmt}"
        )
