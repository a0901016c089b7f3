"""Planenes faste regler: statuser, feltene systemet fyller inn, filtyper, personen (navn og
fødselsdato) og innholdet i hver versjon, som begge bare står kryptert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dokumenter.felles import etiketter
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.models import Plan, PlanVersjon
from dokumenter.planer import rader
from dokumenter.tjenester import Tjenester

MAL = "individuell_plan"
IKKE_FUNNET = "Planen finnes ikke, eller du har ikke tilgang til den."
STATUSER = etiketter.PLANSTATUS
KAN_ENDRES = ("utkast", "til_signering", "aktiv")
# Avtalene en plan kan knyttes til: sendt til parten, under signering, inngått eller under
# revisjon (ikke et utkast kommunen ennå ikke har sendt, og ikke en avtale som ikke gjelder).
AVTALER_SOM_KAN_KNYTTES = ("til_gjennomgang", "til_signering", "inngaatt", "til_revisjon")
# Feltene systemet fyller inn ved hver lagring; resten av manifestet fyller brukeren ut.
SYSTEMFELT = (
    "kommune_navn", "plan_nummer", "versjon", "person_navn", "person_fodselsdato",
    "institusjon_navn", "avtale_referanse", "ansvarsgruppe", "samtykker", "signaturer",
)  # fmt: skip
PERSONFELT = ("person_navn", "person_fodselsdato")
PERSONROLLE = "Personen planen gjelder"  # første signaturlinje
FILTYPER = {
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": ("pdf", "application/pdf"),
    "forseglet": ("pdf", "application/pdf"),
    "skannet": ("pdf", "application/pdf"),
    # Overgangsskjemaet (dokumenter.overgang.skjema) og skannet skriftlig samtykke: også
    # personens filer, kryptert og slettet med planen; de står ikke i planens dokumentliste.
    "skjema_docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "skjema_pdf": ("pdf", "application/pdf"),
    "skjema_skannet": ("pdf", "application/pdf"),
    "samtykke_skannet": ("pdf", "application/pdf"),
}
PLANFILER = ("docx", "pdf", "forseglet", "skannet")  # planens egne versjoner


@dataclass(frozen=True)
class Person:
    navn: str
    fodselsdato: date


def person(tj: Tjenester, plan: Plan) -> Person:
    return Person(
        tj.chiffer.dekrypter_tekst(plan.navn_kryptert),
        date.fromisoformat(tj.chiffer.dekrypter_tekst(plan.fodselsdato_kryptert)),
    )


def feltverdier(tj: Tjenester, versjon: PlanVersjon) -> dict[str, Any]:
    """Innholdet i versjonen, dekryptert; tiltak og fremdriftsplan fra eldre planer gjort om
    til dagens rader (`rader.oppgrader`)."""
    return rader.oppgrader(tj.chiffer.dekrypter_json(versjon.innhold_kryptert))


def krev_apen(plan: Plan) -> None:
    """En avsluttet plan kan ikke endres, og ingen kan få tilgang til den; bare det som tar
    tilgang bort (trekke samtykke eller tilgang, fjerne medlemmer), er lov."""
    if plan.status not in KAN_ENDRES:
        raise Valideringsfeil({"status": "Planen er avsluttet og kan ikke endres."})
