"""Kontroll av en opplastet, skannet PDF: størrelse, format, lesbar, minst like mange sider
som dokumentet som ble signert, og ingen aktivt innhold (JavaScript, handlinger som kjøres når
filen åpnes, innebygde filer) som ellers ville blitt sendt videre til partene."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject

from dokumenter.felles.feil import Valideringsfeil

MAKS_SKANNET = 20 * 1024 * 1024
# Nøkler som bærer skript eller filer, og handlinger som kjører noe (PDF 1.7, 12.6 og 7.11).
# En /OpenAction eller /AA som bare viser en side, er ufarlig; de letes gjennom.
_AKTIVE_NOKLER = ("/JavaScript", "/JS", "/EmbeddedFiles", "/RichMedia", "/XFA")
_AKTIVE_HANDLINGER = ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE",
                      "/RichMediaExecute")  # fmt: skip
# Der handlinger kan gjemme seg: navnetreet, handlingskjeder og hendelser (/AA: /O, /C, /K …).
_UNDEROBJEKTER = ("/Names", "/Kids", "/A", "/Next", "/OpenAction", "/AA", "/O", "/C", "/K",
                  "/F", "/V", "/PO", "/PC", "/WC", "/WS", "/DS", "/WP", "/DP", "/AcroForm",
                  "/Fields")  # fmt: skip


def antall_sider(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def sjekk_skannet_pdf(pdf: bytes, minst_sider: int = 1) -> int:
    """Sjekk en opplastet, skannet PDF; gir antall sider. `minst_sider` er antallet sider i
    versjonen som ble signert: en skannet kopi kan ikke være kortere. Felles for avtaler og
    individuelle planer."""
    if not pdf:
        raise Valideringsfeil({"fil": "Velg en PDF-fil."})
    if len(pdf) > MAKS_SKANNET:
        raise Valideringsfeil({"fil": f"Filen er for stor (maks {MAKS_SKANNET // 2**20} MB)."})
    if not pdf.startswith(b"%PDF-"):
        raise Valideringsfeil({"fil": "Filen er ikke en PDF."})
    try:
        leser = PdfReader(io.BytesIO(pdf))
        sider = len(leser.pages)
        aktivt = _aktivt_innhold(leser)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as e:
        raise Valideringsfeil(
            {"fil": f"PDF-filen er skadet og kan ikke leses ({type(e).__name__})."}
        ) from e
    if sider < 1:
        raise Valideringsfeil({"fil": "PDF-filen har ingen sider."})
    if aktivt:
        raise Valideringsfeil(
            {
                "fil": f"PDF-filen inneholder aktivt innhold ({', '.join(sorted(aktivt))}). Skann "
                "papirkopien på nytt til en vanlig PDF."
            }
        )
    if sider < minst_sider:
        raise Valideringsfeil(
            {
                "fil": f"Den skannede kopien har {sider} side(r), men dokumentet som signeres har "
                f"{minst_sider}. Skann alle sidene."
            }
        )
    return sider


def _aktivt_innhold(leser: PdfReader) -> set[str]:
    """Nøklene og handlingene for aktivt innhold i katalogen, navnetreet, sidene og merknadene."""
    funnet: set[str] = set()
    sett: set[int] = set()

    def let(objekt: object, dybde: int = 0) -> None:
        objekt = objekt.get_object() if hasattr(objekt, "get_object") else objekt
        if dybde > 16 or id(objekt) in sett:
            return
        sett.add(id(objekt))
        if isinstance(objekt, ArrayObject):
            for del_ in objekt:
                let(del_, dybde + 1)
            return
        if not isinstance(objekt, DictionaryObject):
            return
        funnet.update(n for n in _AKTIVE_NOKLER if n in objekt)
        if objekt.get("/S") in _AKTIVE_HANDLINGER:
            funnet.add(str(objekt["/S"]))
        for nokkel in _UNDEROBJEKTER:
            if nokkel in objekt:
                let(objekt[nokkel], dybde + 1)

    let(leser.trailer["/Root"])
    for side in leser.pages:
        let(side)
        let(side.get("/Annots") or [])
    return funnet
