"""Arkivuttrekket (`dokumenter arkiv uttrekk DEST`): Noark 5 v5.0-mappen med
arkivstruktur.xml, endringslogg.xml, loependeJournal.xml, offentligJournal.xml,
arkivuttrekk.xml (ADDML), skjemaene og `dokumenter/` med arkivformatet (PDF/A), kontrollert
til slutt (`kontroll`).

- Strømmet: XML-en skrives fortløpende og dataene leses i biter, så hukommelsen er flat.
- Likt hver gang: samme database gir byte for byte samme XML, bortsett fra uttrekkets eget
  tidspunkt (bare i arkivuttrekk.xml).
- Helt eller ikke: uttrekket bygges i en skjult mappe ved siden av DEST og får navnet først
  når det er skrevet; DEST må være tom eller ikke finnes.
- Planenes filer dekrypteres; sjekksummen i uttrekket er av filen slik den ligger der.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.models import Dokumentobjekt, Saksmappe
from dokumenter.noark import addml, arkivstruktur, journaler
from dokumenter.noark.journaler import Enheter
from dokumenter.noark.klassifikasjon import ordning
from dokumenter.noark.kontroll import SKJEMAER, Kontrollrapport, kontroller
from dokumenter.noark.utvalg import Grunnlag, Utvalg, antall_i_basen, grunnlag, mappe_ider
from dokumenter.noark.utvalg import mapper as les_mapper
from dokumenter.noark.xml import NOARK5, Tekstfil
from dokumenter.tjenester import Tjenester


class Fremdrift(Protocol):
    def trinn(self, navn: str, totalt: int) -> None: ...

    def frem(self, antall: int = 1) -> None: ...


class Stille:
    def trinn(self, navn: str, totalt: int) -> None:
        pass

    def frem(self, antall: int = 1) -> None:
        pass


@dataclass
class Uttrekksrapport:
    mappe: Path
    antall: dict[str, int] = field(default_factory=dict)
    dokumentfiler: int = 0
    bytes_skrevet: int = 0
    sekunder_skriving: float = 0.0
    kontroll: Kontrollrapport = field(default_factory=Kontrollrapport)


def lag_uttrekk(
    tj: Tjenester, dest: Path, utvalg: Utvalg, fremdrift: Fremdrift | None = None
) -> Uttrekksrapport:
    """Skriv uttrekket til `dest` og kontroller det. Kaster `Valideringsfeil` når DEST ikke er
    tom eller utvalget er tomt (ingenting er da skrevet)."""
    fremdrift = fremdrift or Stille()
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise Valideringsfeil({"dest": f"{dest} finnes og er ikke tom. Velg en ny mappe."})
    dest.parent.mkdir(parents=True, exist_ok=True)
    arbeid = Path(tempfile.mkdtemp(prefix=f".{dest.name}.ufullstendig-", dir=dest.parent))
    try:
        rapport = Uttrekksrapport(dest)
        t0 = time.perf_counter()
        with tj.sesjoner() as s:
            _fast_bilde(s)
            forventet = _skriv(tj, s, arbeid, utvalg, rapport, fremdrift)
        os.sync()  # filene på disk før uttrekket får navnet sitt
        rapport.sekunder_skriving = time.perf_counter() - t0
        fremdrift.trinn("Kontrollerer", rapport.dokumentfiler)
        rapport.kontroll = kontroller(arbeid, forventet, fremdrift.frem)
        if dest.exists():
            dest.rmdir()
        arbeid.rename(dest)
    except BaseException:
        shutil.rmtree(arbeid, ignore_errors=True)
        raise
    return rapport


def _fast_bilde(s: Session) -> None:
    """Hele uttrekket leses fra ett øyeblikksbilde av databasen (PostgreSQL: REPEATABLE READ;
    SQLite i WAL-modus holder bildet fra første lesing i transaksjonen)."""
    if s.get_bind().dialect.name == "postgresql":
        s.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _skriv(
    tj: Tjenester,
    s: Session,
    arbeid: Path,
    u: Utvalg,
    rapport: Uttrekksrapport,
    fremdrift: Fremdrift,
) -> dict[str, int]:
    oppsett = tj.innstillinger.arkivoppsett
    g = grunnlag(s, u)
    ider = mappe_ider(s, u, g)
    forventet = antall_i_basen(s, u, g, ider)
    if not forventet["registrering"]:
        raise Valideringsfeil(
            {"periode": "Utvalget har ingen journalposter; det er ingenting å avlevere."}
        )
    (arbeid / "dokumenter").mkdir()
    filer = Dokumentfiler(tj, arbeid)
    enheter = Enheter({}, {}, {}, defaultdict(list), set())
    ordningen = ordning(oppsett.klasser)
    fremdrift.trinn("Skriver arkivstruktur og dokumenter", len(ider))
    with Tekstfil(arbeid / "arkivstruktur.xml") as f:
        try:
            teller = arkivstruktur.skriv(
                f,
                g,
                oppsett.navn,
                oppsett.arkivskaper_id,
                oppsett.enhet,
                (ordningen.tittel, ordningen.type),
                _samle(les_mapper(s, u, g, ider), enheter, fremdrift),
                filer.legg_til,
                _arkivdeler(g, s, ider),
            )
        finally:
            filer.ferdig()  # alle filene kopiert (eller feilen fra kopieringen kastes her)
        struktur_sha = f.lukk()
    rapport.antall = dict(teller.antall)
    rapport.dokumentfiler, rapport.bytes_skrevet = len(filer.skrevet), filer.bytes
    fremdrift.trinn("Skriver journalene", forventet["registrering"])
    arkivskaper = (oppsett.arkivskaper_id, oppsett.navn)
    with (
        Tekstfil(arbeid / "loependeJournal.xml") as lj,
        Tekstfil(arbeid / "offentligJournal.xml") as oj,
    ):
        antall_jr = journaler.skriv_journaler(
            s, u, g, lj, oj, forventet["registrering"], arkivskaper, oppsett.enhet, fremdrift.frem
        )
        lj_sha, oj_sha = lj.lukk(), oj.lukk()
    with Tekstfil(arbeid / "endringslogg.xml") as f:
        antall_endringer = journaler.skriv_endringslogg(f, journaler.endringer(s, g, enheter))
        endring_sha = f.lukk()
    if not antall_endringer:
        raise Valideringsfeil(
            {
                "periode": "Ingen metadata er endret etter registrering for sakene i utvalget, "
                "og Noark 5-skjemaet for endringslogg.xml krever minst én endring. Velg en "
                "lengre periode."
            }
        )
    skjemaer = {navn: _kopier_skjema(arbeid, navn) for navn in SKJEMAER}
    xml = [
        addml.Xmlfil(
            "arkivstruktur",
            struktur_sha,
            [(navn, skjemaer[navn]) for navn in ("arkivstruktur.xsd", "metadatakatalog.xsd")],
            {n: (f"//{n}", v) for n, v in teller.antall.items()},
        ),
        addml.Xmlfil(
            "endringslogg",
            endring_sha,
            [("endringslogg.xsd", skjemaer["endringslogg.xsd"])],
            {"endring": ("//endring", antall_endringer)},
        ),
    ]
    for navn, sha in (("loependeJournal", lj_sha), ("offentligJournal", oj_sha)):
        xml.append(
            addml.Xmlfil(
                navn,
                sha,
                [(f"{navn}.xsd", skjemaer[f"{navn}.xsd"])],
                {"journalregistrering": ("//journalregistrering", antall_jr)},
            )
        )
    with Tekstfil(arbeid / "arkivuttrekk.xml") as f:
        addml.skriv(
            f,
            oppsett.navn,
            oppsett.arkivskaper_id,
            (g.start.isoformat(), g.slutt.isoformat()),
            datetime.now(UTC),
            xml,
            filer.liste(),
            len(filer.skrevet),
            {
                "inneholderSkjermetInformasjon": True,
                "omfatterDokumenterSomErKassert": bool(enheter.bevart),
                "inneholderDokumenterSomSkalKasseres": True,
                "inneholderVirksomhetsspesifikkeMetadata": False,
            },
        )
        f.lukk()
    return forventet


def _arkivdeler(g: Grunnlag, s: Session, ider: list[int]) -> list[int]:
    """Arkivdelene i uttrekket: alle når ingen er valgt, ellers den valgte og de sakene står i."""
    if g.valgt_arkivdel is None:
        return sorted(g.arkivdeler)
    brukt = set()
    for start in range(0, len(ider), 1000):
        brukt.update(
            s.scalars(
                select(Saksmappe.arkivdel_id).where(Saksmappe.id.in_(ider[start : start + 1000]))
            )
        )
    return sorted(brukt | {g.valgt_arkivdel})


def _samle(mapper, enheter: Enheter, fremdrift: Fremdrift):
    """Gi mappene videre, og noter systemID-ene endringsloggen kan vise til."""
    for m in mapper:
        r = m.mappe
        enheter.mapper[r.id] = r.system_id
        if r.avtale_id is not None:
            enheter.avtaler[r.avtale_id] = r.system_id
        if r.plan_id is not None:
            enheter.planer[r.plan_id] = r.system_id
        if r.kassert is not None:
            enheter.bevart.add(r.system_id)
        for post in m.poster:
            if post.jp.avvik_id is not None:
                enheter.avvikposter[post.jp.avvik_id].append(post.jp.system_id)
            for db, _ in post.dokumenter:
                if db.kassert is not None:
                    enheter.bevart.add(db.system_id)
        yield m
        fremdrift.frem()


def _kopier_skjema(arbeid: Path, navn: str) -> str:
    """Skjemaet, uendret, inn i uttrekket; gir SHA-256."""
    data = (NOARK5 / navn).read_bytes()
    (arbeid / navn).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


class Dokumentfiler:
    """Filene i `dokumenter/`: én fil per innhold (sjekksum), kopiert fra fillageret (planenes
    dekryptert). Kopieringen går i noen tråder ved siden av XML-skrivingen (den venter mest på
    disken); en feil kommer fram senest i `ferdig`."""

    TRAADER = 4
    I_LUFTA = 256  # høyst så mange kopieringer som venter

    def __init__(self, tj: Tjenester, arbeid: Path) -> None:
        self.tj, self.arbeid = tj, arbeid
        self.skrevet: dict[str, str] = {}  # sti -> format
        self.bytes = 0
        self._pool = ThreadPoolExecutor(max_workers=self.TRAADER)
        self._ventende: deque[Future] = deque()

    def legg_til(self, do: Dokumentobjekt) -> None:
        sti = arkivstruktur.dokumentfil(do)
        if sti in self.skrevet:
            return
        self.skrevet[sti] = do.format
        self.bytes += do.filstoerrelse
        self._ventende.append(
            self._pool.submit(self._kopier, do.lager_sha256, do.kryptert, self.arbeid / sti, sti)
        )
        if len(self._ventende) > self.I_LUFTA:
            self._ventende.popleft().result()

    def _kopier(self, sha: str, kryptert: bool, maal: Path, sti: str) -> None:
        try:
            if kryptert:
                maal.write_bytes(self.tj.chiffer.dekrypter(self.tj.lager.les(sha)))
            else:
                self.tj.lager.kopier_til(sha, maal)
        except FileNotFoundError as e:
            raise Arkivfeil(
                f"Filen {sha} ({sti}) mangler i arkivet; kjør «dokumenter arkiv verifiser»."
            ) from e

    def ferdig(self) -> None:
        try:
            while self._ventende:
                self._ventende.popleft().result()
        finally:
            self._pool.shutdown(cancel_futures=True)

    def liste(self):
        """(sti, sjekksum, PRONOM) i fast rekkefølge, for arkivuttrekk.xml."""
        for sti in sorted(self.skrevet):
            yield sti, Path(sti).stem, self.skrevet[sti]
