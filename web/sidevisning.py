"""Lenkene i sidevisningen og sorteringen av lister (`templates/_liste.html`): samme side med
endrede parametre, så en side i en liste kan deles som lenke."""

from __future__ import annotations

from flask import Flask, request, url_for

from dokumenter.felles.sidevisning import STIGENDE, SYNKENDE, Sortering, Utvalg


def med_parametre(_anker: str = "", **endringer: object) -> str:
    """Adressen til denne siden med parametrene endret (None eller "" fjerner en)."""
    parametre: dict[str, object] = request.args.to_dict()
    for navn, verdi in endringer.items():
        if verdi is None or verdi == "":
            parametre.pop(navn, None)
        else:
            parametre[navn] = verdi
    return url_for(
        request.endpoint or "", **(request.view_args or {}), **parametre, _anchor=_anker or None
    )


def sorteringslenke(utvalg: Utvalg, nokkel: str, anker: str = "") -> str:
    """Sorter på `nokkel`: samme kolonne snur retningen, en ny kolonne får sin standard.
    Sidenummeret nullstilles."""
    retning = None
    if utvalg.sorter == nokkel:
        retning = STIGENDE if utvalg.synkende else SYNKENDE
    return med_parametre(
        anker,
        **{
            utvalg.parameter("sorter"): nokkel,
            utvalg.parameter("retning"): retning,
            utvalg.parameter("side"): None,
        },
    )


def sidelenke(utvalg: Utvalg, side: int, anker: str = "") -> str:
    return med_parametre(anker, **{utvalg.parameter("side"): side if side > 1 else None})


def utvalg(sortering: Sortering, prefiks: str = "") -> Utvalg:
    """Utvalget forespørselens parametre ber om."""
    return sortering.utvalg(request.args, prefiks)


def registrer(app: Flask) -> None:
    app.jinja_env.globals.update(
        med_parametre=med_parametre, sorteringslenke=sorteringslenke, sidelenke=sidelenke
    )
