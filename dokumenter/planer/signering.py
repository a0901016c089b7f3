"""Signering av individuelle planer gjennom rundemotoren (`signering.motor`), med samme runder,
engangskoder og forsegling som avtalene. `PLAN` sier motoren det som er særegent for planer:

- Tilgangen avgjøres av `planer.tilgang`: en partnerbruker kan bare signere så lenge hen er i
  ansvarsgruppen og personen har samtykket til deling med institusjonen. Den som står for tur
  og har mistet tilgangen, får ingen e-post; runden trekkes.
- Personen selv signerer som regel på papir; den skannede kopien lastes opp (`last_opp_signert`).
- Alt logges i planens innsynslogg, og e-postene nevner bare plannummeret, aldri personen.
- Filene (også den forseglede kopien) krypteres i arkivet.

Modulen er litt over 400 linjer fordi den er planens hele svar på motorens spørsmål
(`Signerbar`) pluss brukstilfellene; delt i to ville de to halvdelene alltid endres sammen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arkiv.lager import LagretFil
from dokumenter.brukere.roller import PARTNER, SKRIVEROLLER
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.infrastruktur.forsegling import Sporhendelse
from dokumenter.models import Bruker, Plan, Plandokument, Planlogg, Signeringsrunde
from dokumenter.planer.innsynslogg import HANDLINGER, apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.tilgang import Grunnlag, gjeldende_samtykke, grunnlag
from dokumenter.signering import motor
from dokumenter.signering.koder import pauseposter
from dokumenter.signering.runder import FRIST_DAGER, PAMINNELSE_DAGER, Signatarvalg
from dokumenter.tjenester import Tjenester
from dokumenter.varsler.utsending import Melding, Mottaker

MAKS_SIGNERERE = 12
SYSTEMET = "Systemet"  # grunnlaget i innsynsloggen for det jobbene gjør


@dataclass
class Plansak:
    plan: Plan
    grunnlag: Grunnlag | str


class Plansignering(motor.Signerbar[Plansak]):
    art = "plan"
    objekt = "Planen"
    denne = "planen"

    def apne(
        self, s: Session, objekt_id: int, bruker_id: int | None, fra: str, endre: bool
    ) -> Plansak:
        if bruker_id is None:
            plan = s.get(Plan, objekt_id)
            if plan is None:
                raise IkkeFunnet("Planen finnes ikke.")
            return Plansak(plan, SYSTEMET)
        plan, _, g = apne_med_tilgang(s, objekt_id, bruker_id, fra, endre)
        return Plansak(plan, g)

    def objekt_id(self, sak: Plansak) -> int:
        return sak.plan.id

    def beskrivelse(self, sak: Plansak) -> str:
        return f"individuell plan {sak.plan.nummer}"

    def tittel(self, sak: Plansak) -> str:
        return f"Individuell plan {sak.plan.nummer}"

    def til_signering(self, s: Session, sak: Plansak, bruker_id: int, fra: str) -> tuple[int, str]:
        plan = sak.plan
        if plan.status not in ("utkast", "til_signering"):
            raise Valideringsfeil(
                {"signatarer": "Bare et utkast kan sendes til signering; lagre en ny versjon."}
            )
        pdf = _fil(s, plan.id, plan.gjeldende_versjon, "pdf")
        if pdf is None:
            raise Valideringsfeil({"signatarer": "Planen har ikke noe innhold ennå."})
        trekk_aktiv_runde(s, plan, bruker_id, sak.grunnlag, fra, "Ny signeringsrunde startet.")
        plan.status = "til_signering"
        return plan.gjeldende_versjon, pdf.innhold_sha256

    def signert_pdf(self, tj: Tjenester, s: Session, sak: Plansak, runde: Signeringsrunde) -> bytes:
        pdf = _fil(s, sak.plan.id, runde.versjon_nummer, "pdf")
        return tj.chiffer.dekrypter(tj.lager.les(pdf.sha256))

    def gjeldende_pdf(self, tj: Tjenester, s: Session, sak: Plansak) -> bytes | None:
        pdf = _fil(s, sak.plan.id, sak.plan.gjeldende_versjon, "pdf")
        return tj.chiffer.dekrypter(tj.lager.les(pdf.sha256)) if pdf else None

    def til_arkivet(self, tj: Tjenester, data: bytes) -> bytes:
        return tj.chiffer.krypter(data)

    def sjekk_signatarer(self, s: Session, sak: Plansak, valg: list[Signatarvalg]) -> None:
        if not valg:
            raise Valideringsfeil({"signatarer": "Velg minst én som skal signere."})
        if len(valg) > MAKS_SIGNERERE:
            raise Valideringsfeil({"signatarer": f"Høyst {MAKS_SIGNERERE} signerere i én runde."})
        if len({v.bruker_id for v in valg}) != len(valg):
            raise Valideringsfeil({"signatarer": "Samme person kan bare stå én gang."})
        for v in valg:
            b = s.get(Bruker, v.bruker_id)
            if b is None or not b.aktiv:
                raise Valideringsfeil({"signatarer": "En valgt signerer finnes ikke."})
            self.sjekk_erstatter(s, sak, v.side, b)

    def sjekk_erstatter(self, s: Session, sak: Plansak, side: str, ny: Bruker) -> None:
        """Én signerer: for kommunen koordinatoren eller en ansatt i ansvarsgruppen med
        skrivetilgang, for parten en partnerbruker i ansvarsgruppen med gjeldende samtykke;
        begge med e-postadresse (varselet og engangskoden går dit)."""
        plan = sak.plan
        medlem = any(m.bruker_id == ny.id for m in plan.medlemmer)
        if not ny.aktiv:
            raise Valideringsfeil({"signatarer": f"{ny.navn} er deaktivert."})
        if side == "kommune":
            if ny.rolle not in SKRIVEROLLER or (ny.id != plan.koordinator_id and not medlem):
                raise Valideringsfeil(
                    {"signatarer": f"{ny.navn} må være koordinator eller i ansvarsgruppen."}
                )
        elif side == "part":
            if (
                ny.rolle != PARTNER
                or not medlem
                or gjeldende_samtykke(s, plan.id, ny.part_id) is None
            ):
                raise Valideringsfeil(
                    {
                        "signatarer": f"{ny.navn} må være i ansvarsgruppen, og personen må ha "
                        "samtykket til deling med institusjonen."
                    }
                )
        else:
            raise Valideringsfeil({"signatarer": "Ukjent side; velg kommunen eller parten."})
        if not ny.epost:
            raise Valideringsfeil(
                {
                    "signatarer": f"{ny.navn} har ingen e-postadresse og kan ikke velges som "
                    "signerer: varselet og engangskoden sendes på e-post."
                }
            )

    def varsel(
        self,
        tj: Tjenester,
        s: Session,
        sak: Plansak,
        runde: Signeringsrunde,
        neste: Any,
        paminnelse: bool,
    ) -> Melding | str:
        plan, bruker = sak.plan, neste.bruker
        if grunnlag(s, plan, bruker) is None:  # fjernet, samtykke trukket, deaktivert
            trekk_runde_uten_tilgang(s, plan, None, SYSTEMET, "systemet")
            return f"{bruker.navn} har ikke lenger tilgang; signeringsrunden er trukket."
        lenke = tj.lenker.plan(plan.id, partner=bruker.rolle == PARTNER)
        return Melding(
            mottaker=Mottaker.bruker(bruker),
            hendelse="signering_paminnelse" if paminnelse else "signering_tur",
            objekt_type="plan",
            objekt_id=plan.id,
            emne=("Påminnelse: " if paminnelse else "")
            + f"Individuell plan {plan.nummer} til signering",
            tekst=(
                f"Hei {bruker.navn},\n\nIndividuell plan {plan.nummer} venter på din signatur. "
                f"Logg inn, les planen og signer med en engangskode som sendes til denne "
                f"adressen:\n{lenke}\n"
            ),
        )

    def logg(
        self,
        s: Session,
        sak: Plansak,
        handling: str,
        bruker_id: int | None,
        fra: str,
        **detaljer: Any,
    ) -> None:
        logg(s, sak.plan.id, handling, bruker_id, sak.grunnlag, fra, **detaljer)

    def revisjonsspor(self, s: Session, sak: Plansak, runde: Signeringsrunde) -> list[Sporhendelse]:
        """Rundens hendelser fra innsynsloggen (uten personens navn)."""
        hendelser = s.scalars(
            select(Planlogg)
            .where(
                Planlogg.plan_id == sak.plan.id,
                Planlogg.handling.in_(("signering_startet", "kode_sendt", "signert")),
                Planlogg.tidspunkt >= runde.opprettet,
            )
            .order_by(Planlogg.id)
        ).all()
        return [
            Sporhendelse(
                tidspunkt=som_utc(h.tidspunkt),
                hvem=h.bruker.navn if h.bruker else SYSTEMET,
                hva=HANDLINGER.get(h.handling, h.handling),
                ip=(h.detaljer or {}).get("ip") or h.fra.removeprefix("web "),
            )
            for h in hendelser
        ]

    def registrer_kopi(
        self,
        s: Session,
        sak: Plansak,
        runde: Signeringsrunde | None,
        fil: LagretFil,
        data: bytes,
        bruker_id: int | None,
        fra: str,
        **detaljer: Any,
    ) -> Plandokument:
        plan = sak.plan
        if runde is None:  # skannet kopi
            if plan.gjeldende_versjon == 0 or plan.status == "avsluttet":
                raise Valideringsfeil({"fil": "Planen har ingen versjon som kan signeres."})
            trekk_aktiv_runde(
                s, plan, bruker_id, sak.grunnlag, fra, "Skannet signert kopi lastet opp."
            )
        versjon = runde.versjon_nummer if runde else plan.gjeldende_versjon
        kopi = Plandokument(
            plan_id=plan.id,
            versjon_nummer=versjon,
            type=detaljer["type"],
            sha256=fil.sha256,
            storrelse=fil.storrelse,
            innhold_sha256=hashlib.sha256(data).hexdigest(),
            runde_id=runde.id if runde else None,
            opprettet_av_id=bruker_id,
        )
        s.add(kopi)
        plan.status = "aktiv"
        self.logg(s, sak, "signert_kopi", bruker_id, fra, **{**detaljer, "versjon": versjon})
        return kopi

    def etter_fullfort(
        self, tj: Tjenester, sak: Plansak, runde: Signeringsrunde, sha256: str
    ) -> list[Melding]:
        return []  # de som signerte, finner den forseglede planen på plansiden

    def ved_avslag(
        self, tj: Tjenester, s: Session, sak: Plansak, navn: str, grunn: str
    ) -> Melding | str:
        koordinator = sak.plan.koordinator
        return Melding(
            mottaker=Mottaker.bruker(koordinator),
            hendelse="signering_avslatt",
            objekt_type="plan",
            objekt_id=sak.plan.id,
            emne=f"Signering avslått: individuell plan {sak.plan.nummer}",
            tekst=f"{navn} har avslått å signere planen:\n{tj.lenker.plan(sak.plan.id)}\n",
        )

    def ved_utlop(self, s: Session, sak: Plansak, runde: Signeringsrunde) -> None:
        runde.status, runde.avsluttet = "utlopt", naa()
        runde.grunn = "Ikke signert innen fristen."
        sak.plan.status = "utkast"
        logg(s, sak.plan.id, "runde_utlopt", None, SYSTEMET, "systemet", runde=runde.id)

    def ved_pause(
        self, tj: Tjenester, s: Session, sak: Plansak, runde: Signeringsrunde
    ) -> list[Melding]:
        """Bare plannummeret, aldri personen (som i de andre e-postene om planer)."""
        plan = sak.plan
        return pauseposter(
            [runde.opprettet_av, plan.koordinator],
            "plan",
            plan.id,
            f"individuell plan {plan.nummer}",
            "",
            tj.lenker.plan(plan.id),
        )


PLAN = Plansignering()


def _fil(s: Session, plan_id: int, versjon: int, type_: str) -> Plandokument | None:
    return s.scalar(
        select(Plandokument)
        .where(
            Plandokument.plan_id == plan_id,
            Plandokument.versjon_nummer == versjon,
            Plandokument.type == type_,
        )
        .order_by(Plandokument.id.desc())
        .limit(1)
    )


# --- Brukstilfellene (motoren med PLAN) ----------------------------------------------------------


@logger_nektet
def start_runde(
    tj: Tjenester,
    plan_id: int,
    valg: list[Signatarvalg],
    bruker_id: int,
    frist_dager: int = FRIST_DAGER,
    fra: str = "",
) -> list[str]:
    """Send gjeldende versjon til signering hos `valg`, i den rekkefølgen: ansatte med
    skrivetilgang for kommunen, og partnerbrukere i ansvarsgruppen med gjeldende samtykke.
    Gir eventuelle e-postfeil."""
    return motor.start_runde(
        tj, PLAN, plan_id, valg, bruker_id, frist_dager, PAMINNELSE_DAGER, fra
    )[1]


@logger_nektet
def send_kode(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> str | None:
    return motor.send_kode(tj, PLAN, plan_id, bruker_id, fra)


@logger_nektet
def signer(
    tj: Tjenester, plan_id: int, bruker_id: int, kode: str, ip: str, fra: str = ""
) -> tuple[str, list[str]]:
    """Bekreft koden og registrer signaturen; var den den siste, forsegles planen."""
    return motor.signer(tj, PLAN, plan_id, bruker_id, kode, ip, fra)


@logger_nektet
def gjenoppta_runde(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> None:
    """Åpne en runde som er satt på pause etter for mange feil koder (de som kan endre
    planen)."""
    motor.gjenoppta_runde(tj, PLAN, plan_id, bruker_id, fra)


def fullfor_runde(tj: Tjenester, runde_id: int) -> list[str]:
    return motor.fullfor_runde(tj, PLAN, runde_id)


def send_paminnelser(tj: Tjenester) -> motor.Paminnelsesrapport:
    """For cron: runder som er ute på tid, utløper (planen blir utkast igjen)."""
    return motor.send_paminnelser(tj, PLAN)


@logger_nektet
def last_opp_signert(
    tj: Tjenester, plan_id: int, pdf: bytes, bruker_id: int, fra: str = ""
) -> None:
    """Registrer en skannet PDF av planen signert på papir (personen signerer som regel slik).
    En aktiv runde trekkes; planen blir «signert og gjeldende»."""
    motor.last_opp_skannet(tj, PLAN, plan_id, pdf, bruker_id, fra)


def min_tur(tj: Tjenester, plan_id: int, bruker_id: int) -> bool:
    with tj.sesjoner() as s:
        return motor.er_min_tur(s, PLAN, plan_id, bruker_id)


def pauset(tj: Tjenester, plan_id: int) -> bool:
    """Er signeringen satt på pause etter for mange feil koder? (Etter tilgangssjekk.)"""
    with tj.sesjoner() as s:
        return motor.aktiv_runde(s, PLAN, plan_id, ("pauset",)) is not None


def signerere(tj: Tjenester, plan_id: int) -> list[tuple[str, str, str]]:
    """(navn, side, status) i den aktive eller siste runden; kalles bare etter tilgangssjekk."""
    with tj.sesjoner() as s:
        runde = motor.signerere_i_siste_runde(s, PLAN, plan_id)
        return (
            [(sig.bruker.navn, sig.side, sig.status) for sig in runde.signatarer] if runde else []
        )


def kandidater(tj: Tjenester, plan_id: int) -> list[Bruker]:
    """Hvem som kan velges som signerer: koordinatoren og ansvarsgruppens medlemmer."""
    with tj.sesjoner() as s:
        plan = s.get(Plan, plan_id)
        if plan is None:
            raise IkkeFunnet("Planen finnes ikke.")
        andre = [m.bruker for m in plan.medlemmer if m.bruker_id != plan.koordinator_id]
        return [plan.koordinator, *andre]


# --- Runder som trekkes når noen mister tilgangen ----------------------------------------------


def trekk_runde_uten_tilgang(
    s: Session, plan: Plan, bruker_id: int | None, g: Grunnlag | str, fra: str
) -> bool:
    """Trekk den aktive runden hvis en som ennå skal signere, ikke lenger har tilgang
    (fjernet fra gruppen, trukket samtykke, ny koordinator, deaktivert). Runden kan ikke
    fullføres da, og ingen skal få e-post om en plan de ikke kan åpne."""
    runde = motor.gjeldende_runde(s, PLAN, plan.id)
    if runde is None:
        return False
    s.flush()
    uten = [
        sig.bruker.navn
        for sig in runde.signatarer
        if sig.status == "venter" and grunnlag(s, plan, sig.bruker) is None
    ]
    if not uten:
        return False
    trekk_aktiv_runde(
        s, plan, bruker_id, g, fra, f"{', '.join(uten)} har ikke lenger tilgang til planen."
    )
    plan.status = "utkast"
    return True


def trekk_aktiv_runde(
    s: Session, plan: Plan, bruker_id: int | None, g: Grunnlag | str, fra: str, grunn: str
) -> None:
    runde = motor.trekk_runde(s, PLAN, plan.id, grunn)
    if runde is not None:
        logg(s, plan.id, "runde_trukket", bruker_id, g, fra, runde=runde.id, grunn=grunn)
