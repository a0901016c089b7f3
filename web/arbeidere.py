"""Flere arbeidsprosesser for `python -m web`: én waitress per prosess på én felles lyttesokkel.

Én Python-prosess bruker én kjerne, så appen kjører like mange arbeidsprosesser som kjerner
prosessen kan bruke (eller DOKUMENTER_ARBEIDERE). Hovedprosessen

- migrerer databasen og stopper foreldreløse LibreOffice-servere én gang (`apne`), før noen
  arbeider starter;
- åpner lyttesokkelen på 127.0.0.1 og forker arbeiderne, som alle tar imot fra den (kjernen
  fordeler forbindelsene);
- starter en ny arbeider når en dør uventet, og stopper alle ved SIGTERM, SIGINT eller SIGHUP:
  SIGTERM til hver arbeider, SIGKILL etter `STOPP_FRIST` sekunder.

Hver arbeider åpner sine egne databaseforbindelser (de deles ikke over fork), starter sin
egen varme LibreOffice (`VarmKonverterer`) med en gang, i bakgrunnen, så den første brukeren
ikke venter på oppstarten, og stopper den i `finally` når den får SIGTERM. Blir en arbeider
drept med SIGKILL, stopper neste oppstart serveren den etterlot (PID-filen, se
`dokumenter/infrastruktur/prosesser.py`); blir hovedprosessen drept med SIGKILL, får hver
arbeider SIGTERM av kjernen (PR_SET_PDEATHSIG) og stopper som vanlig. Kjernen sender det
én gang per tråd i hovedprosessen, så arbeiderne overser gjentatte SIGTERM mens de rydder.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

from waitress import serve

from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.infrastruktur import prosesser
from dokumenter.tjenester import Tjenester, apne

logger = logging.getLogger("web")
STOPP_FRIST = 20.0  # sekunder en arbeider får på å stoppe før SIGKILL
TRADER = 8  # waitress-tråder per arbeider (venter på database, filer og LibreOffice)
OMSTART_PAUSE = 1.0  # en arbeider som dør med en gang, startes ikke i en tett løkke


def antall_arbeidere(inn: Innstillinger) -> int:
    """DOKUMENTER_ARBEIDERE, ellers én per kjerne prosessen får bruke."""
    return inn.arbeidere if inn.arbeidere > 0 else max(1, len(os.sched_getaffinity(0)))


def lyttesokkel(port: int) -> socket.socket:
    """Sokkelen alle arbeiderne tar imot forbindelser fra (bare denne maskinen)."""
    s = socket.create_server(("127.0.0.1", port), backlog=1024)
    s.set_inheritable(True)
    return s


def _varm_opp(tj: Tjenester) -> None:
    """Start LibreOffice nå, ikke ved første konvertering; en feil her logges bare (den
    første konverteringen prøver igjen og gir brukeren en norsk melding)."""
    try:
        tj.konverterer.start()  # type: ignore[attr-defined]
    except Exception:
        logger.exception("LibreOffice startet ikke i arbeider %d", os.getpid())


def _arbeider(
    inn: Innstillinger,
    sokkel: socket.socket,
    lag_app: Callable[[Tjenester], object],
    maks_innhold: int,
    hovedprosess: int,
) -> None:
    """Arbeidsprosessen: egne forbindelser og egen varm konverterer; returnerer aldri. Den
    stopper (og stopper LibreOffice) også når hovedprosessen dør brått."""
    kode = 0
    try:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        prosesser.avslutt_ved_signal(gjentatt_dreper=False)
        prosesser.stopp_med_forelderen(hovedprosess)
        tj = apne(inn, migrer=False)
        try:
            threading.Thread(target=_varm_opp, args=(tj,), daemon=True).start()
            serve(
                lag_app(tj),
                sockets=[sokkel],
                threads=TRADER,
                # Waitress avviser når innholdet er >= grensen; en fil på nøyaktig maks er lovlig.
                max_request_body_size=maks_innhold,
                ident="dokumenter",
            )
        finally:
            tj.lukk()  # stopper LibreOffice
    except SystemExit as e:
        kode = e.code if isinstance(e.code, int) else 0
    except BaseException:
        logger.exception("Arbeider %d stoppet med feil", os.getpid())
        kode = 1
    finally:
        prosesser.stopp_egne_servere()  # om lukk() ble avbrutt; vanligvis er det ingen igjen
        logging.shutdown()
        os._exit(kode)


def kjor(
    inn: Innstillinger,
    lag_app: Callable[[Tjenester], object],
    maks_innhold: int,
    ved_slutt: Callable[[], None] = lambda: None,
) -> None:
    """Kjør hovedprosessen til den får SIGTERM/SIGINT/SIGHUP; `ved_slutt` kalles til sist
    (for eksempel for å stoppe demo-postkassen)."""
    apne(inn).lukk()  # migrering og opprydding én gang, før arbeiderne starter
    sokkel = lyttesokkel(inn.port)
    antall = antall_arbeidere(inn)
    stopper = threading.Event()

    def stopp(_signum: int, _ramme: FrameType | None) -> None:
        stopper.set()

    gamle = {s: signal.signal(s, stopp) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    arbeidere: dict[int, float] = {}  # pid -> starttid

    def start_en() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        hoved = os.getpid()
        pid = os.fork()
        if pid == 0:
            _arbeider(inn, sokkel, lag_app, maks_innhold, hoved)
        arbeidere[pid] = time.monotonic()

    try:
        for _ in range(antall):
            start_en()
        logger.info("%d arbeidsprosesser på http://127.0.0.1:%s", antall, inn.port)
        while not stopper.is_set():
            with contextlib.suppress(ChildProcessError, InterruptedError):
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid:
                    startet = arbeidere.pop(pid, time.monotonic())
                    if not stopper.is_set():
                        logger.error("Arbeider %d stoppet (%s); starter en ny", pid, _arsak(status))
                        if time.monotonic() - startet < OMSTART_PAUSE:
                            time.sleep(OMSTART_PAUSE)
                        start_en()
                    continue
            stopper.wait(0.5)
    finally:
        _stopp_alle(arbeidere)
        # En arbeider som måtte drepes, rakk ikke å stoppe sin LibreOffice.
        prosesser.stopp_foreldrelose(inn.instans / prosesser.MAPPE)
        sokkel.close()
        for s, h in gamle.items():
            signal.signal(s, h)
        ved_slutt()


def _arsak(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"kode {os.waitstatus_to_exitcode(status)}"


def _stopp_alle(arbeidere: dict[int, float]) -> None:
    """SIGTERM til hver arbeider (de stopper LibreOffice selv), SIGKILL etter fristen."""
    for pid in arbeidere:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    slutt = time.monotonic() + STOPP_FRIST
    while arbeidere and time.monotonic() < slutt:
        for pid in list(arbeidere):
            try:
                ferdig, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                ferdig = pid
            if ferdig:
                arbeidere.pop(pid)
        time.sleep(0.1)
    for pid in arbeidere:
        logger.error("Arbeider %d stoppet ikke på %g s; drepes", pid, STOPP_FRIST)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
