"""Overføringen: vis hva den ansatte har ansvar for, og flytt alt til etterfølgerne i én
transaksjon. Alt eller ingenting: en sak som ikke kan flyttes (for eksempel en etterfølger
uten e-postadresse som skulle ta over en signering), stopper hele overføringen."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dokumenter.avtaler import signering as avtalesignering
from dokumenter.avtaler import varsler as avtalevarsler
from dokumenter.avtaler.livslop import logg as avtalelogg
from dokumenter.avtaler.skriving import flytt_ansvar
from dokumenter.brukere import kontologg, okter
from dokumenter.brukere.administrasjon import krev_admin
from dokumenter.brukere.ansvar import Ansvar, ansvar
from dokumenter.brukere.roller import SKRIVEROLLER
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.validering import rens_tekst
from dokumenter.models import Avtale, Avvik, Bruker, Plan
from dokumenter.planer import signering as plansignering
from dokumenter.planer.ansvarsgruppe import OVERFORING, bytt_koordinator
from dokumenter.signering import motor
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

SLAG = {
    "avtaler": "Avtaler (ansvarlig)",
    "avvik": "Åpne avvik (kommunens oppfølger)",
    "planer": "Individuelle planer (koordinator)",
    "signeringer": "Ventende signeringer",
}
ARTER = {"avtale": avtalesignering.AVTALE, "plan": plansignering.PLAN}


@dataclass(frozen=True)
class Beholdning:
    bruker_id: int
    navn: str
    aktiv: bool
    ansvar: Ansvar


def beholdning(tj: Tjenester, admin_id: int, bruker_id: int) -> Beholdning:
    """Alt den ansatte har ansvar for (for administratoren, før overføringen)."""
    with tj.sesjoner() as s:
        krev_admin(s, admin_id)
        bruker = s.get(Bruker, bruker_id)
        if bruker is None:
            raise IkkeFunnet("Brukeren finnes ikke.")
        return Beholdning(bruker.id, bruker.navn, bruker.aktiv, ansvar(s, bruker_id))


def _etterfolger(s: Session, bruker_id: int | None, fra_id: int, slag: str) -> Bruker:
    ny = s.get(Bruker, bruker_id) if bruker_id else None
    if ny is None or not ny.aktiv or ny.rolle not in SKRIVEROLLER:
        raise Valideringsfeil(
            {slag: f"{SLAG[slag]}: velg en aktiv saksbehandler eller administrator."}
        )
    if ny.id == fra_id:
        raise Valideringsfeil({slag: f"{SLAG[slag]}: velg en annen enn den som slutter."})
    return ny


def overfor(
    tj: Tjenester,
    admin_id: int,
    bruker_id: int,
    til: dict[str, int | None],
    grunn: str,
    deaktiver: bool = False,
    fra: str = "",
) -> list[str]:
    """Flytt alt `bruker_id` har ansvar for: `til` gir etterfølgeren per slag ("avtaler",
    "avvik", "planer", "signeringer"). Kalenderlenken trekkes; med `deaktiver` stenges kontoen
    i samme transaksjon. Etterfølgerne får e-post etter commit; gir e-postfeilene."""
    grunn = rens_tekst(grunn)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor ansvaret overføres (for eksempel sluttet)."})
    if len(grunn) > 500:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 500 tegn."})
    runder: list[tuple[str, int]] = []
    fikk: dict[int, dict[str, int]] = {}
    with tj.transaksjon() as s:
        krev_admin(s, admin_id)
        bruker = s.get(Bruker, bruker_id)
        if bruker is None:
            raise IkkeFunnet("Brukeren finnes ikke.")
        if bruker.id == admin_id and deaktiver:
            raise Valideringsfeil(
                {"bruker": "Du kan ikke deaktivere deg selv. Be en annen administrator."}
            )
        a = ansvar(s, bruker_id)
        nye = {
            slag: _etterfolger(s, til.get(slag), bruker_id, slag)
            for slag, saker in (
                ("avtaler", a.avtaler),
                ("avvik", a.avvik),
                ("planer", a.planer),
                ("signeringer", a.signeringer),
            )
            if saker
        }

        def tell(slag: str) -> None:
            teller = fikk.setdefault(nye[slag].id, {})
            teller[slag] = teller.get(slag, 0) + 1

        for avtale_id, _, _ in a.avtaler:
            flytt_ansvar(s, s.get(Avtale, avtale_id), nye["avtaler"], admin_id, grunn, fra)
            tell("avtaler")
        for avvik_id, nummer, avtale_id in a.avvik:
            avvik = s.get(Avvik, avvik_id)
            avvik.oppfolger_id = nye["avvik"].id
            avtalelogg(
                s, avtale_id, "avvik_overfort", admin_id, fra, avvik=nummer,
                fra_bruker=bruker_id, til_bruker=nye["avvik"].id, merknad=grunn,
            )  # fmt: skip
            tell("avvik")
        for plan_id, _ in a.planer:
            bytt_koordinator(
                s, s.get(Plan, plan_id), nye["planer"], admin_id, OVERFORING, grunn, fra
            )
            tell("planer")
        s.flush()
        for art, objekt_id in a.signeringer:
            runde_id = motor.erstatt_signerer(
                s, ARTER[art], objekt_id, bruker_id, nye["signeringer"], admin_id, fra, grunn
            )
            if runde_id is not None:
                runder.append((art, runde_id))
                tell("signeringer")
        if a.kalender:
            bruker.kalender_nokkel_hash = None
        detaljer = {"grunn": grunn, "til": {k: v.id for k, v in nye.items()}, **a.antall()}
        kontologg.logg(s, bruker_id, "ansvar_overfort", admin_id, fra=fra, **detaljer)
        if deaktiver and bruker.aktiv:
            bruker.aktiv = False
            antall = okter.avslutt_alle(s, bruker_id)
            kontologg.logg(s, bruker_id, "deaktivert", admin_id, fra=fra, okter=antall)
        navn = bruker.navn
        mottakere = {b.id: Mottaker.bruker(b) for b in nye.values()}
    feil: list[str] = []
    for art, runde_id in runder:  # den nye signereren får e-post hvis det er hens tur
        feil += motor.varsle_neste(tj, ARTER[art], runde_id, utlost_av=admin_id)
    feil += avtalevarsler.ny_ansvarlig(tj, [aid for aid, _, _ in a.avtaler], admin_id)
    return feil + _varsle_etterfolgere(tj, navn, fikk, mottakere, grunn, admin_id)


def _varsle_etterfolgere(
    tj: Tjenester,
    navn: str,
    fikk: dict[int, dict[str, int]],
    mottakere: dict[int, Mottaker],
    grunn: str,
    admin_id: int,
) -> list[str]:
    meldinger = []
    for bruker_id, teller in fikk.items():
        m = mottakere[bruker_id]
        linjer = "\n".join(f"- {SLAG[slag]}: {n}" for slag, n in teller.items())
        meldinger.append(
            Melding(
                mottaker=m,
                hendelse="ansvar_overfort",
                objekt_type="bruker",
                objekt_id=bruker_id,
                emne=f"Du har overtatt ansvar etter {navn}",
                tekst=(
                    f"Hei {m.navn},\n\nDu har overtatt dette etter {navn} ({grunn}):\n{linjer}\n\n"
                    "Sakene står på forsiden din når du logger inn.\n"
                ),
            )
        )
    return utsending.send(tj, meldinger, admin_id)
