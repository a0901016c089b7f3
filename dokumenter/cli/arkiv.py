"""`dokumenter arkiv`: kontroll, sikkerhetskopi, gjenoppretting og ny søkeindeks, og Noark
5-uttrekket og utboksen til sak/arkiv (fra `noark.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from arkiv.kontroll import Kontrollrapport
from arkiv.lager import LagerFeil
from arkiv.sok.indeks import IndeksFeil
from dokumenter.cli.felles import feil, tjenester
from dokumenter.drift import arkivdrift
from dokumenter.felles.feil import Oppsettsfeil
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.sok import indeksering, journal, vedlikehold
from dokumenter.tjenester import Tjenester


@click.group("arkiv", help="Arkivet: kontroll, sikkerhetskopi og gjenoppretting.")
def gruppe() -> None:
    pass


def _skriv_rapport(r: Kontrollrapport, tj: Tjenester | None = None) -> None:
    click.echo(
        f"Kontrollerte {r.kontrollert} filer ({r.bytes_lest / 1e6:.1f} MB) på "
        f"{r.sekunder:.1f} s ({r.mb_per_sekund:.0f} MB/s)."
    )
    for tittel, liste in (
        ("Mangler", r.mangler),
        ("Endret (SHA-256 stemmer ikke)", r.endret),
        ("Feil størrelse", r.feil_storrelse),
        ("Foreldreløse (ingen rad peker på dem)", r.foreldrelose),
    ):
        if liste:
            click.echo(f"{tittel}: {len(liste)}")
            vises = liste[:50]
            for linje in (
                [b.tekst for b in arkivdrift.beskriv(tj, vises)] if tj is not None else vises
            ):
                click.echo(f"  {linje}")
            if len(liste) > 50:
                click.echo(f"  … og {len(liste) - 50} til")
    click.echo("Arkivet er i orden." if r.ren else "Arkivet har feil.")


@gruppe.command("verifiser", help="Regn ut SHA-256 for hver fil og sammenlign med databasen.")
def verifiser() -> None:
    tj = tjenester()
    try:
        with click.progressbar(length=arkivdrift.antall_filer(tj), label="Kontrollerer") as linje:
            r = arkivdrift.verifiser(tj, fremdrift=linje.update)
        _skriv_rapport(r, tj)
    finally:
        tj.lukk()
    sys.exit(0 if r.ren else 1)


@gruppe.command(
    "sikkerhetskopi",
    help="Ta en konsistent kopi av database og filer til DEST (med PostgreSQL bare filene: "
    "databasen kopieres med pg_dump først). Skadde filer hoppes over og nevnes; da er svaret 1.",
)
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def sikkerhetskopi(dest: Path) -> None:
    tj = tjenester()
    try:
        with click.progressbar(length=arkivdrift.antall_filer(tj), label="Kopierer") as linje:
            info = arkivdrift.lag_sikkerhetskopi(tj, dest, fremdrift=linje.update)
    except LagerFeil as e:
        feil(str(e))
    finally:
        tj.lukk()
    hva = "database og " if info["database"] else ""
    click.echo(f"Sikkerhetskopi i {dest}: {hva}{info['filer']} filer ({info['bytes']} byte).")
    if not info["database"]:
        click.echo("Databasen (PostgreSQL) er ikke med: den kopieres med pg_dump, før filene.")
    if info["feil"]:
        click.echo(f"{len(info['feil'])} filer kunne ikke kopieres (alt annet er kopiert):")
        for b, f in zip(info["beskrivelser"], info["feil"], strict=True):
            click.echo(f"  {b.tekst}: {f['grunn']}")
        sys.exit(1)


@gruppe.command("gjenopprett", help="Gjenopprett en sikkerhetskopi til en tom instans.")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def gjenopprett(src: Path) -> None:
    try:
        r = arkivdrift.gjenopprett(Innstillinger.fra_miljo(), src)
    except (LagerFeil, Oppsettsfeil) as e:
        feil(str(e))
    _skriv_rapport(r)
    sys.exit(0 if r.ren else 1)


@gruppe.command(
    "reindekser",
    help="Bygg søkeindeksen på nytt fra arkivet alene (lagringer kan fortsette imens).",
)
@click.option(
    "--bare-ventende",
    is_flag=True,
    help="Bare utfør endringene som venter i indeksens journal, og rydd i den (for cron). "
    "Indeksen bygges på nytt bare om den mangler eller ikke hører til arkivet.",
)
def reindekser(bare_ventende: bool) -> None:
    tj = tjenester()
    try:
        if bare_ventende:
            grunn = vedlikehold.kontroller(tj)
            if grunn is None:
                _bare_ventende(tj)
                return
            click.echo(f"{grunn} Bygger den på nytt.")
        n = indeksering.antall_versjoner(tj)
        with click.progressbar(length=2 * n, label="Leser tekstene og indekserer") as linje:
            antall = indeksering.reindekser(tj, fremdrift=linje.update)
    except IndeksFeil as e:
        feil(str(e))
    finally:
        tj.lukk()
    click.echo(f"Søkeindeksen er bygget på nytt: {antall} versjoner.")


def _bare_ventende(tj) -> None:
    utfort = indeksering.behandle_ventende(tj, ventetid=60)
    ryddet = journal.rydd(tj)
    tj.indeks.sla_sammen(ventetid=60)  # små segmenter fra lagringene (som i webprosessene)
    igjen = journal.status(tj).ventende
    click.echo(f"Søkeindeksen: {utfort} endringer tatt inn, {ryddet} gamle journalrader ryddet.")
    if igjen:
        feil(f"{igjen} endringer venter fortsatt (se loggen).")


@gruppe.command(
    "tom-loggko",
    help="For cron: skriv loggposter som ventet i køen på disk (databasen var låst) inn i "
    "databasen.",
)
def tom_loggko() -> None:
    tj = tjenester()  # åpningen tømmer også køen; dette gjør det uttrykkelig og teller
    try:
        antall = tj.tom_loggko()
    finally:
        tj.lukk()
    click.echo(f"Skrev {antall} loggposter fra køen inn i databasen.")


def _noark() -> None:
    """Kommandoene for Noark 5 (uttrekk, kontroll, utboksen) hører til samme gruppe."""
    from dokumenter.cli import noark

    for kommando in (
        noark.uttrekk,
        noark.kontroller_uttrekk,
        noark.send_utboks,
        noark.etterregistrer,
    ):
        gruppe.add_command(kommando)


_noark()
