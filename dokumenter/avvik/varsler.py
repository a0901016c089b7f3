"""E-post om avvik til den andre parten, og påminnelser når svarfristen er ute."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dokumenter.avvik.regler import PAMINNELSE_DAGER, STATUSER
from dokumenter.brukere.roller import PARTNER
from dokumenter.felles import formatering
from dokumenter.felles.tid import naa, som_utc
from dokumenter.infrastruktur.epost import Epost
from dokumenter.models import Avtale, Avvik, Bruker
from dokumenter.tjenester import Tjenester

# --- Varsler og frister -----------------------------------------------------------------


def _mottakere(s: Session, avvik: Avvik, mottakersiden: bool) -> list[str]:
    side = avvik.meldt_av_side
    til_part = (side == "kommune") == mottakersiden
    if til_part:
        brukere = s.scalars(
            select(Bruker.epost).where(
                Bruker.rolle == PARTNER, Bruker.part_id == avvik.avtale.part_id, Bruker.aktiv
            )
        ).all()
        kontakter = [k.epost for k in avvik.avtale.part.kontaktpersoner]
        return sorted({e.lower() for e in [*brukere, *kontakter] if e})
    return [avvik.avtale.ansvarlig.epost] if avvik.avtale.ansvarlig.epost else []


def _varsle(
    tj: Tjenester, avvik_id: int, til_mottaker: bool, paminnelse: bool = False
) -> list[str]:
    with tj.sesjoner() as s:
        avvik = s.get(Avvik, avvik_id)
        mottakere = _mottakere(s, avvik, til_mottaker)
        part, nummer, status = avvik.avtale.part.navn, avvik.nummer, avvik.status
        frist = formatering.dato_lang(avvik.svarfrist) if avvik.svarfrist else ""
        til_part = (avvik.meldt_av_side == "kommune") == til_mottaker
    lenke = tj.lenker.avvik(avvik_id, partner=til_part)
    if status == "sendt":
        emne = ("Påminnelse: " if paminnelse else "") + f"Avvik {nummer} – svar innen {frist}"
        tekst = (
            f"Det er meldt et avvik fra samarbeidsavtalen med {part} (avvik {nummer}). "
            f"Avviksskjemaet ligger her, og svaret (forklaring og tiltak) gis samme sted "
            f"innen {frist}:\n{lenke}\n"
        )
    else:
        tilstand = STATUSER[status].lower()
        emne = f"Avvik {nummer} er {tilstand}"
        tekst = f"Avvik {nummer} i samarbeidsavtalen med {part} er {tilstand}:\n{lenke}\n"
    if not mottakere:
        return [f"Ingen mottakere med e-post for avvik {nummer}."]
    feil = [f for til in mottakere if (f := tj.send_epost(Epost(til=til, emne=emne, tekst=tekst)))]
    return feil


def forfalte(tj: Tjenester, idag: date | None = None) -> list[Avvik]:
    """Sendte avvik der svarfristen er ute, eldste frist først."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        return list(
            s.scalars(
                select(Avvik)
                .where(Avvik.status == "sendt", Avvik.svarfrist < idag)
                .options(selectinload(Avvik.avtale).selectinload(Avtale.part))
                .order_by(Avvik.svarfrist)
            )
        )


def send_paminnelser(tj: Tjenester, idag: date | None = None) -> tuple[int, list[str]]:
    """Påminn mottakeren om forfalte avvik, høyst hver `PAMINNELSE_DAGER`. (antall, feil)."""
    feil: list[str] = []
    antall = 0
    for avvik in forfalte(tj, idag):
        sist = avvik.sist_paminnet
        if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINNELSE_DAGER):
            continue
        with tj.transaksjon() as s:
            s.get(Avvik, avvik.id).sist_paminnet = naa()
        feil += _varsle(tj, avvik.id, til_mottaker=True, paminnelse=True)
        antall += 1
    return antall, feil
