"""Kommandolinjen `dokumenter`: et tynt skall over brukstilfellene, som nettsiden.

Hver gruppe av kommandoer står i sin egen modul og lastes først når den brukes, så en kort
kommando (for eksempel `dokumenter signatur verifiser`) ikke betaler for å laste hele appen.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from dokumenter.cli import norsk
from dokumenter.cli.felles import feil
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.infrastruktur import loggoppsett, prosesser

# Kommando -> «modul:navn» under dokumenter.cli.
KOMMANDOER = {
    "init": "instans:init",
    "demo": "instans:demo",
    "bruker": "brukere:gruppe",
    "maler": "maler:gruppe",
    "avtale": "avtaler:gruppe",
    "arkiv": "arkiv:gruppe",
    "signatur": "signatur:gruppe",
    "avvik": "paminnelser:avvik",
    "evaluering": "paminnelser:evaluering",
    "plan": "paminnelser:plan",
    "overgang": "paminnelser:overgang",
}


norsk.installer()  # før kommandomodulene lastes: Click på norsk


def bytt_hjelpevalg(args: Sequence[str]) -> list[str]:
    """`--help` blir `--hjelp` (bare foran `--`, der resten er verdier)."""
    args = list(args)
    slutt = args.index("--") if "--" in args else len(args)
    args[:slutt] = ["--hjelp" if x == "--help" else x for x in args[:slutt]]
    return args


class LatGruppe(click.Group):
    """En gruppe som laster underkommandoene først når de trengs."""

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        """Hjelpevalget heter `--hjelp` (og `-h`); `--help` godtas fortsatt."""
        return super().main(bytt_hjelpevalg(sys.argv[1:] if args is None else args), *a, **kw)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(KOMMANDOER)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in KOMMANDOER:
            return None
        modul, navn = KOMMANDOER[cmd_name].split(":")
        return getattr(importlib.import_module(f"dokumenter.cli.{modul}"), navn)


@click.group(
    cls=LatGruppe,
    help="Dokumentgenerering og avtaleforvaltning for boligsosialt arbeid.",
    context_settings={"help_option_names": norsk.HJELPEVALG},
)
def main() -> None:
    prosesser.avslutt_ved_signal()  # SIGTERM: kommandoens `finally` stopper LibreOffice
    try:
        nivaa = Innstillinger.fra_miljo().loggnivaa
    except ValueError as e:
        feil(str(e))
    loggoppsett.sett_opp(nivaa)
