"""Det visningene ellers ville skrevet hver for seg: filer til nedlasting, feil som vises som
meldinger på siden brukeren sendes tilbake til, og e-postfeil."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Response, flash, request, send_file

from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.felles.validering import uten_formattegn

UGYLDIG_SKJEMA = "Skjemaet er ugyldig. Last siden på nytt."
# Filer som er adressert med sin SHA-256, endres aldri: nettleseren kan beholde dem et år
# (private: de ligger bak innlogging og skal ikke i delte mellomlagre).
UFORANDERLIG = "private, max-age=31536000, immutable"


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


def kjente() -> frozenset[str]:
    """SHA-256-ene klienten sier den har (If-None-Match), til brukstilfellenes `kjente`."""
    return frozenset(request.if_none_match.as_set())


def uforanderlig_fil(data: bytes | None, filnavn: str, mime: str) -> Response:
    """En fil som er adressert med sin SHA-256 (dokumenter, signerte kopier, skjemaer,
    rapporter): ETag er SHA-256, og nettleseren kan beholde den. `data` None betyr at
    brukstilfellet fant filen blant `kjente()` (tilgangen er sjekket): 304 uten innhold."""
    if data is None:
        tagger = request.if_none_match.as_set()
        svar = Response(status=304)
        if len(tagger) == 1:
            svar.set_etag(next(iter(tagger)))
    else:
        svar = fil(data, filnavn, mime, etag=hashlib.sha256(data).hexdigest())
    svar.headers["Cache-Control"] = UFORANDERLIG
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
