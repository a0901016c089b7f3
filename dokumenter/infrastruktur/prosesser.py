"""Ingen foreldreløse prosesser: LibreOffice-serverne (unoserver + soffice, i sin egen
prosessgruppe) stoppes når appen eller en kommando avsluttes, også av SIGTERM og SIGINT, og en
server som ble etterlatt av en prosess drept med SIGKILL, stoppes ved neste oppstart av samme
instans.

Hver server har sin mappe under instansens `konverterer/` med en PID-fil (eierprosessen med
starttid, og serverens prosessgruppe). `stopp_foreldrelose` finner servere hvis eier er død og
dreper prosessgruppen deres; prosessene kjennes igjen på mappens sti på kommandolinjen
(profilen), aldri på programnavnet, så en annen instans eller bruker aldri berøres.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

MAPPE = "konverterer"


def avslutt_ved_signal(gjentatt_dreper: bool = True) -> None:
    """SIGTERM (og SIGHUP) avslutter prosessen som SystemExit i hovedtråden, så `finally`
    og atexit kjører og konvertereren stoppes; Pythons standard for SIGTERM er å dø uten å
    rydde. SIGINT gir allerede KeyboardInterrupt.

    Med `gjentatt_dreper` dreper et signal til med en gang (en kommando brukeren vil ha
    stoppet nå); uten blir gjentatte SIGTERM og SIGHUP oversett mens prosessen rydder. Det
    trenger arbeiderne: PR_SET_PDEATHSIG kommer én gang per tråd i hovedprosessen som dør, så
    en arbeider kan få to SIGTERM når hovedprosessen drepes, og den andre kom midt i
    oppryddingen og etterlot LibreOffice. Hovedprosessen har SIGKILL etter fristen i reserve."""

    def avslutt(signum: int, _ramme: FrameType | None) -> None:
        if gjentatt_dreper:
            signal.signal(signum, signal.SIG_DFL)
        else:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
        sys.exit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        return  # signaler kan bare fanges i hovedtråden (for eksempel click sin testkjører)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, avslutt)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


PIDFIL = "pid.json"


def stopp_med_forelderen(forelder: int) -> None:
    """Be kjernen sende SIGTERM til denne prosessen når forelderen dør (Linux,
    PR_SET_PDEATHSIG), så en arbeider aldri blir foreldreløs med sin LibreOffice, heller ikke
    når hovedprosessen drepes med SIGKILL. Døde forelderen før kallet, stopper vi med en gang."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != forelder:
        os.kill(os.getpid(), signal.SIGTERM)


PR_SET_PDEATHSIG = 1  # fra <linux/prctl.h>


def stopp_egne_servere() -> int:
    """Drep prosessgruppene som denne prosessens barn leder (LibreOffice-serverne startes i
    egen sesjon). Siste utvei før `os._exit`: en server hvis oppstart ble avbrutt før den kunne
    stoppes, ville ellers overleve prosessen. Gir antall."""
    stoppet = 0
    for fil in Path("/proc/self/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for pid in map(int, fil.read_text().split()):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    if os.getpgid(pid) == pid:
                        os.killpg(pid, signal.SIGKILL)
                        stoppet += 1
    return stoppet


def _starttid(pid: int) -> str | None:
    """Prosessens starttid (felt 22 i /proc/<pid>/stat), så en gjenbrukt PID ikke forveksles;
    None for en prosess som ikke finnes eller er død og bare venter på å bli hentet (zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    felt = stat.rsplit(")", 1)[1].split()
    return None if felt[0] in ("Z", "X") else felt[19]


def skriv_pidfil(mappe: Path, pgid: int) -> None:
    eier = os.getpid()
    data = {"eier": eier, "eier_start": _starttid(eier), "pgid": pgid}
    tmp = mappe / (PIDFIL + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, mappe / PIDFIL)


def prosesser_i(mappe: Path) -> dict[int, int]:
    """pid -> pgid for prosesser som nevner `mappe` (profilen) på kommandolinjen."""
    merker = (str(mappe).encode(), mappe.as_uri().encode())
    funnet = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            kommando = (p / "cmdline").read_bytes()
            pgid = os.getpgid(int(p.name))
        except (OSError, ProcessLookupError):
            continue
        if any(m in kommando for m in merker):
            funnet[int(p.name)] = pgid
    return funnet


def stopp_foreldrelose(prosessmappe: Path) -> int:
    """Stopp servere i `prosessmappe` som en død prosess (drept med SIGKILL) etterlot, og
    slett profilene deres. Serveren til en prosess som lever, røres ikke. Prosessene finnes
    fra PID-filen og profilstien på kommandolinjen, aldri fra programnavnet. Gir antall."""
    if not prosessmappe.is_dir():
        return 0
    stoppet = 0
    for mappe in sorted(prosessmappe.glob("dokumenter-lo-*")):
        try:
            data = json.loads((mappe / PIDFIL).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            if time.time() - mappe.stat().st_mtime < 120:
                continue  # en server som starter nå og ikke har skrevet PID-filen ennå
            data = {}
        eier = data.get("eier")
        if eier and _starttid(int(eier)) == data.get("eier_start"):
            continue  # eieren lever
        for pgid in set(prosesser_i(mappe).values()):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
                stoppet += 1
        shutil.rmtree(mappe, ignore_errors=True)
    return stoppet
