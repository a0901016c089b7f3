"""`dokumenter maler sjekk`: hver mal mot manifestet sitt."""

from __future__ import annotations

import sys

import click

from dokumenter.cli.felles import feil
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.infrastruktur import maler


@click.group("maler", help="Dokumentmalene i maler/.")
def gruppe() -> None:
    pass


@gruppe.command("sjekk", help="Sjekk hver mal mot manifestet sitt.")
def sjekk() -> None:
    mappe = Innstillinger.fra_miljo().maler
    navn = maler.alle_maler(mappe)
    if not navn:
        feil(f"Fant ingen maler i {mappe}.")
    antall_feil = 0
    for n in navn:
        funn = maler.sjekk(mappe, n)
        antall_feil += len(funn)
        click.echo(f"{n}: {'OK' if not funn else f'{len(funn)} feil'}")
        for f in funn:
            click.echo(f"  - {f}")
    if antall_feil:
        sys.exit(1)
