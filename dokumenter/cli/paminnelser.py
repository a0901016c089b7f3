"""Kommandoene for cron: påminnelser om avvik, evalueringer, planer og overganger, og sletting
av planer etter oppbevaringstiden."""

from __future__ import annotations

import click

from dokumenter.avvik import varsler as avviksvarsler
from dokumenter.cli.felles import NETTADRESSE, paminn, som_eneste, tjenester
from dokumenter.evaluering import paminnelser as evalueringspaminnelser
from dokumenter.overgang import paminnelser as overgangspaminnelser
from dokumenter.planer import paminnelser as planpaminnelser
from dokumenter.planer import sletting


@click.group("avvik", help="Avvik fra avtalene.")
def avvik() -> None:
    pass


@avvik.command("paminn", help="Påminn om avvik der svarfristen er ute (for cron).")
@NETTADRESSE
def avvikpaminn(nettadresse: str | None) -> None:

    paminn(avviksvarsler.send_paminnelser, nettadresse, "forfalte avvik", "avvik paminn")


@click.group("evaluering", help="Den årlige evalueringen.")
def evaluering() -> None:
    pass


@evaluering.command(
    "paminn", help="Påminn ansvarlige om evalueringer som er forfalt eller innen 60 dager."
)
@NETTADRESSE
def evalueringpaminn(nettadresse: str | None) -> None:

    paminn(
        evalueringspaminnelser.send_paminnelser, nettadresse, "evalueringer", "evaluering paminn"
    )


@click.group(
    "plan", help="Individuelle planer: påminnelser om revisjon og sletting etter oppbevaringstiden."
)
def plan() -> None:
    pass


@plan.command("paminn", help="Påminn koordinatorer om planer som skal revideres innen 30 dager.")
@NETTADRESSE
def planpaminn(nettadresse: str | None) -> None:

    paminn(planpaminnelser.send_paminnelser, nettadresse, "planer", "plan paminn")


@plan.command(
    "slett-utlopte",
    help="Slett avsluttede planer der oppbevaringstiden (DOKUMENTER_PLAN_OPPBEVARING_DAGER) er "
    "ute: rader, filer og søkeindeks. Skriver en sletterapport uten personopplysninger.",
)
def plan_slett_utlopte() -> None:
    tj = tjenester()
    try:
        with som_eneste(tj, "plan slett-utlopte"):
            r = sletting.slett_utlopte(tj, utfort_av="dokumenter plan slett-utlopte")
    finally:
        tj.lukk()
    if not r.planer:
        click.echo("Ingen planer å slette.")
        return
    click.echo(f"Slettet {len(r.planer)} planer: {', '.join(r.planer)}")
    click.echo(f"  Filer i arkivet: {r.filer}.")
    for tabell, antall in sorted(r.rader.items()):
        click.echo(f"  {tabell}: {antall} rader")
    if r.databasefil_renset is False:
        click.echo(
            "Advarsel: databasens WAL-fil kunne ikke tømmes nå (en annen prosess leste); "
            "kjør kommandoen igjen når appen er rolig.",
            err=True,
        )


@click.group("overgang", help="Overgangen fra institusjon til bolig.")
def overgang() -> None:
    pass


@overgang.command(
    "paminn",
    help="Påminn om samarbeidsmøter, forfalte oppgaver og boligutfall som skal registreres, og "
    "varsle sekundærkontakten når en kontakt har falt fra (for cron).",
)
@NETTADRESSE
def overgangpaminn(nettadresse: str | None) -> None:

    paminn(
        overgangspaminnelser.send_paminnelser,
        nettadresse,
        "ting i overgangene (e-poster)",
        "overgang paminn",
    )
