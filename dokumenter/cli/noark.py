"""`dokumenter arkiv uttrekk`, `kontroller-uttrekk` og `send-utboks`: Noark 5-uttrekket til
depot og meldingene til kommunens sak/arkiv-system (Fiks Arkiv)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from dokumenter.cli.felles import feil, som_eneste, tjenester
from dokumenter.felles.feil import Domenefeil
from dokumenter.felles.validering import les_dato


class Linje:
    """Framdriften som en linje på terminalen, én per trinn (click.progressbar)."""

    def __init__(self) -> None:
        self._linje = None

    def trinn(self, navn: str, totalt: int) -> None:
        self.ferdig()
        self._linje = click.progressbar(length=max(totalt, 1), label=navn)
        self._linje.__enter__()

    def frem(self, antall: int = 1) -> None:
        if self._linje is not None:
            self._linje.update(antall)

    def ferdig(self) -> None:
        if self._linje is not None:
            self._linje.__exit__(None, None, None)
            self._linje = None


def _dato(_ctx: click.Context, _param: click.Parameter, verdi: str | None) -> date | None:
    if not verdi:
        return None
    try:
        return les_dato(verdi)
    except (ValueError, TypeError):
        raise click.BadParameter("skriv datoen som dd.mm.åååå eller åååå-mm-dd") from None


def skriv_kontroll(r) -> None:
    for problem in r.problemer:
        click.echo(f"  {problem}")


@click.command(
    "uttrekk",
    help="Lag et Noark 5-arkivuttrekk (v5.0) i DEST, som må være tom, og kontroller det.",
)
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--fra", callback=_dato, help="Journaldato fra og med (dd.mm.åååå).")
@click.option("--til", callback=_dato, help="Journaldato til og med (dd.mm.åååå).")
@click.option("--arkivdel", default=None, help="Bare én arkivdel (tittel eller kode).")
def uttrekk(dest: Path, fra: date | None, til: date | None, arkivdel: str | None) -> None:
    from dokumenter.noark.uttrekk import Utvalg, lag_uttrekk

    tj = tjenester()
    linje = Linje()
    try:
        r = lag_uttrekk(tj, dest, Utvalg(fra, til, arkivdel), linje)
    except Domenefeil as e:
        linje.ferdig()
        feil(str(e) if not hasattr(e, "feil") else " ".join(e.feil.values()))
    finally:
        linje.ferdig()
        tj.lukk()
    a = r.antall
    per_s = a["dokumentobjekt"] / r.sekunder_skriving if r.sekunder_skriving else 0
    click.echo(
        f"Uttrekk i {r.mappe}: {a['mappe']} saksmapper, {a['registrering']} journalposter, "
        f"{a['dokumentbeskrivelse']} dokumentbeskrivelser, {a['dokumentobjekt']} "
        f"dokumentobjekter; {r.dokumentfiler} filer ({r.bytes_skrevet / 1e6:.1f} MB)."
    )
    click.echo(
        f"Skrevet på {r.sekunder_skriving:.1f} s ({per_s:.0f} dokumentobjekter/s), "
        f"kontrollert på {r.kontroll.sekunder:.1f} s."
    )
    if not r.kontroll.ren:
        click.echo("Uttrekket har feil:")
        skriv_kontroll(r.kontroll)
        sys.exit(1)
    click.echo("Uttrekket er kontrollert og i orden.")


@click.command(
    "kontroller-uttrekk",
    help="Kontroller et arkivuttrekk (skjemaer, sjekksummer, filer og antall). 1 ved feil.",
)
@click.argument("mappe", type=click.Path(exists=True, file_okay=False, path_type=Path))
def kontroller_uttrekk(mappe: Path) -> None:
    from dokumenter.noark.kontroll import kontroller

    linje = Linje()
    linje.trinn("Kontrollerer", sum(1 for _ in (mappe / "dokumenter").glob("*")))
    r = kontroller(mappe, fremdrift=linje.frem)
    linje.ferdig()
    click.echo(
        f"Kontrollerte {r.filer} dokumentfiler og XML-filene ({r.bytes_lest / 1e6:.1f} MB) på "
        f"{r.sekunder:.1f} s."
    )
    if not r.ren:
        click.echo("Uttrekket har feil:")
        skriv_kontroll(r)
        sys.exit(1)
    click.echo("Uttrekket er i orden.")


@click.command(
    "etterregistrer",
    help="Gi avtaler, planer og dokumenter fra før arkivet kom, saksmapper og journalposter. "
    "Trygt å kjøre igjen.",
)
def etterregistrer() -> None:
    from dokumenter.noark.etterregistrering import etterregistrer as kjor

    tj = tjenester()
    try:
        r = kjor(tj)
    finally:
        tj.lukk()
    click.echo(f"Etterregistrert {r.saksmapper} saksmapper og {r.journalposter} journalposter.")


@click.command(
    "send-utboks",
    help="Lever meldingene til sak/arkiv (Fiks Arkiv) og les kvitteringene (for cron). "
    "Trygt å kjøre igjen og å avbryte. 1 hvis noe feilet.",
)
def send_utboks() -> None:
    from dokumenter.noark.utboks import send_utboks as send

    tj = tjenester()
    try:
        with som_eneste(tj, "send-utboks"):
            r = send(tj)
    except Domenefeil as e:
        feil(str(e))
    finally:
        tj.lukk()
    click.echo(
        f"Sendt {len(r.sendt)} meldinger, {len(r.kvittert)} kvittert, {len(r.feilet)} feilet."
    )
    for meldings_id, grunn in r.feilet:
        click.echo(f"Feilet {meldings_id}: {grunn}", err=True)
    for fil, grunn in r.avviste_kvitteringer:
        click.echo(f"Kvitteringen {fil} er lagt i avvist/: {grunn}", err=True)
    if r.feilet or r.avviste_kvitteringer:
        sys.exit(1)
