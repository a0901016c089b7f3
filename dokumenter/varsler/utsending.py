"""Utsendingen: send meldingene, registrer hver i varselloggen og gi feilene tilbake.

Kalles etter commit, aldri inne i en transaksjon, så en nede e-posttjener aldri ruller tilbake
det brukeren gjorde. Registreringen er én egen transaksjon for alle meldingene i et kall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles import etiketter
from dokumenter.felles.tid import naa
from dokumenter.infrastruktur.epost import Epost
from dokumenter.models import Bruker, Varsel
from dokumenter.tjenester import Tjenester

# Hendelsene et varsel kan gjelde, slik de vises i varselhistorikken.
HENDELSER = etiketter.VARSELHENDELSE
OBJEKTTYPER = ("avtale", "avvik", "plan", "bruker")


@dataclass(frozen=True)
class Mottaker:
    """Den som skal ha beskjed: en bruker, eller en kontaktperson uten konto (bruker_id None)."""

    bruker_id: int | None
    adresse: str
    navn: str

    @classmethod
    def bruker(cls, b: Bruker) -> Mottaker:
        return cls(b.id, (b.epost or "").strip(), b.navn)


@dataclass(frozen=True)
class Melding:
    mottaker: Mottaker
    hendelse: str  # nøkkel i HENDELSER
    objekt_type: str  # en av OBJEKTTYPER
    objekt_id: int | None
    emne: str
    tekst: str

    def __post_init__(self) -> None:
        if self.hendelse not in HENDELSER or self.objekt_type not in OBJEKTTYPER:
            raise ValueError(f"Ukjent varsel: {self.hendelse} om {self.objekt_type}")


@dataclass
class Utfall:
    """Hva som skjedde med meldingene i ett kall: feilene (norsk) og hvem som fikk beskjed."""

    feil: list[str]
    sendt: list[Melding]

    @property
    def noen_sendt(self) -> bool:
        return bool(self.sendt)


def send(tj: Tjenester, meldinger: Iterable[Melding], utlost_av: int | None = None) -> list[str]:
    """Send og registrer; gir feilmeldingene (tom liste når alle gikk)."""
    return send_med_utfall(tj, meldinger, utlost_av).feil


def send_med_utfall(
    tj: Tjenester, meldinger: Iterable[Melding], utlost_av: int | None = None
) -> Utfall:
    """Send hver melding og registrer hver i varselloggen, sendt eller feilet. En mottaker uten
    e-postadresse er en feil. `utlost_av` er brukeren som gjorde handlingen (None: en jobb)."""
    rader: list[dict[str, Any]] = []
    utfall = Utfall([], [])
    for m in meldinger:
        if not m.mottaker.adresse:
            feil: str | None = f"{m.mottaker.navn} har ingen e-postadresse og er ikke varslet."
        else:
            feil = tj.send_epost(Epost(til=m.mottaker.adresse, emne=m.emne, tekst=m.tekst))
        if feil:
            utfall.feil.append(feil)
        else:
            utfall.sendt.append(m)
        rader.append(
            {
                "bruker_id": m.mottaker.bruker_id,
                "adresse": m.mottaker.adresse[:254],
                "hendelse": m.hendelse,
                "objekt_type": m.objekt_type,
                "objekt_id": m.objekt_id,
                "utlost_av_id": utlost_av,
                "status": "feilet" if feil else "sendt",
                "feil": feil or "",
            }
        )
    if rader:
        with tj.transaksjon() as s:
            tid = naa()
            s.add_all(Varsel(**r, tidspunkt=tid) for r in rader)
    return utfall


def registrer_uten_mottaker(
    tj: Tjenester,
    hendelse: str,
    objekt_type: str,
    objekt_id: int | None,
    feil: str,
    utlost_av: int | None = None,
) -> None:
    """Et varsel som ikke kunne sendes fordi ingen kunne få det (for eksempel ingen av partens
    brukere har tilgang ennå); det står som feilet på objektets side."""
    if hendelse not in HENDELSER or objekt_type not in OBJEKTTYPER:
        raise ValueError(f"Ukjent varsel: {hendelse} om {objekt_type}")
    with tj.transaksjon() as s:
        s.add(
            Varsel(
                bruker_id=None,
                adresse="",
                hendelse=hendelse,
                objekt_type=objekt_type,
                objekt_id=objekt_id,
                utlost_av_id=utlost_av,
                status="feilet",
                feil=feil,
                tidspunkt=naa(),
            )
        )


def brukere_som_mottakere(s: Session, *vilkar: Any) -> list[Mottaker]:
    """Aktive brukere som oppfyller vilkårene, som mottakere (sortert på navn)."""
    return [
        Mottaker.bruker(b)
        for b in s.scalars(select(Bruker).where(Bruker.aktiv, *vilkar).order_by(Bruker.navn))
    ]
