"""`dokumenter bruker`: ansattbrukere."""

from __future__ import annotations

import click

from dokumenter.brukere import kontoer, roller
from dokumenter.cli.felles import feil, tjenester
from dokumenter.felles.feil import Valideringsfeil


@click.group("bruker", help="Ansattbrukere.")
def gruppe() -> None:
    pass


@gruppe.command("opprett", help="Opprett en ansattbruker. Passordet spørres om.")
@click.argument("brukernavn")
@click.option("--navn", required=True, help="Fullt navn.")
@click.option("--rolle", type=click.Choice(list(roller.ROLLER)), required=True)
@click.option("--epost", default="")
@click.password_option("--passord", prompt="Passord", confirmation_prompt="Gjenta passord")
def opprett(brukernavn: str, navn: str, rolle: str, epost: str, passord: str) -> None:
    tj = tjenester()
    try:
        b = kontoer.opprett_bruker(tj, brukernavn, navn, rolle, passord, epost)
    except Valideringsfeil as e:
        feil(" ".join(e.feil.values()))
    finally:
        tj.lukk()
    click.echo(f"Opprettet {b.brukernavn} ({roller.ROLLER[b.rolle]}).")
