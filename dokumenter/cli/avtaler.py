"""`dokumenter avtale generer-alle`: utkast for alle parter av en type."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from sqlalchemy import select

from dokumenter.avtaler import batch
from dokumenter.cli.felles import feil, tjenester
from dokumenter.infrastruktur.maler import MalFeil
from dokumenter.models import Bruker, Part
from dokumenter.parter.typer import PARTSTYPER


@click.group("avtale", help="Samarbeidsavtaler.")
def gruppe() -> None:
    pass


@gruppe.command("generer-alle", help="Lag utkast (eller ny versjon) for alle parter av en type.")
@click.option("--type", "partstype", type=click.Choice(list(PARTSTYPER)), required=True)
@click.option("--bruker", "brukernavn", required=True, help="Brukeren som står som forfatter.")
@click.option(
    "--verdier",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON-fil med feltverdier for nye utkast (f.eks. kommunens kontaktperson).",
)
def generer_alle(partstype: str, brukernavn: str, verdier: Path | None) -> None:
    tj = tjenester()
    try:
        with tj.sesjoner() as s:
            b = s.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn))
        if b is None:
            feil(f"Fant ingen bruker «{brukernavn}».")
        ekstra = {}
        if verdier:
            try:
                ekstra = json.loads(verdier.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                feil(f"{verdier} er ikke gyldig JSON: {e}")
            if not isinstance(ekstra, dict):
                feil(f"{verdier} må inneholde et JSON-objekt (felt: verdi).")
        with tj.sesjoner() as s:
            antall = len(s.scalars(select(Part.id).where(Part.type == partstype)).all())
        # Parter som hoppes over (inngåtte avtaler) teller ikke i fremdriften.
        with click.progressbar(length=antall, label=f"Genererer ({partstype})") as linje:
            rapport = batch.generer_alle(
                tj,
                partstype,
                b.id,
                ekstra=ekstra,
                fremdrift=lambda _navn: linje.update(1),
                fra="cli",
            )
    except MalFeil as e:
        feil(str(e))
    finally:
        tj.lukk()
    click.echo(
        f"Ferdig: {len(rapport.ok)} avtaler laget, {len(rapport.hoppet_over)} hoppet over, "
        f"{len(rapport.feil)} feilet."
    )
    for navn, grunn in rapport.hoppet_over:
        click.echo(f"  · {navn}: hoppet over, {grunn}")
    for navn, melding in rapport.feil:
        click.echo(f"  - {navn}: {melding}", err=True)
    if rapport.feil:
        sys.exit(1)
