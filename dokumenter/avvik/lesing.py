"""Lesing av avvik: for en avtale, ett avvik, skjemafilene og statistikken. Partnere ser
bare egne avtalers avvik, og personreferansen bare ansatte med skrivetilgang."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dokumenter.avtaler.lesing import les_og_logg
from dokumenter.avvik.regler import STATUSER, Melder, er_forfalt, synlig_for
from dokumenter.brukere.roller import SKRIVEROLLER
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.models import Avtale, Avvik, Avviksskjema
from dokumenter.tjenester import Tjenester


def _hent(s: Session, avvik_id: int, melder: Melder) -> Avvik:
    """Avviket, om brukeren får se det (partnere bare egne avtalers; ellers IkkeFunnet)."""
    avvik = s.get(Avvik, avvik_id, options=[selectinload(Avvik.avtale).selectinload(Avtale.part)])
    if avvik is None or not synlig_for(avvik, melder):
        raise IkkeFunnet("Avviket finnes ikke.")
    return avvik


# --- Oppslag -------------------------------------------------------------------------------

FORFALT = "forfalt"  # filter i listen: sendt, og svarfristen er ute
IKKE_LUKKET = "ikke_lukket"  # filter i listen: alt som ikke er lukket (forsidens «åpne avvik»)
FILTER = {IKKE_LUKKET: "Ikke lukket", FORFALT: "Forfalt (svarfristen er ute)", **STATUSER}
# Listen: det som venter på noen først.
_REKKEFOLGE = {FORFALT: 0, "aapen": 1, "sendt": 2, "besvart": 3, "lukket": 4}


def liste(tj: Tjenester, filter_: str = "", idag: date | None = None) -> list[tuple[Avvik, bool]]:
    """Alle avvik for ansatte, (avvik, forfalt), det som venter på noen først."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        sporring = select(Avvik).options(selectinload(Avvik.avtale).selectinload(Avtale.part))
        if filter_ == FORFALT:
            sporring = sporring.where(Avvik.status == "sendt", Avvik.svarfrist < idag)
        elif filter_ == IKKE_LUKKET:
            sporring = sporring.where(Avvik.status != "lukket")
        elif filter_ in STATUSER:
            sporring = sporring.where(Avvik.status == filter_)
        rader = [(a, er_forfalt(a, idag)) for a in s.scalars(sporring.order_by(Avvik.id.desc()))]
    return sorted(rader, key=lambda r: _REKKEFOLGE[FORFALT if r[1] else r[0].status])


def for_avtale(tj: Tjenester, avtale_id: int, melder: Melder) -> list[Avvik]:
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None or (melder.side == "part" and avtale.part_id != melder.part_id):
            raise IkkeFunnet("Avtalen finnes ikke.")
        rader = s.scalars(
            select(Avvik).where(Avvik.avtale_id == avtale_id).order_by(Avvik.id.desc())
        ).all()
        rader = [a for a in rader if synlig_for(a, melder)]
        s.expunge_all()  # personreferansen blankes på frakoblede objekter, aldri i basen
        return [_skjul_person(a, melder) for a in rader]


def hent(tj: Tjenester, avvik_id: int, melder: Melder) -> Avvik:
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        _ = avvik.skjemaer, avvik.meldt_av, avvik.besvart_av, avvik.avtale.part
        s.expunge_all()
        return _skjul_person(avvik, melder)


def _skjul_person(avvik: Avvik, melder: Melder) -> Avvik:
    """Personreferansen vises bare for ansatte med skrivetilgang."""
    if melder.side == "part" or melder.rolle not in SKRIVEROLLER:
        avvik.person_ref = ""
    return avvik


def les_skjema(
    tj: Tjenester, skjema_id: int, format: str, melder: Melder, fra: str = ""
) -> tuple[str, bytes]:
    """(filnavn, innhold) for et avviksskjema; partnere bare for egne avtaler."""
    if format not in ("pdf", "docx"):
        raise IkkeFunnet("Ukjent format.")
    with tj.sesjoner() as s:
        skjema = s.get(Avviksskjema, skjema_id)
        if skjema is None:
            raise IkkeFunnet("Skjemaet finnes ikke.")
        avvik = _hent(s, skjema.avvik_id, melder)
        sha = skjema.pdf_sha256 if format == "pdf" else skjema.docx_sha256
        navn = f"Avviksskjema {avvik.nummer} ({skjema.anledning}).{format}"
        avtale_id, nummer = avvik.avtale_id, avvik.nummer
    detaljer = {"format": f"avviksskjema {format}", "avvik": nummer}
    return navn, les_og_logg(tj, sha, avtale_id, melder.id, fra, **detaljer)


def statistikk(tj: Tjenester, avtale_id: int | None, fra: date, til: date) -> dict[str, Any]:
    """Avvik i perioden (hendelsesdato), talt per paragraf, kategori, kvartal og part."""
    with tj.sesjoner() as s:
        q = select(Avvik).where(Avvik.hendelsesdato >= fra, Avvik.hendelsesdato <= til)
        if avtale_id is not None:
            q = q.where(Avvik.avtale_id == avtale_id)
        rader = s.scalars(q.options(selectinload(Avvik.avtale).selectinload(Avtale.part))).all()
        per: dict[str, dict[str, int]] = {"paragraf": {}, "kategori": {}, "kvartal": {}, "part": {}}
        for a in rader:
            for nokkel, verdi in (
                ("paragraf", a.paragraf),
                ("kategori", a.kategori),
                ("kvartal", f"{a.hendelsesdato.year} K{(a.hendelsesdato.month - 1) // 3 + 1}"),
                ("part", a.avtale.part.navn),
            ):
                per[nokkel][verdi] = per[nokkel].get(verdi, 0) + 1
        liste = [(a.nummer, a.hendelsesdato, a.paragraf, a.kategori, a.status) for a in rader]
        return {
            "antall": len(rader),
            **{k: dict(sorted(v.items())) for k, v in per.items()},
            "liste": liste,
        }
