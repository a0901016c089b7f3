"""E-post om avvik til den andre parten, og påminnelser når svarfristen er ute.

Hos parten får partens aktive portalbrukere og kontaktpersonene (uten konto) beskjed; hos
kommunen den som følger opp avviket (`avvik.oppfolger`) og den ansvarlige for avtalen."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dokumenter.avvik.regler import PAMINNELSE_DAGER, STATUSER
from dokumenter.brukere.roller import PARTNER
from dokumenter.felles import formatering
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Avtale, Avvik, Bruker
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker, Utfall

# --- Varsler og frister -----------------------------------------------------------------


def _mottakere(s: Session, avvik: Avvik, til_part: bool) -> list[Mottaker]:
    if til_part:
        brukere = utsending.brukere_som_mottakere(
            s, Bruker.rolle == PARTNER, Bruker.part_id == avvik.avtale.part_id
        )
        kjente = {m.adresse.lower() for m in brukere}
        kontakter = {
            k.epost.strip().lower(): Mottaker(None, k.epost.strip(), k.navn)
            for k in avvik.avtale.part.kontaktpersoner
            if k.epost and k.epost.strip().lower() not in kjente
        }
        return [*brukere, *kontakter.values()]
    ansatte = {b.id: b for b in (avvik.oppfolger, avvik.avtale.ansvarlig) if b and b.aktiv}
    return [Mottaker.bruker(b) for b in ansatte.values()]


def _varsle(
    tj: Tjenester,
    avvik_id: int,
    til_mottaker: bool,
    paminnelse: bool = False,
    utlost_av: int | None = None,
) -> Utfall:
    with tj.sesjoner() as s:
        avvik = s.get(Avvik, avvik_id)
        til_part = (avvik.meldt_av_side == "kommune") == til_mottaker
        mottakere = _mottakere(s, avvik, til_part)
        part, nummer, status = avvik.avtale.part.navn, avvik.nummer, avvik.status
        frist = formatering.dato_lang(avvik.svarfrist) if avvik.svarfrist else ""
    lenke = tj.lenker.avvik(avvik_id, partner=til_part)
    if status == "sendt":
        hendelse = "avvik_paminnelse" if paminnelse else "avvik_sendt"
        emne = ("Påminnelse: " if paminnelse else "") + f"Avvik {nummer} – svar innen {frist}"
        tekst = (
            f"Det er meldt et avvik fra samarbeidsavtalen med {part} (avvik {nummer}). "
            f"Avviksskjemaet ligger her, og svaret (forklaring og tiltak) gis samme sted "
            f"innen {frist}:\n{lenke}\n"
        )
    else:
        hendelse = "avvik_besvart"
        tilstand = STATUSER[status].lower()
        emne = f"Avvik {nummer} er {tilstand}"
        tekst = f"Avvik {nummer} i samarbeidsavtalen med {part} er {tilstand}:\n{lenke}\n"
    if not mottakere:
        return Utfall([f"Ingen mottakere med e-post for avvik {nummer}."], [])
    meldinger = [Melding(m, hendelse, "avvik", avvik_id, emne, tekst) for m in mottakere]
    return utsending.send_med_utfall(tj, meldinger, utlost_av)


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
    """Påminn mottakeren om forfalte avvik, høyst hver `PAMINNELSE_DAGER`. (antall, feil).
    En påminnelse teller, og datoen noteres, bare når minst én e-post faktisk gikk; ellers
    prøver jobben igjen neste gang."""
    feil: list[str] = []
    antall = 0
    for avvik in forfalte(tj, idag):
        sist = avvik.sist_paminnet
        if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINNELSE_DAGER):
            continue
        utfall = _varsle(tj, avvik.id, til_mottaker=True, paminnelse=True)
        feil += utfall.feil
        if utfall.noen_sendt:
            with tj.transaksjon() as s:
                s.get(Avvik, avvik.id).sist_paminnet = naa()
            antall += 1
    return antall, feil
