"""Kommandolinjen `dokumenter`: et tynt skall over brukstilfellene, som nettsiden.

Hver gruppe av kommandoer står i sin egen modul og lastes først når den brukes, så en kort
kommando (for eksempel `dokumenter signatur verifiser`) ikke betaler for å laste hele appen.
"""

from __future__ import annotations

import importlib

import click

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


class LatGruppe(click.Group):
    """En gruppe som laster underkommandoene først når de trengs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(KOMMANDOER)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in KOMMANDOER:
            return None
        modul, navn = KOMMANDOER[cmd_name].split(":")
        return getattr(importlib.import_module(f"dokumenter.cli.{modul}"), navn)


@click.group(cls=LatGruppe, help="Dokumentgenerering og avtaleforvaltning for boligsosialt arbeid.")
def main() -> None:
    prosesser.avslutt_ved_signal()  # SIGTERM: kommandoens `finally` stopper LibreOffice
    try:
        nivaa = Innstillinger.fra_miljo().loggnivaa
    except ValueError as e:
        feil(str(e))
    loggoppsett.sett_opp(nivaa)
