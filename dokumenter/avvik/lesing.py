"""Lesing av avvik: for en avtale, ett avvik, skjemafilene og statistikken. Partnere ser
bare egne avtalers avvik, og personreferansen bare ansatte med skrivetilgang."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_, select
from sqlalchemy.orm import Session, selectinload

from dokumenter.avtaler.lesing import les_og_logg
from dokumenter.avvik.regler import STATUSER, Melder, synlig_for
from dokumenter.brukere.roller import SKRIVEROLLER
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.felles.sidevisning import Side, Sortering, Utvalg
from dokumenter.infrastruktur.sidevis import hent_side
from dokumenter.models import Avtale, Avvik, Avviksskjema, Part
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
# Standardsorteringen: det som venter på noen først, så nyeste først.
VENTER = "venter"
AVVIKSLISTE = Sortering(
    {
        VENTER: False,
        "nummer": True,
        "part": False,
        "kategori": False,
        "hendelsesdato": True,
        "status": False,
        "svarfrist": False,
    },
    standard=VENTER,
)
_REKKEFOLGE = {"aapen": 1, "sendt": 2, "besvart": 3, "lukket": 4}  # forfalt er 0
AVTALENS_AVVIK = Sortering({"nummer": True}, standard="nummer", per_side=20)


@dataclass(frozen=True)
class Avviksrad:
    id: int
    nummer: str
    avtale_id: int
    part: str
    paragraf: str
    kategori: str
    hendelsesdato: date
    status: str
    svarfrist: date | None
    forfalt: bool


def _forfalt(idag: date) -> ColumnElement[bool]:
    return and_(Avvik.status == "sendt", Avvik.svarfrist < idag)


def liste(
    tj: Tjenester, filter_: str = "", utvalg: Utvalg | None = None, idag: date | None = None
) -> Side[Avviksrad]:
    """Én side av alle avvik for ansatte; standard er det som venter på noen først
    (forfalt, åpen, sendt, besvart, lukket), nyeste først innen hver."""
    idag = idag or date.today()
    utvalg = utvalg or AVVIKSLISTE.utvalg({})
    forfalt = _forfalt(idag)
    sporring = (
        select(
            Avvik.id,
            Avvik.nummer,
            Avvik.avtale_id,
            Part.navn,
            Avvik.paragraf,
            Avvik.kategori,
            Avvik.hendelsesdato,
            Avvik.status,
            Avvik.svarfrist,
            case((forfalt, True), else_=False),
        )
        .join(Avtale, Avvik.avtale_id == Avtale.id)
        .join(Part, Avtale.part_id == Part.id)
    )
    if filter_ == FORFALT:
        sporring = sporring.where(forfalt)
    elif filter_ == IKKE_LUKKET:
        sporring = sporring.where(Avvik.status != "lukket")
    elif filter_ in STATUSER:
        sporring = sporring.where(Avvik.status == filter_)
    rekkefolge = case(
        (forfalt, 0), *((Avvik.status == s, n) for s, n in _REKKEFOLGE.items()), else_=9
    )
    kolonner = {
        # Innen samme gruppe: nyeste først (id synker), uansett retning på gruppene.
        VENTER: [rekkefolge, -Avvik.id],
        "nummer": [Avvik.id],
        "part": [Part.navn],
        "kategori": [Avvik.kategori],
        "hendelsesdato": [Avvik.hendelsesdato],
        "status": [rekkefolge],
        "svarfrist": [Avvik.svarfrist],
    }
    with tj.sesjoner() as s:
        return hent_side(s, sporring, utvalg, kolonner, Avvik.id, lambda r: Avviksrad(*r))


def for_avtale(
    tj: Tjenester, avtale_id: int, melder: Melder, utvalg: Utvalg | None = None
) -> Side[Avvik]:
    """Én side av avtalens avvik, nyeste først. Partnere ser bare egne avtalers avvik, og
    ikke kommunens som ikke er sendt."""
    utvalg = utvalg or AVTALENS_AVVIK.utvalg({})
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None or (melder.side == "part" and avtale.part_id != melder.part_id):
            raise IkkeFunnet("Avtalen finnes ikke.")
        sporring = select(Avvik).where(Avvik.avtale_id == avtale_id)
        if melder.side == "part":  # samme regel som regler.synlig_for, i SQL
            sporring = sporring.where(
                or_(Avvik.status != "aapen", Avvik.meldt_av_side != "kommune")
            )
        side = hent_side(s, sporring, utvalg, {"nummer": [Avvik.id]}, Avvik.id, lambda r: r[0])
        s.expunge_all()  # personreferansen blankes på frakoblede objekter, aldri i basen
    side.rader = [_skjul_person(a, melder) for a in side.rader]
    return side


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
    tj: Tjenester,
    skjema_id: int,
    format: str,
    melder: Melder,
    fra: str = "",
    kjente: Collection[str] = (),
) -> tuple[str, bytes | None]:
    """(filnavn, innhold) for et avviksskjema; partnere bare for egne avtaler. Innholdet er
    None når klienten alt har filen (SHA-256 i `kjente`)."""
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
    if sha in kjente:
        return navn, None
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
