"""Boligutfallet på de faste punktene: løslatelses- eller utskrivningsdagen (fast bolig,
midlertidig botilbud, uten bolig) og etter 4 uker, 3, 6 og 12 måneder (beholdt, mistet,
tilbake i institusjon), med årsak. Et punkt kan rettes; rettelsen logges."""

from __future__ import annotations

from typing import Any

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.models import Boligutfall
from dokumenter.overgang import apning
from dokumenter.overgang.regler import (
    KREVER_ARSAK,
    LOSLADT,
    MAKS_TEKST,
    PUNKTER,
    punkt_dato,
    utfall_for,
    utfallsvalg,
)
from dokumenter.planer.innsynslogg import logg, logger_nektet
from dokumenter.tjenester import Tjenester


@logger_nektet
def registrer(
    tj: Tjenester, plan_id: int, data: dict[str, Any], bruker_id: int, fra: str = ""
) -> None:
    """Registrer (eller rett) utfallet på ett punkt. Punktene etter løslatelsen kan først
    registreres når løslatelsesdagen er det, og ikke før de forfaller."""
    punkt = str(data.get("punkt") or "")
    if punkt not in PUNKTER:
        raise Valideringsfeil({"punkt": "Velg hvilket tidspunkt utfallet gjelder."})
    utfall = str(data.get("utfall") or "")
    valg = utfallsvalg(punkt)
    if utfall not in valg:
        raise Valideringsfeil(
            {"utfall": "Velg utfallet (" + ", ".join(valg.values()).lower() + ")."}
        )
    arsak = apning.tekst(data, "arsak", MAKS_TEKST, flerlinjet=True)
    if utfall in KREVER_ARSAK and not arsak:
        raise Valideringsfeil({"arsak": "Skriv årsaken."})
    etikett = "løslatelses- eller utskrivningsdagen" if punkt == LOSLADT else "datoen"
    dato = apning.dato(data, "dato", etikett, paakrevd=True)
    apning.ikke_fram_i_tid(dato, "dato", "Datoen")
    with tj.transaksjon() as s:
        # Et utfall kan rettes også når planen er avsluttet: det er statistikk om det som skjedde.
        _, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        losladt = utfall_for(o, LOSLADT)
        if punkt != LOSLADT:
            if losladt is None:
                raise Valideringsfeil(
                    {"punkt": "Registrer først utfallet på løslatelses- eller utskrivningsdagen."}
                )
            tidligst = punkt_dato(punkt, losladt.dato)
            if dato < tidligst:
                raise Valideringsfeil(
                    {"dato": f"{PUNKTER[punkt]} er tidligst {tidligst:%d.%m.%Y}."}
                )
        elif any(u.punkt != LOSLADT and u.dato < dato for u in o.utfall):
            raise Valideringsfeil({"dato": "Løslatelsen kan ikke være etter et senere punkt."})
        eksisterende = utfall_for(o, punkt)
        if eksisterende is None:
            o.utfall.append(
                Boligutfall(
                    punkt=punkt, dato=dato, utfall=utfall, arsak=arsak, registrert_av_id=bruker_id
                )
            )
        else:
            eksisterende.dato, eksisterende.utfall, eksisterende.arsak = dato, utfall, arsak
            eksisterende.registrert_av_id, eksisterende.registrert = bruker_id, naa()
        o.utfall_paminnet = None
        o.endret = naa()
        logg(
            s,
            plan_id,
            "utfall_rettet" if eksisterende else "utfall_registrert",
            bruker_id,
            g,
            fra,
            punkt=PUNKTER[punkt],
            utfall=valg[utfall],
            dato=dato.isoformat(),
        )
