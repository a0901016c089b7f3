"""Hvem som er med i planen: ansvarsgruppen, koordinatoren og tilganger gitt med
begrunnelse. Den som mister tilgangen og ennå skal signere, får runden trukket."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dokumenter.brukere.roller import ANSATTROLLER, PARTNER, SKRIVEROLLER
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.felles.validering import les_dato, rens_tekst
from dokumenter.models import (
    Ansvarsgruppemedlem,
    Bruker,
    Plan,
    Plantilgang,
)
from dokumenter.planer import varsler
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.regler import krev_apen
from dokumenter.planer.signering import trekk_runde_uten_tilgang
from dokumenter.planer.tilgang import Grunnlag, gjeldende_samtykke
from dokumenter.tjenester import Tjenester

# --- Ansvarsgruppe, samtykke og tilganger ---------------------------------------------------
# Søkeindeksen trenger ingen oppdatering her: tilgangsgruppene regnes ut ved hvert søk.


@logger_nektet
def legg_til_medlem(
    tj: Tjenester,
    plan_id: int,
    medlem_bruker_id: int,
    tjeneste: str,
    rolle: str,
    bruker_id: int,
    fra: str = "",
) -> list[str]:
    """Legg en ansatt eller partnerbruker til i ansvarsgruppen. En partnerbruker hos en part
    med gjeldende samtykke får planen delt med seg (e-post); gir e-postfeilene."""
    tjeneste, rolle = rens_tekst(tjeneste)[:200], rens_tekst(rolle)[:200]
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        medlem = s.get(Bruker, medlem_bruker_id)
        if medlem is None or not medlem.aktiv:
            raise Valideringsfeil({"bruker_id": "Velg en aktiv bruker."})
        if medlem.rolle not in (*ANSATTROLLER, PARTNER):
            raise Valideringsfeil({"bruker_id": "Velg en ansatt eller en partnerbruker."})
        if any(m.bruker_id == medlem.id for m in plan.medlemmer):
            raise Valideringsfeil({"bruker_id": f"{medlem.navn} er allerede med i gruppen."})
        if not tjeneste:
            tjeneste = medlem.part.navn if medlem.part else ""
        if not tjeneste:
            raise Valideringsfeil({"tjeneste": "Skriv hvilken tjeneste medlemmet representerer."})
        plan.medlemmer.append(
            Ansvarsgruppemedlem(
                bruker_id=medlem.id, tjeneste=tjeneste, rolle=rolle, lagt_til_av_id=bruker_id
            )
        )
        logg(
            s, plan_id, "medlem_lagt_til", bruker_id, g, fra, medlem=medlem.navn, tjeneste=tjeneste
        )
        delt = (
            medlem.rolle == PARTNER
            and medlem.part_id is not None
            and gjeldende_samtykke(s, plan_id, medlem.part_id) is not None
        )
        medlem_id, part_id = medlem.id, medlem.part_id
    if not delt:
        return []
    return varsler.delt(tj, plan_id, part_id, [medlem_id], bruker_id)


@logger_nektet
def fjern_medlem(
    tj: Tjenester, plan_id: int, medlem_id: int, bruker_id: int, fra: str = ""
) -> None:
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        medlem = next((m for m in plan.medlemmer if m.id == medlem_id), None)
        if medlem is None:
            raise Valideringsfeil({"medlem": "Medlemmet er ikke (lenger) i ansvarsgruppen."})
        navn = medlem.bruker.navn
        plan.medlemmer.remove(medlem)
        logg(s, plan_id, "medlem_fjernet", bruker_id, g, fra, medlem=navn)
        trekk_runde_uten_tilgang(s, plan, bruker_id, g, fra)


@logger_nektet
def gi_tilgang(
    tj: Tjenester,
    plan_id: int,
    til_bruker_id: int,
    grunn: str,
    bruker_id: int,
    utloper: object = None,
    fra: str = "",
) -> None:
    """Gi en ansatt utenfor ansvarsgruppen lesetilgang, med begrunnelse."""
    grunn = rens_tekst(grunn)
    if len(grunn) < 10:
        raise Valideringsfeil({"grunn": "Skriv hvorfor tilgangen trengs (minst 10 tegn)."})
    if len(grunn) > 500:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 500 tegn."})
    slutt = None
    if utloper not in (None, ""):
        try:
            slutt = les_dato(utloper)
        except (ValueError, TypeError):
            raise Valideringsfeil({"utloper": "Skriv sluttdatoen som dd.mm.åååå."}) from None
        if slutt < date.today():
            raise Valideringsfeil({"utloper": "Sluttdatoen kan ikke være passert."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        mottaker = s.get(Bruker, til_bruker_id)
        if mottaker is None or not mottaker.aktiv or mottaker.rolle not in ANSATTROLLER:
            raise Valideringsfeil({"bruker_id": "Tilgang kan bare gis til aktive ansatte."})
        for eldre in plan.tilganger:  # en ny tilgang erstatter en gjeldende
            if eldre.bruker_id == mottaker.id and eldre.trukket is None:
                eldre.trukket, eldre.trukket_av_id = naa(), bruker_id
        plan.tilganger.append(
            Plantilgang(bruker_id=mottaker.id, grunn=grunn, gitt_av_id=bruker_id, utloper=slutt)
        )
        logg(
            s,
            plan_id,
            "tilgang_gitt",
            bruker_id,
            g,
            fra,
            til=mottaker.navn,
            grunn=grunn,
            utloper=slutt.isoformat() if slutt else None,
        )


@logger_nektet
def trekk_tilgang(
    tj: Tjenester, plan_id: int, tilgang_id: int, bruker_id: int, fra: str = ""
) -> None:
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        tilgang = next((t for t in plan.tilganger if t.id == tilgang_id), None)
        if tilgang is None or tilgang.trukket is not None:
            raise Valideringsfeil({"tilgang": "Tilgangen finnes ikke eller er allerede trukket."})
        tilgang.trukket, tilgang.trukket_av_id = naa(), bruker_id
        logg(s, plan_id, "tilgang_trukket", bruker_id, g, fra, til=tilgang.bruker.navn)


@logger_nektet
def overfor_koordinator(
    tj: Tjenester, plan_id: int, ny_id: int, grunn: str, bruker_id: int, fra: str = ""
) -> str:
    """Gi koordinatorrollen til en annen ansatt med skrivetilgang (for eksempel ved fravær
    eller bytte av jobb). Den forrige koordinatoren mister tilgangen, med mindre hen er i
    ansvarsgruppen eller har en egen tilgang. Returnerer den nye koordinatorens navn."""
    grunn = rens_tekst(grunn)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor koordinatoren byttes."})
    if len(grunn) > 500:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 500 tegn."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        ny = s.get(Bruker, ny_id)
        if ny is None or not ny.aktiv or ny.rolle not in SKRIVEROLLER:
            raise Valideringsfeil(
                {"bruker_id": "Koordinatoren må være en aktiv ansatt med skrivetilgang."}
            )
        if ny.id == plan.koordinator_id:
            raise Valideringsfeil({"bruker_id": f"{ny.navn} er allerede koordinator."})
        bytt_koordinator(s, plan, ny, bruker_id, g, grunn, fra)
        trekk_runde_uten_tilgang(s, plan, bruker_id, g, fra)
        navn = ny.navn
    return navn


OVERFORING = "Overføring av ansvar (administrator, når koordinatoren slutter)"


def bytt_koordinator(
    s: Session,
    plan: Plan,
    ny: Bruker,
    bruker_id: int | None,
    g: Grunnlag | str,
    grunn: str,
    fra: str,
) -> None:
    """Gjør `ny` til koordinator og logg det i innsynsloggen (i kallerens transaksjon). Ved
    overføring når noen slutter (`overforing`) er grunnlaget `OVERFORING`: administratoren
    åpner ikke planen, hen flytter bare koordinatorrollen. Den forrige koordinatoren mister
    tilgangen (`planer.tilgang`), med mindre hen har et annet grunnlag."""
    forrige = plan.koordinator.navn
    plan.koordinator_id = ny.id
    s.flush()
    s.refresh(plan, ["koordinator"])
    logg(
        s,
        plan.id,
        "koordinator_byttet",
        bruker_id,
        g,
        fra,
        fra_koordinator=forrige,
        til=ny.navn,
        grunn=grunn,
    )
