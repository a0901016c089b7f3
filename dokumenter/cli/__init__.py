"""Kommandolinjen `dokumenter`: et tynt skall over brukstilfellene."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy import select

from arkiv.lager import LagerFeil
from dokumenter.avtaler import batch as avtaler
from dokumenter.avtaler import signering
from dokumenter.avvik import varsler as avvik
from dokumenter.brukere import kontoer, roller
from dokumenter.cli import demo
from dokumenter.drift import arkivdrift
from dokumenter.evaluering import paminnelser as evaluering
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.felles.lenker import Stilenker
from dokumenter.infrastruktur import forsegling, kryptering, loggoppsett, maler
from dokumenter.infrastruktur.konvertering import KonverteringsFeil
from dokumenter.infrastruktur.maler import MalFeil
from dokumenter.models import Bruker, Part
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.planer import paminnelser, sletting
from dokumenter.planer import signering as plansignering
from dokumenter.sok import indeksering as sok
from dokumenter.tjenester import Tjenester, apne


def _tjenester(nettadresse: str | None = None) -> Tjenester:
    tj = apne(Innstillinger.fra_miljo())
    if nettadresse:
        tj.lenker = Stilenker(nettadresse)
    return tj


NETTADRESSE = click.option(
    "--nettadresse",
    default=None,
    help="Adressen lenkene i e-postene skal peke til (standard: DOKUMENTER_NETTADRESSE).",
)


def _feil(melding: str) -> None:
    click.echo(f"Feil: {melding}", err=True)
    sys.exit(1)


@click.group(help="Dokumentgenerering og avtaleforvaltning for boligsosialt arbeid.")
def main() -> None:
    try:
        nivaa = Innstillinger.fra_miljo().loggnivaa
    except ValueError as e:
        _feil(str(e))
    loggoppsett.sett_opp(nivaa)


@main.command(help="Opprett eller oppgrader instansen (database, arkiv).")
def init() -> None:
    tj = _tjenester()
    _lag_plannokkel(tj)
    click.echo(f"Instansen er klar: {tj.innstillinger.instans}")
    tj.lukk()


def _lag_plannokkel(tj: Tjenester) -> None:
    if kryptering.lag_nokkelfil(tj.innstillinger):
        click.echo(
            f"Laget nøkkel for individuelle planer: {tj.innstillinger.instans / 'plannokkel'}. "
            "Ta sikkerhetskopi av den for seg, ikke sammen med databasen."
        )


@main.command("demo", help="Last inn demodata (Rana) og demobrukeren. Trygt å kjøre flere ganger.")
def demo_cmd() -> None:

    tj = _tjenester()
    _lag_plannokkel(tj)
    segl = tj.segl
    if not segl.finnes() and tj.innstillinger.segl_nokkel is None:
        forsegling.lag_demo_segl(segl.nokkel.parent)
        click.echo(
            f"Laget et selvsignert DEMO-sertifikat for forsegling i {segl.nokkel.parent}. "
            "Det er ikke kommunens ekte segl: sett DOKUMENTER_SEGL_NOKKEL og "
            "DOKUMENTER_SEGL_SERTIFIKAT i drift."
        )
    try:
        nye_parter, nye_avtaler = demo.last_demodata(tj)
    except KonverteringsFeil as e:
        _feil(str(e))
    finally:
        tj.lukk()
    click.echo(f"Demodata: {nye_parter} nye parter, {nye_avtaler} nye avtaler.")
    click.echo(f"Logg inn med brukernavn «{demo.DEMO_BRUKER}» og passord «{demo.DEMO_PASSORD}».")
    click.echo(
        f"Partnerportalen (/portal): «{demo.DEMO_PARTNER}» / «{demo.DEMO_PARTNER_PASSORD}» "
        "(Bodø fengsel)."
    )


@main.group(help="Ansattbrukere.")
def bruker() -> None:
    pass


@bruker.command("opprett", help="Opprett en ansattbruker. Passordet spørres om.")
@click.argument("brukernavn")
@click.option("--navn", required=True, help="Fullt navn.")
@click.option("--rolle", type=click.Choice(list(roller.ROLLER)), required=True)
@click.option("--epost", default="")
@click.password_option("--passord", prompt="Passord", confirmation_prompt="Gjenta passord")
def bruker_opprett(brukernavn: str, navn: str, rolle: str, epost: str, passord: str) -> None:
    tj = _tjenester()
    try:
        b = kontoer.opprett_bruker(tj, brukernavn, navn, rolle, passord, epost)
    except Valideringsfeil as e:
        _feil(" ".join(e.feil.values()))
    finally:
        tj.lukk()
    click.echo(f"Opprettet {b.brukernavn} ({roller.ROLLER[b.rolle]}).")


@main.group("maler", help="Dokumentmalene i maler/.")
def maler_grp() -> None:
    pass


@maler_grp.command("sjekk", help="Sjekk hver mal mot manifestet sitt.")
def maler_sjekk() -> None:
    mappe = Innstillinger.fra_miljo().maler
    navn = maler.alle_maler(mappe)
    if not navn:
        _feil(f"Fant ingen maler i {mappe}.")
    antall_feil = 0
    for n in navn:
        feil = maler.sjekk(mappe, n)
        antall_feil += len(feil)
        click.echo(f"{n}: {'OK' if not feil else f'{len(feil)} feil'}")
        for f in feil:
            click.echo(f"  - {f}")
    if antall_feil:
        sys.exit(1)


@main.group(help="Samarbeidsavtaler.")
def avtale() -> None:
    pass


@avtale.command("generer-alle", help="Lag utkast (eller ny versjon) for alle parter av en type.")
@click.option("--type", "partstype", type=click.Choice(list(PARTSTYPER)), required=True)
@click.option("--bruker", "brukernavn", required=True, help="Brukeren som står som forfatter.")
@click.option(
    "--verdier",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON-fil med feltverdier for nye utkast (f.eks. kommunens kontaktperson).",
)
def generer_alle(partstype: str, brukernavn: str, verdier: Path | None) -> None:
    tj = _tjenester()
    try:
        with tj.sesjoner() as s:
            b = s.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn))
        if b is None:
            _feil(f"Fant ingen bruker «{brukernavn}».")
        ekstra = {}
        if verdier:
            try:
                ekstra = json.loads(verdier.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                _feil(f"{verdier} er ikke gyldig JSON: {e}")
            if not isinstance(ekstra, dict):
                _feil(f"{verdier} må inneholde et JSON-objekt (felt: verdi).")
        with tj.sesjoner() as s:
            antall = len(s.scalars(select(Part.id).where(Part.type == partstype)).all())
        # Parter som hoppes over (inngåtte avtaler) teller ikke i fremdriften.
        with click.progressbar(length=antall, label=f"Genererer ({partstype})") as linje:
            rapport = avtaler.generer_alle(
                tj,
                partstype,
                b.id,
                ekstra=ekstra,
                fremdrift=lambda _navn: linje.update(1),
                fra="cli",
            )
    except MalFeil as e:
        _feil(str(e))
    finally:
        tj.lukk()
    click.echo(
        f"Ferdig: {len(rapport.ok)} avtaler laget, {len(rapport.hoppet_over)} hoppet over, "
        f"{len(rapport.feil)} feilet."
    )
    for navn, grunn in rapport.hoppet_over:
        click.echo(f"  · {navn}: hoppet over, {grunn}")
    for navn, melding in rapport.feil:
        click.echo(f"  - {navn}: {melding}", err=True)
    if rapport.feil:
        sys.exit(1)


@main.group("arkiv", help="Arkivet: kontroll, sikkerhetskopi og gjenoppretting.")
def arkiv_grp() -> None:
    pass


def _skriv_rapport(r) -> None:
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
            for sha in liste[:50]:
                click.echo(f"  {sha}")
            if len(liste) > 50:
                click.echo(f"  … og {len(liste) - 50} til")
    click.echo("Arkivet er i orden." if r.ren else "Arkivet har feil.")


@arkiv_grp.command("verifiser", help="Regn ut SHA-256 for hver fil og sammenlign med databasen.")
def arkiv_verifiser() -> None:
    tj = _tjenester()
    try:
        with click.progressbar(length=arkivdrift.antall_filer(tj), label="Kontrollerer") as linje:
            r = arkivdrift.verifiser(tj, fremdrift=linje.update)
    finally:
        tj.lukk()
    _skriv_rapport(r)
    sys.exit(0 if r.ren else 1)


@arkiv_grp.command("sikkerhetskopi", help="Ta en konsistent kopi av database og filer til DEST.")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def arkiv_sikkerhetskopi(dest: Path) -> None:
    tj = _tjenester()
    try:
        with click.progressbar(length=arkivdrift.antall_filer(tj), label="Kopierer") as linje:
            info = arkivdrift.lag_sikkerhetskopi(tj, dest, fremdrift=linje.update)
    except LagerFeil as e:
        _feil(str(e))
    finally:
        tj.lukk()
    click.echo(
        f"Sikkerhetskopi i {dest}: database og {info['filer']} filer ({info['bytes']} byte)."
    )


@arkiv_grp.command("gjenopprett", help="Gjenopprett en sikkerhetskopi til en tom instans.")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def arkiv_gjenopprett(src: Path) -> None:
    try:
        r = arkivdrift.gjenopprett(Innstillinger.fra_miljo(), src)
    except LagerFeil as e:
        _feil(str(e))
    _skriv_rapport(r)
    sys.exit(0 if r.ren else 1)


@arkiv_grp.command("reindekser", help="Bygg søkeindeksen på nytt fra arkivet alene.")
def arkiv_reindekser() -> None:
    tj = _tjenester()
    try:
        n = sok.antall_versjoner(tj)
        with click.progressbar(length=2 * n, label="Leser tekstene og indekserer") as linje:
            antall = sok.reindekser(tj, fremdrift=linje.update)
    finally:
        tj.lukk()
    click.echo(f"Søkeindeksen er bygget på nytt: {antall} versjoner.")


# -- signatur ----------------------------------------------------------------------------------


@main.group("signatur", help="Signerte kopier: kontroll av kommunens forsegling.")
def signatur_grp() -> None:
    pass


@signatur_grp.command("verifiser", help="Kontroller at en signert kopi (PDF) er uendret.")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--sertifikat",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sertifikatet (PEM) forseglingen skal være laget med. Standard: instansens segl.",
)
def signatur_verifiser(fil: Path, sertifikat: Path | None) -> None:
    # Importeres her: pyHanko er tungt å laste, og bare denne kommandoen trenger det.

    if sertifikat is None:
        standard = forsegling.Segl.fra_innstillinger(Innstillinger.fra_miljo()).sertifikat
        if standard.is_file():
            sertifikat = standard
    try:
        data = fil.read_bytes()
    except OSError as e:
        _feil(f"Kunne ikke lese {fil}: {e.strerror or e}")
    v = forsegling.verifiser(data, [sertifikat] if sertifikat else None)
    click.echo(v.rapport())
    sys.exit(0 if v.intakt and v.gyldig else 1)


@signatur_grp.command(
    "paminn",
    help="Send påminnelser, la runder etter fristen utløpe, og fullfør avbrutte runder, for "
    "avtaler og individuelle planer (for cron, f.eks. hver morgen).",
)
@NETTADRESSE
def signatur_paminn(nettadresse: str | None) -> None:
    tj = _tjenester(nettadresse)
    try:
        r = signering.send_paminnelser(tj)
        planer = plansignering.send_paminnelser(tj)  # individuelle planer
    finally:
        tj.lukk()
    for felt in ("paminnet", "utlopt", "fullfort", "epostfeil"):
        getattr(r, felt).extend(getattr(planer, felt))
    click.echo(
        f"Påminnet {len(r.paminnet)}, utløpt {len(r.utlopt)} runder, fullført {len(r.fullfort)}."
    )
    for feil in r.epostfeil:
        click.echo(f"E-post: {feil}", err=True)


def _paminn(
    send: Callable[[Tjenester], tuple[int, list[str]]], nettadresse: str | None, hva: str
) -> None:
    """Felles for `avvik/evaluering/plan paminn`: send, og skriv antall og e-postfeil."""
    tj = _tjenester(nettadresse)
    try:
        antall, feil = send(tj)
    finally:
        tj.lukk()
    click.echo(f"Påminnet om {antall} {hva}.")
    for f in feil:
        click.echo(f"E-post: {f}", err=True)


# -- avvik og evaluering ---------------------------------------------------------------------


@main.group(help="Avvik fra avtalene.")
def avvik_grp() -> None:
    pass


main.add_command(avvik_grp, "avvik")


@avvik_grp.command("paminn", help="Påminn om avvik der svarfristen er ute (for cron).")
@NETTADRESSE
def avvik_paminn(nettadresse: str | None) -> None:

    _paminn(avvik.send_paminnelser, nettadresse, "forfalte avvik")


@main.group(help="Den årlige evalueringen.")
def evaluering_grp() -> None:
    pass


main.add_command(evaluering_grp, "evaluering")


@evaluering_grp.command(
    "paminn", help="Påminn ansvarlige om evalueringer som er forfalt eller innen 60 dager."
)
@NETTADRESSE
def evaluering_paminn(nettadresse: str | None) -> None:

    _paminn(evaluering.send_paminnelser, nettadresse, "evalueringer")


@click.group(
    help="Individuelle planer: påminnelser om revisjon og sletting etter oppbevaringstiden."
)
def plan_grp() -> None:
    pass


main.add_command(plan_grp, "plan")


@plan_grp.command(
    "paminn", help="Påminn koordinatorer om planer som skal revideres innen 30 dager."
)
@NETTADRESSE
def plan_paminn(nettadresse: str | None) -> None:

    _paminn(paminnelser.send_paminnelser, nettadresse, "planer")


@plan_grp.command(
    "slett-utlopte",
    help="Slett avsluttede planer der oppbevaringstiden (DOKUMENTER_PLAN_OPPBEVARING_DAGER) er "
    "ute: rader, filer og søkeindeks. Skriver en sletterapport uten personopplysninger.",
)
def plan_slett_utlopte() -> None:

    tj = _tjenester()
    try:
        r = sletting.slett_utlopte(tj, utfort_av="dokumenter plan slett-utlopte")
    finally:
        tj.lukk()
    if not r.planer:
        click.echo("Ingen planer å slette.")
        return
    click.echo(f"Slettet {len(r.planer)} planer: {', '.join(r.planer)}")
    click.echo(f"  Filer i arkivet: {r.filer}. Dokumenter i søkeindeksen: {r.indeksdokumenter}.")
    for tabell, antall in sorted(r.rader.items()):
        click.echo(f"  {tabell}: {antall} rader")
    if r.databasefil_renset is False:
        click.echo(
            "Advarsel: databasens WAL-fil kunne ikke tømmes nå (en annen prosess leste); "
            "kjør kommandoen igjen når appen er rolig.",
            err=True,
        )
