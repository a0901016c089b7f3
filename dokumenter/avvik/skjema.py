"""Avviksskjemaet: lages på nytt ved sending, svar og lukking, og arkiveres krasjsikkert
sammen med endringen."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter.avtaler import gjeldende
from dokumenter.avtaler.livslop import logg
from dokumenter.avtaler.produksjon import part_data
from dokumenter.avvik.regler import ALVORLIGHETER, KATEGORIER, STANDARD_SVARFRIST_DAGER
from dokumenter.brukere.roller import PARTNER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import som_utc
from dokumenter.infrastruktur.render import kontekst, render_docx
from dokumenter.models import Avtale, Avvik, Avviksskjema, Bruker
from dokumenter.sok import indeksering
from dokumenter.tjenester import Arkivhendelse, Tjenester

MAL = "avviksskjema"


# --- Skjemaet -------------------------------------------------------------------------------


def _svarfrist_dager(avtale: Avtale) -> int:
    verdier = avtale.siste_versjon.feltverdier if avtale.siste_versjon else {}
    try:
        return int(verdier.get("avvik_svarfrist_dager") or STANDARD_SVARFRIST_DAGER)
    except (TypeError, ValueError):
        return STANDARD_SVARFRIST_DAGER


def _nytt_skjema(
    tj: Tjenester,
    avvik_id: int,
    anledning: str,
    bruker_id: int,
    fra: str,
    logges: dict[str, Any],
    **endringer: Any,
) -> None:
    """Sett endringene, lag skjemaet for den nye tilstanden og lagre alt krasjsikkert:
    filene i ventemappen, én transaksjon, så inn i lageret. `logges` kommer i tillegg med i
    revisjonsloggen."""
    mal = tj.mal(MAL)
    with tj.sesjoner() as s, s.no_autoflush:
        avvik = s.get(
            Avvik, avvik_id, options=[selectinload(Avvik.avtale).selectinload(Avtale.part)]
        )
        # Skjemaet viser den nye tilstanden; endringene skrives først i transaksjonen under.
        for navn, verdi in endringer.items():
            setattr(avvik, navn, verdi)
        verdier = _skjemaverdier(s, avvik)
        part, partstype = part_data(avvik.avtale.part), avvik.avtale.part.type
        tittel = f"Avviksskjema {avvik.nummer} – {avvik.avtale.part.navn}"
        s.rollback()
    ctx = kontekst(mal, part, mal.valider(verdier), mal.variant_for(partstype), date.today())
    docx = render_docx(mal, ctx, tittel=tittel)
    pdf = tj.konverterer.til_pdfa(docx)

    def registrer(s: Session, filer: list[LagretFil]) -> None:
        docx_fil, pdf_fil = filer
        avvik = s.get(Avvik, avvik_id)
        if avvik.status == anledning:  # en annen rakk det samme først
            raise Valideringsfeil({"avvik": "Avviket er endret av en annen; last siden på nytt."})
        for navn, verdi in endringer.items():
            setattr(avvik, navn, verdi)
        avvik.status = anledning
        indeksering.meld(s, "avvik", avvik_id)
        nummer = len(avvik.skjemaer) + 1
        skjema = Avviksskjema(
            avvik_id=avvik_id,
            nummer=nummer,
            anledning=anledning,
            docx_sha256=docx_fil.sha256,
            docx_storrelse=docx_fil.storrelse,
            pdf_sha256=pdf_fil.sha256,
            pdf_storrelse=pdf_fil.storrelse,
        )
        s.add(skjema)
        s.flush()
        tj.journal.registrer(
            s, Arkivhendelse("avviksskjema", "avtale", avvik.avtale_id, bruker_id, skjema.id)
        )
        logg(
            s,
            avvik.avtale_id,
            f"avvik_{anledning}",
            bruker_id,
            fra,
            avvik=avvik.nummer,
            skjema=nummer,
            pdf=pdf_fil.sha256,
            **logges,
        )

    tj.arkiver([docx, pdf], registrer)


def _skjemaverdier(s: Session, avvik: Avvik) -> dict[str, Any]:
    avtale, part = avvik.avtale, avvik.avtale.part
    melder = s.get(Bruker, avvik.meldt_av_id)
    svarer = s.get(Bruker, avvik.besvart_av_id) if avvik.besvart_av_id else None
    versjon = gjeldende.versjon(s, avtale)
    kommunen = gjeldende.kommunens_enhet(versjon)
    return {
        "kommune_navn": (versjon.feltverdier.get("kommune_navn") if versjon else "") or "Kommunen",
        "part_navn": part.navn,
        "avtale_versjon": versjon.nummer if versjon else avtale.gjeldende_versjon,
        "avtale_dato": gjeldende.gjelder_fra(versjon).isoformat(),
        "avviksnummer": avvik.nummer,
        "paragraf": avvik.paragraf,
        "kategori": KATEGORIER.get(avvik.kategori, avvik.kategori),
        "alvorlighet": ALVORLIGHETER.get(avvik.alvorlighet, "") if avvik.alvorlighet else "",
        "hendelsesdato": avvik.hendelsesdato.isoformat(),
        "oppdaget": avvik.oppdaget.isoformat() if avvik.oppdaget else "",
        "sen_begrunnelse": avvik.sen_begrunnelse,
        "hva_skjedde": avvik.hva_skjedde,
        "konsekvens": avvik.konsekvens,
        "strakstiltak": avvik.strakstiltak,
        "meldt_av_navn": melder.navn,
        "meldt_av_rolle": "Kontaktperson" if melder.rolle == PARTNER else "Saksbehandler",
        "meldt_av_institusjon": part.navn if avvik.meldt_av_side == "part" else kommunen,
        "meldt_dato": som_utc(avvik.meldt).date().isoformat(),
        "svarfrist": avvik.svarfrist.isoformat() if avvik.svarfrist else "",
        "mottaker": kommunen if avvik.meldt_av_side == "part" else part.navn,
        "svar": "ja" if avvik.besvart else "",
        "svar_forklaring": avvik.svar_forklaring,
        "svar_tiltak": avvik.svar_tiltak,
        "svar_av": svarer.navn if svarer else "",
        "svar_dato": som_utc(avvik.besvart).date().isoformat() if avvik.besvart else "",
        "lukket_dato": som_utc(avvik.lukket).date().isoformat() if avvik.lukket else "",
        "lukket_merknad": avvik.lukket_merknad,
        "blankett": "",
    }
