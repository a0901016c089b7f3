"""Brukstilfeller for samarbeidsavtaler: utkast, nye versjoner, status og ansvar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from dokumenter.avtaler import varsler
from dokumenter.avtaler.livslop import KAN_ENDRES, STATUSER, bytt_status, logg
from dokumenter.avtaler.produksjon import FORMATER, MAL, Produsert, produser, registrer_mal
from dokumenter.brukere.roller import SKRIVEROLLER, krev_skrivetilgang
from dokumenter.felles.feil import IkkeFunnet, Konflikt, Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.felles.validering import rens_tekst, skjema_token
from dokumenter.infrastruktur.maler import Mal
from dokumenter.models import (
    Ansvarsoverforing,
    Avtale,
    AvtaleVersjon,
    Bruker,
    Dokument,
    Part,
)
from dokumenter.sok import indeksering, tekster
from dokumenter.tjenester import Arkivhendelse, Tjenester

T = TypeVar("T")


def _ny_versjon(
    s: Session,
    avtale_id: int,
    fra_versjon: int,
    mal: Mal,
    verdier: dict,
    p: Produsert,
    bruker_id: int,
    grunn: str,
    fra: str,
    token: str | None = None,
) -> AvtaleVersjon:
    """Registrer versjon fra_versjon+1, men bare hvis ingen andre har lagret i mellomtiden."""
    nummer = fra_versjon + 1
    if token and (lagret := _med_token(s, token)) is not None:
        raise _AlleredeLagret(lagret.id)  # samme skjema sendt to ganger samtidig
    oppdatert = s.execute(
        update(Avtale)
        .where(Avtale.id == avtale_id, Avtale.gjeldende_versjon == fra_versjon)
        .values(gjeldende_versjon=nummer, endret_av_id=bruker_id, endret=naa())
        .execution_options(synchronize_session=False)
    )
    if oppdatert.rowcount != 1:
        naa_versjon = s.scalar(select(Avtale.gjeldende_versjon).where(Avtale.id == avtale_id))
        raise Konflikt(fra_versjon, naa_versjon)
    status = s.scalar(select(Avtale.status).where(Avtale.id == avtale_id))
    if fra_versjon and status not in KAN_ENDRES:
        raise Valideringsfeil(
            {
                "status": f"En avtale med status «{STATUSER[status]}» kan ikke endres. "
                + ("Sett den til «Til revisjon» først." if status == "inngaatt" else "")
            }
        )
    if status == "til_signering":  # endret innhold: signaturene gjelder ikke lenger
        avtale = s.get(Avtale, avtale_id)
        bytt_status(s, avtale, "utkast", bruker_id, fra, "Innholdet ble endret under signering.")
    registrer_mal(s, mal, p.mal)
    versjon = AvtaleVersjon(
        avtale_id=avtale_id,
        nummer=nummer,
        feltverdier=verdier,
        variant=p.variant,
        mal_versjon=mal.versjon,
        mal_sha256=p.mal.sha256,
        grunn=grunn,
        opprettet_av_id=bruker_id,
        skjema_token=token,
        dokumenter=[
            Dokument(format=fmt, variant=FORMATER[fmt][0], sha256=f.sha256, storrelse=f.storrelse)
            for fmt, f in p.filer.items()
        ],
    )
    s.add(versjon)
    s.flush()
    tekster.registrer(s, versjon.id, p.tekst)
    indeksering.meld(s, "avtale", avtale_id)
    logg(s, avtale_id, "ny_versjon", bruker_id, fra, versjon=nummer, grunn=grunn)
    logg(
        s,
        avtale_id,
        "generert",
        bruker_id,
        fra,
        versjon=nummer,
        dokumenter={fmt: f.sha256 for fmt, f in p.filer.items()},
        mal=p.mal.sha256,
    )
    return versjon


class _AlleredeLagret(Exception):
    """Skjemaet med denne engangsnøkkelen er alt lagret; filene forkastes (arkiver)."""

    def __init__(self, versjon_id: int) -> None:
        self.versjon_id = versjon_id


def _med_token(s: Session, token: str) -> AvtaleVersjon | None:
    return s.scalar(select(AvtaleVersjon).where(AvtaleVersjon.skjema_token == token))


def lagret_med_token(tj: Tjenester, token: str | None) -> AvtaleVersjon | None:
    """Versjonen et skjema med denne engangsnøkkelen allerede har lagret, om noen."""
    if not (token := skjema_token(token)):
        return None
    with tj.sesjoner() as s:
        return _med_token(s, token)


def _idempotent(tj: Tjenester, token: str | None, lagre: Callable[[], T]) -> T | AvtaleVersjon:
    """Kjør `lagre`; var skjemaet alt lagret (samtidig innsending), gi den versjonen."""
    try:
        return lagre()
    except (_AlleredeLagret, IntegrityError, Konflikt):
        if token and (lagret := lagret_med_token(tj, token)) is not None:
            return lagret
        raise


def _grunn(grunn: str) -> str:
    tekst = rens_tekst(grunn)
    if len(tekst) > 500:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 500 tegn."})
    return tekst


def _produser_og_registrer(
    tj: Tjenester,
    mal: Mal,
    part: Part,
    verdier: dict[str, Any],
    registrer: Callable[[Session, Produsert], T],
) -> T:
    """Lag dokumentene og arkiver dem krasjsikkert sammen med registreringen (og teksten
    til søket, hentet ut av DOCX-en her, én gang)."""
    variant, malfil, docx, pdf = produser(tj, mal, part, verdier)
    tekst = tekster.fra_docx(docx)
    return tj.arkiver(
        [malfil, docx, pdf],
        lambda s, f: registrer(s, Produsert(variant, f[0], {"docx": f[1], "pdf": f[2]}, tekst)),
    )


def opprett_utkast(
    tj: Tjenester,
    part_id: int,
    verdier: dict[str, Any],
    bruker_id: int,
    grunn: str = "",
    fra: str = "",
    token: str | None = None,
) -> Avtale:
    """Lag et nytt utkast fra mønsteravtalen for en part, med versjon 1 og begge dokumentene.

    Med `token` (skjemaets engangsnøkkel) gir samme skjema sendt igjen det utkastet som alt
    er laget, i stedet for et nytt."""
    token = skjema_token(token)
    if (lagret := lagret_med_token(tj, token)) is not None:
        return _avtale(tj, lagret.avtale_id)
    mal = tj.mal(MAL)
    rene = mal.valider(verdier)
    grunn = _grunn(grunn) or "Første utkast fra mønsteravtalen"
    with tj.sesjoner() as s:
        krev_skrivetilgang(s, bruker_id)
        part = s.get(Part, part_id, options=[selectinload(Part.kontaktpersoner)])
        if part is None:
            raise IkkeFunnet("Parten finnes ikke.")

    def registrer(s: Session, produsert: Produsert) -> Avtale:
        avtale = Avtale(
            part_id=part_id,
            mal_navn=MAL,
            status="utkast",
            ansvarlig_id=bruker_id,
            opprettet_av_id=bruker_id,
            endret_av_id=bruker_id,
        )
        s.add(avtale)
        s.flush()
        tj.journal.ny_sak(s, "avtale", avtale.id, bruker_id)
        s.add(Ansvarsoverforing(avtale=avtale, til_id=bruker_id, utfort_av_id=bruker_id))
        logg(s, avtale.id, "opprettet", bruker_id, fra, part=part.navn)
        _ny_versjon(s, avtale.id, 0, mal, rene, produsert, bruker_id, grunn, fra, token)
        return avtale

    resultat = _idempotent(
        tj, token, lambda: _produser_og_registrer(tj, mal, part, rene, registrer)
    )
    if isinstance(resultat, AvtaleVersjon):
        return _avtale(tj, resultat.avtale_id)
    return resultat


def _avtale(tj: Tjenester, avtale_id: int) -> Avtale:
    with tj.sesjoner() as s:
        return s.get(Avtale, avtale_id)


def lagre_versjon(
    tj: Tjenester,
    avtale_id: int,
    verdier: dict[str, Any],
    bruker_id: int,
    grunn: str = "",
    forventet_versjon: int | None = None,
    fra: str = "",
    token: str | None = None,
) -> AvtaleVersjon:
    """Lagre endret innhold som en ny versjon; nekter hvis en annen har lagret i mellomtiden.

    Med `token` (skjemaets engangsnøkkel) gir samme skjema sendt igjen (svaret gikk tapt
    etter commit) den versjonen som alt er lagret, ikke en konflikt; se `lagret_med_token`."""
    token = skjema_token(token)
    if (lagret := lagret_med_token(tj, token)) is not None:
        if lagret.avtale_id == avtale_id:
            return lagret
        token = None  # nøkkelen hører til en annen avtale: lagres uten
    mal = tj.mal(MAL)
    rene = mal.valider(verdier)
    grunn = _grunn(grunn)
    with tj.sesjoner() as s:
        krev_skrivetilgang(s, bruker_id)
        avtale = s.get(
            Avtale,
            avtale_id,
            options=[selectinload(Avtale.part).selectinload(Part.kontaktpersoner)],
        )
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        fra_versjon = avtale.gjeldende_versjon if forventet_versjon is None else forventet_versjon
        if avtale.gjeldende_versjon != fra_versjon:
            raise Konflikt(fra_versjon, avtale.gjeldende_versjon)
    versjon = _idempotent(
        tj,
        token,
        lambda: _produser_og_registrer(
            tj,
            mal,
            avtale.part,
            rene,
            lambda s, produsert: _ny_versjon(
                s, avtale_id, fra_versjon, mal, rene, produsert, bruker_id, grunn, fra, token
            ),
        ),
    )
    return versjon


def sett_status(
    tj: Tjenester,
    avtale_id: int,
    status: str,
    bruker_id: int,
    begrunnelse: str = "",
    fra: str = "",
    avsluttet_dato: date | None = None,
) -> list[str]:
    """Flytt avtalen ett steg i livsløpet (se `livslop.OVERGANGER`); ulovlige steg nektes.
    Sendt til gjennomgang: partens portalbrukere får e-post. Gir e-postfeilene."""
    begrunnelse = rens_tekst(begrunnelse, flerlinjet=True)
    if len(begrunnelse) > 2000:
        raise Valideringsfeil({"begrunnelse": "Begrunnelsen kan ha høyst 2000 tegn."})
    with tj.transaksjon() as s:
        krev_skrivetilgang(s, bruker_id)
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        bytt_status(s, avtale, status, bruker_id, fra, begrunnelse, avsluttet_dato=avsluttet_dato)
        if status == "til_gjennomgang":  # sendt til parten: utgående journalpost
            tj.journal.registrer(s, Arkivhendelse(status, "avtale", avtale_id, bruker_id))
    if status == "til_gjennomgang":
        return varsler.til_gjennomgang(tj, avtale_id, bruker_id)
    return []


def flytt_ansvar(
    s: Session, avtale: Avtale, til: Bruker, utfort_av: int | None, merknad: str, fra: str
) -> None:
    """Gjør `til` ansvarlig for avtalen, med Ansvarsoverforing og hendelsen «ansvar_overfort»
    (i kallerens transaksjon; brukes også når noen slutter, `overforing`)."""
    s.add(
        Ansvarsoverforing(
            avtale=avtale,
            fra_id=avtale.ansvarlig_id,
            til_id=til.id,
            merknad=merknad,
            utfort_av_id=utfort_av,
        )
    )
    logg(
        s,
        avtale.id,
        "ansvar_overfort",
        utfort_av,
        fra,
        fra_bruker=avtale.ansvarlig_id,
        til_bruker=til.id,
        merknad=merknad,
    )
    avtale.ansvarlig_id = til.id


def overfor_ansvar(
    tj: Tjenester,
    avtale_id: int,
    til_bruker_id: int,
    bruker_id: int,
    merknad: str = "",
    fra: str = "",
) -> Avtale:
    merknad = rens_tekst(merknad)
    if len(merknad) > 500:
        raise Valideringsfeil({"merknad": "Merknaden kan ha høyst 500 tegn."})
    with tj.transaksjon() as s:
        krev_skrivetilgang(s, bruker_id)
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        til = s.get(Bruker, til_bruker_id) if til_bruker_id else None
        if til is None or not til.aktiv or til.rolle not in SKRIVEROLLER:
            raise Valideringsfeil({"til": "Velg en aktiv saksbehandler eller administrator."})
        if til.id == avtale.ansvarlig_id:
            raise Valideringsfeil({"til": f"{til.navn} er allerede ansvarlig."})
        flytt_ansvar(s, avtale, til, bruker_id, merknad, fra)
        avtale.endret_av_id = bruker_id
        avtale.endret = naa()
        indeksering.meld(s, "avtale", avtale_id)  # «ansvarlig» i indeksen
    return avtale
