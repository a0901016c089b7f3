"""Kommandolinjens hjelp og bruksfeil er norske: ingen av Clicks engelske ord når brukeren."""

from __future__ import annotations

import re

import pytest

from tests.test_cli import kjor

ENGELSK = re.compile(
    r"Usage|Options|Commands|Show this message|Error|Missing|--help|\[OPTIONS\]|COMMAND|"
    r"ARGS|Try |No such|TEXT|INTEGER|required|Invalid value|unexpected"
)


def _ingen_engelsk(tekst: str) -> None:
    funnet = ENGELSK.findall(tekst)
    assert not funnet, f"Engelsk fra Click: {funnet}\n{tekst}"


@pytest.mark.parametrize(
    "args, ventet",
    [
        (["--help"], ["Bruk:", "Valg:", "Kommandoer:", "Vis denne hjelpen og avslutt.", "bruker"]),
        (["-h"], ["Bruk:", "[VALG] KOMMANDO [ARGUMENTER]..."]),
        (["bruker", "--help"], ["Bruk:", "Kommandoer:", "opprett"]),
        (["bruker", "opprett", "--hjelp"], ["--navn TEKST", "[påkrevd]"]),
    ],
)
def test_hjelpen_er_norsk(tmp_path, args, ventet):
    r = kjor(tmp_path, *args)
    assert r.returncode == 0, r.stderr
    for tekst in ventet:
        assert tekst in r.stdout
    _ingen_engelsk(r.stdout + r.stderr)


@pytest.mark.parametrize(
    "args, ventet",
    [
        (["bruker", "opprett"], "Feil: Mangler argument 'BRUKERNAVN'."),
        (["finnes-ikke"], "Feil: Kommandoen 'finnes-ikke' finnes ikke."),
        (["bruker", "liste", "--ukjent"], "Feil: Valget '--ukjent' finnes ikke."),
        (["bruker", "opprett", "ola", "--rolle", "admin", "--navn"], "trenger en verdi."),
        (["bruker", "liste", "x", "y"], "Feil: Uventede ekstra argumenter (x y)"),
    ],
)
def test_bruksfeil_er_norske(tmp_path, args, ventet):
    r = kjor(tmp_path, *args)
    assert r.returncode == 2
    assert ventet in r.stderr
    if "Bruk:" in r.stderr:
        assert "--hjelp» for hjelp." in r.stderr
    _ingen_engelsk(r.stdout + r.stderr)


def test_help_byttes_bare_foran_dobbel_strek():
    """`--help` blir `--hjelp` foran `--`; etter `--` er det en vanlig verdi."""
    from dokumenter.cli import bytt_hjelpevalg

    assert bytt_hjelpevalg(["bruker", "--help"]) == ["bruker", "--hjelp"]
    assert bytt_hjelpevalg(["a", "--", "--help"]) == ["a", "--", "--help"]
    assert bytt_hjelpevalg([]) == []
