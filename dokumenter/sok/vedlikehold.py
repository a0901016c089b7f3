"""Søkeindeksens helse: finnes den, og hører den til arkivet? Sjekket ved oppstart, jevnlig i
nettprosessen og ved hvert søk (billig), og repareres i bakgrunnen. Søkesiden får en norsk
melding (`melding`) i stedet for å vise null treff i stillhet.

En indeks hører ikke til arkivet når den mangler, er bygd med andre felt (et eldre format),
eller har et annet antall avtaler, avvik eller evalueringer enn databasen når ingen jobber
venter (en indeks fra et annet arkiv, eller en slettet indeks noen har begynt å skrive i).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from arkiv.sok.indeks import IndeksFeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Avtale, Avvik, Evaluering, Indeksjobb
from dokumenter.sok import indeksering, journal
from dokumenter.tjenester import Tjenester

logger = logging.getLogger(__name__)
JEVNLIG = "sokeindeksen jevnlig"  # bakgrunnstrådens navn
SYNLIG_ETTER = timedelta(seconds=10)  # ventende jobber som er eldre, nevnes på søkesiden


def kontroller(tj: Tjenester) -> str | None:
    """Hvorfor indeksen ikke kan brukes som den er, eller None."""
    if not tj.indeks.finnes():
        return "Søkeindeksen mangler."
    avvik = tj.indeks.avvik()
    if avvik:
        return f"Søkeindeksen er bygd med andre felt enn nå ({', '.join(avvik)})."
    try:
        # Under skrivelåsen endres ikke indeksen; databasen telles i én spørring.
        with tj.indeks.skrivelas(1.0):
            ventende, databasen = _telling(tj)
            if ventende:
                return None  # tallene stemmer først når jobbene er utført
            indeksen = tj.indeks.antall_gjeldende()
    except IndeksFeil:
        return None  # opptatt; neste runde
    if indeksen != databasen:
        return (
            f"Søkeindeksen hører ikke til dette arkivet (den har {_beskriv(indeksen)}, "
            f"arkivet har {_beskriv(databasen)})."
        )
    return None


def _telling(tj: Tjenester) -> tuple[int, dict[str, int]]:
    def antall(modell, *vilkar):
        return select(func.count()).select_from(modell).where(*vilkar).scalar_subquery()

    with tj.sesjoner() as s:
        rad = s.execute(
            select(
                antall(Indeksjobb, Indeksjobb.behandlet.is_(None)),
                antall(Avtale),
                antall(Avvik),
                antall(Evaluering),
            )
        ).one()
    arter = dict(zip(("avtale", "avvik", "evaluering"), rad[1:], strict=True))
    return rad[0], {a: n for a, n in arter.items() if n}


def _beskriv(antall: dict[str, int]) -> str:
    navn = {"avtale": "avtaler", "avvik": "avvik", "evaluering": "evalueringer"}
    deler = [f"{n} {navn.get(a, a)}" for a, n in sorted(antall.items())]
    return ", ".join(deler) or "ingenting"


def ved_oppstart(tj: Tjenester) -> str | None:
    """Sjekk indeksen: hører den ikke til arkivet, merkes den foreldet og bygges på nytt i
    bakgrunnen; ellers utføres jobbene som venter. Gir grunnen, eller None."""
    if tj.indeks.bygges():
        return None
    grunn = kontroller(tj)
    if grunn is None:
        indeksering.behandle_ventende(tj)
        return None
    logger.warning("%s Bygges på nytt i bakgrunnen.", grunn)
    tj.indeks.merk_foreldet(grunn)
    indeksering.bygg_i_bakgrunnen(tj)
    return grunn


def sikre(tj: Tjenester) -> None:
    """Billig sjekk før et søk: mangler indeksen, eller er den merket foreldet (av oppstarten,
    eller av et søk som så at den har andre felt), startes en gjenoppbygging i bakgrunnen (om
    ingen allerede bygger)."""
    if not tj.indeks.finnes() or tj.indeks.foreldet() is not None:
        indeksering.bygg_i_bakgrunnen(tj)


def start_jevnlig(tj: Tjenester, intervall: float) -> bool:
    """Sjekk indeksen, utfør ventende jobber, rydd i journalen og slå sammen indeksens små
    segmenter hvert `intervall` sekund, i en tråd til `tj.lukk()`."""

    def runder() -> None:
        while not tj.stopp.wait(intervall):
            try:
                ved_oppstart(tj)
                journal.rydd(tj)
                tj.indeks.sla_sammen()  # lagringene skriver bare sitt eget segment
            except Exception:
                logger.exception("Vedlikeholdet av søkeindeksen feilet; prøver igjen")

    return tj.i_bakgrunnen(JEVNLIG, runder)


def melding(tj: Tjenester) -> str | None:
    """Det søkesiden skal si om indeksen, eller None når den er i orden."""
    if tj.indeks.bygges() or not tj.indeks.finnes():
        return (
            "Søkeindeksen bygges på nytt nå. Til den er ferdig, kan treff i avtaler, avvik og "
            "evalueringer mangle."
        )
    grunn = tj.indeks.foreldet()
    if grunn:
        return f"Søkeindeksen er ikke oppdatert ({grunn}). Den bygges på nytt av seg selv."
    status = journal.status(tj)
    if status.ventende and status.eldste and naa() - som_utc(status.eldste) > SYNLIG_ETTER:
        return (
            f"{status.ventende} endring(er) er ennå ikke med i søket. Treff kan mangle eller "
            "vise en eldre versjon en liten stund."
        )
    return None
