"""Avslutning av en individuell plan: dato, begrunnelse og når den skal slettes."""

from __future__ import annotations

from datetime import date, timedelta

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.validering import les_dato, rens_tekst
from dokumenter.planer.innsynslogg import apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.signering import trekk_aktiv_runde
from dokumenter.tjenester import Tjenester

# --- Avslutte, innsyn og sletting ------------------------------------------------------------


@logger_nektet
def avslutt(
    tj: Tjenester, plan_id: int, grunn: str, bruker_id: int, dato: object = None, fra: str = ""
) -> date:
    """Avslutt planen med begrunnelse. Den slettes når oppbevaringstiden er ute; returnerer
    datoen det skjer."""
    grunn = rens_tekst(grunn, flerlinjet=True)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor planen avsluttes."})
    if len(grunn) > 2000:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 2000 tegn."})
    try:
        slutt = les_dato(dato) if dato not in (None, "") else date.today()
    except (ValueError, TypeError):
        raise Valideringsfeil({"dato": "Skriv datoen som dd.mm.åååå."}) from None
    if slutt > date.today():
        raise Valideringsfeil({"dato": "Planen kan ikke avsluttes fram i tid."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        if plan.status == "avsluttet":
            raise Valideringsfeil({"status": "Planen er allerede avsluttet."})
        trekk_aktiv_runde(s, plan, bruker_id, g, fra, "Planen ble avsluttet.")
        plan.status, plan.avsluttet_dato, plan.avsluttet_grunn = "avsluttet", slutt, grunn
        plan.neste_evaluering = None
        plan.slettes_etter = slutt + timedelta(days=tj.innstillinger.plan_oppbevaring_dager)
        logg(
            s,
            plan_id,
            "avsluttet",
            bruker_id,
            g,
            fra,
            dato=slutt.isoformat(),
            grunn=grunn,
            slettes_etter=plan.slettes_etter.isoformat(),
        )
        slettes = plan.slettes_etter
    return slettes
