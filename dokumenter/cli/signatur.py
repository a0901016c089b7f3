"""`dokumenter signatur`: kontroll av en signert kopi, og påminnelsesjobben for signering."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import click

from dokumenter.cli.felles import NETTADRESSE, feil, tjenester
from dokumenter.felles.innstillinger import Innstillinger


@click.group("signatur", help="Signerte kopier: kontroll av kommunens forsegling.")
def gruppe() -> None:
    pass


def _pyhanko_uten_signerings_api() -> None:
    """`pyhanko.sign/__init__.py` laster hele API-et for å signere (og aiohttp, for
    tidsstempling over HTTP), rundt en halv sekund. Kontrollen bruker bare delmoduler
    (pyhanko.sign.validation m.fl.), så i denne kortlivede prosessen registreres pakken uten å
    kjøre __init__; delmodulene lastes som vanlig fra samme mappe."""
    if "pyhanko.sign" in sys.modules or (spec := importlib.util.find_spec("pyhanko.sign")) is None:
        return
    pakke = types.ModuleType("pyhanko.sign")
    pakke.__path__ = list(spec.submodule_search_locations or [])
    pakke.__spec__ = spec
    sys.modules["pyhanko.sign"] = pakke


@gruppe.command("verifiser", help="Kontroller at en signert kopi (PDF) er uendret.")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--sertifikat",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sertifikatet (PEM) forseglingen skal være laget med. Standard: instansens segl.",
)
def verifiser(fil: Path, sertifikat: Path | None) -> None:
    # Bare kontrollen lastes (ikke database eller domene): kommandoen skal svare raskt.
    _pyhanko_uten_signerings_api()
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
