"""Avvik: brudd på en signert avtale, meldt av den ene parten og besvart av den andre.

Livsløpet er aapen → sendt → besvart → lukket. Ved sending, svar og lukking lages
avviksskjemaet på nytt (DOCX og PDF/A fra `maler/avviksskjema`) og arkiveres; e-post går
til den andre parten etter commit. En personreferanse er valgfri og behandles som
personopplysning: den står aldri i skjemaet, i søket eller i e-post.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select

from dokumenter.avtaler import gjeldende
from dokumenter.avtaler.livslop import logg
from dokumenter.avvik.lesing import _hent
from dokumenter.avvik.regler import (
    ALVORLIGHETER,
    KAN_MELDE_AVVIK,
    KATEGORIER,
    MAKS_TEKST,
    SEND_INNEN_VIRKEDAGER,
    Melder,
    sendes_for_sent,
    virkedager_siden_oppdaget,
)
from dokumenter.avvik.skjema import _nytt_skjema, _svarfrist_dager
from dokumenter.avvik.varsler import _varsle
from dokumenter.brukere.roller import SKRIVEROLLER
from dokumenter.felles import frister
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.felles.validering import les_dato, rens_tekst
from dokumenter.models import Avtale, Avvik
from dokumenter.sok import indeksering
from dokumenter.tjenester import Tjenester

_FODSELSNUMMER = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")


def advarsler(tekst: str) -> list[str]:
    """Hint om personopplysninger i fritekst (vises ved feltet; stopper ikke lagringen)."""
    funn = []
    if re.search(r"\b[A-ZÆØÅ][a-zæøå]+ [A-ZÆØÅ][a-zæøå]+\b", tekst):
        funn.append(
            "Teksten ser ut til å inneholde et navn. Skriv om personen uten å navngi hen, "
            "med mindre det er nødvendig."
        )
    return funn


def _rens(data: dict[str, Any], paragrafer: list[str]) -> dict[str, Any]:
    """Feltene i meldingen. Paragrafen velges blant avtalens egne (`paragrafer`, fra
    versjonen som gjelder), så statistikken ikke deles på skrivemåter."""
    feil: dict[str, str] = {}
    ut: dict[str, Any] = {}
    for felt, flerlinjet, maks, pakrevd in (
        ("hva_skjedde", True, MAKS_TEKST, True),
        ("konsekvens", True, MAKS_TEKST, False),
        ("strakstiltak", True, MAKS_TEKST, False),
        ("sen_begrunnelse", True, MAKS_TEKST, False),
        ("person_ref", False, 200, False),
    ):
        verdi = rens_tekst(str(data.get(felt) or ""), flerlinjet=flerlinjet)
        if pakrevd and not verdi:
            feil[felt] = "Må fylles ut."
        elif len(verdi) > maks:
            feil[felt] = f"Kan ha høyst {maks} tegn."
        ut[felt] = verdi
    for felt in ("hva_skjedde", "konsekvens", "strakstiltak", "sen_begrunnelse"):
        if _FODSELSNUMMER.search(ut.get(felt, "")):
            feil[felt] = (
                "Teksten ser ut til å inneholde et fødselsnummer. Personopplysninger skal "
                "ikke stå i avviket; bruk feltet for personreferanse hvis det trengs."
            )
    paragraf = gjeldende.finn_paragraf(paragrafer, str(data.get("paragraf") or ""))
    if paragraf is None:
        feil["paragraf"] = "Velg paragrafen i avtalen som ikke ble fulgt."
    ut["paragraf"] = paragraf or ""
    kategori = str(data.get("kategori") or "")
    if kategori not in KATEGORIER:
        feil["kategori"] = "Velg en kategori."
    ut["kategori"] = kategori
    alvorlighet = str(data.get("alvorlighet") or "")
    if alvorlighet not in ALVORLIGHETER:
        feil["alvorlighet"] = "Velg om avviket er gjentatt eller alvorlig."
    ut["alvorlighet"] = alvorlighet
    for felt, hva in (("hendelsesdato", "hendelsen"), ("oppdaget", "da avviket ble oppdaget")):
        try:
            dato = les_dato(data.get(felt))
        except (ValueError, TypeError):
            dato = None
        if dato is None:
            feil[felt] = f"Skriv datoen for {hva} (dd.mm.åååå)."
        elif dato > date.today():
            feil[felt] = "Datoen kan ikke være fram i tid."
        ut[felt] = dato
    if ut["hendelsesdato"] and ut["oppdaget"] and ut["oppdaget"] < ut["hendelsesdato"]:
        feil["oppdaget"] = "Avviket kan ikke være oppdaget før det skjedde."
    if feil:
        raise Valideringsfeil(feil)
    return ut


def _kan_skrive(melder: Melder) -> None:
    if melder.side == "kommune" and melder.rolle not in SKRIVEROLLER:
        raise Valideringsfeil({"avvik": "Du har bare lesetilgang."})


def registrer(
    tj: Tjenester, avtale_id: int, data: dict[str, Any], melder: Melder, fra: str = ""
) -> Avvik:
    """Meld et avvik mot en signert avtale (status «åpen»; sendes med `send`)."""
    _kan_skrive(melder)
    rene = _rens(data, gjeldende.paragrafer(tj, avtale_id))
    with tj.transaksjon() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None or (melder.side == "part" and avtale.part_id != melder.part_id):
            raise IkkeFunnet("Avtalen finnes ikke.")
        if avtale.status not in KAN_MELDE_AVVIK:
            raise Valideringsfeil({"avvik": "Avvik kan bare meldes mot en inngått avtale."})
        aar = date.today().year
        antall = s.scalar(
            select(func.count()).select_from(Avvik).where(Avvik.nummer.like(f"{aar}-%"))
        )
        avvik = Avvik(
            avtale_id=avtale_id,
            nummer=f"{aar}-{(antall or 0) + 1:03d}",
            meldt_av_side=melder.side,
            meldt_av_id=melder.id,
            # Kommunens oppfølger: den ansatte som meldte, ellers den ansvarlige for avtalen.
            oppfolger_id=melder.id if melder.side == "kommune" else avtale.ansvarlig_id,
            status="aapen",
            svar_forklaring="",
            svar_tiltak="",
            lukket_merknad="",
            **rene,
        )
        s.add(avvik)
        s.flush()
        indeksering.meld(s, "avvik", avvik.id)
        logg(s, avtale_id, "avvik_meldt", melder.id, fra, avvik=avvik.nummer, side=melder.side)
    return avvik


def send(
    tj: Tjenester, avvik_id: int, melder: Melder, fra: str = "", sen_begrunnelse: str = ""
) -> list[str]:
    """Lag avviksskjemaet, sett svarfrist og send det til den andre partens kontaktpersoner.

    Avtalen sier at skjemaet sendes senest fem virkedager etter at avviket ble oppdaget. Er
    det senere, må det stå hvorfor (`sen_begrunnelse`, eller den som ble skrevet da avviket
    ble meldt); begrunnelsen står i skjemaet og i revisjonsloggen."""
    _kan_skrive(melder)
    begrunnelse = rens_tekst(sen_begrunnelse, flerlinjet=True)
    if len(begrunnelse) > MAKS_TEKST:
        raise Valideringsfeil({"sen_begrunnelse": f"Kan ha høyst {MAKS_TEKST} tegn."})
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        if avvik.status != "aapen":
            raise Valideringsfeil({"avvik": "Avviket er allerede sendt."})
        if avvik.meldt_av_side != melder.side:
            raise Valideringsfeil({"avvik": "Bare den som meldte avviket, kan sende det."})
        dager = _svarfrist_dager(avvik.avtale)
        begrunnelse = begrunnelse or avvik.sen_begrunnelse
        virkedager = virkedager_siden_oppdaget(avvik)
        if sendes_for_sent(avvik) and not begrunnelse:
            raise Valideringsfeil(
                {
                    "sen_begrunnelse": f"Avviket ble oppdaget for {virkedager} virkedager siden. "
                    f"Avtalen sier at skjemaet skal sendes innen {SEND_INNEN_VIRKEDAGER} "
                    "virkedager; skriv hvorfor det sendes nå."
                }
            )
    frist = frister.svarfrist(date.today(), dager)
    sen = sendes_for_sent(avvik)
    _nytt_skjema(
        tj,
        avvik_id,
        "sendt",
        melder.id,
        fra,
        {"virkedager_etter_oppdaget": virkedager, "sen_begrunnelse": begrunnelse} if sen else {},
        svarfrist=frist,
        sendt=naa(),
        sen_begrunnelse=begrunnelse if sen else "",
    )
    return _varsle(tj, avvik_id, til_mottaker=True, utlost_av=melder.id).feil


def besvar(
    tj: Tjenester,
    avvik_id: int,
    forklaring: str,
    tiltak: str,
    melder: Melder,
    fra: str = "",
) -> list[str]:
    """Mottakeren svarer (forklaring og tiltak); svaret blir en del av skjemaet."""
    _kan_skrive(melder)
    forklaring = rens_tekst(forklaring, flerlinjet=True)
    tiltak = rens_tekst(tiltak, flerlinjet=True)
    if not forklaring:
        raise Valideringsfeil({"forklaring": "Skriv en forklaring."})
    for felt, verdi in (("forklaring", forklaring), ("tiltak", tiltak)):
        if len(verdi) > MAKS_TEKST:
            raise Valideringsfeil({felt: f"Kan ha høyst {MAKS_TEKST} tegn."})
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        if avvik.status != "sendt":
            raise Valideringsfeil({"avvik": "Avviket venter ikke på svar."})
        if avvik.meldt_av_side == melder.side:
            raise Valideringsfeil({"avvik": "Svaret skal komme fra den andre parten."})
    _nytt_skjema(
        tj,
        avvik_id,
        "besvart",
        melder.id,
        fra,
        {},
        svar_forklaring=forklaring,
        svar_tiltak=tiltak,
        besvart_av_id=melder.id,
        besvart=naa(),
    )
    return _varsle(tj, avvik_id, til_mottaker=False, utlost_av=melder.id).feil


def lukk(tj: Tjenester, avvik_id: int, merknad: str, melder: Melder, fra: str = "") -> None:
    """Kommunen lukker avviket med en merknad (etter svar, eller uten svar etter fristen)."""
    if melder.side != "kommune":
        raise Valideringsfeil({"avvik": "Bare kommunen lukker avvik."})
    _kan_skrive(melder)
    merknad = rens_tekst(merknad, flerlinjet=True)
    if not merknad:
        raise Valideringsfeil({"merknad": "Skriv en merknad om hvordan avviket er fulgt opp."})
    if len(merknad) > MAKS_TEKST:
        raise Valideringsfeil({"merknad": f"Kan ha høyst {MAKS_TEKST} tegn."})
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        if avvik.status not in ("sendt", "besvart"):
            raise Valideringsfeil({"avvik": "Bare sendte eller besvarte avvik kan lukkes."})
        if avvik.status == "sendt" and avvik.svarfrist and avvik.svarfrist >= date.today():
            raise Valideringsfeil({"avvik": "Vent på svar til svarfristen er ute."})
    _nytt_skjema(
        tj,
        avvik_id,
        "lukket",
        melder.id,
        fra,
        {},
        lukket=naa(),
        lukket_merknad=merknad,
        lukket_av_id=melder.id,
    )
