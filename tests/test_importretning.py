"""Importene går én vei (docs/architecture.md): web og kommandolinjen → domenene → felles,
infrastruktur og models; ingenting importerer web; arkiv importerer ingenting av vårt.

Testen leser importene i kildekoden (også de inne i funksjoner) og sammenligner med tabellen.
"""

from __future__ import annotations

import ast
from pathlib import Path

from dokumenter.felles.innstillinger import REPO_ROT

GRUNN = {"felles", "infrastruktur", "models", "tjenester"}
# Hva hver del av dokumenter kan importere (utenom seg selv). Domenene står i rekkefølge: et
# domene kan bare importere domener foran seg.
TILLATT: dict[str, set[str]] = {
    "felles": set(),
    "infrastruktur": {"felles"},
    "models": {"felles"},
    "migrations": {"felles", "infrastruktur", "models"},
    # Sammensetningen av tjenestene kjenner søkets feltdefinisjon (sok.skjema, uten egne
    # importer fra dokumenter); se MODULUNNTAK.
    "tjenester": {"felles", "infrastruktur", "models"},
    # Varslene (e-postregelen og varselloggen) brukes av alle domenene.
    "varsler": GRUNN,
    "brukere": GRUNN | {"varsler"},
    "signering": GRUNN | {"varsler"},
    "parter": GRUNN | {"brukere", "varsler"},
    "sok": GRUNN | {"parter"},
    "avtaler": GRUNN | {"brukere", "parter", "signering", "sok", "varsler"},
    "avvik": GRUNN | {"avtaler", "brukere", "parter", "sok", "varsler"},
    "planer": GRUNN | {"avtaler", "brukere", "parter", "signering", "sok", "varsler"},
    # Overgangen hører til planen og bruker planens tilgang og innsynslogg.
    "overgang": GRUNN | {"avtaler", "brukere", "parter", "planer", "signering", "sok", "varsler"},
    # Evalueringen henter § 10-tallene (bare opptellinger) fra overgangen.
    "evaluering": GRUNN | {"avtaler", "avvik", "brukere", "overgang", "parter", "sok", "varsler"},
    # Overføring av ansvar når noen slutter: flytter avtaler, avvik, planer og signeringer.
    "overforing": GRUNN
    | {"avtaler", "avvik", "brukere", "parter", "planer", "signering", "sok", "varsler"},
    "drift": GRUNN | {"sok"},
    # Noark 5 ligger over domenene: den leser dem og registrerer det de gjør. Domenene når den
    # bare gjennom porten `Tjenester.journal`.
    "noark": GRUNN
    | {"avtaler", "avvik", "brukere", "evaluering", "parter", "planer", "signering", "sok"},
    "sider": GRUNN
    | {
        "avtaler",
        "avvik",
        "brukere",
        "evaluering",
        "noark",
        "overforing",
        "overgang",
        "parter",
        "planer",
        "signering",
        "sok",
        "varsler",
    },
    "cli": GRUNN
    | {
        "avtaler",
        "avvik",
        "brukere",
        "drift",
        "evaluering",
        "noark",
        "overforing",
        "overgang",
        "parter",
        "planer",
        "signering",
        "sok",
        "sider",
        "varsler",
    },
    "__main__": {"cli"},
}
MODULUNNTAK = {("dokumenter.tjenester", "dokumenter.sok.skjema")}


def _importer(fil: Path) -> set[str]:
    ut = set()
    for node in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            ut.add(node.module)
            ut.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            ut.update(a.name for a in node.names)
    return ut


def _moduler(pakke: str) -> dict[str, Path]:
    filer = sorted((REPO_ROT / pakke).rglob("*.py"))
    return {
        ".".join(f.relative_to(REPO_ROT).with_suffix("").parts).removesuffix(".__init__"): f
        for f in filer
    }


def test_arkiv_importerer_ingenting_av_prosjektet():
    brudd = [
        (m, i)
        for m, f in _moduler("arkiv").items()
        for i in _importer(f)
        if i.split(".")[0] in ("dokumenter", "web")
    ]
    assert brudd == []


def test_ingenting_utenfor_web_importerer_web():
    brudd = [
        (m, i)
        for pakke in ("dokumenter", "arkiv", "bench", "tools")
        for m, f in _moduler(pakke).items()
        for i in _importer(f)
        if i == "web" or i.startswith("web.")
    ]
    assert brudd == []


def test_web_bruker_dokumenter_ikke_arkivets_indre():
    brudd = [
        (m, i) for m, f in _moduler("web").items() for i in _importer(f) if i.startswith("arkiv")
    ]
    assert brudd == []


def test_dokumenter_folger_lagene():
    brudd = []
    for modul, fil in _moduler("dokumenter").items():
        deler = modul.split(".")
        if len(deler) < 2:
            continue
        egen = deler[1]
        assert egen in TILLATT, f"{modul}: ukjent del av dokumenter; legg den i TILLATT"
        for i in _importer(fil):
            mal = i.split(".")
            if mal[0] != "dokumenter" or len(mal) < 2 or mal[1] == egen:
                continue
            modulnavn = ".".join(mal[:3])
            if mal[1] not in TILLATT[egen] and (modul, modulnavn) not in MODULUNNTAK:
                brudd.append(f"{modul} importerer {i}")
    assert sorted(set(brudd)) == []
