"""`dokumenter init` og `dokumenter demo`: instansen og demodataene."""

from __future__ import annotations

import click

from dokumenter.cli import demo as demodata
from dokumenter.cli.demo_overgang import DEMO_BOOPPFOLGER, DEMO_BOOPPFOLGER_PASSORD
from dokumenter.cli.felles import feil, tjenester
from dokumenter.infrastruktur import kryptering
from dokumenter.infrastruktur.forsegling import lag_demo_segl
from dokumenter.infrastruktur.konvertering import KonverteringsFeil
from dokumenter.tjenester import Tjenester


def _lag_plannokkel(tj: Tjenester) -> None:
    if kryptering.lag_nokkelfil(tj.innstillinger):
        click.echo(
            f"Laget nøkkel for individuelle planer: {tj.innstillinger.instans / 'plannokkel'}. "
            "Ta sikkerhetskopi av den for seg, ikke sammen med databasen."
        )


@click.command(help="Opprett eller oppgrader instansen (database, arkiv).")
def init() -> None:
    from dokumenter.noark.etterregistrering import etterregistrer

    tj = tjenester()
    _lag_plannokkel(tj)
    r = etterregistrer(tj)  # saker og dokumenter fra før arkivet kom (tomt for nye instanser)
    if r.saksmapper or r.journalposter:
        click.echo(
            f"Arkivet: etterregistrerte {r.saksmapper} saksmapper og {r.journalposter} "
            "journalposter fra før arkivet kom."
        )
    click.echo(f"Instansen er klar: {tj.innstillinger.instans}")
    tj.lukk()


@click.command(help="Last inn demodata (Rana) og demobrukeren. Trygt å kjøre flere ganger.")
def demo() -> None:
    tj = tjenester()
    _lag_plannokkel(tj)
    segl = tj.segl
    if not segl.finnes() and tj.innstillinger.segl_nokkel is None:
        lag_demo_segl(segl.nokkel.parent)
        click.echo(
            f"Laget et selvsignert DEMO-sertifikat for forsegling i {segl.nokkel.parent}. "
            "Det er ikke kommunens ekte segl: sett DOKUMENTER_SEGL_NOKKEL og "
            "DOKUMENTER_SEGL_SERTIFIKAT i drift."
        )
    try:
        nye_parter, nye_avtaler = demodata.last_demodata(tj)
    except KonverteringsFeil as e:
        feil(str(e))
    finally:
        tj.lukk()
    click.echo(f"Demodata: {nye_parter} nye parter, {nye_avtaler} nye avtaler.")
    click.echo(
        f"Logg inn med brukernavn «{demodata.DEMO_BRUKER}» og passord «{demodata.DEMO_PASSORD}»."
    )
    click.echo(
        f"Partnerportalen (/portal): «{demodata.DEMO_PARTNER}» / "
        f"«{demodata.DEMO_PARTNER_PASSORD}» (Bodø fengsel)."
    )
    click.echo(
        "Demoplanen har en overgang fra institusjon til bolig som pågår (Planer → planen → "
        f"Overgangen til bolig); booppfølgeren logger inn med «{DEMO_BOOPPFOLGER}» / "
        f"«{DEMO_BOOPPFOLGER_PASSORD}»."
    )
