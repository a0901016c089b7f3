"""`dokumenter bruker`: ansattbrukere: opprett, liste, endre, deaktiver, aktiver,
nytt-passord (engangslenke på e-post) og overfor (når noen slutter). Kommandolinjen handler som
drift, uten innlogget administrator; alt står i kontologgen med «kommandolinjen»."""

from __future__ import annotations

import click

from dokumenter.brukere import administrasjon, kontoer, roller
from dokumenter.cli.felles import feil, tjenester
from dokumenter.felles.feil import IkkeFunnet, IngenTilgang, Valideringsfeil


@click.group("bruker", help="Ansattbrukere.")
def gruppe() -> None:
    pass


@gruppe.command("opprett", help="Opprett en ansattbruker. Passordet spørres om.")
@click.argument("brukernavn")
@click.option("--navn", required=True, help="Fullt navn.")
@click.option("--rolle", type=click.Choice(list(roller.ROLLER)), required=True)
@click.option("--epost", default="")
@click.option("--telefon", default="")
@click.password_option("--passord", prompt="Passord", confirmation_prompt="Gjenta passord")
def opprett(brukernavn: str, navn: str, rolle: str, epost: str, telefon: str, passord: str) -> None:
    tj = tjenester()
    try:
        b = kontoer.opprett_bruker(tj, brukernavn, navn, rolle, passord, epost, telefon)
    except Valideringsfeil as e:
        feil(" ".join(e.feil.values()))
    finally:
        tj.lukk()
    click.echo(f"Opprettet {b.brukernavn} ({roller.ROLLER[b.rolle]}).")


def _utfor(handling):
    """Kjør et brukstilfelle som drift; feil brukeren kan rette, skrives som norsk melding."""
    tj = tjenester()
    try:
        return handling(tj)
    except (Valideringsfeil, IkkeFunnet, IngenTilgang) as e:
        feil(" ".join(e.feil.values()) if isinstance(e, Valideringsfeil) else str(e))
    finally:
        tj.lukk()


@gruppe.command("liste", help="Vis brukerne (med --partnere også partnerbrukerne).")
@click.option("--partnere", is_flag=True, help="Ta med partnerbrukerne.")
def liste(partnere: bool) -> None:
    for k in _utfor(lambda tj: administrasjon.liste(tj, None, partnere=partnere)):
        status = "aktiv" if k.aktiv else "deaktivert"
        part = f" ({k.part})" if k.part else ""
        click.echo(
            f"{k.brukernavn:30} {k.navn:30} {k.epost or '-':35} {k.rolle_navn}{part}, {status}"
        )


@gruppe.command("endre", help="Endre navn, e-post, telefon eller rolle for en bruker.")
@click.argument("brukernavn")
@click.option("--navn", default=None)
@click.option("--epost", default=None, help="Ny e-postadresse (tom streng fjerner den).")
@click.option("--telefon", default=None)
@click.option("--rolle", type=click.Choice(list(roller.ROLLER)), default=None)
def endre(
    brukernavn: str, navn: str | None, epost: str | None, telefon: str | None, rolle: str | None
) -> None:
    def handling(tj):
        bruker_id = administrasjon.finn(tj, brukernavn)
        k = administrasjon.hent(tj, None, bruker_id)
        administrasjon.endre(
            tj,
            None,
            bruker_id,
            k.navn if navn is None else navn,
            k.epost if epost is None else epost,
            k.telefon if telefon is None else telefon,
            k.rolle if rolle is None else rolle,
            fra="kommandolinjen",
        )

    _utfor(handling)
    click.echo(f"Endret {brukernavn}.")


@gruppe.command("deaktiver", help="Steng kontoen; brukeren logges ut overalt.")
@click.argument("brukernavn")
def deaktiver(brukernavn: str) -> None:
    _utfor(
        lambda tj: kontoer.deaktiver(
            tj, None, administrasjon.finn(tj, brukernavn), "kommandolinjen"
        )
    )
    click.echo(f"Deaktiverte {brukernavn}.")


@gruppe.command("aktiver", help="Åpne en deaktivert konto igjen.")
@click.argument("brukernavn")
def aktiver(brukernavn: str) -> None:
    _utfor(
        lambda tj: kontoer.aktiver(tj, None, administrasjon.finn(tj, brukernavn), "kommandolinjen")
    )
    click.echo(f"Aktiverte {brukernavn}.")


@gruppe.command("nytt-passord", help="Send brukeren en engangslenke for å sette nytt passord.")
@click.argument("brukernavn")
def nytt_passord(brukernavn: str) -> None:
    epostfeil = _utfor(
        lambda tj: administrasjon.send_nytt_passord(
            tj, None, administrasjon.finn(tj, brukernavn), "kommandolinjen"
        )
    )
    if epostfeil:
        feil(f"Lenken ble laget, men e-posten ble ikke sendt: {epostfeil}")
    click.echo(f"Lenken for nytt passord er sendt til {brukernavn}.")


@gruppe.command(
    "overfor",
    help="Flytt alt BRUKERNAVN har ansvar for (avtaler, åpne avvik, planer som koordinator og "
    "ventende signeringer) til --til i ett steg, med begrunnelse; kalenderlenken trekkes. Med "
    "--deaktiver stenges kontoen i samme steg.",
)
@click.argument("brukernavn")
@click.option("--til", "etterfolger", required=True, help="Brukernavnet til etterfølgeren.")
@click.option("--grunn", required=True, help="Hvorfor (for eksempel «Sluttet»).")
@click.option("--deaktiver", is_flag=True, help="Deaktiver kontoen i samme steg.")
@click.option(
    "--av",
    "admin",
    required=True,
    help="Brukernavnet til administratoren som står for overføringen (står i loggen per sak).",
)
def overfor(brukernavn: str, etterfolger: str, grunn: str, deaktiver: bool, admin: str) -> None:
    from dokumenter.overforing import ansvar

    def handling(tj):
        admin_id = administrasjon.finn(tj, admin)
        til = administrasjon.finn(tj, etterfolger)
        fra_id = administrasjon.finn(tj, brukernavn)
        return ansvar.overfor(
            tj, admin_id, fra_id, dict.fromkeys(ansvar.SLAG, til), grunn, deaktiver,
            "kommandolinjen",
        )  # fmt: skip

    epostfeil = _utfor(handling)
    click.echo(f"Ansvaret etter {brukernavn} er overført til {etterfolger}.")
    if deaktiver:
        click.echo(f"Deaktiverte {brukernavn}.")
    for f in epostfeil:
        click.echo(f"E-post: {f}", err=True)
