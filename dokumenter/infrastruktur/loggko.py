"""Kø på disk for loggposter som ikke kunne skrives fordi databasen var låst.

En lesing (nedlasting) skal aldri vente på skrivelåsen eller feile fordi en annen holder
den. Får loggraden ikke skrivelåsen straks, legges posten som én JSON-linje i
`<instans>/logg-ko/<vert>-<pid>.jsonl` (fsync), og skrives inn i databasen senere. Ingen post
går tapt: en fil som tømmes, får først et nytt navn (`*.tommes-*`), slettes først etter at
databasen har committet postene, og hver post har en id (`ko_id`) så den aldri skrives to
ganger om prosessen dør mellom commit og sletting.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MAPPE = "logg-ko"
_laas = threading.Lock()


def legg_i_ko(mappe: Path, post: dict[str, Any]) -> str:
    """Legg én post (JSON-serialiserbar) i køen og fsync; gir postens `ko_id`."""
    ko_id = uuid.uuid4().hex
    linje = (json.dumps({**post, "ko_id": ko_id}, ensure_ascii=False) + "\n").encode()
    mappe.mkdir(parents=True, exist_ok=True)
    sti = mappe / f"{socket.gethostname()}-{os.getpid()}.jsonl"
    with _laas:
        fd = os.open(sti, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, linje)
            os.fsync(fd)
        finally:
            os.close(fd)
    return ko_id


def har_poster(mappe: Path) -> bool:
    try:
        return any(p.suffix == ".jsonl" or ".tommes-" in p.name for p in mappe.iterdir())
    except FileNotFoundError:
        return False


@contextmanager
def _ta(mappe: Path) -> Iterator[list[Path]]:
    """Gi filene i køen et nytt navn (så nye poster går til en ny fil) og gi dem til
    kalleren; de slettes når blokken er ferdig uten feil."""
    tatt = []
    for sti in sorted(mappe.glob("*.jsonl")):
        ny = sti.with_name(f"{sti.stem}.tommes-{uuid.uuid4().hex}")
        with _laas:
            try:
                os.rename(sti, ny)
            except FileNotFoundError:
                continue  # en annen prosess tok den
        tatt.append(ny)
    # Filer en prosess tok, men døde før den slettet: skrives igjen (ko_id hindrer dobbelt).
    gammel = time.time() - 60
    tatt += [
        p for p in sorted(mappe.glob("*.tommes-*")) if p not in tatt and p.stat().st_mtime < gammel
    ]
    yield tatt
    for sti in tatt:
        sti.unlink(missing_ok=True)


def tom(mappe: Path, skriv: Callable[[list[dict[str, Any]]], None]) -> int:
    """Gi alle poster i køen til `skriv` (som skriver dem i én transaksjon og hopper over
    `ko_id`-er som alt er skrevet); filene slettes etter at `skriv` er ferdig. Gir antall
    poster. Kaster `skriv`, ligger postene igjen til neste gang."""
    if not har_poster(mappe):
        return 0
    with _ta(mappe) as filer:
        poster = []
        for sti in filer:
            for linje in sti.read_text(encoding="utf-8").splitlines():
                try:
                    poster.append(json.loads(linje))
                except json.JSONDecodeError:
                    continue  # en halv linje fra en prosess som døde midt i skrivingen
        if poster:
            skriv(poster)
    return len(poster)
