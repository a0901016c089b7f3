"""Signeringsrundene: hvem som signerer i hvilken rekkefølge, hvem som står for tur, og
signaturene til den forseglede kopien."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.felles.validering import rens_tekst
from dokumenter.infrastruktur.forsegling import (
    Signatur,
)
from dokumenter.models import (
    Signatar,
    Signeringsrunde,
)
from dokumenter.signering.koder import PAUSET

FRIST_DAGER = 30
PAMINNELSE_DAGER = 7
SIDER = {"kommune": "Kommunen", "part": "Parten"}


@dataclass(frozen=True)
class Signatarvalg:
    bruker_id: int
    side: str  # "kommune" | "part"
    rolle: str = ""


@dataclass
class Paminnelsesrapport:
    paminnet: list[int] = field(default_factory=list)  # signatar-id-er
    utlopt: list[int] = field(default_factory=list)  # runde-id-er
    fullfort: list[int] = field(default_factory=list)  # runde-id-er gjort ferdig nå
    epostfeil: list[str] = field(default_factory=list)


def ny_runde(
    valg: list[Signatarvalg],
    versjon: int,
    sha256: str,
    frist_dager: int,
    paminnelse_dager: int,
    bruker_id: int,
    avtale_id: int | None = None,
    plan_id: int | None = None,
) -> Signeringsrunde:
    """En aktiv runde for én avtale eller én plan, med signererne i den valgte rekkefølgen."""
    return Signeringsrunde(
        avtale_id=avtale_id,
        plan_id=plan_id,
        versjon_nummer=versjon,
        dokument_sha256=sha256,
        status="aktiv",
        frist=naa() + timedelta(days=frist_dager),
        paminnelse_dager=paminnelse_dager,
        opprettet_av_id=bruker_id,
        signatarer=[
            Signatar(
                rekkefolge=i,
                bruker_id=v.bruker_id,
                side=v.side,
                rolle=rens_tekst(v.rolle)[:200],
                ip="",
                avvist_grunn="",
            )
            for i, v in enumerate(valg, start=1)
        ],
    )


def signaturer_i(runde: Signeringsrunde) -> list[Signatur]:
    """Signaturene i en fullført runde, til signatursiden og metadataene i den forseglede
    kopien. Partens signerere er partnerbrukere; institusjonen er deres part."""
    return [
        Signatur(
            navn=sig.bruker.navn,
            rolle=sig.rolle,
            institusjon=sig.bruker.part.navn if sig.side == "part" else "Kommunen",
            tidspunkt=som_utc(sig.signert),
            ip=sig.ip,
        )
        for sig in runde.signatarer
    ]


def skal_paminnes(neste: Signatar, dager: int) -> bool:
    """Den som står for tur, er ikke varslet, eller varslet/påminnet for `dager` siden."""
    sist = neste.sist_paminnet or neste.varslet
    return sist is None or som_utc(sist) <= naa() - timedelta(days=dager)


def neste_signatar(runde: Signeringsrunde) -> Signatar | None:
    for sig in runde.signatarer:
        if sig.status != "signert":
            return sig if sig.status == "venter" else None
    return None


def min_signatar(
    runde: Signeringsrunde | None, bruker_id: int, objekt: str, denne: str
) -> Signatar:
    """Brukerens plass i runden, når det er brukerens tur og fristen ikke er ute; ellers en
    norsk melding. Felles for avtaler og planer («Avtalen»/«denne avtalen» osv.)."""
    if runde is None:
        raise Valideringsfeil({"kode": f"{objekt} har ingen aktiv signeringsrunde."})
    if runde.status == "pauset":
        raise Valideringsfeil({"kode": PAUSET})
    if som_utc(runde.frist) < naa():
        raise Valideringsfeil({"kode": "Fristen for signering er ute."})
    neste = neste_signatar(runde)
    mine = [sig for sig in runde.signatarer if sig.bruker_id == bruker_id]
    if not mine:
        raise Valideringsfeil({"kode": f"Du er ikke blant dem som skal signere {denne}."})
    if mine[0].status == "signert":
        raise Valideringsfeil({"kode": "Du har allerede signert."})
    if neste is None or neste.bruker_id != bruker_id:
        raise Valideringsfeil({"kode": "Det er ikke din tur ennå; du får e-post når det er det."})
    return mine[0]
