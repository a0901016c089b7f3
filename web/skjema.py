"""Kobler valideringsfeil fra domenet til feltene i et WTForms-skjema."""

from __future__ import annotations

from flask import flash
from wtforms import Form, SelectChoice

from dokumenter.felles.feil import Valideringsfeil


def vis_feil(skjema: Form, feil: Valideringsfeil) -> None:
    """Sett hver melding på sitt felt (også `kontaktpersoner-0-navn`); resten som melding."""
    felt = {f.id: f for f in _alle_felt(skjema)}
    for navn, melding in feil.feil.items():
        if navn in felt:
            felt[navn].errors = [*list(felt[navn].errors), melding]
        else:
            flash(melding, "feil")
    flash("Skjemaet har feil. Rett opp feltene som er merket.", "feil")


def _alle_felt(skjema):
    for f in skjema:
        if hasattr(f, "entries"):
            for entry in f.entries:
                yield from _alle_felt(entry.form) if hasattr(entry, "form") else [entry]
        else:
            yield f


def valg(par: list[tuple[object, str]]) -> list[SelectChoice]:
    """(verdi, etikett)-par som WTForms-valg."""
    return [SelectChoice(v, e) for v, e in par]
