"""Etterregistrering: avtaler, planer og dokumenter fra før arkivet kom (migrering 0010) får
saksmapper og journalposter (`dokumenter arkiv etterregistrer`, som `dokumenter init` også
kjører). Trygt å kjøre igjen: det som alt er journalført (`journalpost.kilde`), hoppes over.

Det som etterregistreres, er dokumentene som står i egne rader: signerte kopier, avviksskjemaer,
evalueringsrapporter og planversjoner med planenes signerte kopier. Journaldatoen er dagen det
registreres; dokumentets dato er den opprinnelige. Utsendinger til gjennomgang og signering fra
før arkivet kom, står i revisjonsloggen, men blir ikke journalposter (versjonen de gjaldt, kan
ikke bestemmes sikkert i ettertid).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from dokumenter.models import (
    Avtale,
    Avvik,
    Avviksskjema,
    Evaluering,
    Journalpost,
    Plan,
    Plandokument,
    PlanVersjon,
    Saksmappe,
    SignertKopi,
)
from dokumenter.noark.registrering import Journalforing, saksmappe
from dokumenter.tjenester import Arkivhendelse, Tjenester


@dataclass
class Etterregistrering:
    saksmapper: int = 0
    journalposter: int = 0


def _kilder(tj: Tjenester) -> Iterator[tuple[object, Arkivhendelse]]:
    """(tidspunkt, hendelse) for hvert dokument som kan mangle en journalpost."""
    with tj.sesjoner() as s:
        for k in s.scalars(select(SignertKopi)):
            yield (
                k.opprettet,
                Arkivhendelse("signert_kopi", "avtale", k.avtale_id, k.opprettet_av_id, k.id),
            )
        for sk, avtale_id in s.execute(
            select(Avviksskjema, Avvik.avtale_id).join(Avvik, Avvik.id == Avviksskjema.avvik_id)
        ):
            yield sk.opprettet, Arkivhendelse("avviksskjema", "avtale", avtale_id, None, sk.id)
        for e in s.scalars(select(Evaluering)):
            yield (
                e.opprettet,
                Arkivhendelse("evaluering", "avtale", e.avtale_id, e.opprettet_av_id, e.id),
            )
        for v in s.scalars(select(PlanVersjon)):
            yield (
                v.opprettet,
                Arkivhendelse("planversjon", "plan", v.plan_id, v.opprettet_av_id, v.id),
            )
        for pd in s.scalars(
            select(Plandokument).where(Plandokument.type.in_(("forseglet", "skannet")))
        ):
            yield (
                pd.opprettet,
                Arkivhendelse("signert_kopi", "plan", pd.plan_id, pd.opprettet_av_id, pd.id),
            )


def _innhold(tj: Tjenester, h: Arkivhendelse) -> tuple[bytes, ...]:
    """Planenes filer i klartekst (krypterte i lageret), i kildens rekkefølge."""
    with tj.sesjoner() as s:
        if h.type == "planversjon":
            v = s.get(PlanVersjon, h.kilde_id)
            rader = s.scalars(
                select(Plandokument)
                .where(
                    Plandokument.plan_id == v.plan_id,
                    Plandokument.versjon_nummer == v.nummer,
                    Plandokument.type.in_(("docx", "pdf")),
                )
                .order_by(Plandokument.id)
            ).all()
            siste = {pd.type: pd.sha256 for pd in rader}
            shaer = [siste[t] for t in ("docx", "pdf") if t in siste]
        elif h.art == "plan":
            shaer = [s.get(Plandokument, h.kilde_id).sha256]
        else:
            kopi = s.get(SignertKopi, h.kilde_id)
            return (tj.lager.les(kopi.sha256),) if kopi.type == "skannet" else ()
    return tuple(tj.chiffer.dekrypter(tj.lager.les(sha)) for sha in shaer)


def etterregistrer(tj: Tjenester) -> Etterregistrering:
    """Saksmapper for alle avtaler og planer, og journalposter for dokumentene som mangler én,
    eldste først. Én transaksjon per dokument."""
    r = Etterregistrering()
    journal = Journalforing(tj)
    with tj.sesjoner() as s:
        med_sak = select(Saksmappe.avtale_id).where(Saksmappe.avtale_id.is_not(None))
        uten = [
            ("avtale", a.id, a.opprettet_av_id)
            for a in s.scalars(select(Avtale).where(~Avtale.id.in_(med_sak)).order_by(Avtale.id))
        ]
        med_sak = select(Saksmappe.plan_id).where(Saksmappe.plan_id.is_not(None))
        uten += [
            ("plan", p.id, p.opprettet_av_id)
            for p in s.scalars(select(Plan).where(~Plan.id.in_(med_sak)).order_by(Plan.id))
        ]
        kjente = set(s.scalars(select(Journalpost.kilde).where(Journalpost.kilde.is_not(None))))
    for art, sak_id, bruker_id in uten:
        with tj.transaksjon() as s:
            saksmappe(tj, s, art, sak_id, bruker_id)
        r.saksmapper += 1
    for _, h in sorted(_kilder(tj), key=lambda t: (t[0], t[1].type, t[1].kilde_id)):
        if f"{h.art}/{h.type}:{h.kilde_id}" in kjente:
            continue
        if h.art == "plan" or h.type == "signert_kopi":
            h = Arkivhendelse(h.type, h.art, h.sak_id, h.bruker_id, h.kilde_id, _innhold(tj, h))
        with tj.transaksjon() as s:
            journal.registrer(s, h)
        r.journalposter += 1
    return r
