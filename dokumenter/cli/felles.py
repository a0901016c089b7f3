"""Det kommandoene deler: tjenestene, feilmeldinger og valget --nettadresse."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NoReturn

import click

from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.felles.lenker import Stilenker
from dokumenter.infrastruktur.jobblas import jobblas

if TYPE_CHECKING:
    from dokumenter.tjenester import Tjenester


def tjenester(nettadresse: str | None = None) -> Tjenester:
    # Lastes først her: `signatur verifiser` trenger dem ikke.
    from dokumenter.felles.feil import Oppsettsfeil
    from dokumenter.noark import koble_til
    from dokumenter.tjenester import apne

    try:
        tj = koble_til(apne(Innstillinger.fra_miljo()))
    except Oppsettsfeil as e:
        feil(str(e))
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


@contextlib.contextmanager
def som_eneste(tj: Tjenester, jobb: str) -> Iterator[None]:
    """Kjør en cron-jobb bare om ingen annen node (eller prosess) kjører den nå; ellers skriv
    det og avslutt med 0. Se `dokumenter.infrastruktur.jobblas`."""
    with jobblas(tj.sesjoner.kw["bind"], jobb) as fikk:
        if not fikk:
            click.echo(f"«dokumenter {jobb}» kjører allerede et annet sted; hopper over denne.")
            sys.exit(0)
        yield


def paminn(
    send: Callable[[Tjenester], tuple[int, list[str]]],
    nettadresse: str | None,
    hva: str,
    jobb: str,
) -> None:
    """Felles for `avvik/evaluering/plan paminn`: send, og skriv antall og e-postfeil."""
    tj = tjenester(nettadresse)
    try:
        with som_eneste(tj, jobb):
            antall, epostfeil = send(tj)
    finally:
        tj.lukk()
    click.echo(f"Påminnet om {antall} {hva}.")
    for f in epostfeil:
        click.echo(f"E-post: {f}", err=True)
