"""DOCX til PDF/A-2b med LibreOffice: en varm unoserver per VarmKonverterer (og en pool av dem),
eller en kald `soffice --convert-to` per dokument med KaldKonverterer.

Modulen er lang (over 400 linjer) fordi den har én jobb som er vanskelig: å holde en ekstern
prosess i live og trygg (egne porter og brukerprofil, tidsavbrudd, omstart etter krasj,
opprydding av hele prosessgruppen) og sjekke at det som kommer ut, faktisk er PDF/A.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import weakref
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Self

from dokumenter.felles.feil import Arkivfeil
from dokumenter.infrastruktur.prosesser import skriv_pidfil

UNOSERVER_VERSJON = "3.7"
"""unoserver-versjonen uno-miljøet skal ha (samme som i mk/uno.mk og pyproject.toml)."""

STANDARD_UNO_VENV = Path(__file__).resolve().parents[2] / ".venv-uno"

# Importfilteret tvinges: uten det åpner LibreOffice vilkårlige bytes som ren tekst og lager
# gladelig en PDF av søppel.
_WORD_FILTER = "MS Word 2007 XML"
# unoserver: FilterData som "Navn=verdi" (tall blir long). Kald soffice: JSON-formen; den eldre
# `pdf:writer_pdf_Export:SelectPdfVersion=2` gir i stillhet en vanlig PDF.
_PDFA_VALG = ["SelectPdfVersion=2"]
_PDFA_KALD = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
_PDFA_PART = re.compile(rb"pdfaid:part(?:>|=[\"'])\s*2\b")
_PDFA_KONFORMITET = re.compile(rb"pdfaid:conformance(?:>|=[\"'])\s*B\b")
_UNOSERVER_API = "3"
_NETTFEIL = (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError)
_RAD = "Kjør `make run` (eller `make .venv-uno/.ok`) for å installere det som mangler."


class KonverteringsFeil(Arkivfeil):
    """PDF/A-konverteringen feilet; meldingen (bokmål) sier hva som kan gjøres."""


class LibreOfficeMangler(KonverteringsFeil):
    """LibreOffice (soffice) finnes ikke på maskinen."""

    def __init__(self, detalj: str = "") -> None:
        super().__init__(
            "LibreOffice er ikke installert"
            + (f" ({detalj})" if detalj else "")
            + ", så dokumentet kan ikke lagres som PDF/A. Kjør `make run` eller installer "
            "pakken libreoffice-writer-nogui (apt-get install libreoffice-writer-nogui)."
        )


class UgyldigDokument(KonverteringsFeil):
    """LibreOffice kunne ikke lese dokumentet; serveren er fortsatt i orden."""


def finn_soffice() -> str | None:
    """Stien til LibreOffice sin `soffice`, eller None om LibreOffice ikke er installert."""
    for navn in ("soffice", "libreoffice"):
        if sti := shutil.which(navn):
            return sti
    kandidater = ["/usr/lib/libreoffice/program/soffice"]
    kandidater += sorted(glob("/opt/libreoffice*/program/soffice"), reverse=True)
    for sti in kandidater:
        if os.access(sti, os.X_OK):
            return sti
    return None


def _soffice(valgt: str | None) -> str:
    if valgt is None:
        funnet = finn_soffice()
        if funnet is None:
            raise LibreOfficeMangler("fant ikke programmet soffice")
        return funnet
    funnet = shutil.which(valgt)
    if funnet is None:
        raise LibreOfficeMangler(f"fant ikke {valgt}")
    return funnet


def _sjekk_inndata(docx: bytes, timeout: float) -> bytes:
    if not timeout > 0:
        raise ValueError(f"timeout må være større enn 0 sekunder, ikke {timeout!r}")
    if not isinstance(docx, bytes | bytearray | memoryview):
        raise TypeError(f"til_pdfa trenger DOCX-innholdet som bytes, ikke {type(docx).__name__}")
    if not docx:
        raise UgyldigDokument("Dokumentet er tomt (0 byte); lag DOCX-filen på nytt.")
    return bytes(docx)


def _sjekk_pdfa(pdf: bytes) -> bytes:
    if not pdf.startswith(b"%PDF-"):
        raise KonverteringsFeil("LibreOffice ga ikke en PDF tilbake. Prøv igjen; meld fra om feil.")
    if not (_PDFA_PART.search(pdf) and _PDFA_KONFORMITET.search(pdf)):
        raise KonverteringsFeil(
            "LibreOffice laget en PDF uten PDF/A-2b-merking, så den kan ikke arkiveres. "
            "Sjekk LibreOffice-versjonen (7.4 eller nyere) og meld fra om feilen."
        )
    return pdf


def _barne_env() -> dict[str, str]:
    # Debians python3 (uno) skal ikke se pyenv/venv-innstillingene til hovedprosessen.
    skjul = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONUSERBASE"}
    return {k: v for k, v in os.environ.items() if k not in skjul}


def _drep_gruppe(proc: subprocess.Popen[bytes]) -> None:
    """Drep hele prosessgruppen: unoserver, oosplash og soffice.bin.

    SIGKILL med en gang: profilen slettes uansett, og oosplash overlever SIGTERM i flere sekunder.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


