"""Arkivuttrekk startet fra nettsiden: en rad i `uttrekksjobb`, en bakgrunnstråd som lager
uttrekket og skriver framdriften til raden (høyst et par ganger i sekundet), og til slutt en
TAR-fil i instansmappen (`<instans>/uttrekk/`) som administratoren laster ned.

Ingenting en annen app-node trenger, ligger i prosessens minne: status og framdrift står i
databasen, filen i instansmappen. Dør prosessen midt i, slutter raden å bli oppdatert; etter
`AVBRUTT_ETTER` regnes jobben som avbrutt, og et nytt uttrekk kan startes.
"""

from __future__ import annotations

import logging
import shutil
import tarfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from dokumenter.felles.feil import Domenefeil, IkkeFunnet, IngenTilgang, Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.models import Bruker, Uttrekksjobb
from dokumenter.noark.uttrekk import Utvalg, lag_uttrekk
from dokumenter.tjenester import Tjenester

logger = logging.getLogger(__name__)
AVBRUTT_ETTER = timedelta(minutes=10)
STATUSER = {
    "venter": "Venter",
    "kjorer": "Pågår",
    "ferdig": "Ferdig",
    "feilet": "Feilet",
    "avbrutt": "Avbrutt",
}


def _krev_admin(s, bruker_id: int) -> None:
    bruker = s.get(Bruker, bruker_id)
    if bruker is None or not bruker.aktiv or bruker.rolle != "admin":
        raise IngenTilgang("Bare administratorer kan lage arkivuttrekk.")


def mappe(tj: Tjenester) -> Path:
    return tj.innstillinger.instans / "uttrekk"


def vist_status(jobb: Uttrekksjobb) -> str:
    """Statusen slik siden viser den: en jobb som har sluttet å oppdatere seg, er avbrutt."""
    if jobb.status in ("venter", "kjorer") and naa() - som_utc(jobb.oppdatert) > AVBRUTT_ETTER:
        return "avbrutt"
    return jobb.status


def start(
    tj: Tjenester,
    bruker_id: int,
    fra: date | None,
    til: date | None,
    arkivdel: str = "",
    bakgrunn: Callable[..., None] | None = None,
) -> int:
    """Registrer jobben og start den i bakgrunnen (`bakgrunn(kjor, tj, jobb_id)`; standard:
    en egen tråd); gir jobbens id med en gang."""
    with tj.transaksjon() as s:
        _krev_admin(s, bruker_id)
        if fra and til and fra > til:
            raise Valideringsfeil({"fra": "Fra-datoen er etter til-datoen."})
        for jobb in s.scalars(
            select(Uttrekksjobb).where(Uttrekksjobb.status.in_(("venter", "kjorer")))
        ):
            if vist_status(jobb) != "avbrutt":
                raise Valideringsfeil(
                    {"uttrekk": "Et arkivuttrekk pågår allerede; vent til det er ferdig."}
                )
        jobb = Uttrekksjobb(
            status="venter",
            fra=fra,
            til=til,
            arkivdel=arkivdel.strip()[:200],
            startet_av_id=bruker_id,
        )
        s.add(jobb)
        s.flush()
        jobb_id = jobb.id
    (bakgrunn or i_traad)(kjor, tj, jobb_id)
    return jobb_id


def i_traad(funksjon: Callable[..., None], *argumenter: object) -> None:
    """Kjør i en egen tråd, så forespørselen som startet jobben, svarer med en gang."""
    threading.Thread(target=funksjon, args=argumenter, daemon=True).start()


class Jobbframdrift:
    """Framdriften til databasen, høyst hvert halve sekund (og ved hvert nytt trinn)."""

    def __init__(self, tj: Tjenester, jobb_id: int) -> None:
        self.tj, self.jobb_id = tj, jobb_id
        self.navn, self.gjort, self.totalt, self._sist = "", 0, 0, 0.0

    def trinn(self, navn: str, totalt: int) -> None:
        self.navn, self.gjort, self.totalt = navn, 0, totalt
        self._lagre()

    def frem(self, antall: int = 1) -> None:
        self.gjort += antall
        if time.monotonic() - self._sist > 0.5:
            self._lagre()

    def _lagre(self, **ekstra: object) -> None:
        self._sist = time.monotonic()
        with self.tj.transaksjon() as s:
            jobb = s.get(Uttrekksjobb, self.jobb_id)
            jobb.trinn, jobb.gjort, jobb.totalt = self.navn, self.gjort, self.totalt
            jobb.oppdatert = naa()
            for k, v in ekstra.items():
                setattr(jobb, k, v)


