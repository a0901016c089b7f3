"""Arkivfilene i et S3-kompatibelt objektlager (SeaweedFS, MinIO, Ceph, AWS S3 …), for flere
nettnoder bak en lastbalanserer. Samme grensesnitt som mappen (`arkiv.grensesnitt`).

Hver fil er objektet `filer/<sha256>` i bøtta. Klienten er boto3: en vedlikeholdt S3-klient som
snakker med enhver S3-kompatibel tjener (signatur v4, adressering med sti), og som er trygg å
dele mellom tråder.

Rekkefølgen er den samme som i mappen: objektene legges i bøtta *før* databasen committer, så
en krasj kan etterlate et foreldreløst objekt, aldri en rad uten objekt. Før de nye objektene
lastes opp, skrives et merke `ventende/<id>` med hvilke objekter lagringen legger inn (`nye`)
og hvilke den bruker (`alle`); etter commit slettes merket. Et objekt som finnes fra før, lastes
ikke opp igjen (innholdsadressert).

`gjenopprett` (ved hver oppstart) leser bare merkene, ikke hele bøtta: et merke eldre enn
`ryddefrist` (standard én time) hører til en lagring som døde før commit, og dets nye objekter
som databasen ikke kjenner og ingen yngre lagring bruker, slettes. Fristen er der fordi en
annen node kan være midt i en lagring som bruker det samme objektet; ingen lagring varer en
time. Det lille vinduet som står igjen (en annen node fant objektet like før det ble slettet),
lukker `fullfor`: etter commit sjekkes at hvert objekt lagringen fant fra før, fortsatt finnes,
og det lastes opp igjen fra minnet om ikke. Foreldreløse objekter yngre enn fristen viser
`dokumenter arkiv verifiser` som foreldreløse.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from arkiv.lager import (
    BLOKK,
    Gjenoppretting,
    LagerFeil,
    LagretFil,
    feilpunkt,
    lagre_alene,
)

FILER = "filer/"
VENTENDE = "ventende/"
_SHA = re.compile(r"[0-9a-f]{64}")
logger = logging.getLogger(__name__)
Tjenerfeil = (BotoCoreError, ClientError)


def _kode(e: Exception) -> str:
    if isinstance(e, ClientError):
        return str(e.response.get("Error", {}).get("Code", ""))
    return ""


def _mangler(e: Exception) -> bool:
    return _kode(e) in ("404", "NoSuchKey", "NotFound")


class Objektlager:
    def __init__(
        self,
        url: str,
        boks: str,
        nokkel: str,
        hemmelighet: str,
        region: str | None = None,
        feiltype: type[LagerFeil] = LagerFeil,
        ryddefrist: int = 3600,
    ) -> None:
        self.url, self.boks, self.feiltype, self.ryddefrist = url, boks, feiltype, ryddefrist
        self.klient = boto3.client(
            "s3",
            endpoint_url=url,
            aws_access_key_id=nokkel,
            aws_secret_access_key=hemmelighet,
            region_name=region or "us-east-1",
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
                # Bare sjekksummene S3 krever: ikke alle S3-kompatible tjenere forstår de nye.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                max_pool_connections=20,
            ),
        )

    def __repr__(self) -> str:
        return f"Objektlager({self.url}, {self.boks})"

    def lukk(self) -> None:
        self.klient.close()

    def _feil(self, hva: str, e: Exception) -> LagerFeil:
        if isinstance(e, ClientError):
            kode = _kode(e)
            grunn = {
                "403": "nøkkelen ble avvist",
                "AccessDenied": "nøkkelen ble avvist",
                "SignatureDoesNotMatch": "nøkkelen eller hemmeligheten er feil",
                "InvalidAccessKeyId": "nøkkelen er ukjent",
                "NoSuchBucket": f"bøtta «{self.boks}» finnes ikke",
            }.get(kode, f"{kode} {e.response.get('Error', {}).get('Message', '')}".strip())
        else:
            grunn = str(e)
        return self.feiltype(f"Kunne ikke {hva} arkivet (objektlageret {self.url}): {grunn}")

    def kontroller(self) -> None:
        """Ved oppstart: bøtta finnes og nøkkelen gir lese- og skrivetilgang. Bøtta opprettes
        ikke her: versjonering, livsløp og tilgang er driftens valg (se README)."""
        try:
            self.klient.head_bucket(Bucket=self.boks)
            self.klient.list_objects_v2(Bucket=self.boks, Prefix=VENTENDE, MaxKeys=1)
        except ClientError as e:
            if _kode(e) in ("404", "NoSuchBucket"):
                raise self.feiltype(
                    f"Bøtta «{self.boks}» finnes ikke i objektlageret {self.url}. Opprett den "
                    "(helst med versjonering slått på) og start på nytt."
                ) from e
            if _kode(e) in ("403", "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId"):
                raise self.feiltype(
                    f"Objektlageret {self.url} avviste nøkkelen for bøtta «{self.boks}». Sjekk "
                    "DOKUMENTER_S3_NOKKEL og DOKUMENTER_S3_HEMMELIGHET."
                ) from e
            raise self._feil("nå", e) from e
        except BotoCoreError as e:
            raise self.feiltype(
                f"Kunne ikke nå objektlageret på {self.url} ({e}). Sjekk DOKUMENTER_S3_URL og at "
                "tjeneren kjører."
            ) from e

    @staticmethod
    def nokkel(sha256: str) -> str:
        if not _SHA.fullmatch(sha256):
            raise ValueError(f"Ugyldig SHA-256: {sha256!r}")
        return FILER + sha256

    def plassering(self, sha256: str) -> str:
        return f"s3://{self.boks}/{self.nokkel(sha256)}"

    def innlegg(self) -> Objektinnlegg:
        return Objektinnlegg(self)

    def lagre(self, data: bytes) -> LagretFil:
        return lagre_alene(self.innlegg(), data)

    def _hent(self, sha256: str):
        try:
            return self.klient.get_object(Bucket=self.boks, Key=self.nokkel(sha256))["Body"]
        except Tjenerfeil as e:
            if _mangler(e):
                raise self.feiltype(f"Filen {sha256[:12]}… mangler i arkivet.") from e
            raise self._feil("lese fra", e) from e

    def les(self, sha256: str) -> bytes:
        kropp = self._hent(sha256)
        try:
            data = kropp.read()
        except Tjenerfeil as e:
            raise self._feil("lese fra", e) from e
        finally:
            kropp.close()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise self.feiltype(f"Filen {sha256[:12]}… i arkivet er endret eller skadet.")
        return data

    def sha256_av(self, sha256: str) -> tuple[str, int]:
        kropp = self._hent(sha256)
        h, n = hashlib.sha256(), 0
        try:
            for blokk in kropp.iter_chunks(BLOKK):
                h.update(blokk)
                n += len(blokk)
        except Tjenerfeil as e:
            raise self._feil("lese fra", e) from e
        finally:
            kropp.close()
        return h.hexdigest(), n

    def kopier_til(self, sha256: str, maal: Path) -> None:
        kropp = self._hent(sha256)
        try:
            with open(maal, "wb") as f:
                for blokk in kropp.iter_chunks(BLOKK):
                    f.write(blokk)
        except Tjenerfeil as e:
            raise self._feil("lese fra", e) from e
        finally:
            kropp.close()

    def finnes(self, sha256: str) -> bool:
        try:
            self.klient.head_object(Bucket=self.boks, Key=self.nokkel(sha256))
        except Tjenerfeil as e:
            if _mangler(e):
                return False
            raise self._feil("lese fra", e) from e
        return True

    def slett(self, sha256: str) -> bool:
        fantes = self.finnes(sha256)
        if fantes:
            self._slett_nokkel(self.nokkel(sha256))
        return fantes

    def _slett_nokkel(self, nokkel: str) -> None:
        try:
            self.klient.delete_object(Bucket=self.boks, Key=nokkel)
        except Tjenerfeil as e:
            raise self._feil("slette fra", e) from e

    def _list(self, prefiks: str) -> Iterator[dict]:
        """Objektene under `prefiks`, side for side (1000 om gangen), sortert etter nøkkel."""
        try:
            for side in self.klient.get_paginator("list_objects_v2").paginate(
                Bucket=self.boks, Prefix=prefiks
            ):
                yield from side.get("Contents", ())
        except Tjenerfeil as e:
            raise self._feil("liste", e) from e

    def shaer(self) -> Iterator[str]:
        for obj in self._list(FILER):
            sha = obj["Key"].removeprefix(FILER)
            if _SHA.fullmatch(sha):
                yield sha

    def _put(self, nokkel: str, data: bytes) -> None:
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        try:
            self.klient.put_object(Bucket=self.boks, Key=nokkel, Body=data, ContentMD5=md5)
        except Tjenerfeil as e:
            raise self._feil("skrive til", e) from e

    def _merker(self) -> Iterator[tuple[str, datetime]]:
        for obj in self._list(VENTENDE):
            yield obj["Key"], obj["LastModified"]

    def _les_merke(self, nokkel: str) -> dict[str, list[str]]:
        try:
            kropp = self.klient.get_object(Bucket=self.boks, Key=nokkel)["Body"]
            try:
                merke = json.loads(kropp.read())
            finally:
                kropp.close()
        except Tjenerfeil as e:
            if _mangler(e):
                return {}
            raise self._feil("lese fra", e) from e
        except ValueError:
            return {}
        return merke if isinstance(merke, dict) else {}

    def _i_bruk(self, unntatt: str | None = None) -> set[str]:
        """Objektene lagringer som pågår (merker yngre enn fristen) legger inn eller bruker."""
        grense = datetime.now(UTC) - timedelta(seconds=self.ryddefrist)
        brukt: set[str] = set()
        for nokkel, tid in self._merker():
            if nokkel != unntatt and tid >= grense:
                brukt.update(self._les_merke(nokkel).get("alle", ()))
        return brukt

    def gjenopprett(self, er_registrert: Callable[[str], bool]) -> Gjenoppretting:
        """Merker eldre enn `ryddefrist`: fjern deres nye objekter som databasen ikke kjenner
        og ingen pågående lagring bruker, og så merket."""
        grense = datetime.now(UTC) - timedelta(seconds=self.ryddefrist)
        gamle = [nokkel for nokkel, tid in self._merker() if tid < grense]
        if not gamle:
            return Gjenoppretting(0, 0)
        i_bruk = self._i_bruk()
        fullfort = forkastet = 0
        for nokkel in gamle:
            merke = self._les_merke(nokkel)
            for sha in merke.get("nye", ()):
                if not _SHA.fullmatch(sha):
                    continue
                if er_registrert(sha):
                    fullfort += 1
                elif sha not in i_bruk:
                    self._slett_nokkel(self.nokkel(sha))
                    forkastet += 1
            self._slett_nokkel(nokkel)
        return Gjenoppretting(fullfort, forkastet)


class Objektinnlegg:
    """Én lagring i objektlageret: filene holdes i minnet til `forbered`, som skriver merket
    og laster opp de nye; `fullfor` etter commit, `forkast` når commit feilet."""

    def __init__(self, lager: Objektlager) -> None:
        self.lager = lager
        self.merke = f"{VENTENDE}{uuid.uuid4().hex}"
        self._filer: dict[str, bytes] = {}
        self._nye: list[str] = []
        self._forberedt = False

    def __enter__(self) -> Objektinnlegg:
        return self

    def __exit__(self, *_: object) -> None:
        pass  # før `forbered` er ingenting lagt i bøtta; etter rydder fullfor/forkast

    def lagre(self, data: bytes) -> LagretFil:
        sha = hashlib.sha256(data).hexdigest()
        self._filer.setdefault(sha, data)
        return LagretFil(sha, len(data))

    def forbered(self) -> None:
        """Før commit: merket (hvilke objekter som blir nye), så de nye objektene."""
        try:
            self._nye = [sha for sha in self._filer if not self.lager.finnes(sha)]
            feilpunkt("skriv_nye")
            self._forberedt = True
            merke = {"nye": self._nye, "alle": list(self._filer)}
            self.lager._put(self.merke, json.dumps(merke).encode())
            for sha in self._nye:
                feilpunkt("skriv_fil")
                self.lager._put(self.lager.nokkel(sha), self._filer[sha])
                feilpunkt("etter_fil")
        except OSError as e:  # krasjtestenes innsprøytede feil
            raise self.lager.feiltype(
                f"Kunne ikke skrive til arkivet (objektlageret {self.lager.url}): {e.strerror or e}"
            ) from e

    def fullfor(self) -> None:
        """Etter commit: last opp igjen et objekt som fantes fra før, men er borte nå (en
        opprydding på en annen node), og slett merket. Kaster aldri; merket som blir liggende,
        rydder `gjenopprett` etter fristen."""
        try:
            feilpunkt("etter_commit")
            for sha, data in self._filer.items():
                if sha not in self._nye and not self.lager.finnes(sha):
                    logger.warning("Objektet %s forsvant under lagringen; lastet opp igjen.", sha)
                    self.lager._put(self.lager.nokkel(sha), data)
            feilpunkt("rydd_ventemappe")
            self.lager._slett_nokkel(self.merke)
        except (LagerFeil, OSError) as e:
            logger.warning("Merket %s blir liggende til oppryddingen: %s", self.merke, e)

    def forkast(self, er_registrert: Callable[[str], bool]) -> None:
        """Commit feilet: fjern de nye objektene ingen rad peker på og ingen annen pågående
        lagring bruker, og merket. Kaster aldri; resten rydder `gjenopprett`."""
        if not self._forberedt:
            return
        try:
            i_bruk = self.lager._i_bruk(unntatt=self.merke) if self._nye else set()
            for sha in self._nye:
                if sha not in i_bruk and not er_registrert(sha):
                    with contextlib.suppress(LagerFeil):
                        self.lager._slett_nokkel(self.lager.nokkel(sha))
            self.lager._slett_nokkel(self.merke)
        except Exception as e:  # noqa: BLE001 - den opprinnelige feilen er den som teller
            logger.warning("Kunne ikke rydde etter avbrutt lagring (%s): %s", self.merke, e)