# Porter som er delt ut til servere i denne prosessen, så to konverterere som starter samtidig
# (en pool) ikke får samme port.
_porter_i_bruk: set[int] = set()
_porter_laas = threading.Lock()


def _ledige_porter(antall: int) -> tuple[int, ...]:
    porter: list[int] = []
    with _porter_laas:
        while len(porter) < antall:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if port not in _porter_i_bruk and port not in porter:
                porter.append(port)
        _porter_i_bruk.update(porter)
    return tuple(porter)


def _frigi_porter(porter: tuple[int, ...]) -> None:
    with _porter_laas:
        _porter_i_bruk.difference_update(porter)


class _Transport(xmlrpc.client.Transport):
    """XML-RPC over HTTP med tidsavbrudd (xmlrpc.client har ikke det selv)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        tilkobling = super().make_connection(host)
        tilkobling.timeout = self._timeout
        return tilkobling


def _kall(port: int, timeout: float, metode: str, *args: object) -> object:
    proxy = xmlrpc.client.ServerProxy(
        f"http://127.0.0.1:{port}/RPC2", transport=_Transport(timeout), allow_none=True
    )
    with proxy:
        return getattr(proxy, metode)(*args)


@dataclass
class _Server:
    proc: subprocess.Popen[bytes]
    port: int
    porter: tuple[int, ...]
    mappe: Path

    def logg(self, tegn: int = 1500) -> str:
        try:
            tekst = (self.mappe / "unoserver.log").read_bytes().decode("utf-8", "replace")
        except OSError:
            return ""
        return tekst[-tegn:].strip()

    def stopp(self) -> None:
        _drep_gruppe(self.proc)
        _frigi_porter(self.porter)
        shutil.rmtree(self.mappe, ignore_errors=True)


@dataclass
class _Tilstand:
    server: _Server | None = None
    lukket: bool = False
    laas: threading.Lock = field(default_factory=threading.Lock)


def _rydd(tilstand: _Tilstand) -> None:
    """Kalles av lukk(), ved søppeltømming og ved programslutt (weakref.finalize → atexit).
    `lukket` settes før låsen tas, så en oppstart som holder låsen, ser det, stopper serveren
    den startet og slipper låsen (ellers kunne serveren overleve prosessen)."""
    tilstand.lukket = True
    fikk = tilstand.laas.acquire(timeout=10)
    try:
        server, tilstand.server = tilstand.server, None
        if server is not None:
            server.stopp()
    finally:
        if fikk:
            tilstand.laas.release()


class _PortOpptatt(Exception):
    pass


class VarmKonverterer:
    """Én varm unoserver (med egen LibreOffice-profil) som gjør DOCX om til PDF/A-2b.

    Serveren kjøres med Python fra uno-miljøet (`uno_venv`, ellers $UNOSERVER_VENV, ellers
    <repo>/.venv-uno), startes ved første bruk og byttes ut om den krasjer eller henger.
    Én konvertering om gangen; flere tråder kan trygt dele objektet. `lukk()` stopper den;
    det skjer også ved programslutt.
    """

    def __init__(
        self,
        uno_venv: str | os.PathLike[str] | None = None,
        *,
        soffice: str | None = None,
        oppstart_timeout: float = 60.0,
        prosessmappe: str | os.PathLike[str] | None = None,
    ) -> None:
        self.uno_venv = Path(uno_venv or STANDARD_UNO_VENV)
        self.oppstart_timeout = oppstart_timeout
        # Instansens mappe for servere (profil, logg og PID-fil), så en server som blir
        # foreldreløs når prosessen drepes, finnes og stoppes ved neste oppstart.
        self.prosessmappe = Path(prosessmappe) if prosessmappe else None
        self._valgt_soffice = soffice
        self._tilstand = _Tilstand()
        self._rydder = weakref.finalize(self, _rydd, self._tilstand)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.lukk()

    @property
    def pid(self) -> int | None:
        """Prosess-id-en til unoserver-prosessen (leder av prosessgruppen), om den kjører."""
        server = self._tilstand.server
        if server is None or server.proc.poll() is not None:
            return None
        return server.proc.pid

    def start(self) -> None:
        """Start serveren nå i stedet for ved første konvertering."""
        with self._tilstand.laas:
            self._sikre_server()

    def lukk(self) -> None:
        """Stopp serveren og slett profilen. Trygt å kalle flere ganger."""
        self._rydder()

    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
        """Konverter DOCX-bytes til PDF/A-2b-bytes. Reiser KonverteringsFeil ved feil."""
        data = xmlrpc.client.Binary(_sjekk_inndata(docx, timeout))
        grunner: list[str] = []
        with self._tilstand.laas:
            for _forsok in range(2):
                server = self._sikre_server()
                try:
                    svar = _kall(
                        server.port,
                        timeout,
                        "convert",
                        None,  # inpath
                        data,
                        None,  # outpath
                        "pdf",
                        None,  # eksportfilter: valgt ut fra "pdf"
                        _PDFA_VALG,
                        False,  # ingen innholdsfortegnelser i malene; sparer ~8 ms
                        _WORD_FILTER,
                        None,  # passord
                    )
                except TimeoutError:
                    grunner.append(f"brukte mer enn {timeout:g} s")
                except xmlrpc.client.Fault as feil:
                    if self._frisk(server):
                        if "Could not load document" in feil.faultString:
                            raise UgyldigDokument(
                                "LibreOffice kunne ikke lese dokumentet som DOCX. Sjekk at "
                                "filen er et gyldig Word-dokument (.docx), og lag det på nytt."
                            ) from None
                        raise KonverteringsFeil(
                            "LibreOffice-serveren avviste konverteringen "
                            f"({_kort(feil.faultString)}). Meld fra om feilen."
                        ) from None
                    grunner.append(f"LibreOffice stoppet underveis ({_kort(feil.faultString)})")
                except _NETTFEIL as feil:
                    grunner.append(f"mistet forbindelsen til LibreOffice ({_kort(str(feil))})")
                else:
                    pdf = svar.data if isinstance(svar, xmlrpc.client.Binary) else svar
                    if not isinstance(pdf, bytes):
                        raise KonverteringsFeil("LibreOffice-serveren ga et uventet svar.")
                    return _sjekk_pdfa(pdf)
                # Krasj eller tidsavbrudd: drep hele prosessgruppen, neste runde starter ny.
                self._stopp_server()
        raise KonverteringsFeil(
            "PDF/A-konverteringen feilet to ganger, også etter omstart av LibreOffice ("
            + "; ".join(grunner)
            + "). Prøv igjen senere; skjer det igjen med samme dokument, kan dokumentet "
            "være for stort eller skadet."
        )

    # -- internt ---------------------------------------------------------------------------

    def _stopp_server(self) -> None:
        server, self._tilstand.server = self._tilstand.server, None
        if server is not None:
            server.stopp()

    def _frisk(self, server: _Server) -> bool:
        if server.proc.poll() is not None:
            return False
        try:
            _kall(server.port, 10, "info")
        except (*_NETTFEIL, xmlrpc.client.Fault):
            return False
        return True

    def _sikre_server(self) -> _Server:
        if self._tilstand.lukket:
            raise KonverteringsFeil(
                "PDF-konvertereren er lukket. Start programmet på nytt (eller lag en ny "
                "VarmKonverterer)."
            )
        server = self._tilstand.server
        if server is not None and server.proc.poll() is None:
            return server
        self._stopp_server()
        python = self.uno_venv / "bin" / "python"
        if not python.exists():
            raise KonverteringsFeil(
                f"Fant ikke uno-miljøet for LibreOffice i {self.uno_venv}. {_RAD} Eller sett "
                "UNOSERVER_VENV til et miljø laget med `/usr/bin/python3 -m venv "
                f"--system-site-packages` og `pip install unoserver=={UNOSERVER_VERSJON}`."
            )
        soffice = _soffice(self._valgt_soffice)
        for _forsok in range(3):
            try:
                self._tilstand.server = self._start_server(python, soffice)
                return self._tilstand.server
            except _PortOpptatt:
                continue
        raise KonverteringsFeil(
            "Fant ingen ledig port til LibreOffice-serveren etter tre forsøk. Prøv igjen."
        )

    def _start_server(self, python: Path, soffice: str) -> _Server:
        if self.prosessmappe is not None:
            self.prosessmappe.mkdir(parents=True, exist_ok=True)
        mappe = Path(tempfile.mkdtemp(prefix="dokumenter-lo-", dir=self.prosessmappe))
        (mappe / "tmp").mkdir()
        porter = _ledige_porter(2)
        kommando = [
            str(python),
            "-m",
            "unoserver.server",
            "--interface",
            "127.0.0.1",
            "--port",
            str(porter[0]),
            "--uno-interface",
            "127.0.0.1",
            "--uno-port",
            str(porter[1]),
            "--executable",
            soffice,
            # unoserver 3.7 gjør selv stien om til file:///-URL (-env:UserInstallation=…).
            "--user-installation",
            str(mappe / "profil"),
            "--temp-dir",
            str(mappe / "tmp"),
            "--quiet",
        ]
        with open(mappe / "unoserver.log", "wb") as logg:
            try:
                proc = subprocess.Popen(
                    kommando,
                    stdin=subprocess.DEVNULL,
                    stdout=logg,
                    stderr=subprocess.STDOUT,
                    cwd=mappe,
                    env=_barne_env(),
                    start_new_session=True,
                )
            except OSError as feil:
                _frigi_porter(porter)
                shutil.rmtree(mappe, ignore_errors=True)
                raise KonverteringsFeil(
                    f"Klarte ikke å starte uno-miljøets Python ({python}): {feil}. {_RAD}"
                ) from None
        server = _Server(proc, porter[0], porter, mappe)
        try:
            skriv_pidfil(mappe, proc.pid)
            self._vent_til_klar(server)
        except BaseException:
            server.stopp()
            raise
        return server

    def _vent_til_klar(self, server: _Server) -> None:
        # unoserver 3.7 sover fast 5 s etter at soffice er startet før den åpner XML-RPC-porten.
        frist = time.monotonic() + self.oppstart_timeout
        while True:
            if self._tilstand.lukket:  # lukk() kom under oppstarten; kalleren stopper serveren
                raise KonverteringsFeil("PDF-konvertereren ble lukket under oppstarten.")
            kode = server.proc.poll()
            if kode is not None:
                logg = server.logg()
                if "Address already in use" in logg:
                    raise _PortOpptatt
                if "uno" in logg and ("ImportError" in logg or "ModuleNotFoundError" in logg):
                    raise KonverteringsFeil(
                        f"uno-miljøet {self.uno_venv} mangler unoserver eller LibreOffice sin "
                        "uno-modul (det må lages med Debians /usr/bin/python3 og "
                        "--system-site-packages). Slett mappen og kjør `make .venv-uno/.ok` "
                        "(eller `make run`) på nytt."
                    )
                raise KonverteringsFeil(
                    f"LibreOffice-serveren stoppet under oppstart (kode {kode}). {_RAD} "
                    f"Logg: {_kort(logg, 600)}"
                )
            try:
                info = _kall(server.port, 5, "info")
            except (*_NETTFEIL, xmlrpc.client.Fault):
                if time.monotonic() > frist:
                    raise KonverteringsFeil(
                        f"LibreOffice-serveren svarte ikke innen {self.oppstart_timeout:g} s. "
                        "Maskinen kan være overbelastet; prøv igjen. "
                        f"Logg: {_kort(server.logg(), 600)}"
                    ) from None
                time.sleep(0.1)
                continue
            api = info.get("api") if isinstance(info, dict) else None
            if str(api) != _UNOSERVER_API:
                raise KonverteringsFeil(
                    f"uno-miljøet {self.uno_venv} har en unoserver med API {api!r}, men det "
                    f"trengs API {_UNOSERVER_API} (unoserver=={UNOSERVER_VERSJON}). {_RAD}"
                )
            return


def _kort(tekst: str, tegn: int = 200) -> str:
    tekst = " ".join(re.sub(r"<class '[\w.]+'>:", "", tekst).split())
    return tekst if len(tekst) <= tegn else "…" + tekst[-tegn:]


class KaldKonverterer:
    """Én ny `soffice --headless --convert-to` per dokument, med egen profil og tidsavbrudd.

    Tregere (omtrent 1 s per dokument), men uten noe som må holdes i live; til sammenligning
    og som uttrykkelig reserve.
    """

    def __init__(self, soffice: str | None = None) -> None:
        self._valgt_soffice = soffice

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.lukk()

    def lukk(self) -> None:
        """Ingenting å stoppe; finnes så alle konverterere kan brukes likt."""

    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
        """Konverter DOCX-bytes til PDF/A-2b-bytes. Reiser KonverteringsFeil ved feil."""
        data = _sjekk_inndata(docx, timeout)
        soffice = _soffice(self._valgt_soffice)
        with tempfile.TemporaryDirectory(prefix="dokumenter-lo-kald-") as navn:
            mappe = Path(navn)
            inn = mappe / "dokument.docx"
            inn.write_bytes(data)
            kommando = [
                soffice,
                f"-env:UserInstallation={(mappe / 'profil').as_uri()}",
                "--headless",
                "--invisible",
                "--nodefault",
                "--nologo",
                "--norestore",
                "--nolockcheck",
                f"--infilter={_WORD_FILTER}",
                "--convert-to",
                _PDFA_KALD,
                "--outdir",
                str(mappe / "ut"),
                str(inn),
            ]
            try:
                proc = subprocess.Popen(
                    kommando,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    cwd=mappe,
                    env=_barne_env(),
                    start_new_session=True,
                )
            except OSError as feil:
                raise LibreOfficeMangler(f"kunne ikke starte {soffice}: {feil}") from None
            try:
                utskrift, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _drep_gruppe(proc)
                proc.communicate()
                raise KonverteringsFeil(
                    f"LibreOffice brukte mer enn {timeout:g} s på dokumentet og ble stoppet. "
                    "Prøv igjen, eller gi lengre tid om dokumentet er stort."
                ) from None
            except BaseException:
                _drep_gruppe(proc)
                raise
            pdf = mappe / "ut" / "dokument.pdf"
            if not pdf.exists():
                tekst = utskrift.decode("utf-8", "replace")
                if "could not be loaded" in tekst:
                    raise UgyldigDokument(
                        "LibreOffice kunne ikke lese dokumentet som DOCX. Sjekk at filen er et "
                        "gyldig Word-dokument (.docx), og lag det på nytt."
                    )
                raise KonverteringsFeil(
                    f"LibreOffice laget ingen PDF (kode {proc.returncode}). Prøv igjen; "
                    f"meld fra om det gjentar seg. Utskrift: {_kort(tekst, 400)}"
                )
            return _sjekk_pdfa(pdf.read_bytes())


class KonverterPool:
    """N varme konverterere (standard: én per CPU) for satsvise kjøringer fra flere tråder.

    `til_pdfa` tar en ledig server fra køen og legger den tilbake etterpå.
    """

    def __init__(
        self,
        antall: int | None = None,
        uno_venv: str | os.PathLike[str] | None = None,
        *,
        soffice: str | None = None,
        oppstart_timeout: float = 60.0,
    ) -> None:
        self.antall = max(1, antall if antall is not None else (os.cpu_count() or 1))
        self._alle = [
            VarmKonverterer(uno_venv, soffice=soffice, oppstart_timeout=oppstart_timeout)
            for _ in range(self.antall)
        ]
        self._ledige: queue.SimpleQueue[VarmKonverterer] = queue.SimpleQueue()
        for k in self._alle:
            self._ledige.put(k)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.lukk()

    @property
    def konverterere(self) -> list[VarmKonverterer]:
        return list(self._alle)

    def start(self) -> None:
        """Start alle serverne nå, samtidig (hver tar noen sekunder)."""
        with ThreadPoolExecutor(self.antall) as utforer:
            for ferdig in [utforer.submit(k.start) for k in self._alle]:
                ferdig.result()

    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
        """Som VarmKonverterer.til_pdfa, på den første ledige serveren."""
        k = self._ledige.get()
        try:
            return k.til_pdfa(docx, timeout)
        finally:
            self._ledige.put(k)

    def lukk(self) -> None:
        for k in self._alle:
            k.lukk()
