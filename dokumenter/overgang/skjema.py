"""Overgangsskjemaet: skjemaet som følger personen fra institusjonen inn i boligen
(`maler/overgangsskjema`). Hver versjon er innholdet (kryptert) og DOCX og PDF/A (kryptert i
arkivet, som planens filer, med typene skjema_docx og skjema_pdf). Personen signerer på
papir; den skannede kopien registreres gjennom rundemotoren (`SKJEMA`, en `Signerbar`) som
skannede planer, med samme kontroll av PDF-en og samme krasjsikre lagring.

Systemet fyller inn planen, personen, boligen, datoene, kontaktene og oppgavene fra
overgangen ved hver versjon; brukeren fyller ut pliktene, det personen må vite, avtalene,
inventarlisten og tilstandsrapporten."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arkiv.lager import LagretFil
from dokumenter.avtaler.produksjon import part_data, registrer_mal
from dokumenter.felles import formatering
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.infrastruktur.render import kontekst, render_docx
from dokumenter.models import Overgang, Overgangsskjema, Plan, Plandokument, Signeringsrunde
from dokumenter.overgang import apning, oppgaver
from dokumenter.overgang.regler import (
    KONTAKTROLLER,
    OPPFOLGINGSNIVAER,
    OPPGAVESTATUSER,
    oppfolgingsniva,
    overgang_slutt,
)
from dokumenter.planer.innsynslogg import logg, logger_nektet
from dokumenter.planer.regler import krev_apen, person
from dokumenter.planer.tilgang import Grunnlag
from dokumenter.signering import motor
from dokumenter.tjenester import Tjenester

MAL = "overgangsskjema"
SYSTEMFELT = (
    "kommune_navn", "plan_nummer", "skjema_versjon", "person_navn", "person_fodselsdato",
    "institusjon_navn", "bolig", "tilbud_dato", "innflytting_dato", "overgang_slutt",
    "oppfolgingsniva", "overlapp", "kontakter", "oppgaver",
)  # fmt: skip
PERSONFELT = ("person_navn", "person_fodselsdato")
PAPIR = "Overgangsskjemaet signeres på papir; last opp den skannede kopien."


def innholdsfelt(tj: Tjenester) -> list:
    """Manifestets felt som brukeren fyller ut."""
    return [f for f in tj.mal(MAL).felt if f.navn not in SYSTEMFELT]


def _siste(s: Session, overgang_id: int) -> Overgangsskjema | None:
    return s.scalar(
        select(Overgangsskjema)
        .where(Overgangsskjema.overgang_id == overgang_id)
        .order_by(Overgangsskjema.nummer.desc())
        .limit(1)
    )


def _systemverdier(tj: Tjenester, plan: Plan, o: Overgang, nummer: int) -> dict[str, Any]:
    p = person(tj, plan)
    avtale = plan.avtale
    kommune = "Kommunen"
    if avtale is not None and avtale.siste_versjon is not None:
        kommune = avtale.siste_versjon.feltverdier.get("kommune_navn") or kommune
    tjenester = {m.bruker_id: m.tjeneste for m in plan.medlemmer}
    tjenester.setdefault(plan.koordinator_id, "Koordinator")
    kontakter = [
        {"rolle": navn, "navn": b.navn, "tjeneste": tjenester.get(b.id, "")}
        for rolle, navn in KONTAKTROLLER.items()
        if (b := getattr(o, rolle)) is not None
    ]
    liste = []
    for x in o.oppgaver:
        if x.status == "bortfalt":
            continue
        ansvarlig = oppgaver.ansvarlig(o, x)
        liste.append(
            {
                "oppgave": x.tittel,
                "ansvarlig": ansvarlig.navn if ansvarlig else (x.ansvarlig_tekst or ""),
                "frist": formatering.dato_kort(x.frist) if x.frist else "",
                "status": OPPGAVESTATUSER[x.status],
            }
        )
    niva = oppfolgingsniva(o)
    overlapp = ""
    if o.overlapp_fra:
        overlapp = (
            f"{formatering.dato_kort(o.overlapp_fra)}–{formatering.dato_kort(o.overlapp_til)}, "
            f"betales av {o.overlapp_betaler}"
        )
    slutt = overgang_slutt(o)
    return {
        "kommune_navn": kommune,
        "plan_nummer": plan.nummer,
        "skjema_versjon": nummer,
        "person_navn": p.navn,
        "person_fodselsdato": p.fodselsdato.isoformat(),
        "institusjon_navn": plan.part.navn,
        "bolig": tj.chiffer.dekrypter_tekst(o.bolig_kryptert) if o.bolig_kryptert else "",
        "tilbud_dato": o.tilbud_dato.isoformat() if o.tilbud_dato else "",
        "innflytting_dato": o.innflytting_dato.isoformat() if o.innflytting_dato else "",
        "overgang_slutt": slutt.isoformat() if slutt else "",
        "oppfolgingsniva": OPPFOLGINGSNIVAER[niva][0] if niva else "",
        "overlapp": overlapp,
        "kontakter": kontakter,
        "oppgaver": liste,
    }


@logger_nektet
def siste_innhold(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> dict[str, Any]:
    """Det brukeren fylte ut i forrige versjon (tomt før den første), til skjemaet."""
    with tj.transaksjon() as s:
        _, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        siste = _siste(s, o.id)
        logg(s, plan_id, "overgang_lest", bruker_id, g, fra, skjema=siste.nummer if siste else 0)
        if siste is None:
            return {}
        verdier = json.loads(tj.chiffer.dekrypter_tekst(siste.feltverdier_kryptert))
    return {k: v for k, v in verdier.items() if k not in SYSTEMFELT}


@logger_nektet
def lag(tj: Tjenester, plan_id: int, innhold: dict[str, Any], bruker_id: int, fra: str = "") -> int:
    """Lag en ny versjon av skjemaet (DOCX og PDF/A, kryptert i arkivet); gir versjonen."""
    mal = tj.mal(MAL)
    ukjente = set(innhold) & set(SYSTEMFELT)
    if ukjente:
        raise Valideringsfeil(dict.fromkeys(sorted(ukjente), "Feltet settes av systemet."))
    with tj.sesjoner() as s:
        plan, o, _ = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        siste = _siste(s, o.id)
        nummer = (siste.nummer if siste else 0) + 1
        verdier = mal.valider({**innhold, **_systemverdier(tj, plan, o, nummer)})
        dele = part_data(plan.part)
    ctx = kontekst(mal, dele, verdier, mal.variant_for(dele.type), date.today())
    malfil = mal.fil.read_bytes()
    tittel = f"Overgangsskjema – individuell plan {verdier['plan_nummer']}"
    docx = render_docx(mal, ctx, malfil, tittel=tittel)  # uten personens navn
    pdf = tj.konverterer.til_pdfa(docx)
    lagret = {k: v for k, v in verdier.items() if k not in PERSONFELT}

    def registrer(s: Session, filer: list[LagretFil]) -> int:
        malfil_, docx_, pdf_ = filer
        plan, o, g = apning.apne(s, plan_id, bruker_id, fra, endre=True)
        krev_apen(plan)
        if (
            s.scalar(
                select(func.max(Overgangsskjema.nummer)).where(Overgangsskjema.overgang_id == o.id)
            )
            or 0
        ) != nummer - 1:
            raise Valideringsfeil({"skjema": "En annen laget en ny versjon samtidig; prøv igjen."})
        registrer_mal(s, mal, malfil_)
        s.add(
            Overgangsskjema(
                plan_id=plan_id,
                overgang_id=o.id,
                nummer=nummer,
                feltverdier_kryptert=tj.chiffer.krypter_tekst(json.dumps(lagret)),
                mal_versjon=mal.versjon,
                mal_sha256=malfil_.sha256,
                opprettet_av_id=bruker_id,
            )
        )
        for type_, fil, klartekst in (("skjema_docx", docx_, docx), ("skjema_pdf", pdf_, pdf)):
            s.add(_dokument(plan_id, nummer, type_, fil, klartekst, bruker_id))
        logg(s, plan_id, "skjema_laget", bruker_id, g, fra, skjema=nummer)
        return nummer

    krypter = tj.chiffer.krypter
    return tj.arkiver([malfil, krypter(docx), krypter(pdf)], registrer)


def _dokument(
    plan_id: int, nummer: int, type_: str, fil: LagretFil, klartekst: bytes, bruker_id: int | None
) -> Plandokument:
    return Plandokument(
        plan_id=plan_id,
        versjon_nummer=nummer,
        type=type_,
        sha256=fil.sha256,
        storrelse=fil.storrelse,
        innhold_sha256=hashlib.sha256(klartekst).hexdigest(),
        opprettet_av_id=bruker_id,
    )


# --- Signert på papir: rundemotoren med SKJEMA -----------------------------------------------


@dataclass
class Skjemasak:
    plan: Plan
    overgang: Overgang
    grunnlag: Grunnlag


class Skjemasignering(motor.Signerbar[Skjemasak]):
    """Overgangsskjemaet signeres bare på papir (personen og institusjonen); motoren brukes
    for den skannede kopien. Rundene (engangskoder) er ikke i bruk for skjemaet."""

    art = "overgangsskjema"
    objekt = "Overgangsskjemaet"
    denne = "overgangsskjemaet"

    def apne(
        self, s: Session, objekt_id: int, bruker_id: int | None, fra: str, endre: bool
    ) -> Skjemasak:
        if bruker_id is None:
            raise Valideringsfeil({"fil": PAPIR})
        plan, o, g = apning.apne(s, objekt_id, bruker_id, fra, endre)
        return Skjemasak(plan, o, g)

    def objekt_id(self, sak: Skjemasak) -> int:
        return sak.plan.id

    def beskrivelse(self, sak: Skjemasak) -> str:
        return f"overgangsskjemaet for individuell plan {sak.plan.nummer}"

    def tittel(self, sak: Skjemasak) -> str:
        return f"Overgangsskjema for individuell plan {sak.plan.nummer}"

    def gjeldende_pdf(self, tj: Tjenester, s: Session, sak: Skjemasak) -> bytes | None:
        siste = _siste(s, sak.overgang.id)
        pdf = _fil(s, sak.plan.id, siste.nummer, "skjema_pdf") if siste else None
        return tj.chiffer.dekrypter(tj.lager.les(pdf.sha256)) if pdf else None

    def til_arkivet(self, tj: Tjenester, data: bytes) -> bytes:
        return tj.chiffer.krypter(data)

    def registrer_kopi(
        self,
        s: Session,
        sak: Skjemasak,
        runde: Signeringsrunde | None,
        fil: LagretFil,
        data: bytes,
        bruker_id: int | None,
        fra: str,
        **detaljer: Any,
    ) -> Plandokument:
        krev_apen(sak.plan)
        siste = _siste(s, sak.overgang.id)
        if siste is None:
            raise Valideringsfeil({"fil": "Lag overgangsskjemaet før du laster opp den signerte."})
        dokument = _dokument(sak.plan.id, siste.nummer, "skjema_skannet", fil, data, bruker_id)
        s.add(dokument)
        logg(
            s,
            sak.plan.id,
            "signert_kopi",
            bruker_id,
            sak.grunnlag,
            fra,
            skjema=siste.nummer,
            type="skannet",
        )
        return dokument  # motoren journalfører raden (inngående i planens sak)

    # Rundene brukes ikke for skjemaet: alt som bare gjelder dem, avvises.
    def til_signering(self, *_: Any) -> tuple[int, str]:
        raise Valideringsfeil({"signatarer": PAPIR})

    def sjekk_signatarer(self, *_: Any) -> None:
        raise Valideringsfeil({"signatarer": PAPIR})

    def signert_pdf(self, *_: Any) -> bytes:
        raise Valideringsfeil({"fil": PAPIR})

    def varsel(self, *_: Any) -> str:
        return PAPIR

    def logg(self, s: Session, sak: Skjemasak, handling: str, *_: Any, **__: Any) -> None:
        raise Valideringsfeil({"fil": PAPIR})

    def revisjonsspor(self, *_: Any) -> list:
        return []

    def etter_fullfort(self, *_: Any) -> list:
        return []

    def ved_avslag(self, *_: Any) -> str:
        return PAPIR

    def ved_utlop(self, *_: Any) -> None:
        return None


SKJEMA = Skjemasignering()


def _fil(s: Session, plan_id: int, nummer: int, type_: str) -> Plandokument | None:
    return s.scalar(
        select(Plandokument)
        .where(
            Plandokument.plan_id == plan_id,
            Plandokument.versjon_nummer == nummer,
            Plandokument.type == type_,
        )
        .order_by(Plandokument.id.desc())
        .limit(1)
    )


@logger_nektet
def last_opp_signert(tj: Tjenester, plan_id: int, pdf: bytes, bruker_id: int, fra: str = "") -> int:
    """Registrer den skannede kopien av siste versjon, signert av personen og institusjonen.
    Gir versjonen den gjelder."""
    return motor.last_opp_skannet(tj, SKJEMA, plan_id, pdf, bruker_id, fra).versjon_nummer
