"""Kassasjon: når en individuell plan slettes etter oppbevaringstiden, blir slettingen en
registrert kassasjon (Noark: utført kassasjon) i samme transaksjon som radene slettes.

Saksmappen, journalpostene og dokumentbeskrivelsene står igjen med hvem som kasserte, når og
etter hvilken hjemmel; dokumentobjektene (filene) slettes, så innholdet er borte. Det planens
egen logg visste om saken (koordinatorbytter og avslutning), flyttes til `metadataendring`,
så arkivuttrekkets endringslogg har det også etter at planen er slettet. Ingenting av dette
nevner personen.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from dokumenter.felles.tid import naa
from dokumenter.models import (
    Arkivmelding,
    Dokumentbeskrivelse,
    Dokumentobjekt,
    Journalpost,
    Metadataendring,
    Plan,
    Planlogg,
    Saksmappe,
)
from dokumenter.noark import kodeverk as kv
from dokumenter.noark.poster import brukernavn


def kasser_plan(s: Session, mappe: Saksmappe, plan_id: int, utfort_av: str) -> None:
    """Registrer kassasjonen av planen (kalles før planens rader slettes)."""
    plan = s.get(Plan, plan_id)
    tid = naa()
    logg = s.scalars(
        select(Planlogg)
        .where(
            Planlogg.plan_id == plan_id,
            Planlogg.handling.in_(("koordinator_byttet", "avsluttet")),
        )
        .order_by(Planlogg.id)
    ).all()
    for linje in logg:
        hvem = brukernavn(s, linje.bruker_id)
        d = linje.detaljer or {}
        if linje.handling == "koordinator_byttet":
            endring = ("saksansvarlig", d.get("fra_koordinator", ""), d.get("til", ""))
        else:
            endring = ("saksstatus", kv.UNDER_BEHANDLING[1], kv.AVSLUTTET[1])
            mappe.avsluttet, mappe.avsluttet_av = linje.tidspunkt, hvem
        s.add(
            Metadataendring(
                arkivenhet=mappe.system_id,
                metadata_navn=endring[0],
                tidligere_verdi=endring[1] or "-",
                ny_verdi=endring[2] or "-",
                endret_av=hvem,
                endret=linje.tidspunkt,
            )
        )
    if mappe.avsluttet is None:
        mappe.avsluttet, mappe.avsluttet_av = plan.endret, kv.SYSTEMET
    mappe.saksansvarlig = plan.koordinator.navn
    mappe.kassasjonsdato = plan.slettes_etter
    mappe.kassert, mappe.kassert_av = tid, utfort_av[:100]
    journalposter = select(Journalpost.id).where(Journalpost.saksmappe_id == mappe.id)
    beskrivelser = s.scalars(
        select(Dokumentbeskrivelse).where(Dokumentbeskrivelse.journalpost_id.in_(journalposter))
    ).all()
    for db in beskrivelser:
        db.kassert, db.kassert_av = tid, utfort_av[:100]
        s.add(
            Metadataendring(
                arkivenhet=db.system_id,
                metadata_navn="utfoertKassasjon",
                tidligere_verdi="Ikke kassert",
                ny_verdi=(
                    f"Kassert etter {mappe.kassasjonshjemmel or 'kassasjonsvedtaket'}; "
                    "dokumentobjektene (filene) er slettet"
                ),
                endret_av=utfort_av[:200],
                endret=tid,
            )
        )
    s.execute(
        delete(Dokumentobjekt).where(
            Dokumentobjekt.dokumentbeskrivelse_id.in_([db.id for db in beskrivelser])
        )
    )
    # Meldinger til sak/arkiv som ikke er sendt, kan ikke sendes: filene finnes ikke lenger.
    s.execute(
        update(Arkivmelding)
        .where(
            Arkivmelding.journalpost_id.in_(journalposter),
            Arkivmelding.status.in_(("ny", "feilet")),
        )
        .values(
            status="feilet",
            feil="Planen ble kassert før meldingen ble sendt; filene finnes ikke lenger.",
        )
        .execution_options(synchronize_session=False)
    )
    mappe.plan_id = None
    s.flush()
