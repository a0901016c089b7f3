"""Den årlige evalueringen: frister, møteinnkalling (.ics), evalueringsskjemaet med avvikene
i perioden, beslutningen (videreføres, revideres, sies opp) og rapporten i arkivet.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter.avtaler import skriving as avtaler
from dokumenter.avtaler.livslop import bytt_status, logg
from dokumenter.avtaler.produksjon import part_data
from dokumenter.avvik import lesing, regler
from dokumenter.brukere.roller import krev_skrivetilgang
from dokumenter.evaluering.rapport import MAL, _rapportverdier
from dokumenter.evaluering.regler import BESLUTNINGER, KAN_EVALUERES, MAKS_TEKST
from dokumenter.felles import formatering, frister
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import som_utc
from dokumenter.felles.validering import les_dato, rens_tekst
from dokumenter.infrastruktur.render import kontekst, render_docx
from dokumenter.models import Avtale, Evaluering, SignertKopi
from dokumenter.overgang import statistikk
from dokumenter.sok import indeksering
from dokumenter.tjenester import Arkivhendelse, Tjenester

logger = logging.getLogger(__name__)


# --- Skjemaet ------------------------------------------------------------------------------


def _periode(s: Session, avtale: Avtale, til: date) -> tuple[date, date]:
    """Fra forrige evaluering, ellers fra avtalen ble signert (eller opprettet)."""
    forrige = s.scalar(
        select(Evaluering.dato)
        .where(Evaluering.avtale_id == avtale.id)
        .order_by(Evaluering.dato.desc())
        .limit(1)
    )
    if forrige is None:
        signert = s.scalar(
            select(SignertKopi.opprettet)
            .where(SignertKopi.avtale_id == avtale.id)
            .order_by(SignertKopi.id)
            .limit(1)
        )
        forrige = som_utc(signert or avtale.opprettet).date()
    return forrige, til


def forslag(tj: Tjenester, avtale_id: int, dato: date | None = None) -> dict[str, Any]:
    """Det evalueringsskjemaet fylles ut med: perioden, avvikene i den talt opp, og § 10-tallene
    (personene avtalen omfattet og boligen deres) regnet ut av overgangene."""
    dato = dato or date.today()
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        fra, til = _periode(s, avtale, dato)
    st = lesing.statistikk(tj, avtale_id, fra, til)
    return {
        "paragraf10": statistikk.paragraf10(tj, avtale_id, fra, til),
        "periode_fra": fra,
        "periode_til": til,
        "avvik": st["liste"],
        "antall_avvik": st["antall"],
        "per_paragraf": st["paragraf"],
        "per_kategori": {regler.KATEGORIER.get(k, k): n for k, n in st["kategori"].items()},
        "per_kvartal": st["kvartal"],
    }


def _rens(data: dict[str, Any], idag: date) -> dict[str, Any]:
    feil: dict[str, str] = {}
    ut: dict[str, Any] = {}
    pakrevde = ("deltakere_kommune", "deltakere_part")
    for felt in (*pakrevde, "fungert", "ikke_fungert", "begrunnelse"):
        pakrevd = felt in pakrevde
        verdi = rens_tekst(str(data.get(felt) or ""), flerlinjet=True)
        if pakrevd and not verdi:
            feil[felt] = "Må fylles ut."
        elif len(verdi) > MAKS_TEKST:
            feil[felt] = f"Kan ha høyst {MAKS_TEKST} tegn."
        ut[felt] = verdi
    for felt in ("dato", "neste_evaluering", "avsluttet_dato"):
        raa = data.get(felt)
        try:
            ut[felt] = les_dato(raa) if raa not in (None, "") else None
        except (ValueError, TypeError):
            feil[felt] = "Ugyldig dato (dd.mm.åååå)."
    if "dato" not in feil and ut.get("dato") is None:
        feil["dato"] = "Skriv datoen for evalueringsmøtet."
    elif ut.get("dato") and ut["dato"] > idag:
        feil["dato"] = "Evalueringen registreres etter møtet; datoen kan ikke være fram i tid."
    beslutning = str(data.get("beslutning") or "")
    if beslutning not in BESLUTNINGER:
        feil["beslutning"] = "Velg en beslutning."
    if beslutning == "sies_opp" and not ut.get("begrunnelse"):
        feil["begrunnelse"] = "Skriv hvorfor avtalen sies opp."
    neste, dato = ut.get("neste_evaluering"), ut.get("dato")
    if beslutning == "viderefores" and neste and dato and neste <= dato:
        feil["neste_evaluering"] = "Neste evaluering må være etter denne."
    ut["beslutning"] = beslutning
    if feil:
        raise Valideringsfeil(feil)
    return ut


def evaluer(
    tj: Tjenester, avtale_id: int, data: dict[str, Any], bruker_id: int, fra: str = ""
) -> Evaluering:
    """Registrer evalueringen, lag rapporten og gjennomfør beslutningen."""
    rene = _rens(data, date.today())
    with tj.sesjoner() as s:
        krev_skrivetilgang(s, bruker_id)
        avtale = s.get(Avtale, avtale_id, options=[selectinload(Avtale.part)])
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        if avtale.status not in KAN_EVALUERES:
            raise Valideringsfeil({"beslutning": "Bare inngåtte avtaler evalueres."})
        verdier = avtale.siste_versjon.feltverdier if avtale.siste_versjon else {}
        part, partstype = part_data(avtale.part), avtale.part.type
        versjon = avtale.gjeldende_versjon
    _datoer_for_beslutning(rene, frister.maned_fra_navn(verdier.get("evaluering_maaned")))
    grunnlag = forslag(tj, avtale_id, rene["dato"])
    mal = tj.mal(MAL)
    kommune = verdier.get("kommune_navn") or "Kommunen"
    rapport = _rapportverdier(rene, grunnlag, kommune, part.navn, versjon)
    ctx = kontekst(mal, part, mal.valider(rapport), mal.variant_for(partstype), date.today())
    tittel = f"Evalueringsrapport {rene['dato'].isoformat()} – {part.navn}"
    docx = render_docx(mal, ctx, tittel=tittel)
    pdf = tj.konverterer.til_pdfa(docx)

    def registrer(s: Session, filer: list[LagretFil]) -> Evaluering:
        docx_fil, pdf_fil = filer
        avtale = s.get(Avtale, avtale_id)
        if avtale.status not in KAN_EVALUERES:
            raise Valideringsfeil({"beslutning": "Avtalen er endret av en annen."})
        evaluering = Evaluering(
            avtale_id=avtale_id,
            periode_fra=grunnlag["periode_fra"],
            periode_til=grunnlag["periode_til"],
            antall_avvik=grunnlag["antall_avvik"],
            statistikk={
                **{k: grunnlag[k] for k in ("per_paragraf", "per_kategori", "per_kvartal")},
                "paragraf10": grunnlag["paragraf10"].som_json(),
            },
            docx_sha256=docx_fil.sha256,
            docx_storrelse=docx_fil.storrelse,
            pdf_sha256=pdf_fil.sha256,
            pdf_storrelse=pdf_fil.storrelse,
            opprettet_av_id=bruker_id,
            **rene,
        )
        s.add(evaluering)
        s.flush()
        tj.journal.registrer(
            s, Arkivhendelse("evaluering", "avtale", avtale_id, bruker_id, evaluering.id)
        )
        indeksering.meld(s, "evaluering", evaluering.id)
        logg(
            s,
            avtale_id,
            "evaluert",
            bruker_id,
            fra,
            evaluering=evaluering.id,
            beslutning=rene["beslutning"],
            pdf=pdf_fil.sha256,
        )
        _gjennomfor_beslutning(s, avtale, rene, bruker_id, fra)
        return evaluering

    evaluering = tj.arkiver([docx, pdf], registrer)
    evaluering.utkast_feil = ""
    if rene["beslutning"] == "revideres":
        # Nytt utkast (versjon n+1) med gjeldende innhold, til det skal signeres på nytt.
        # Feiler det, står evalueringen og revisjonen; utkastet lages ved neste endring.
        try:
            avtaler.lagre_versjon(
                tj,
                avtale_id,
                dict(verdier),
                bruker_id,
                "Utkast til revisjon etter evaluering",
                fra=fra,
            )
        except Exception as e:
            logger.exception("Kunne ikke lage revisjonsutkast for avtale %s", avtale_id)
            evaluering.utkast_feil = (
                f"Evalueringen er lagret og avtalen satt til revisjon, men utkastet til ny "
                f"versjon kunne ikke lages ({e}). Endre avtalen for å lage det."
            )
    return evaluering


def _datoer_for_beslutning(rene: dict[str, Any], maned: int | None) -> None:
    """Neste evaluering når avtalen videreføres (ett år fram, eller i avtalens måned), og
    avslutningsdatoen når den sies opp (møtedatoen, om ingen annen er gitt)."""
    if rene["beslutning"] == "viderefores":
        rene["neste_evaluering"] = rene["neste_evaluering"] or frister.neste_evaluering(
            rene["dato"], maned
        )
    else:
        rene["neste_evaluering"] = None
    if rene["beslutning"] == "sies_opp":
        rene["avsluttet_dato"] = rene["avsluttet_dato"] or rene["dato"]
    else:
        rene["avsluttet_dato"] = None


def _gjennomfor_beslutning(
    s: Session, avtale: Avtale, rene: dict[str, Any], bruker_id: int, fra: str
) -> None:
    """Videreføres: ny dato. Revideres: avtalen til revisjon. Sies opp: avsluttet."""
    if rene["beslutning"] == "viderefores":
        avtale.neste_evaluering = rene["neste_evaluering"]
        avtale.evaluering_paminnet = None
        return
    avtale.neste_evaluering = None
    if rene["beslutning"] == "revideres":
        grunn = f"Evalueringen {formatering.dato_lang(rene['dato'])} besluttet revisjon."
        bytt_status(s, avtale, "til_revisjon", bruker_id, fra, grunn)
    else:
        bytt_status(
            s,
            avtale,
            "avsluttet",
            bruker_id,
            fra,
            rene["begrunnelse"],
            avsluttet_dato=rene["avsluttet_dato"],
        )
