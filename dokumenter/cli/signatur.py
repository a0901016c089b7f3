"""`dokumenter signatur`: kontroll av en signert kopi, og påminnelsesjobben for signering."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dokumenter.cli.felles import NETTADRESSE, feil, tjenester
from dokumenter.felles.innstillinger import Innstillinger


@click.group("signatur", help="Signerte kopier: kontroll av kommunens forsegling.")
def gruppe() -> None:
    pass


@gruppe.command("verifiser", help="Kontroller at en signert kopi (PDF) er uendret.")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--sertifikat",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sertifikatet (PEM) forseglingen skal være laget med. Standard: instansens segl.",
)
def verifiser(fil: Path, sertifikat: Path | None) -> None:
    # Bare kontrollen lastes (ikke database eller domene): kommandoen skal svare raskt.
    from dokumenter.infrastruktur.forsegling import kontroll

    if sertifikat is None:
        standard = Innstillinger.fra_miljo().segl_filer[1]
        if standard.is_file():
            sertifikat = standard
    try:
        data = fil.read_bytes()
    except OSError as e:
        feil(f"Kunne ikke lese {fil}: {e.strerror or e}")
    v = kontroll.verifiser(data, [sertifikat] if sertifikat else None)
    click.echo(v.rapport())
    sys.exit(0 if v.intakt and v.gyldig else 1)


@gruppe.command(
    "paminn",
    help="Send påminnelser, la runder etter fristen utløpe, og fullfør avbrutte runder, for "
    "avtaler og individuelle planer (for cron, f.eks. hver morgen).",
)
@NETTADRESSE
def paminn(nettadresse: str | None) -> None:
    from dokumenter.avtaler import signering as avtalesignering
    from dokumenter.planer import signering as plansignering

    tj = tjenester(nettadresse)
    try:
        r = avtalesignering.send_paminnelser(tj)
        planer = plansignering.send_paminnelser(tj)  # individuelle planer
    finally:
        tj.lukk()
    for felt in ("paminnet", "utlopt", "fullfort", "epostfeil"):
        getattr(r, felt).extend(getattr(planer, felt))
    click.echo(
        f"Påminnet {len(r.paminnet)}, utløpt {len(r.utlopt)} runder, fullført {len(r.fullfort)}."
    )
    for epostfeil in r.epostfeil:
        click.echo(f"E-post: {epostfeil}", err=True)
