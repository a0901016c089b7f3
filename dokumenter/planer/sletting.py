"""Sletting av avsluttede planer når oppbevaringstiden er ute: radene og filene, med en
sletterapport uten personopplysninger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from dokumenter.infrastruktur.db import sjekkpunkt
from dokumenter.models import (
    Ansvarsgruppemedlem,
    Boligutfall,
    Engangskode,
    Kartlegging,
    Overgang,
    Overgangsmote,
    Overgangsoppgave,
    Overgangsskjema,
    Plan,
    Plandokument,
    Planlogg,
    Plansletting,
    Plantilgang,
    PlanVersjon,
    Samtykke,
    Signatar,
    Signeringsrunde,
)
from dokumenter.tjenester import Tjenester


@dataclass
class Sletterapport:
    planer: list[str] = field(default_factory=list)  # plannumre
    rader: dict[str, int] = field(default_factory=dict)
    filer: int = 0
    databasefil_renset: bool | None = None  # None: ikke SQLite


def slett_utlopte(
    tj: Tjenester, idag: date | None = None, utfort_av: str = "systemet"
) -> Sletterapport:
    """Slett avsluttede planer der oppbevaringstiden er ute: databaserader og filer i arkivet
    (også signerte kopier). Igjen står en sletterapport uten personopplysninger. Planene er
    aldri i søkeindeksen (de søkes dekryptert, i minnet), så den trenger ingen omskriving.

    Rekkefølgen: (1) planene merkes «slettes», så ingen kan åpne dem; (2) radene slettes, én
    transaksjon per plan; (3) filene. Stopper noe underveis, står planene som «slettes» og
    tas med ved neste kjøring."""
    idag = idag or date.today()
    rapport = Sletterapport()
    with tj.transaksjon() as s:
        planer = s.scalars(
            select(Plan).where(Plan.status.in_(("avsluttet", "slettes")), Plan.slettes_etter < idag)
        ).all()
        for plan in planer:
            plan.status = "slettes"
        ider = [p.id for p in planer]
    if not ider:
        return rapport
    for plan_id in ider:
        _slett_rader_og_filer(tj, plan_id, utfort_av, rapport)
    # SQLite: de slettede sidene kan ellers bli liggende i -wal-filen til neste sjekkpunkt.
    rapport.databasefil_renset = sjekkpunkt(tj.sesjoner.kw["bind"])
    return rapport


def _slett_rader_og_filer(
    tj: Tjenester, plan_id: int, utfort_av: str, rapport: Sletterapport
) -> None:
    with tj.transaksjon() as s:
        plan = s.get(Plan, plan_id)
        nummer, avsluttet = plan.nummer, plan.avsluttet_dato
        # Slettingen er en kassasjon i arkivet: registrert før radene forsvinner.
        tj.journal.kasser_plan(s, plan_id, utfort_av)
        filer = set(s.scalars(select(Plandokument.sha256).where(Plandokument.plan_id == plan_id)))
        runder = select(Signeringsrunde.id).where(Signeringsrunde.plan_id == plan_id)
        signatarer = select(Signatar.id).where(Signatar.runde_id.in_(runder))
        overgang = select(Overgang.id).where(Overgang.plan_id == plan_id)
        teller: dict[str, int] = {}
        # Rekkefølgen følger fremmednøklene: det som peker på noe, slettes før det.
        for modell, vilkar in (
            (Overgangsskjema, Overgangsskjema.plan_id == plan_id),
            (Boligutfall, Boligutfall.overgang_id.in_(overgang)),
            (Overgangsoppgave, Overgangsoppgave.overgang_id.in_(overgang)),
            (Overgangsmote, Overgangsmote.overgang_id.in_(overgang)),
            (Overgang, Overgang.plan_id == plan_id),
            (Kartlegging, Kartlegging.plan_id == plan_id),
            (Samtykke, Samtykke.plan_id == plan_id),  # peker på den skannede kopien
            (Plandokument, Plandokument.plan_id == plan_id),
            (Engangskode, Engangskode.signatar_id.in_(signatarer)),
            (Signatar, Signatar.runde_id.in_(runder)),
            (Signeringsrunde, Signeringsrunde.plan_id == plan_id),
            (PlanVersjon, PlanVersjon.plan_id == plan_id),
            (Ansvarsgruppemedlem, Ansvarsgruppemedlem.plan_id == plan_id),
            (Plantilgang, Plantilgang.plan_id == plan_id),
            (Planlogg, Planlogg.plan_id == plan_id),
            (Plan, Plan.id == plan_id),
        ):
            teller[modell.__tablename__] = s.execute(
                modell.__table__.delete().where(vilkar)
            ).rowcount
        s.add(
            Plansletting(
                plan_nummer=nummer,
                avsluttet_dato=avsluttet,
                rader=teller,
                filer=len(filer),
                indeksdokumenter=0,  # planene er ikke i søkeindeksen
                utfort_av=utfort_av[:100],
            )
        )
    # Filene etter commit. En krasj her etterlater bare krypterte filer uten rad, som
    # `dokumenter arkiv verifiser` melder som foreldreløse. (Krypterte filer deles aldri:
    # samme innhold gir ulik chiffertekst.)
    for sha in filer:
        tj.lager.slett(sha)
    rapport.planer.append(nummer)
    for k, v in teller.items():
        rapport.rader[k] = rapport.rader.get(k, 0) + v
    rapport.filer += len(filer)
