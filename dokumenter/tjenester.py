"""Det en brukstilfelle trenger: databasesesjoner, fillageret, malene, PDF/A-konvertereren,
porten til arkivet (`Journal`: journalføring etter Noark 5, implementert i `dokumenter.noark`),
søkeindeksen og søkenes kjører, og arbeid som skal gjøres etter commit eller i bakgrunnen.

Modulen er over 400 linjer fordi den er samlepunktet for alt en prosess holder åpent
(database, lager, indeks, konverterer, nøkler, porten til arkivet) og rekkefølgen ved
lagring; delt opp ville rekkefølgen stått flere steder."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from arkiv.grensesnitt import Arkivlager
from arkiv.lager import Fillager, Gjenoppretting, LagerFeil, LagretFil, feilpunkt
from arkiv.sok.indeks import Sokeindeks
from arkiv.sok.kjorer import Sokekjorer
from arkiv.sok.motor import Sokemotor
from arkiv.sok.postgres import PgSokeindeks
from dokumenter.felles.feil import Arkivfeil, Oppsettsfeil
from dokumenter.felles.innstillinger import Innstillinger, SmtpOppsett
from dokumenter.felles.lenker import Lenker, Stilenker
from dokumenter.felles.tid import naa
from dokumenter.infrastruktur import loggko, prosesser
from dokumenter.infrastruktur.db import lag_motor, lag_sesjonsfabrikk, oppgrader, storste_id
from dokumenter.infrastruktur.epost import Epost, EpostFeil, send
from dokumenter.infrastruktur.forsegling import Segl
from dokumenter.infrastruktur.kryptering import Chiffer
from dokumenter.infrastruktur.maler import Mal, les_mal
from dokumenter.infrastruktur.passord import Hasher
from dokumenter.models import (
    Avtale,
    Avvik,
    Avviksskjema,
    Dokument,
    Evaluering,
    Hendelse,
    Malfil,
    Plandokument,
    SignertKopi,
)
from dokumenter.sok.skjema import SOKESKJEMA

logger = logging.getLogger(__name__)
T = TypeVar("T")
KORT_VENTETID = 0.5  # sekunder en lesing venter på skrivelåsen for å logge, før køen på disk
ETTER_COMMIT = "etter_commit"  # nøkkelen i Session.info


def etter_commit(s: Session, oppgave: Callable[[Tjenester], object]) -> None:
    """Kjør `oppgave(tj)` når transaksjonen `s` er committet (i `Tjenester.arkiver`: når
    filene også er på plass), én gang uansett hvor ofte den meldes. Rulles transaksjonen
    tilbake, kjøres den ikke. En feil i oppgaven logges; det brukeren gjorde, står."""
    s.info.setdefault(ETTER_COMMIT, {})[oppgave] = None


class Konverterer(Protocol):
    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes: ...

    def lukk(self) -> None: ...


class Lagerfeil(Arkivfeil, LagerFeil):
    """Fillagerets feil, i prosjektets feiltre (arkiv kjenner ikke dokumenter)."""


# Det som journalføres (se dokumenter.noark.registrering for hva hver blir i arkivet).
ARKIVHENDELSER = (
    "til_gjennomgang",  # avtalen sendt til parten for gjennomgang
    "til_signering",  # en signeringsrunde startet (kilde: runden)
    "signert_kopi",  # forseglet eller skannet kopi (kilde: signert_kopi / plandokument)
    "avviksskjema",  # avviksskjemaet sendt, besvart eller lukket (kilde: avviksskjema)
    "evaluering",  # evalueringsrapporten (kilde: evaluering)
    "planversjon",  # en ny versjon av en individuell plan (kilde: planversjon)
)


@dataclass(frozen=True)
class Arkivhendelse:
    """Et dokument som gikk ut, kom inn eller ble laget i en sak (avtalen eller planen)."""

    type: str  # en av ARKIVHENDELSER
    art: str  # "avtale" | "plan": saken hendelsen hører til
    sak_id: int
    bruker_id: int | None = None  # None: systemet
    kilde_id: int | None = None  # raden dokumentet står i
    # Filene i klartekst når de ikke kan leses fra lageret ennå (de ligger i ventemappen til
    # transaksjonen er over) og er krypterte der eller har ukjent format: planenes filer og
    # skannede kopier. I samme rekkefølge som kildens filer (DOCX før PDF).
    innhold: tuple[bytes, ...] = field(default=(), repr=False)


class Journal(Protocol):
    """Porten domenene journalfører gjennom, alltid inne i transaksjonen som gjør endringen."""

    def ny_sak(self, s: Session, art: str, sak_id: int, bruker_id: int) -> None:
        """En ny avtale eller plan: saksmappen med saksnummer."""

    def registrer(self, s: Session, hendelse: Arkivhendelse) -> None:
        """En journalpost med dokumentene, og meldingen til sak/arkiv i utboksen."""

    def kasser_plan(self, s: Session, plan_id: int, utfort_av: str) -> None:
        """Planen slettes etter oppbevaringstiden: kassasjonen registreres før radene slettes."""


class IkkeKobletJournal:
    """Standardverdien: arkivet er ikke koblet til, og ingenting kan journalføres stille bort.
    Skallene (kommandolinjen, nettsiden) kobler til med `dokumenter.noark.koble_til`."""

    def _feil(self, *_: object, **__: object) -> None:
        raise Oppsettsfeil(
            "Arkivet (Noark 5) er ikke koblet til denne prosessen, så ingenting kan "
            "journalføres. Kall dokumenter.noark.koble_til(tjenester) etter apne()."
        )

    ny_sak = registrer = kasser_plan = _feil


@dataclass
class Tjenester:
    innstillinger: Innstillinger
    sesjoner: sessionmaker[Session]
    skrivesesjoner: sessionmaker[Session]
    lager: Arkivlager  # arkivmappen, eller objektlageret (DOKUMENTER_S3_URL)
    indeks: Sokemotor  # Whoosh på disk, eller PostgreSQL (se `lag_sokemotor`)
    smtp: SmtpOppsett | None = None  # None: e-post er slått av (logges i stedet)
    _konverterer: Konverterer | None = field(default=None, repr=False)
    _chiffer: Chiffer | None = field(default=None, repr=False)
    # Lenkene i e-post; nettsiden bytter til sine egne ruter (web/lenker.py).
    lenker: Lenker = field(init=False, repr=False)
    # Journalføringen (dokumenter.noark); kobles til av skallene.
    journal: Journal = field(default_factory=IkkeKobletJournal, repr=False)
    # Tråder i bakgrunnen (navn -> tråd); `lukk` venter på dem. `stopp` ber dem avslutte.
    _bakgrunn: dict[str, threading.Thread] = field(default_factory=dict, init=False, repr=False)
    stopp: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    # > 0 mens et samlet arbeid (generer-alle) lar indeksjobbene vente til det er ferdig.
    indeks_samlet: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.lenker = Stilenker(self.innstillinger.nettadresse)
        self._bakgrunnslas = threading.Lock()

    def send_epost(self, epost: Epost) -> str | None:
        """Send e-post; returnerer en norsk feilmelding i stedet for å kaste. Kalles etter
        commit, så en nede e-posttjener aldri ruller tilbake det brukeren gjorde."""
        if self.smtp is None:
            logger.warning(
                "E-post er ikke satt opp (DOKUMENTER_SMTP_VERT); sendte ikke: %s", epost.emne
            )
            return "E-post er ikke satt opp på denne installasjonen."
        try:
            send(self.smtp, epost)
        except EpostFeil as e:
            logger.error("%s", e)
            return str(e)
        return None

    @property
    def storste_id(self) -> int:
        """Største id databasen kan slå opp (se infrastruktur.db.storste_id)."""
        return storste_id(self.sesjoner.kw["bind"])

    @property
    def konverterer(self) -> Konverterer:
        """Én varm LibreOffice-prosess per Tjenester, startet ved første bruk, med profil og
        PID-fil under instansens `konverterer/` (se `infrastruktur/prosesser.py`)."""
        if self._konverterer is None:
            from dokumenter.infrastruktur.konvertering import VarmKonverterer

            self._konverterer = VarmKonverterer(
                self.innstillinger.uno_venv,
                prosessmappe=self.innstillinger.instans / prosesser.MAPPE,
            )
        return self._konverterer

    @konverterer.setter
    def konverterer(self, verdi: Konverterer) -> None:
        self._konverterer = verdi

    @property
    def chiffer(self) -> Chiffer:
        """Nøkkelen for individuelle planer (se dokumenter.kryptering)."""
        if self._chiffer is None:
            self._chiffer = Chiffer.fra_innstillinger(self.innstillinger)
        return self._chiffer

    @cached_property
    def segl(self) -> Segl:
        """Kommunens sertifikat og nøkkel for forsegling av signerte kopier."""
        return Segl.fra_innstillinger(self.innstillinger)

    @cached_property
    def passord(self) -> Hasher:
        """Argon2 for passord og engangskoder, med profilen fra innstillingene."""
        return Hasher(self.innstillinger.passordprofil)

    def mal(self, navn: str) -> Mal:
        return les_mal(self.innstillinger.maler, navn)

    @cached_property
    def sokekjorer(self) -> Sokekjorer:
        """Søkene kjøres her, av noen få egne tråder med tidsgrense (se arkiv/sok/kjorer.py)."""
        return Sokekjorer()

    @contextmanager
    def transaksjon(self) -> Iterator[Session]:
        """En skrivetransaksjon: committes ved suksess og rulles tilbake ved feil. Etter en
        vellykket commit skrives eventuelle loggposter fra køen på disk inn (se `loggko`), og
        det som er meldt med `etter_commit`, kjøres."""
        etter: list[Callable[[Tjenester], object]] = []
        with self._transaksjon(etter) as s:
            yield s
        self._tom_loggko_stille()
        self._etter_commit(etter)

    @contextmanager
    def kort_transaksjon(self, ventetid: float = KORT_VENTETID) -> Iterator[Session]:
        """En skrivetransaksjon som venter høyst `ventetid` sekunder på skrivelåsen; ellers
        OperationalError (SQLite: busy_timeout; PostgreSQL: lock_timeout)."""
        motor = self.sesjoner.kw["bind"]
        bind = motor.execution_options(skriv=True, las_ventetid_ms=int(ventetid * 1000))
        with Session(bind, expire_on_commit=False) as s, s.begin():
            if motor.dialect.name == "postgresql":
                s.execute(text(f"SET LOCAL lock_timeout = '{int(ventetid * 1000)}ms'"))
            yield s

    @property
    def loggko_mappe(self) -> Path:
        return self.innstillinger.instans / loggko.MAPPE

    def logg_hendelse_uten_a_vente(
        self, avtale_id: int, type_: str, bruker_id: int | None, fra: str, detaljer: dict
    ) -> bool:
        """Skriv én hendelse i revisjonsloggen i en egen, kort transaksjon. Er databasen låst
        (eller nede), legges den i køen på disk i stedet og skrives inn senere. Gir True når
        den ble skrevet med en gang. En lesing venter derfor aldri på skrivelåsen."""
        post = {
            "avtale_id": avtale_id,
            "type": type_,
            "bruker_id": bruker_id,
            "fra": fra[:100],
            "detaljer": detaljer,
            "tidspunkt": naa().isoformat(),
        }
        try:
            with self.kort_transaksjon() as s:
                s.add(Hendelse(**{**post, "tidspunkt": naa()}))
        except OperationalError as e:
            loggko.legg_i_ko(self.loggko_mappe, post)
            logger.warning("Databasen var opptatt; hendelsen ligger i loggkøen: %s", e.orig)
            return False
        self._tom_loggko_stille()
        return True

    def tom_loggko(self) -> int:
        """Skriv loggpostene i køen på disk inn i databasen (én transaksjon); gir antallet."""

        def skriv(poster: list[dict]) -> None:
            with self.skrivesesjoner() as s, s.begin():
                ider = {p["avtale_id"] for p in poster}
                skrevet = {
                    (d or {}).get("ko_id")
                    for d in s.scalars(
                        select(Hendelse.detaljer).where(
                            Hendelse.avtale_id.in_(ider),
                            Hendelse.type.in_({p["type"] for p in poster}),
                        )
                    )
                }
                for p in poster:
                    if p["ko_id"] in skrevet:
                        continue
                    skrevet.add(p["ko_id"])
                    s.add(
                        Hendelse(
                            avtale_id=p["avtale_id"],
                            type=p["type"],
                            bruker_id=p["bruker_id"],
                            fra=p["fra"],
                            detaljer={**p["detaljer"], "ko_id": p["ko_id"]},
                            tidspunkt=datetime.fromisoformat(p["tidspunkt"]),
                        )
                    )

        return loggko.tom(self.loggko_mappe, skriv)

    def _tom_loggko_stille(self) -> None:
        if not loggko.har_poster(self.loggko_mappe):
            return
        try:
            self.tom_loggko()
        except Exception as e:  # noqa: BLE001 - postene ligger trygt på disk til neste gang
            logger.warning("Kunne ikke skrive loggkøen inn i databasen ennå: %s", e)

    @contextmanager
    def _transaksjon(self, etter: list[Callable[[Tjenester], object]]) -> Iterator[Session]:
        with self.skrivesesjoner() as s:
            with s.begin():
                yield s
            etter.extend(s.info.pop(ETTER_COMMIT, {}))

    def _etter_commit(self, oppgaver: list[Callable[[Tjenester], object]]) -> None:
        for oppgave in oppgaver:
            try:
                oppgave(self)
            except Exception:
                logger.exception("Arbeid etter commit feilet: %s", oppgave)

    def arkiver(
        self, innhold: Sequence[bytes], registrer: Callable[[Session, list[LagretFil]], T]
    ) -> T:
        """Den krasjsikre rekkefølgen (docs/architecture.md): filene til ventemappen, lenket
        inn i lageret, så én transaksjon der `registrer` knytter dem til databasen; etter
        commit fjernes bare ventemappen, og så kjøres det som er meldt med `etter_commit`
        (søkeindeksen). Kaster `registrer` (eller commit), fjernes de nye filene igjen og
        ingenting er endret."""
        etter: list[Callable[[Tjenester], object]] = []
        with self.lager.innlegg() as innlegg:
            filer = [innlegg.lagre(data) for data in innhold]
            try:
                innlegg.forbered()
                feilpunkt("for_commit")
                with self._transaksjon(etter) as s:
                    resultat = registrer(s, filer)
            except BaseException:
                innlegg.forkast(self.er_registrert)
                raise
            innlegg.fullfor()
        feilpunkt("etter_filene")
        self._tom_loggko_stille()
        self._etter_commit(etter)
        return resultat

    def er_registrert(self, sha: str) -> bool:
        """Peker en rad i databasen på filen?"""
        with self.sesjoner() as s:
            return bool(
                s.scalar(select(Dokument.id).where(Dokument.sha256 == sha).limit(1))
                or s.scalar(select(Malfil.sha256).where(Malfil.sha256 == sha))
                or s.scalar(select(SignertKopi.id).where(SignertKopi.sha256 == sha).limit(1))
                or s.scalar(select(Plandokument.id).where(Plandokument.sha256 == sha).limit(1))
                or any(
                    s.scalar(
                        select(m.id).where((m.docx_sha256 == sha) | (m.pdf_sha256 == sha)).limit(1)
                    )
                    for m in (Avviksskjema, Evaluering)
                )
            )

    def i_bakgrunnen(self, navn: str, oppgave: Callable[[], object]) -> bool:
        """Start `oppgave` i en egen tråd, om ikke en tråd med samme navn allerede går.
        Returnerer om den ble startet. `lukk` venter på trådene."""
        with self._bakgrunnslas:
            gammel = self._bakgrunn.get(navn)
            if gammel is not None and gammel.is_alive():
                return False
            trad = threading.Thread(target=self._kjor, args=(oppgave,), name=navn, daemon=True)
            self._bakgrunn[navn] = trad
            trad.start()
            return True

    def venter_bakgrunn(self, navn: str, tidsgrense: float | None = None) -> bool:
        """Vent på bakgrunnstråden `navn`; True når den er ferdig (eller ikke finnes)."""
        trad = self._bakgrunn.get(navn)
        if trad is not None:
            trad.join(tidsgrense)
        return trad is None or not trad.is_alive()

    @staticmethod
    def _kjor(oppgave: Callable[[], object]) -> None:
        try:
            oppgave()
        except Exception:
            logger.exception("Arbeid i bakgrunnen feilet: %s", oppgave)

    def lukk(self) -> None:
        self.stopp.set()  # en gjenoppbygging av indeksen stopper da (og forkastes)
        for trad in list(self._bakgrunn.values()):
            trad.join(60)
        if "sokekjorer" in self.__dict__:
            self.sokekjorer.lukk()
        self.indeks.lukk_alle()
        if self._konverterer is not None:
            self._konverterer.lukk()
            self._konverterer = None
        self.lager.lukk()
        self.sesjoner.kw["bind"].dispose()


def apne(innstillinger: Innstillinger | None = None, migrer: bool = True) -> Tjenester:
    """Åpne (og ved behov opprett) instansen: mapper, database med siste skjema, arkiv.

    Alt instansen skriver (database, WAL, indeks, nøkler, arkiv, eksport), kan bare leses av
    brukeren prosessen kjører som: filer 0600 og mapper 0700 (umask 077 for prosessen, og det
    som alt finnes, strammes inn)."""
    inn = innstillinger or Innstillinger.fra_miljo()
    lager = lag_lager(inn)  # et objektlager som ikke svarer, stopper før noe er endret
    os.umask(0o077)
    inn.instans.mkdir(parents=True, exist_ok=True)
    if inn.s3 is None:
        inn.arkiv.mkdir(parents=True, exist_ok=True)
    stram_inn_rettigheter(inn)
    if migrer:
        # Nøkkelen hentes bare om en migrering må kryptere planinnhold (0012).
        oppgrader(inn.database_url, plannokkel=lambda: Chiffer.fra_innstillinger(inn))
    motor = lag_motor(inn.database_url)
    tj = Tjenester(
        inn,
        lag_sesjonsfabrikk(motor),
        lag_sesjonsfabrikk(motor, skriv=True),
        lager,
        lag_sokemotor(inn, motor),
        inn.smtp,
    )
    rydd_avbrutte_lagringer(tj)
    prosesser.stopp_foreldrelose(inn.instans / prosesser.MAPPE)  # etter en SIGKILL
    tj._tom_loggko_stille()
    if not tj.indeks.finnes() and _ingenting_a_indeksere(tj):
        tj.indeks.opprett_tom()  # en ny instans: en tom indeks, ingenting å bygge
    return tj


def lag_sokemotor(inn: Innstillinger, motor: Engine) -> Sokemotor:
    """Søket i PostgreSQL når innstillingen (eller databasen) sier det, ellers Whoosh-indeksen
    i instansen. Med flere nettnoder må søket gå i PostgreSQL: Whoosh-indeksen ligger på én
    nodes disk."""
    if inn.valgt_sokemotor == "postgres":
        return PgSokeindeks(motor, SOKESKJEMA)
    # En slettet indeks skal bygges fra arkivet, ikke begynnes på igjen av neste lagring.
    return Sokeindeks(inn.indeksmappe, SOKESKJEMA, opprett_ved_behov=False)


def stram_inn_rettigheter(inn: Innstillinger) -> None:
    """Mappene 0700 og filene 0600 i instansen (utenom arkivet, som skriver 0600 selv)."""
    for mappe in {inn.instans, inn.arkiv, inn.indeksmappe}:
        if mappe.is_dir():
            mappe.chmod(0o700)
    for rot, mapper, filer in os.walk(inn.instans):
        if Path(rot).is_relative_to(inn.arkiv):
            mapper.clear()
            continue
        for navn in mapper:
            (Path(rot) / navn).chmod(0o700)
        for navn in filer:
            fil = Path(rot) / navn
            if not fil.is_symlink() and fil.stat().st_mode & 0o077:
                fil.chmod(0o600)


def _ingenting_a_indeksere(tj: Tjenester) -> bool:
    with tj.sesjoner() as s:
        return not any(s.scalar(select(m.id).limit(1)) for m in (Avtale, Avvik, Evaluering))


def rydd_avbrutte_lagringer(tj: Tjenester) -> Gjenoppretting:
    """Etter avbrutte lagringer: nye filer ingen rad peker på, fjernes; resten beholdes."""
    return tj.lager.gjenopprett(tj.er_registrert)


def lag_lager(inn: Innstillinger) -> Arkivlager:
    """Arkivmappen, eller objektlageret når DOKUMENTER_S3_URL er satt (sjekket: bøtta finnes
    og nøkkelen virker; `Oppsettsfeil` med hva som er galt ellers)."""
    if inn.s3 is None:
        return Fillager(inn.arkiv, Lagerfeil)
    from arkiv.objektlager import Objektlager  # boto3 lastes bare når det trengs

    s3 = inn.s3
    lager = Objektlager(
        s3.url, s3.boks, s3.nokkel, s3.hemmelighet, s3.region, Lagerfeil, s3.ryddefrist
    )
    try:
        lager.kontroller()
    except LagerFeil as e:
        raise Oppsettsfeil(str(e)) from e
    return lager
