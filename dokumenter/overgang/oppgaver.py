"""De daterte oppgavene i overgangen: legge til, endre, sette ferdig eller bortfalt, og hvem
som har ansvaret for en oppgave nå. Minstelistens oppgaver følger kontaktrollen (en ny
booppfølger overtar booppfølgerens oppgaver); andre har en navngitt ansvarlig eller bare en
tekst («Personen selv», «NAV»), og da er det koordinatoren som følger med på dem."""

from __future__ import annotations

from datetime import date
from typing import Any

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.models import Bruker, Overgang, Overgangsoppgave
from dokumenter.overgang import apning
from dokumenter.overgang.regler import MINSTELISTE, OPPGAVESTATUSER
from dokumenter.planer.innsynslogg import logg, logger_nektet
from dokumenter.planer.regler import krev_apen
from dokumenter.tjenester import Tjenester

MAKS_OPPGAVER = 60
_ROLLE = {m.nokkel: m.rolle for m in MINSTELISTE}


def ansvarlig(o: Overgang, oppgave: Overgangsoppgave) -> Bruker | None:
    """Den som har ansvaret nå: den navngitte, ellers kontakten i minstelistens rolle."""
    if oppgave.ansvarlig is not None:
        return oppgave.ansvarlig
    rolle = _ROLLE.get(oppgave.standard)
    return getattr(o, rolle) if rolle else None


def er_forfalt(oppgave: Overgangsoppgave, idag: date) -> bool:
    return oppgave.status == "apen" and oppgave.frist is not None and oppgave.frist < idag


def _rens(data: dict[str, Any]) -> tuple[str, date | None, str]:
    tittel = apning.tekst(data, "tittel", 200)
    if not tittel:
        raise Valideringsfeil({"tittel": "Skriv hva som skal gjøres."})
    frist = apning.dato(data, "frist", "fristen")
    return tittel, frist, apning.tekst(data, "ansvarlig_tekst", 200)


@logger_nektet
def legg_til(
    tj: Tjenester, plan_id: int, data: dict[str, Any], bruker_id: int, fra: str = ""
) -> None:
    tittel, frist, ansvarlig_tekst = _rens(data)
    with tj.transaksjon() as s:
        plan, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        if len(o.oppgaver) >= MAKS_OPPGAVER:
            raise Valideringsfeil({"tittel": f"Overgangen kan ha høyst {MAKS_OPPGAVER} oppgaver."})
        ansvarlig_id = apning.medlem_av_planen(s, plan, data.get("ansvarlig_id"), "ansvarlig_id")
        if ansvarlig_id is None and not ansvarlig_tekst:
            raise Valideringsfeil(
                {"ansvarlig_id": "Velg hvem som har ansvaret, eller skriv det (for eksempel NAV)."}
            )
        o.oppgaver.append(
            Overgangsoppgave(
                tittel=tittel,
                standard="",
                ansvarlig_id=ansvarlig_id,
                ansvarlig_tekst=ansvarlig_tekst,
                frist=frist,
                status="apen",
                rekkefolge=max((x.rekkefolge for x in o.oppgaver), default=0) + 1,
            )
        )
        o.endret = naa()
        logg(s, plan_id, "oppgave_endret", bruker_id, g, fra, oppgave=tittel, endring="ny")


def _oppgave(o: Overgang, oppgave_id: int) -> Overgangsoppgave:
    oppgave = next((x for x in o.oppgaver if x.id == oppgave_id), None)
    if oppgave is None:
        raise Valideringsfeil({"oppgave": "Oppgaven finnes ikke i denne overgangen."})
    return oppgave


@logger_nektet
def endre(
    tj: Tjenester,
    plan_id: int,
    oppgave_id: int,
    data: dict[str, Any],
    bruker_id: int,
    fra: str = "",
) -> None:
    """Endre tittel, frist og ansvarlig. Tom ansvarlig på en oppgave fra minstelisten gir
    ansvaret tilbake til kontaktrollen."""
    tittel, frist, ansvarlig_tekst = _rens(data)
    with tj.transaksjon() as s:
        plan, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        oppgave = _oppgave(o, oppgave_id)
        ansvarlig_id = apning.medlem_av_planen(s, plan, data.get("ansvarlig_id"), "ansvarlig_id")
        if ansvarlig_id is None and not ansvarlig_tekst and not oppgave.standard:
            raise Valideringsfeil(
                {"ansvarlig_id": "Velg hvem som har ansvaret, eller skriv det (for eksempel NAV)."}
            )
        if oppgave.frist != frist:
            oppgave.paminnet = None
        oppgave.tittel, oppgave.frist = tittel, frist
        oppgave.ansvarlig_id, oppgave.ansvarlig_tekst = ansvarlig_id, ansvarlig_tekst
        o.endret = naa()
        logg(s, plan_id, "oppgave_endret", bruker_id, g, fra, oppgave=tittel, endring="endret")


@logger_nektet
def sett_status(
    tj: Tjenester, plan_id: int, oppgave_id: int, status: str, bruker_id: int, fra: str = ""
) -> str:
    """Ferdig (med dagens dato), bortfalt eller åpen igjen. Returnerer oppgavens tittel."""
    if status not in OPPGAVESTATUSER:
        raise Valideringsfeil({"status": "Ukjent status for oppgaven."})
    with tj.transaksjon() as s:
        plan, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        oppgave = _oppgave(o, oppgave_id)
        oppgave.status = status
        oppgave.fullfort = date.today() if status == "ferdig" else None
        o.endret = naa()
        logg(
            s,
            plan_id,
            "oppgave_endret",
            bruker_id,
            g,
            fra,
            oppgave=oppgave.tittel,
            endring=OPPGAVESTATUSER[status].lower(),
        )
        return oppgave.tittel
