"""Drift av arkivet: kontroll mot databasen, sikkerhetskopi og gjenoppretting. En skadet
fil nevnes med hva den er (`filbeskrivelse`), både av kontrollen og av sikkerhetskopien."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from arkiv import kontroll, sikkerhetskopi
from arkiv.lager import Fillager, LagerFeil
from dokumenter.drift import filbeskrivelse
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.models import Avviksskjema, Dokument, Evaluering, Malfil, Plandokument, SignertKopi
from dokumenter.sok import indeksering
from dokumenter.tjenester import Tjenester, apne, lag_lager


def forventede_filer(s: Session) -> dict[str, int]:
    """sha256 -> størrelse for hver fil databasen peker på."""
    filer = dict(s.execute(select(Dokument.sha256, Dokument.storrelse)).all())
    filer.update(s.execute(select(Malfil.sha256, Malfil.storrelse)).all())
    filer.update(s.execute(select(SignertKopi.sha256, SignertKopi.storrelse)).all())
    filer.update(s.execute(select(Plandokument.sha256, Plandokument.storrelse)).all())
    filer.update(s.execute(select(Avviksskjema.docx_sha256, Avviksskjema.docx_storrelse)).all())
    filer.update(s.execute(select(Avviksskjema.pdf_sha256, Avviksskjema.pdf_storrelse)).all())
    filer.update(s.execute(select(Evaluering.docx_sha256, Evaluering.docx_storrelse)).all())
    filer.update(s.execute(select(Evaluering.pdf_sha256, Evaluering.pdf_storrelse)).all())
    return filer


def verifiser(
    tj: Tjenester, fremdrift: Callable[[int], None] | None = None
) -> kontroll.Kontrollrapport:
    with tj.sesjoner() as s:
        forventet = forventede_filer(s)
    return kontroll.verifiser(tj.lager, forventet, fremdrift)


def antall_filer(tj: Tjenester) -> int:
    return sum(1 for _ in tj.lager.shaer())


def beskriv(tj: Tjenester, sha256er: Iterable[str]) -> list[filbeskrivelse.Filbeskrivelse]:
    """Hva hver fil er (avtale, plan, avvik, evaluering; versjon, art og sti), fra databasen."""
    with tj.sesjoner() as s:
        return filbeskrivelse.beskriv(s, tj.lager, sha256er)


def lag_sikkerhetskopi(
    tj: Tjenester, maal: Path, fremdrift: Callable[[int], None] | None = None
) -> dict:
    """Kopier databasen (konsistent øyeblikksbilde) og filene den peker på til `maal`; filene
    leses fra instansens arkivlager (mappen eller objektlageret) og legges i `maal/arkiv`.

    Kopien bygges i `maal.delvis-*` ved siden av og får navnet `maal` først når den er
    ferdig, så en avbrutt kopi aldri ser ut som en ferdig en; rester etter avbrutte kopier
    fjernes først. En fil som mangler eller er skadet, hoppes over og står i `feil` (og i
    manifestet) med hva den er; alt annet kopieres.

    Med PostgreSQL er databasens del `pg_dump`, tatt *før* denne kopien: da kopieres bare
    filene databasen peker på nå (et overmengde av dem dumpen peker på, for filene får bare nye
    rader), og manifestet sier `"database": null`.
    """
    url = tj.innstillinger.database_url
    db = sikkerhetskopi.sqlite_sti(url) if url.startswith("sqlite:///") else None
    maal = maal.resolve()
    if maal.exists() and any(maal.iterdir()):
        raise LagerFeil(f"{maal} finnes og er ikke tom. Velg en ny mappe for sikkerhetskopien.")
    maal.parent.mkdir(parents=True, exist_ok=True)
    sikkerhetskopi.rydd_delvise(maal)
    arbeid, las = sikkerhetskopi.delvis_mappe(maal)
    try:
        kopi_db = arbeid / sikkerhetskopi.DB_NAVN
        if db is not None:
            sikkerhetskopi.kopier_database(db, kopi_db)
        motor = create_engine(f"sqlite:///{kopi_db}") if db is not None else None
        with Session(motor) if motor is not None else tj.sesjoner() as s:
            filer = forventede_filer(s)
            r = sikkerhetskopi.kopier_filer(
                tj.lager, Fillager(arbeid / "arkiv"), sorted(filer), fremdrift
            )
            beskrivelser = filbeskrivelse.beskriv(s, tj.lager, [sha for sha, _ in r.feil])
        if motor is not None:
            motor.dispose()
        innhold = {
            "database": sikkerhetskopi.DB_NAVN if db is not None else None,
            "database_sha256": hashlib.sha256(kopi_db.read_bytes()).hexdigest()
            if db is not None
            else None,
            "filer": r.antall,
            "bytes": r.bytes,
            "feil": [
                {"sha256": b.sha256, "hva": list(b.hva), "sti": str(b.sti), "grunn": grunn}
                for b, (_, grunn) in zip(beskrivelser, r.feil, strict=True)
            ],
        }
        sikkerhetskopi.skriv_manifest(arbeid, **innhold)
        (arbeid / ".las").unlink()
        if maal.exists():
            maal.rmdir()
        arbeid.rename(maal)
    except BaseException:
        sikkerhetskopi.fjern_ufullstendig(arbeid)
        raise
    finally:
        os.close(las)
    innhold["beskrivelser"] = beskrivelser
    return innhold


def gjenopprett(
    innstillinger: Innstillinger, kilde: Path, fremdrift: Callable[[int], None] | None = None
) -> kontroll.Kontrollrapport:
    """Gjenopprett en sikkerhetskopi til en tom instans, kontroller den og bygg søkeindeksen.
    Filene legges i instansens arkivlager: mappen, eller en tom bøtte (DOKUMENTER_S3_*). En
    kopi med bare filene (PostgreSQL) krever at databasen alt er gjenopprettet (pg_restore)."""
    manifest = sikkerhetskopi.les_manifest(kilde)
    bare_filer = manifest["database"] is None  # PostgreSQL: databasen kommer fra pg_dump
    kopi_db = kilde / (manifest["database"] or sikkerhetskopi.DB_NAVN)
    if not bare_filer and (
        hashlib.sha256(kopi_db.read_bytes()).hexdigest() != manifest["database_sha256"]
    ):
        raise LagerFeil(f"Databasefilen i {kilde} er endret eller skadet.")
    if bare_filer and innstillinger.database_url.startswith("sqlite:///"):
        raise LagerFeil(
            f"{kilde} har bare filene (databasen var PostgreSQL). Gjenopprett databasen med "
            "pg_restore og pek DATABASE_URL på den først."
        )
    db = None if bare_filer else sikkerhetskopi.sqlite_sti(innstillinger.database_url)
    lager = lag_lager(innstillinger)  # arkivmappen eller bøtta (DOKUMENTER_S3_*)
    try:
        if (db is not None and db.exists()) or next(iter(lager.shaer()), None) is not None:
            raise LagerFeil(
                f"Instansen {innstillinger.instans} er ikke tom. Gjenopprett til en ny mappe "
                "(DOKUMENTER_INSTANS=...) eller en ny bøtte, eller flytt den gamle bort først."
            )
        innstillinger.instans.mkdir(parents=True, exist_ok=True)
        sikkerhetskopi.kopier_filer(Fillager(kilde / "arkiv"), lager, _alle_sha(kilde), fremdrift)
    finally:
        lager.lukk()
    if db is not None:
        tmp = db.with_name(db.name + ".gjenopprettes")
        sikkerhetskopi.kopier_database(kopi_db, tmp)
        tmp.rename(db)
    tj = apne(innstillinger)  # kjører eventuelle nyere migreringer
    try:
        rapport = verifiser(tj)
        if rapport.ren:
            indeksering.reindekser(tj)  # søkeindeksen er avledet og følger ikke med i kopien
        return rapport
    finally:
        tj.lukk()


def _alle_sha(kilde: Path) -> list[str]:
    return [p.name for p in Fillager(kilde / "arkiv").alle()]
