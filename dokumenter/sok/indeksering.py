"""Søkeindeksen holdes lik databasen gjennom journalen (`journal.py`):

1. Brukstilfellet melder endringen (`meld`) i samme transaksjon som endringen selv.
2. Etter commit (og etter at filene er flyttet inn) utføres de ventende jobbene
   (`behandle_ventende`): under skrivelåsen leses hvert objekt fra databasen, og skriveren
   skriver bare dokumentene som er nye eller endret (en ny avtaleversjon: den nye og den
   forrige, ikke alle). Så merkes jobbene utført.
3. Dør prosessen før det, står jobbene og utføres ved neste lagring, ved oppstart, jevnlig i
   nettprosessen og av `dokumenter arkiv reindekser --bare-ventende` (cron).

Mangler indeksen, eller hører den ikke til arkivet, bygges den på nytt i bakgrunnen
(`bygg_i_bakgrunnen`); `reindekser` bygger uten å sperre for lagringer og tar inn endringene som
kom underveis fra journalen før den nye generasjonen tas i bruk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arkiv.lager import feilpunkt
from arkiv.sok.analyse import Leksikon
from arkiv.sok.indeks import IndeksFeil, MaBygges
from arkiv.sok.skriving import Skriver
from dokumenter.models import AvtaleVersjon
from dokumenter.sok import arter, journal
from dokumenter.tjenester import Tjenester, etter_commit

logger = logging.getLogger(__name__)
BYGGING = "sokeindeksen bygges"  # bakgrunnstrådens navn
VENTETID = 5.0  # på skrivelåsen etter en lagring; ellers står jobben til neste runde


def meld(s: Session, art: str, objekt_id: int) -> None:
    """Objektet er endret: en jobb i journalen (i transaksjonen `s`), utført etter commit."""
    journal.ny(s, art, objekt_id)
    etter_commit(s, behandle_ventende)


def behandle_ventende(tj: Tjenester, ventetid: float = VENTETID) -> int:
    """Utfør jobbene som venter; gir antallet. Kaster aldri: det brukeren gjorde, er lagret,
    og en jobb som ikke ble utført, står i journalen til neste gang. Mangler indeksen, eller
    er den bygd med andre felt, bygges den på nytt i bakgrunnen."""
    if tj.indeks_samlet or not journal.ventende(tj, grense=1):
        return 0
    utfort = 0
    try:
        while jobber := journal.ventende(tj):
            with tj.indeks.skriver(ventetid) as skriver:
                jobber = journal.ventende(tj)  # kan være utført av en annen mens vi ventet
                utfor(tj, skriver, jobber)  # skriver bare det som er endret
                feilpunkt("indeks_for_commit")
            feilpunkt("indeks_etter_commit")
            journal.merk_behandlet(tj, [j.id for j in jobber])
            feilpunkt("etter_indeks")
            utfort += len(jobber)
            if len(jobber) < journal.MAKS_PER_RUNDE:
                break
    except MaBygges as e:
        logger.warning("%s Bygges på nytt i bakgrunnen; jobbene står i journalen.", e)
        bygg_i_bakgrunnen(tj)
    except IndeksFeil as e:
        logger.warning("Søkeindeksen ble ikke oppdatert nå (jobbene står i journalen): %s", e)
    except Exception:
        logger.exception("Søkeindeksen ble ikke oppdatert (jobbene står i journalen)")
    return utfort


@contextmanager
def samlet(tj: Tjenester) -> Iterator[None]:
    """Jobbene fra lagringene i blokken utføres samlet når den er ferdig: én skriving av
    indeksen i stedet for én per lagring (for generer-alle). Imens står de i journalen, så et
    avbrudd mister ingenting, og søkesiden sier fra om jobber som har ventet en stund."""
    tj.indeks_samlet += 1
    try:
        yield
    finally:
        tj.indeks_samlet -= 1
        if not tj.indeks_samlet:
            behandle_ventende(tj)


def utfor(tj: Tjenester, skriver: Skriver, jobber: list[journal.Jobb]) -> None:
    """Gjør hvert objekt i jobbene (én gang hver) likt databasen i `skriver`."""
    for art, objekt_id in dict.fromkeys((j.art, j.objekt_id) for j in jobber):
        with tj.sesjoner() as s:
            onsket = arter.onskede(tj, s, art, objekt_id)
        skriver.synkroniser(art, objekt_id, onsket)


def bygg_i_bakgrunnen(tj: Tjenester) -> bool:
    """Start en gjenoppbygging i en tråd i denne prosessen, om ingen allerede bygger."""
    if tj.indeks.bygges():
        return False
    return tj.i_bakgrunnen(BYGGING, lambda: _bygg(tj))


def _bygg(tj: Tjenester) -> None:
    try:
        antall = reindekser(tj)
    except IndeksFeil as e:  # en annen prosess bygger allerede
        logger.info("Søkeindeksen ble ikke bygd her: %s", e)
        return
    logger.info("Søkeindeksen er bygd på nytt: %d dokumenter", antall)


def reindekser(tj: Tjenester, fremdrift: Callable[[int], None] | None = None) -> int:
    """Bygg indeksen på nytt fra databasen og arkivet alene, uten å sperre for lagringer:
    endringene som kommer underveis, står i journalen og tas inn i den nye generasjonen før
    den tas i bruk. Tekstene leses to ganger: først for ordlisten som deler sammensatte ord,
    så for indeksen. `fremdrift` får 1 per avtaleversjon per runde. Returnerer antall
    dokumenter. `IndeksFeil` om en annen prosess allerede bygger indeksen."""
    startet = journal.naa()
    # Ordlisten (delord) lagres i indeksens skjema. Planene er ikke i indeksen, så ingen ord
    # fra en plan havner der.
    leksikon = Leksikon.fra_tekster(d.tekstinnhold() for d in _avbrytbar(tj, fremdrift))
    innhentet: list[int] = []

    def innhent(skriver: Skriver) -> None:
        jobber = journal.siden(tj, startet)
        utfor(tj, skriver, jobber)
        innhentet.extend(j.id for j in jobber)

    antall = tj.indeks.bygg_pa_nytt(_avbrytbar(tj, fremdrift), leksikon=leksikon, innhent=innhent)
    journal.merk_behandlet(tj, innhentet)
    return antall


def _avbrytbar(tj: Tjenester, fremdrift: Callable[[int], None] | None) -> Iterator:
    """Alle dokumentene; stopper (og generasjonen forkastes) når tjenestene lukkes."""
    for dok in arter.alle_dokumenter(tj, fremdrift):
        if tj.stopp.is_set():
            raise IndeksFeil("Gjenoppbyggingen ble avbrutt fordi programmet avsluttes.")
        yield dok


def antall_versjoner(tj: Tjenester) -> int:
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(AvtaleVersjon)) or 0
