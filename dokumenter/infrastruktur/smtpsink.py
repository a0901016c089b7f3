"""En lokal SMTP-server som tar imot all e-post og beholder den (for tester og demo).

Ingenting sendes videre. Med `mappe` lagres hver melding også som en .eml-fil, slik at en annen
prosess (demo-webappen) kan liste dem med `les_mappe`. Kjør alene med
`python -m dokumenter.smtpsink --port 8025 --mappe DIR`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Any, Self

from aiosmtpd.controller import Controller

from dokumenter.felles.innstillinger import STANDARD_AVSENDER, SmtpOppsett

logger = logging.getLogger(__name__)


STANDARD_VERT = "127.0.0.1"

# Konvolutten (MAIL FROM/RCPT TO) og mottakstidspunktet skrives som egne headere øverst i
# .eml-filen, slik at les_mappe får med også blindkopimottakere.
_FRA = "X-Smtpsink-Fra"
_TIL = "X-Smtpsink-Til"
_MOTTATT = "X-Smtpsink-Mottatt"


@dataclass(frozen=True)
class Mottatt:
    """Én mottatt e-post: konvoluttens mottakere og avsender, og dekodet emne og tekst."""

    til: list[str]
    fra: str
    emne: str
    tekst: str
    tidspunkt: datetime
    kilde: bytes = field(default=b"", repr=False, compare=False)
    fil: Path | None = field(default=None, compare=False)

    def melding(self) -> EmailMessage:
        """Hele meldingen tolket, for å se på headerne."""
        return _tolk(self.kilde)


def _tolk(kilde: bytes) -> EmailMessage:
    melding = BytesParser(policy=policy.default).parsebytes(kilde)
    assert isinstance(melding, EmailMessage)
    return melding


def _brodtekst(melding: EmailMessage) -> str:
    del_ = melding.get_body(preferencelist=("plain", "html"))
    if del_ is None:
        return ""
    try:
        tekst = del_.get_content()
    except (LookupError, ValueError):  # ukjent tegnsett o.l.: vis det som går an
        data = del_.get_payload(decode=True)
        tekst = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    return str(tekst).replace("\r\n", "\n")


def _lag_mottatt(
    kilde: bytes, til: list[str], fra: str, tidspunkt: datetime, fil: Path | None = None
) -> Mottatt:
    melding = _tolk(kilde)
    return Mottatt(
        til=til,
        fra=fra,
        emne=str(melding.get("Subject", "")),
        tekst=_brodtekst(melding),
        tidspunkt=tidspunkt,
        kilde=kilde,
        fil=fil,
    )


def _header(navn: str, verdi: str) -> bytes:
    if not verdi.isascii():
        verdi = Header(verdi, "utf-8").encode(linesep="\r\n")
    return f"{navn}: {verdi}\r\n".encode("ascii")


def _lagre(mappe: Path, mottatt: Mottatt) -> Path:
    """Skriver meldingen atomisk (tmp + rename), så en leser aldri ser en halv fil."""
    navn = f"{mottatt.tidspunkt:%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:8]}.eml"
    hode = _header(_FRA, mottatt.fra) + _header(_MOTTATT, mottatt.tidspunkt.isoformat())
    hode += b"".join(_header(_TIL, adresse) for adresse in mottatt.til)
    fil = mappe / navn
    tmp = mappe / f".{navn}.tmp"
    tmp.write_bytes(hode + mottatt.kilde)
    os.replace(tmp, fil)
    return fil


def les_mappe(mappe: Path) -> list[Mottatt]:
    """Alle .eml-filer i mappen, nyeste først (tom liste om mappen ikke finnes)."""
    mappe = Path(mappe)
    if not mappe.is_dir():
        return []
    resultat = []
    for fil in mappe.glob("*.eml"):
        try:
            kilde = fil.read_bytes()
            endret = fil.stat().st_mtime
        except FileNotFoundError:  # slettet mens vi leste
            continue
        melding = _tolk(kilde)
        til = [str(verdi) for verdi in melding.get_all(_TIL, [])]
        if not til:
            til = [a for _, a in getaddresses([str(v) for v in melding.get_all("To", [])]) if a]
        fra = str(melding.get(_FRA, "")) or str(melding.get("From", ""))
        try:
            tidspunkt = datetime.fromisoformat(str(melding.get(_MOTTATT, "")))
        except ValueError:
            tidspunkt = datetime.fromtimestamp(endret, UTC)
        resultat.append(_lag_mottatt(kilde, til, fra, tidspunkt, fil))
    resultat.sort(key=lambda m: (m.tidspunkt, m.fil.name if m.fil else ""), reverse=True)
    return resultat


class _Mottaker:
    """aiosmtpd-handler: gir hver melding videre til sinken."""

    def __init__(self, ta_imot: Callable[[str, list[str], bytes], None]) -> None:
        self._ta_imot = ta_imot

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        try:
            self._ta_imot(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        except OSError:
            return "451 Requested action aborted: could not store message"
        return "250 OK"


class _Kontroller(Controller):
    """Controller som lytter på en sokkel vi allerede har bundet.

    aiosmtpd sin Controller husker ikke porten når den får port 0 (den prøver så å koble til
    port 0 for å sjekke at serveren svarer), og en feil ved binding viser seg først etter
    `ready_timeout`. Derfor bindes sokkelen i start() og gis videre hit.
    """

    def __init__(self, handler: Any, sokkel: socket.socket, **kwargs: Any) -> None:
        vert, port = sokkel.getsockname()[:2]
        super().__init__(handler, hostname=vert, port=port, **kwargs)
        self._sokkel = sokkel

    def _create_server(self) -> Any:
        return self.loop.create_server(
            self._factory_invoker, sock=self._sokkel, ssl=self.ssl_context
        )


class SmtpSink:
    """Lokal SMTP-server på 127.0.0.1 som tar vare på alt den får; trådsikker."""

    def __init__(
        self,
        port: int = 0,
        mappe: Path | None = None,
        *,
        vert: str = STANDARD_VERT,
        ved_mottak: Callable[[Mottatt], None] | None = None,
    ) -> None:
        self.vert = vert
        self._port = port
        self.mappe = Path(mappe) if mappe is not None else None
        self._ved_mottak = ved_mottak
        self._meldinger: list[Mottatt] = []
        self._endring = threading.Condition()
        self._kontroller: _Kontroller | None = None

    @property
    def port(self) -> int:
        """Porten sinken lytter på (den valgte ledige porten når den ble laget med port 0)."""
        return self._port

    @property
    def kjorer(self) -> bool:
        return self._kontroller is not None

    def start(self) -> Self:
        if self._kontroller is not None:
            raise RuntimeError("SMTP-sinken kjører allerede.")
        if self.mappe is not None:
            self.mappe.mkdir(parents=True, exist_ok=True)
        try:
            sokkel = socket.create_server((self.vert, self._port))
        except OSError as feil:
            raise OSError(
                feil.errno,
                f"SMTP-sinken kan ikke lytte på {self.vert}:{self._port} ({feil.strerror})",
            ) from feil
        # Controller lager sin egen event-loop og lukker den i stop(), så den kan ikke
        # startes på nytt: lag en ny for hver start().
        kontroller = _Kontroller(
            _Mottaker(self._ta_imot), sokkel, server_hostname="localhost", ident="smtpsink"
        )
        try:
            kontroller.start()
        except BaseException:
            with contextlib.suppress(Exception):
                kontroller.stop(no_assert=True)
            sokkel.close()
            raise
        self._port = kontroller.port
        self._kontroller = kontroller
        return self

    def stopp(self) -> None:
        kontroller, self._kontroller = self._kontroller, None
        if kontroller is not None:
            kontroller.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stopp()

    def oppsett(self, avsender: str = STANDARD_AVSENDER, timeout: float = 5.0) -> SmtpOppsett:
        """SMTP-oppsett som sender til denne sinken."""
        return SmtpOppsett(
            vert=self.vert,
            port=self.port,
            avsender=avsender,
            bruker=None,
            passord=None,
            starttls=False,
            timeout=timeout,
        )

    def _ta_imot(self, fra: str, til: list[str], kilde: bytes) -> None:
        mottatt = _lag_mottatt(kilde, til, fra, datetime.now(UTC))
        if self.mappe is not None:
            fil = _lagre(self.mappe, mottatt)
            mottatt = _lag_mottatt(kilde, til, fra, mottatt.tidspunkt, fil)
        with self._endring:
            self._meldinger.append(mottatt)
            self._endring.notify_all()
        if self._ved_mottak is not None:
            try:
                self._ved_mottak(mottatt)
            except Exception:
                logger.exception("ved_mottak feilet for e-post til %s", ", ".join(til))

    def meldinger(self) -> list[Mottatt]:
        """Alt som er mottatt siden start (eller siste tom()), eldste først."""
        with self._endring:
            return list(self._meldinger)

    def tom(self) -> None:
        """Glemmer mottatte meldinger (.eml-filene i mappen blir liggende)."""
        with self._endring:
            self._meldinger.clear()

    def vent_pa(self, til: str, antall: int = 1, timeout: float = 10) -> list[Mottatt]:
        """Venter til minst `antall` meldinger til `til` er mottatt, og gir dem (eldste først).

        TimeoutError om de ikke kommer innen `timeout` sekunder.
        """
        adresse = til.strip().lower()

        def treff() -> list[Mottatt]:
            return [m for m in self._meldinger if adresse in (t.lower() for t in m.til)]

        frist = time.monotonic() + timeout
        with self._endring:
            while len(funnet := treff()) < antall:
                igjen = frist - time.monotonic()
                if igjen <= 0:
                    raise TimeoutError(
                        f"Fikk {len(funnet)} av {antall} e-post(er) til {til} innen {timeout:g} s."
                    )
                self._endring.wait(igjen)
            return funnet


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dokumenter.smtpsink",
        description="Lokal SMTP-server som tar imot (og beholder) all e-post.",
    )
    parser.add_argument("--vert", default=STANDARD_VERT, help="adresse å lytte på")
    parser.add_argument("--port", type=int, default=8025, help="port (0 = velg en ledig)")
    parser.add_argument("--mappe", type=Path, help="lagre hver melding som .eml-fil her")
    valg = parser.parse_args(argv)

    stopp = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopp.set())

    def skriv(mottatt: Mottatt) -> None:
        print(f"Mottatt e-post til {', '.join(mottatt.til)}: {mottatt.emne}", flush=True)

    try:
        sink = SmtpSink(valg.port, valg.mappe, vert=valg.vert, ved_mottak=skriv).start()
    except OSError as feil:
        parser.exit(1, f"{feil.strerror}\n")
    try:
        lagring = f", og lagrer e-post i {valg.mappe}" if valg.mappe else ""
        print(
            f"SMTP-sinken lytter på {sink.vert}:{sink.port}{lagring}. Stopp med Ctrl+C.",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            while not stopp.wait(0.5):
                pass
    finally:
        sink.stopp()
    print("SMTP-sinken er stoppet.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
