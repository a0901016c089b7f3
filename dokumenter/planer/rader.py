"""Radene i planens tiltak og fremdriftsplan: hva, ansvarlig, fra- og til-dato og status.

Datoene lagres som ISO (åååå-mm-dd) i det krypterte innholdet og valideres her (ekte datoer,
til ikke før fra), med meldinger som sier hvilken rad og hvilket felt som er feil. Statusen er
en nøkkel i `RADSTATUSER`. `til_visning` gir radene slik dokumentet og plansiden viser dem.

Eldre planer lagret tiltak som (tiltak, omfang, ansvarlig, frist) og fremdriftsplanen som
(dato, steg, ansvarlig), og før det som tekstlinjer «a | b | c». `oppgrader` gjør dem om til
rader når de leses (ingenting skrives tilbake); en frist som ikke er en dato («snart»), blir
stående som tekst til noen retter den.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dokumenter.felles import formatering
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.validering import les_dato, rens_tekst

RADFELT = {"tiltak": "Tiltak", "fremdriftsplan": "Fremdriftsplan"}
KOLONNER = ("hva", "ansvarlig", "fra", "til", "status")
KOLONNENAVN = {k: k.capitalize() for k in KOLONNER}
DATOKOLONNER = ("fra", "til")
RADSTATUSER = {
    "ikke_startet": "Ikke startet",
    "pagar": "Pågår",
    "fullfort": "Fullført",
    "avbrutt": "Avbrutt",
}
MAKS_TEKST = 200
_GAMLE_KOLONNER = {
    # feltet: kolonnene i eldre planer, i rekkefølge
    "tiltak": ("tiltak", "omfang", "ansvarlig", "frist"),
    "fremdriftsplan": ("dato", "steg", "ansvarlig"),
}


def tom_rad() -> dict[str, str]:
    return dict.fromkeys(KOLONNER, "")


def er_tom(rad: dict[str, Any]) -> bool:
    """En rad uten noe utfylt (statusen teller ikke: den har alltid et valg)."""
    return not any(str(rad.get(k) or "").strip() for k in KOLONNER if k != "status")


def _iso_eller_tekst(verdi: object) -> str:
    tekst = rens_tekst(verdi)
    try:
        return les_dato(tekst).isoformat() if tekst else ""
    except ValueError:
        return tekst


def _oppgrader_rad(felt: str, rad: object) -> dict[str, str]:
    if isinstance(rad, str):  # den eldste formen: «a | b | c»
        celler = [c.strip() for c in rad.split("|")]
        rad = dict(zip(_GAMLE_KOLONNER[felt], celler, strict=False))
    if not isinstance(rad, dict):
        return tom_rad()
    if set(rad) <= set(KOLONNER):
        return {k: str(rad.get(k) or "") for k in KOLONNER}
    if felt == "tiltak":
        hva = str(rad.get("tiltak") or "")
        omfang = str(rad.get("omfang") or "")
        return {
            "hva": f"{hva} ({omfang})" if hva and omfang else hva or omfang,
            "ansvarlig": str(rad.get("ansvarlig") or ""),
            "fra": "",
            "til": _iso_eller_tekst(rad.get("frist")),
            "status": "",
        }
    return {
        "hva": str(rad.get("steg") or ""),
        "ansvarlig": str(rad.get("ansvarlig") or ""),
        "fra": _iso_eller_tekst(rad.get("dato")),
        "til": "",
        "status": "",
    }


def oppgrader(innhold: dict[str, Any]) -> dict[str, Any]:
    """Innholdet med tiltak og fremdriftsplan som rader med `KOLONNER` (eldre former gjøres
    om; se modulens beskrivelse). Annet innhold er uendret."""
    ut = dict(innhold)
    for felt in RADFELT:
        verdi = innhold.get(felt)
        if isinstance(verdi, str):
            verdi = [linje for linje in verdi.splitlines() if linje.strip()]
        if isinstance(verdi, list | tuple):
            ut[felt] = [_oppgrader_rad(felt, rad) for rad in verdi]
    return ut


def _dato(verdi: str) -> date | None:
    try:
        return les_dato(verdi)
    except (ValueError, TypeError):
        return None


def valider(innhold: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(innholdet med radene renset og datoene som ISO, feilene). Tomme rader fjernes.
    Feilnøklene er `felt-radnummer-kolonne` (radnummeret fra 1, slik skjemaet viser det), og
    meldingene nevner feltet, raden og kolonnen."""
    ut = oppgrader(innhold)
    feil: dict[str, str] = {}
    for felt, etikett in RADFELT.items():
        if felt not in ut:
            continue
        rader = []
        for nr, rad in enumerate(ut[felt], start=1):
            if er_tom(rad):
                continue
            ren = {k: rens_tekst(rad.get(k)) for k in KOLONNER}
            sted = f"{etikett}, rad {nr}"
            if not ren["hva"]:
                feil[f"{felt}-{nr}-hva"] = f"{sted}: skriv hva som skal gjøres."
            for k in ("hva", "ansvarlig"):
                if len(ren[k]) > MAKS_TEKST:
                    feil[f"{felt}-{nr}-{k}"] = (
                        f"{sted}: «{KOLONNENAVN[k]}» kan ha høyst {MAKS_TEKST} tegn."
                    )
            datoer: dict[str, date] = {}
            for k in DATOKOLONNER:
                if not ren[k]:
                    continue
                d = _dato(ren[k])
                if d is None or not date(1900, 1, 1) <= d <= date(2200, 12, 31):
                    feil[f"{felt}-{nr}-{k}"] = (
                        f"{sted}: «{KOLONNENAVN[k]}» må være en ekte dato som dd.mm.åååå "
                        f"(«{ren[k][:40]}» er ikke det)."
                    )
                else:
                    datoer[k] = d
                    ren[k] = d.isoformat()
            if "fra" in datoer and "til" in datoer and datoer["til"] < datoer["fra"]:
                feil[f"{felt}-{nr}-til"] = f"{sted}: «Til» kan ikke være før «Fra»."
            if ren["status"] and ren["status"] not in RADSTATUSER:
                feil[f"{felt}-{nr}-status"] = f"{sted}: velg en status fra listen."
            ren["status"] = ren["status"] or "ikke_startet"
            rader.append(ren)
        ut[felt] = rader
    return ut, feil


def krev_gyldige(innhold: dict[str, Any]) -> dict[str, Any]:
    """Som `valider`, men kaster `Valideringsfeil` ved feil."""
    ut, feil = valider(innhold)
    if feil:
        raise Valideringsfeil(feil)
    return ut


def til_visning(innhold: dict[str, Any]) -> dict[str, Any]:
    """Innholdet med radenes datoer som dd.mm.åååå og statusen som tekst (for dokumentet og
    plansiden). En dato som ikke kan leses (fra en eldre plan), vises som den står."""
    ut = oppgrader(innhold)
    for felt in RADFELT:
        if felt not in ut:
            continue
        ut[felt] = [
            {
                **rad,
                **{k: _vis_dato(rad[k]) for k in DATOKOLONNER},
                "status": RADSTATUSER.get(rad["status"], rad["status"]),
            }
            for rad in ut[felt]
        ]
    return ut


def _vis_dato(verdi: str) -> str:
    try:
        return formatering.dato_kort(date.fromisoformat(verdi)) if verdi else ""
    except ValueError:
        return verdi
