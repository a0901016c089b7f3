"""Innholdsadressert fillager: hver fil lagres én gang under sin SHA-256, skrevet atomisk.

En lagring (`Innlegg`) skriver filene til en låst ventemappe (`.ventende/<id>/`, flock), og
`forbered()` lenker dem (hard lenke) inn på sin endelige plass i lageret *før* databasen
committer. Hvilke filer som var nye i lageret, skrives først i ventemappen (`.nye`, fsync). Etter
commit fjernes bare ventemappen; lageret har allerede filene, så ingen feil etter commit kan
miste den eneste kopien. Dør prosessen før commit, fjerner `gjenopprett` (som kjører ved hver
oppstart) de nye filene databasen ikke kjenner, og beholder dem den kjenner.

Fjerning av nye filer (`gjenopprett`, `Innlegg.forkast`) og lagringer mellom `forbered()` og
etter commit utelukker hverandre med en flock på `.ventende` (lagringene deler den), så en fil en
annen lagring nettopp har registrert, aldri fjernes. En lagring som fant filen i lageret fra før,
holder en hard lenke til den i sin egen ventemappe og lenker den inn igjen om den skulle mangle.

`feilpunkt(navn)` er krasjtestenes krok: DOKUMENTER_FEILPUNKT=navn avslutter prosessen der, og
`sett_feilkrok` lar en test kaste (for eksempel OSError) ved hvert filsystemsteg.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

VENTENDE = ".ventende"
NYE = ".nye"
BLOKK = 1024 * 1024  # lesing i blokker (kontroll og kopi)
logger = logging.getLogger(__name__)
_feilkrok: Callable[[str], None] | None = None


class LagerFeil(Exception):
    """Arkivet kunne ikke skrive eller lese en fil (full disk, manglende tilgang, ...)."""


@dataclass(frozen=True)
class LagretFil:
    sha256: str
    storrelse: int


def lagre_alene(innlegg, data: bytes) -> LagretFil:
    """Hele løpet for én fil uten databasetransaksjon (`lagre` i begge arkivlagrene)."""
    with innlegg as inn:
        f = inn.lagre(data)
        try:
            inn.forbered()
        except BaseException:
            inn.forkast(lambda _sha: False)
            raise
        inn.fullfor()
    return f


def feilpunkt(navn: str) -> None:
    """Krasjtester: avslutt prosessen brått her når DOKUMENTER_FEILPUNKT=navn; eller kall
    kroken fra `sett_feilkrok` (som kan kaste)."""
    if os.environ.get("DOKUMENTER_FEILPUNKT") == navn:
        os._exit(86)
    if _feilkrok is not None:
        _feilkrok(navn)


def sett_feilkrok(krok: Callable[[str], None] | None) -> None:
    """Bare for tester: `krok(navn)` kalles ved hvert feilpunkt og kan kaste."""
    global _feilkrok
    _feilkrok = krok


class Fillager:
    def __init__(self, rot: str | Path, feiltype: type[LagerFeil] = LagerFeil) -> None:
        self.rot = Path(rot)
        # Kalleren kan gi en underklasse av LagerFeil som også hører til sitt eget feiltre.
        self.feiltype = feiltype

    def sti(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"Ugyldig SHA-256: {sha256!r}")
        return self.rot / sha256[:2] / sha256[2:4] / sha256

    def innlegg(self) -> Innlegg:
        """Start en lagring: `lagre`, `forbered` før commit, `fullfor` etter."""
        return Innlegg(self)

    def lagre(self, data: bytes) -> LagretFil:
        """Lagre én fil direkte (for filer som ikke hører til en databasetransaksjon)."""
        return lagre_alene(self.innlegg(), data)

    def les(self, sha256: str) -> bytes:
        try:
            data = self.sti(sha256).read_bytes()
        except FileNotFoundError as e:
            raise self.feiltype(f"Filen {sha256[:12]}… mangler i arkivet.") from e
        if hashlib.sha256(data).hexdigest() != sha256:
            raise self.feiltype(f"Filen {sha256[:12]}… i arkivet er endret eller skadet.")
        return data

    def slett(self, sha256: str) -> bool:
        """Fjern en fil for godt (bare for data som skal slettes etter oppbevaringstiden)."""
        try:
            self.sti(sha256).unlink()
        except FileNotFoundError:
            return False
        _fsync_mappe(self.sti(sha256).parent)
        return True

    def finnes(self, sha256: str) -> bool:
        return self.sti(sha256).is_file()

    def alle(self) -> Iterator[Path]:
        """Alle filer i lageret (ikke ventemappen), sortert etter SHA-256."""
        for mappe in sorted(self.rot.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]")):
            yield from sorted(p for p in mappe.iterdir() if p.is_file())

    def shaer(self) -> Iterator[str]:
        return (p.name for p in self.alle())

    def sha256_av(self, sha256: str) -> tuple[str, int]:
        h, n = hashlib.sha256(), 0
        try:
            with open(self.sti(sha256), "rb", buffering=0) as f:
                while blokk := f.read(BLOKK):
                    h.update(blokk)
                    n += len(blokk)
        except FileNotFoundError as e:
            raise self.feiltype(f"Filen {sha256[:12]}… mangler i arkivet.") from e
        return h.hexdigest(), n

    def kopier_til(self, sha256: str, maal: Path) -> None:
        shutil.copyfile(self.sti(sha256), maal)

    def plassering(self, sha256: str) -> str:
        return str(self.sti(sha256))

    def gjenopprett(self, er_registrert: Callable[[str], bool]) -> Gjenoppretting:
        return gjenopprett(self, er_registrert)

    def lukk(self) -> None:
        pass

    def _lenk_inn(self, kilde: Path, sha256: str) -> bool:
        """Hard lenke fra ventemappen til lageret. False når filen alt var der."""
        maal = self.sti(sha256)
        if maal.is_file():
            return False
        maal.parent.mkdir(parents=True, exist_ok=True)
        feilpunkt("lenke_inn")
        try:
            os.link(kilde, maal)
        except FileExistsError:
            return False
        _fsync_mappe(maal.parent)
        return True

    @contextlib.contextmanager
    def _fjernelas(self, eksklusiv: bool, vent: float = 30.0) -> Iterator[bool]:
        """flock på `.ventende`: delt for lagringer rundt commit, eksklusiv for fjerning av
        nye filer. Gir False (uten lås) om den eksklusive ikke kunne tas innen `vent` s."""
        rot = self.rot / VENTENDE
        rot.mkdir(parents=True, exist_ok=True)
        fd = os.open(rot, os.O_RDONLY)
        try:
            frist = time.monotonic() + vent
            while True:
                try:
                    fcntl.flock(fd, (fcntl.LOCK_EX if eksklusiv else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > frist:
                        yield False
                        return
                    time.sleep(0.01)
            yield True
        finally:
            os.close(fd)


class Innlegg:
    """Én lagring: `lagre` til ventemappen, `forbered` inn i lageret før commit, så `fullfor`
    etter commit eller `forkast` når commit feilet. Uten noen av dem blir ventemappen liggende
    til `gjenopprett`, som spør databasen."""

    def __init__(self, lager: Fillager) -> None:
        self.lager = lager
        self.mappe = lager.rot / VENTENDE / uuid.uuid4().hex
        self._filer: dict[str, Path] = {}
        self._nye: list[str] = []
        self._forberedt = False
        self._las: int | None = None
        self._delt: contextlib.ExitStack | None = None

    def __enter__(self) -> Innlegg:
        try:
            self.mappe.mkdir(parents=True)
            self._las = os.open(self.mappe / ".las", os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(self._las, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            self._slipp()
            shutil.rmtree(self.mappe, ignore_errors=True)
            raise self._feil(e) from e
        return self

    def __exit__(self, *_: object) -> None:
        self._slipp()
        if not self._forberedt:  # ingenting er lagt i lageret ennå
            shutil.rmtree(self.mappe, ignore_errors=True)

    def _feil(self, e: OSError) -> LagerFeil:
        return self.lager.feiltype(
            f"Kunne ikke skrive til arkivet ({self.lager.rot}): {e.strerror or e}"
        )

    def lagre(self, data: bytes) -> LagretFil:
        sha = hashlib.sha256(data).hexdigest()
        if sha in self._filer:
            return LagretFil(sha, len(data))
        sti = self.mappe / sha
        try:
            try:  # finnes filen, holder en hard lenke den fast til commit
                os.link(self.lager.sti(sha), sti)
            except FileNotFoundError:
                feilpunkt("skriv_fil")
                fd, tmp = tempfile.mkstemp(dir=self.mappe, prefix=".tmp-")
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, sti)
            _fsync_mappe(self.mappe)
            self._filer[sha] = sti
            feilpunkt("etter_fil")
        except OSError as e:
            raise self._feil(e) from e
        return LagretFil(sha, len(data))

    def forbered(self) -> None:
        """Før commit: skriv hvilke filer som er nye (fsync), og lenk dem inn i lageret."""
        self._delt = contextlib.ExitStack()
        self._delt.enter_context(self.lager._fjernelas(eksklusiv=False))
        try:
            self._nye = [sha for sha in self._filer if not self.lager.finnes(sha)]
            self._skriv_nye()
            self._forberedt = True
            for sha, sti in self._filer.items():
                if self.lager._lenk_inn(sti, sha) and sha not in self._nye:
                    self._nye.append(sha)  # forsvant imens og er lenket inn igjen: ny
                    self._skriv_nye()
            feilpunkt("etter_lenke")
        except OSError as e:
            raise self._feil(e) from e

    def _skriv_nye(self) -> None:
        feilpunkt("skriv_nye")
        _skriv_fsync(self.mappe / NYE, "".join(f"{sha}\n" for sha in self._nye).encode())

    def fullfor(self) -> None:
        """Etter commit: sjekk at lageret har hver fil, og fjern ventemappen. Kaster aldri:
        feiler noe, blir ventemappen liggende til `gjenopprett`, og filene er alt i lageret."""
        try:
            feilpunkt("etter_commit")
            for sha, sti in self._filer.items():
                self.lager._lenk_inn(sti, sha)
            self._slipp()
            feilpunkt("rydd_ventemappe")
            shutil.rmtree(self.mappe)
        except OSError as e:
            logger.warning("Ventemappen %s blir liggende til neste oppstart: %s", self.mappe, e)
        self._slipp()

    def forkast(self, er_registrert: Callable[[str], bool]) -> None:
        """Commit feilet: fjern de nye filene som ingen rad i databasen peker på. Kaster
        aldri; det som ikke blir ryddet nå, rydder `gjenopprett`."""
        self._slipp()
        if not self._forberedt:
            return
        try:
            with self.lager._fjernelas(eksklusiv=True) as fikk:
                if not fikk:
                    return
                for sha in self._nye:
                    if not er_registrert(sha):
                        _fjern(self.lager.sti(sha))
                shutil.rmtree(self.mappe)
        except Exception as e:  # noqa: BLE001 - den opprinnelige feilen er den som teller
            logger.warning("Kunne ikke rydde etter avbrutt lagring i %s: %s", self.mappe, e)

    def _slipp(self) -> None:
        if self._delt is not None:
            self._delt.close()
            self._delt = None
        if self._las is not None:
            os.close(self._las)
            self._las = None


@dataclass(frozen=True)
class Gjenoppretting:
    fullfort: int
    forkastet: int


def gjenopprett(lager: Fillager, er_registrert: Callable[[str], bool]) -> Gjenoppretting:
    """Rydd etter avbrutte lagringer: nye filer databasen ikke kjenner, fjernes fra lageret;
    filer den kjenner, beholdes (og lenkes inn om de mangler). Ventemapper som er låst (en
    lagring pågår), røres ikke."""
    fullfort = forkastet = 0
    rot = lager.rot / VENTENDE
    if not rot.is_dir():
        return Gjenoppretting(0, 0)
    with lager._fjernelas(eksklusiv=True) as fikk:
        if not fikk:
            return Gjenoppretting(0, 0)
        for mappe in sorted(p for p in rot.iterdir() if p.is_dir()):
            with _ulast(mappe) as ledig:
                if not ledig:
                    continue
                f, k = _gjenopprett_mappe(lager, mappe, er_registrert)
                fullfort, forkastet = fullfort + f, forkastet + k
                shutil.rmtree(mappe, ignore_errors=True)
    return Gjenoppretting(fullfort, forkastet)


def _gjenopprett_mappe(
    lager: Fillager, mappe: Path, er_registrert: Callable[[str], bool]
) -> tuple[int, int]:
    fullfort = forkastet = 0
    try:
        nye = set((mappe / NYE).read_text().split())
    except (FileNotFoundError, UnicodeDecodeError):
        nye = set()
    for fil in sorted(mappe.iterdir()):
        if fil.name.startswith(".") or len(fil.name) != 64:
            continue
        if not er_registrert(fil.name):
            continue  # de nye fjernes under; en fil som var der fra før, er ikke vår
        if not lager.finnes(fil.name):
            if hashlib.sha256(fil.read_bytes()).hexdigest() != fil.name:
                continue
            lager._lenk_inn(fil, fil.name)
        fullfort += 1
    for sha in sorted(nye):
        if len(sha) == 64 and not er_registrert(sha):
            _fjern(lager.sti(sha))
            forkastet += 1
    return fullfort, forkastet


@contextlib.contextmanager
def _ulast(mappe: Path) -> Iterator[bool]:
    """True (med låsen) når ingen lagring holder ventemappen."""
    try:
        fd: int | None = os.open(mappe / ".las", os.O_RDWR)
    except FileNotFoundError:
        fd = None
        if time.time() - mappe.stat().st_mtime < 60:
            yield False  # nettopp opprettet; låsen kommer straks
            return
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
        yield True
    finally:
        if fd is not None:
            os.close(fd)


def _fjern(sti: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        sti.unlink()
        _fsync_mappe(sti.parent)


def _skriv_fsync(sti: Path, data: bytes) -> None:
    tmp = sti.with_name(sti.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, sti)
    _fsync_mappe(sti.parent)


def _fsync_mappe(mappe: Path) -> None:
    fd = os.open(mappe, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as e:
        if e.errno != errno.EINVAL:
            raise
    finally:
        os.close(fd)
