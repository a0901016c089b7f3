"""Det visningene ellers ville skrevet hver for seg: filer til nedlasting, feil som vises som
meldinger på siden brukeren sendes tilbake til, og e-postfeil."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Response, flash, send_file

from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.felles.validering import uten_formattegn

UGYLDIG_SKJEMA = "Skjemaet er ugyldig. Last siden på nytt."


def fil(
    data: bytes, filnavn: str, mime: str, etag: str | None = None, privat: bool = False
) -> Response:
    """En fil til nedlasting. `privat`: skal ikke ligge i nettleserens eller andres buffer."""
    svar = send_file(
        io.BytesIO(data),
        mimetype=mime,
        as_attachment=True,
        download_name=trygt_filnavn(filnavn),
        etag=etag,
    )
    if privat:
        svar.headers["Cache-Control"] = "no-store"
    return svar


def trygt_filnavn(navn: str) -> str:
    """Filnavnet uten kontroll- og formattegn (U+202E kan snu «fdp.exe» til «exe.pdf»), og uten
    skråstreker."""
    rent = uten_formattegn("".join(t for t in navn if t.isprintable()))
    return rent.replace("/", "-").replace("\\", "-").strip() or "dokument"


@contextmanager
def som_melding(arkivprefiks: str = "") -> Iterator[None]:
    """Feil brukeren skal se som melding på siden hen sendes tilbake til: valideringsfeil, og
    arkivfeil (med `arkivprefiks`, for eksempel «Ikke lagret: »). Resten av blokken hoppes
    over; det visningen gjør etter blokken, skjer uansett.

        with som_melding():
            uc.gjor_noe(...)
            flash("Det er gjort.", "ok")
        return redirect(...)
    """
    try:
        yield
    except Valideringsfeil as e:
        for melding in e.feil.values():
            flash(melding, "feil")
    except Arkivfeil as e:
        flash(f"{arkivprefiks}{e}", "feil")


def epostfeil(feil: list[str] | str | None) -> None:
    for f in [feil] if isinstance(feil, str) else feil or []:
        flash(f"E-post ble ikke sendt: {f}", "feil")
