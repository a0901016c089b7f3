"""Det kommandoene deler: tjenestene, feilmeldinger og valget --nettadresse."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

import click

from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.felles.lenker import Stilenker

if TYPE_CHECKING:
    from dokumenter.tjenester import Tjenester


def tjenester(nettadresse: str | None = None) -> Tjenester:
    # Lastes først her: `signatur verifiser` trenger dem ikke.
    from dokumenter.noark import koble_til
    from dokumenter.tjenester import apne

    tj = koble_til(apne(Innstillinger.fra_miljo()))
    if nettadresse:
        tj.lenker = Stilenker(nettadresse)
    return tj


def feil(melding: str) -> NoReturn:
    click.echo(f"Feil: {melding}", err=True)
    sys.exit(1)


NETTADRESSE = click.option(
    "--nettadresse",
    default=None,
    help="Adressen lenkene i e-postene skal peke til (standard: DOKUMENTER_NETTADRESSE).",
)


def paminn(
    send: Callable[[Tjenester], tuple[int, list[str]]], nettadresse: str | None, hva: str
) -> None:
    """Felles for `avvik/evaluering/plan paminn`: send, og skriv antall og e-postfeil."""
    tj = tjenester(nettadresse)
    try:
        antall, epostfeil = send(tj)
    finally:
        tj.lukk()
    click.echo(f"Påminnet om {antall} {hva}.")
    for f in epostfeil:
        click.echo(f"E-post: {f}", err=True)