def kjor(tj: Tjenester, jobb_id: int) -> None:
    """Lag uttrekket, kontroller det og pakk det som TAR. Feil blir stående på jobben."""
    with tj.sesjoner() as s:
        jobb = s.get(Uttrekksjobb, jobb_id)
        utvalg = Utvalg(jobb.fra, jobb.til, jobb.arkivdel or None)
    fremdrift = Jobbframdrift(tj, jobb_id)
    rot = mappe(tj)
    rot.mkdir(parents=True, exist_ok=True)
    ut = rot / f"uttrekk-{jobb_id}"
    try:
        fremdrift._lagre(status="kjorer")
        rapport = lag_uttrekk(tj, ut, utvalg, fremdrift)
        if not rapport.kontroll.ren:
            fremdrift._lagre(
                status="feilet",
                ferdig=naa(),
                melding="Uttrekket besto ikke kontrollen:\n"
                + "\n".join(rapport.kontroll.problemer),
            )
            return
        fremdrift.trinn("Pakker TAR", 1)
        tar = rot / f"uttrekk-{jobb_id}.tar"
        _pakk(ut, tar)
        shutil.rmtree(ut, ignore_errors=True)
        a = rapport.antall
        fremdrift.gjort = 1
        fremdrift._lagre(
            status="ferdig",
            ferdig=naa(),
            fil=str(tar),
            storrelse=tar.stat().st_size,
            melding=(
                f"{a['mappe']} saksmapper, {a['registrering']} journalposter, "
                f"{a['dokumentobjekt']} dokumentobjekter, {rapport.dokumentfiler} filer. "
                f"Kontrollert: skjemaer, sjekksummer og antall er i orden."
            ),
        )
    except Domenefeil as e:
        melding = " ".join(e.feil.values()) if isinstance(e, Valideringsfeil) else str(e)
        fremdrift._lagre(status="feilet", ferdig=naa(), melding=melding)
    except Exception as e:
        logger.exception("Arkivuttrekk %s feilet", jobb_id)
        fremdrift._lagre(status="feilet", ferdig=naa(), melding=f"Uventet feil: {e}")
        shutil.rmtree(ut, ignore_errors=True)


def _pakk(kilde: Path, tar: Path) -> None:
    """TAR (ukomprimert, som Arkivverket tar imot) med uttrekksmappen øverst; skrevet under et
    midlertidig navn og gitt sitt navn når den er hel."""
    tmp = tar.with_name(tar.name + ".skrives")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as t:
        t.add(kilde, arcname=kilde.name, recursive=True)
    tmp.rename(tar)


def jobber(tj: Tjenester, antall: int = 20) -> list[Uttrekksjobb]:
    with tj.sesjoner() as s:
        return list(s.scalars(select(Uttrekksjobb).order_by(Uttrekksjobb.id.desc()).limit(antall)))


def hent(tj: Tjenester, jobb_id: int, bruker_id: int) -> Uttrekksjobb:
    with tj.sesjoner() as s:
        _krev_admin(s, bruker_id)
        jobb = s.get(Uttrekksjobb, jobb_id)
        if jobb is None:
            raise IkkeFunnet("Uttrekket finnes ikke.")
        return jobb


def tar_fil(tj: Tjenester, jobb_id: int, bruker_id: int) -> Path:
    jobb = hent(tj, jobb_id, bruker_id)
    sti = Path(jobb.fil) if jobb.fil else None
    if jobb.status != "ferdig" or sti is None or not sti.is_file():
        raise IkkeFunnet("Uttrekket er ikke ferdig, eller filen er fjernet.")
    return sti
