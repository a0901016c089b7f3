"""Revisjonsloggen i klartekst: en norsk tekst for hver hendelsestype."""

from __future__ import annotations

from dokumenter.avtaler.livslop import STATUSER
from dokumenter.felles import etiketter
from dokumenter.models import (
    Hendelse,
)

HENDELSESTYPER = etiketter.AVTALEHENDELSE


def beskriv_hendelse(h: Hendelse, brukernavn: dict[int, str]) -> str:
    """En kort norsk tekst om hva som skjedde, til revisjonsloggen i nettsiden."""
    d = h.detaljer or {}
    if h.type == "opprettet":
        return f"Utkast for {d.get('part', '')}"
    if h.type == "ny_versjon":
        return f"Versjon {d.get('versjon')}" + (f": {d['grunn']}" if d.get("grunn") else "")
    if h.type == "generert":
        filer = ", ".join(
            f"{fmt.upper()} {sha[:12]}…" for fmt, sha in d.get("dokumenter", {}).items()
        )
        return f"Versjon {d.get('versjon')}: {filer}"
    if h.type == "lastet_ned":
        hva = etiketter.NEDLASTING.get(str(d.get("format", "")), "Fil")
        if d.get("avvik"):
            return f"{hva}, avvik {d['avvik']}"
        return hva + (f" av versjon {d['versjon']}" if d.get("versjon") is not None else "")
    if h.type == "status_endret":
        tekst = (
            f"{STATUSER.get(d.get('fra_status'), '?')} → {STATUSER.get(d.get('til_status'), '?')}"
        )
        return tekst + (f" ({d['begrunnelse']})" if d.get("begrunnelse") else "")
    if h.type in ("signering_startet", "signert"):
        return f"Versjon {d.get('versjon')}, SHA-256 {str(d.get('sha256', ''))[:12]}…" + (
            f", IP {d['ip']}" if d.get("ip") else ""
        )
    if h.type in ("signering_avvist", "signering_trukket"):
        return str(d.get("grunn", ""))
    if h.type == "signert_kopi":
        art = "forseglet" if d.get("type") == "forseglet" else "skannet"
        return f"Versjon {d.get('versjon')}, {art}, SHA-256 {str(d.get('sha256', ''))[:12]}…"
    if h.type == "kommentar":
        return f"Til versjon {d.get('versjon')}"
    if h.type.startswith("avvik_"):
        return f"Avvik {d.get('avvik', '')}" + (
            f", skjema {d['skjema']}" if d.get("skjema") else ""
        )
    if h.type == "skjerming_endret":
        hva = "Skjermet" if d.get("skjermet") else "Skjerming opphevet"
        return (
            hva + (f" (avvik {d['avvik']})" if d.get("avvik") else "") + f": {d.get('grunn', '')}"
        )
    if h.type == "evaluert":
        return f"Beslutning: {etiketter.BESLUTNING.get(d.get('beslutning'), '–')}"
    if h.type == "ansvar_overfort":
        tekst = (
            f"Fra {brukernavn.get(d.get('fra_bruker'), '?')} "
            f"til {brukernavn.get(d.get('til_bruker'), '?')}"
        )
        return tekst + (f" ({d['merknad']})" if d.get("merknad") else "")
    return ""
