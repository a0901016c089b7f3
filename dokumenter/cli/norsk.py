"""Click på norsk: hjelpen («Bruk:», «Valg:», «Kommandoer:») og feilmeldingene («Mangler
argumentet …») i kommandolinjen `dokumenter`.

Click henter tekstene sine med `gettext` (`from gettext import gettext as _` i hver modul).
`installer()` bytter ut `_` og `ngettext` i Clicks moduler med oppslag i tabellen her (tekster
som ikke står i tabellen, går uendret videre til `gettext`), gir typene norske navn («TEKST»,
«HELTALL») og gjør bruksmalen norsk («[VALG]», «KOMMANDO [ARGUMENTER]...»). Hjelpevalget heter
`-h`/`--hjelp`; `--help` godtas fortsatt (se `dokumenter.cli.LatGruppe.main`).

Gjelder hele prosessen: kalles én gang når `dokumenter.cli` lastes.
"""

from __future__ import annotations

import gettext

import click
from click import core, decorators, exceptions, formatting, parser, termui, types

HJELPEVALG = ["-h", "--hjelp"]

TEKSTER = {
    # Hjelpen
    "Usage:": "Bruk:",
    "Options": "Valg",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjelpen og avslutt.",
    "Show the version and exit.": "Vis versjonen og avslutt.",
    "%(prog)s, version %(version)s": "%(prog)s, versjon %(version)s",
    "deprecated": "utgått",
    "required": "påkrevd",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljøvariabel: {var}",
    "(dynamic)": "(beregnes)",
    "Choose from:\n\t{choices}": "Velg blant:\n\t{choices}",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    # Feil i bruken
    "Error: {message}": "Feil: {message}",
    "Try '{command} {option}' for help.": "Skriv «{command} {option}» for hjelp.",
    "Missing argument": "Mangler argument",
    "Missing option": "Mangler valg",
    "Missing parameter": "Mangler parameter",
    "Missing {param_type}": "Mangler {param_type}",
    "Missing parameter: {param_name}": "Mangler parameter: {param_name}",
    "Missing command.": "Mangler kommando.",
    "No such option {name!r}.": "Valget {name!r} finnes ikke.",
    "No such command {name!r}.": "Kommandoen {name!r} finnes ikke.",
    "Invalid value: {message}": "Ugyldig verdi: {message}",
    "Invalid value for {param_hint}: {message}": "Ugyldig verdi for {param_hint}: {message}",
    "Option {name!r} does not take a value.": "Valget {name!r} tar ingen verdi.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} verdier.",
    "Value must be an iterable.": "Verdien må være en liste.",
    "Aborted!": "Avbrutt.",
    "unknown error": "ukjent feil",
    "Could not open file {filename!r}: {message}": "Kunne ikke åpne {filename!r}: {message}",
    "Do you want to continue?": "Vil du fortsette?",
    "Confirm the action without prompting.": "Bekreft uten å spørre.",
    "Repeat for confirmation": "Gjenta for å bekrefte",
    "Error: The two entered values do not match.": "Feil: De to verdiene er ikke like.",
    "Error: invalid input": "Feil: ugyldig svar",
    "Press any key to continue...": "Trykk en tast for å fortsette …",
    # Typene
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldig {number_type}.",
    "{value} is not in the range {range}.": "{value} er utenfor {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} er ikke ja eller nei. Gyldige verdier: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} er ikke en gyldig UUID.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finnes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke leses.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan ikke kjøres.",
}
# Entall og flertall (ngettext).
FLERTALL = {
    "Got unexpected extra argument ({args})": (
        "Uventet ekstra argument ({args})",
        "Uventede ekstra argumenter ({args})",
    ),
    "Did you mean {possibility}?": (
        "Mente du {possibility}?",
        "(Mente du en av: {possibilities}?)",
    ),
    "Option {name!r} requires an argument.": (
        "Valget {name!r} trenger en verdi.",
        "Valget {name!r} trenger {nargs} verdier.",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} er ikke {choice}.",
        "{value!r} er ikke en av {choices}.",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Tar {nargs} verdier, men fikk 1.",
        "Tar {nargs} verdier, men fikk {len}.",
    ),
    "{value!r} does not match the format {format}.": (
        "{value!r} passer ikke formatet {format}.",
        "{value!r} passer ikke noen av formatene {formats}.",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} verdier kreves, men fikk {len_value}.",
        "{len_type} verdier kreves, men fikk {len_value}.",
    ),
}
# Typenavnene (vises som «TEKST» i hjelpen og i meldingene om ugyldige verdier).
TYPENAVN = {
    types.UnprocessedParamType: "tekst",
    types.StringParamType: "tekst",
    types.IntParamType: "heltall",
    types.IntRange: "heltall i et intervall",
    types.FloatParamType: "desimaltall",
    types.FloatRange: "desimaltall i et intervall",
    types.BoolParamType: "ja/nei",
    types.DateTime: "dato",
    types.File: "filnavn",
    types.Choice: "valg",
}
BRUKSMAL = (
    ("[OPTIONS]", "[VALG]"),
    ("COMMAND1", "KOMMANDO1"),
    ("COMMAND2", "KOMMANDO2"),
    ("COMMAND", "KOMMANDO"),
    ("[ARGS]", "[ARGUMENTER]"),
)


def oversett(tekst: str) -> str:
    return TEKSTER.get(tekst) or gettext.gettext(tekst)


def oversett_tall(entall: str, flertall: str, n: int) -> str:
    if entall in FLERTALL:
        return FLERTALL[entall][0 if n == 1 else 1]
    return gettext.ngettext(entall, flertall, n)


class Hjelpeformatering(formatting.HelpFormatter):
    """Clicks formatering, med norsk bruksmal («Bruk: dokumenter [VALG] KOMMANDO …»)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for engelsk, norsk in BRUKSMAL:
            args = args.replace(engelsk, norsk)
        super().write_usage(prog, args, prefix)


def installer() -> None:
    """Gjør Click norsk i denne prosessen (kan kalles flere ganger)."""
    for modul in (core, decorators, exceptions, formatting, parser, termui, types):
        if hasattr(modul, "_"):
            modul._ = oversett  # type: ignore[attr-defined]
        if hasattr(modul, "ngettext"):
            modul.ngettext = oversett_tall  # type: ignore[attr-defined]
    for klasse, navn in TYPENAVN.items():
        klasse.name = navn  # type: ignore[misc]
    click.Context.formatter_class = Hjelpeformatering
