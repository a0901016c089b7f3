"""Alle innstillinger, lest fra miljøvariablene én gang (`Innstillinger.fra_miljo`), med trygge
standardverdier for én maskin. Ingen annen modul leser miljøet; de får dette objektet.

Feil i oppsettet (et portnummer som ikke er et tall, en ukjent verdi) gir `ValueError` med en
norsk melding ved oppstart, ikke en feil midt i en lagring.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROT = Path(__file__).resolve().parents[2]
STANDARD_AVSENDER = "dokumenter@localhost"
STANDARD_NETTADRESSE = "http://127.0.0.1:5000"
# Argon2-kostnaden for passord og engangskoder. «test» er den billigste profilen; den kan bare
# settes ved å lage Innstillinger i kode (testene), aldri fra miljøet.
PASSORDPROFILER = ("produksjon", "test")
LOGGNIVAER = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class SmtpOppsett:
    """Utgående e-post (DOKUMENTER_SMTP_*)."""

    vert: str
    port: int
    avsender: str
    bruker: str | None
    passord: str | None = field(repr=False)
    starttls: bool
    timeout: float = 10.0


@dataclass(frozen=True)
class S3Oppsett:
    """Arkivfilene i et S3-kompatibelt objektlager (DOKUMENTER_S3_*) i stedet for en mappe: for
    flere nettnoder bak en lastbalanserer. `ryddefrist` er sekundene en avbrutt lagrings nye
    objekter får stå før oppstarten fjerner dem (så en lagring på en annen node aldri mister
    et objekt den er i ferd med å registrere)."""

    url: str
    boks: str
    nokkel: str
    hemmelighet: str = field(repr=False)
    region: str | None = None
    ryddefrist: int = 3600


@dataclass(frozen=True)
class FiksIoOppsett:
    """Fiks IO (DOKUMENTER_FIKS_IO_*): kontoen meldingene sendes fra, integrasjonen som logger
    inn hos KS, nøkkelen meldingene dekrypteres med, og sak/arkiv-systemets konto."""

    konto_id: str
    integrasjon_id: str
    integrasjon_passord: str = field(repr=False)
    privatnokkel: Path
    mottaker_konto_id: str


@dataclass(frozen=True)
class ArkivOppsett:
    """Kommunens arkiv (DOKUMENTER_ARKIV_*): navnet, arkivskaperen, den administrative enheten
    sakene står på, klassifikasjonsfilen (None: den som følger med), utboksen til sak/arkiv
    og hvordan meldingene leveres («mappe» eller «fiks-io»)."""

    navn: str = "Kommunen"
    arkivskaper_id: str = "Kommunen"
    enhet: str = "Boligsosialt arbeid"
    klasser: Path | None = None
    utboks: Path | None = None
    transport: str = "mappe"
    fiks_io: FiksIoOppsett | None = None


@dataclass(frozen=True)
class Innstillinger:
    instans: Path
    database_url: str
    maler: Path
    arkiv: Path
    uno_venv: Path
    # Arkivfilene i et S3-kompatibelt objektlager; None: i mappen `arkiv` (standard).
    s3: S3Oppsett | None = None
    # Søkeindeksen; standard <instans>/indeks.
    indeks: Path | None = None
    # Søkemotoren: «whoosh» (indeksen på disk) eller «postgres» (tabellene i databasen); tomt:
    # «postgres» når DATABASE_URL er PostgreSQL, ellers «whoosh» (DOKUMENTER_SOKEMOTOR).
    sokemotor: str = ""
    # Sekunder mellom hver gang nettprosessen sjekker søkeindeksen og tar inn ventende endringer.
    indeks_intervall: int = 30
    # Individuelle planer slettes så mange dager etter at de er avsluttet.
    plan_oppbevaring_dager: int = 3650
    # None: e-post er ikke satt opp (se web/__main__.py for demo-postkassen).
    smtp: SmtpOppsett | None = None
    # Kommunens segl (PEM); standard <instans>/segl/nokkel.pem og sertifikat.pem.
    segl_nokkel: Path | None = None
    segl_sertifikat: Path | None = None
    # Fernet-nøkler for individuelle planer (den første krypterer); tomt: <instans>/plannokkel.
    plannokler: tuple[str, ...] = field(default=(), repr=False)
    # Nøkkel for øktinformasjonskapsler; None: laget og lagret i instansmappen.
    hemmelig_nokkel: str | None = field(default=None, repr=False)
    # Adressen lenkene i e-post peker til (aldri Host-headeren fra en forespørsel).
    nettadresse: str = STANDARD_NETTADRESSE
    # Hvor brukerne melder fra om tilgjengelighet (e-postadresse eller nettside), vist i
    # tilgjengelighetserklæringen; tomt: erklæringen sier at kommunen ikke har fylt den inn.
    tilgjengelighet_kontakt: str = ""
    port: int = 5000
    # Arbeidsprosesser for `python -m web` (DOKUMENTER_ARBEIDERE); 0 = én per kjerne prosessen
    # kan bruke.
    arbeidere: int = 0
    # Demo (make run): e-post til en lokal demo-postkasse på /demo/epost i stedet for SMTP.
    demo: bool = False
    # Nettsidene nås bare over HTTPS (bak en proxy med TLS): øktkapselen får Secure og
    # __Host-prefiks, og svarene får Strict-Transport-Security. Av for `make run` (http).
    https: bool = False
    passordprofil: str = "produksjon"
    loggnivaa: str = "INFO"
    arkivoppsett: ArkivOppsett = field(default_factory=ArkivOppsett)

    @property
    def indeksmappe(self) -> Path:
        return self.indeks or self.instans / "indeks"

    @property
    def valgt_sokemotor(self) -> str:
        """«whoosh» eller «postgres»: innstillingen, ellers etter databasen."""
        if self.sokemotor:
            return self.sokemotor
        return "postgres" if self.database_url.startswith("postgresql") else "whoosh"

    @property
    def utboks(self) -> Path:
        """Mappen meldingene til sak/arkiv legges i (standard <instans>/utboks)."""
        return self.arkivoppsett.utboks or self.instans / "utboks"

    @property
    def seglmappe(self) -> Path:
        return self.instans / "segl"

    @property
    def segl_filer(self) -> tuple[Path, Path]:
        """(nøkkel, sertifikat) for kommunens segl."""
        return (
            self.segl_nokkel or self.seglmappe / "nokkel.pem",
            self.segl_sertifikat or self.seglmappe / "sertifikat.pem",
        )

    def med(self, **endringer: object) -> Innstillinger:
        return replace(self, **endringer)

    @classmethod
    def fra_miljo(
        cls, instans: str | Path | None = None, miljo: Mapping[str, str] | None = None
    ) -> Innstillinger:
        env = os.environ if miljo is None else miljo

        def verdi(navn: str) -> str:
            return (env.get(navn) or "").strip()

        rot = Path(instans or verdi("DOKUMENTER_INSTANS") or REPO_ROT / "instance").resolve()
        return cls(
            instans=rot,
            database_url=verdi("DATABASE_URL") or f"sqlite:///{rot / 'dokumenter.sqlite3'}",
            maler=Path(verdi("DOKUMENTER_MALER") or REPO_ROT / "maler"),
            arkiv=Path(verdi("DOKUMENTER_ARKIV") or rot / "arkiv"),
            uno_venv=Path(verdi("UNOSERVER_VENV") or REPO_ROT / ".venv-uno"),
            s3=_s3(env),
            indeks=Path(verdi("DOKUMENTER_INDEKS")) if verdi("DOKUMENTER_INDEKS") else None,
            sokemotor=_sokemotor(env, verdi("DATABASE_URL")),
            indeks_intervall=_heltall(env, "DOKUMENTER_INDEKS_INTERVALL", 30),
            plan_oppbevaring_dager=_heltall(env, "DOKUMENTER_PLAN_OPPBEVARING_DAGER", 3650),
            smtp=_smtp(env),
            segl_nokkel=Path(verdi("DOKUMENTER_SEGL_NOKKEL"))
            if verdi("DOKUMENTER_SEGL_NOKKEL")
            else None,
            segl_sertifikat=Path(verdi("DOKUMENTER_SEGL_SERTIFIKAT"))
            if verdi("DOKUMENTER_SEGL_SERTIFIKAT")
            else None,
            plannokler=_nokler(verdi("DOKUMENTER_PLANNOKKEL")),
            hemmelig_nokkel=verdi("DOKUMENTER_SECRET_KEY") or None,
            nettadresse=verdi("DOKUMENTER_NETTADRESSE") or STANDARD_NETTADRESSE,
            tilgjengelighet_kontakt=verdi("DOKUMENTER_TILGJENGELIGHET_KONTAKT"),
            port=_heltall(env, "PORT", 5000),
            arbeidere=_heltall(env, "DOKUMENTER_ARBEIDERE", 0),
            demo=_ja_nei(env, "DOKUMENTER_DEMO"),
            https=_ja_nei(env, "DOKUMENTER_HTTPS"),
            loggnivaa=_valg(env, "DOKUMENTER_LOGGNIVAA", LOGGNIVAER, "INFO"),
            arkivoppsett=_arkiv(env),
        )


def _heltall(env: Mapping[str, str], navn: str, standard: int) -> int:
    tekst = (env.get(navn) or "").strip()
    if not tekst:
        return standard
    try:
        return int(tekst)
    except ValueError:
        raise ValueError(f"{navn} må være et tall, ikke {tekst!r}.") from None


def _ja_nei(env: Mapping[str, str], navn: str) -> bool:
    tekst = (env.get(navn) or "0").strip()
    if tekst not in ("0", "1"):
        raise ValueError(f"{navn} må være 1 eller 0, ikke {tekst!r}.")
    return tekst == "1"


def _valg(env: Mapping[str, str], navn: str, lovlige: tuple[str, ...], standard: str) -> str:
    tekst = (env.get(navn) or standard).strip().upper()
    if tekst not in lovlige:
        raise ValueError(f"{navn} må være en av {', '.join(lovlige)}, ikke {tekst!r}.")
    return tekst


SOKEMOTORER = ("whoosh", "postgres")


def _sokemotor(env: Mapping[str, str], database_url: str) -> str:
    tekst = (env.get("DOKUMENTER_SOKEMOTOR") or "").strip().lower()
    if not tekst:
        return ""
    if tekst not in SOKEMOTORER:
        raise ValueError(
            f"DOKUMENTER_SOKEMOTOR må være en av {', '.join(SOKEMOTORER)}, ikke {tekst!r}."
        )
    if tekst == "postgres" and not database_url.startswith("postgresql"):
        raise ValueError("DOKUMENTER_SOKEMOTOR=postgres krever at DATABASE_URL er PostgreSQL.")
    return tekst


def _nokler(verdi: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in verdi.replace("\n", ",").split(",") if n.strip())


TRANSPORTER = ("mappe", "fiks-io")
FIKS_IO = {
    "konto_id": "DOKUMENTER_FIKS_IO_KONTO_ID",
    "integrasjon_id": "DOKUMENTER_FIKS_IO_INTEGRASJON_ID",
    "integrasjon_passord": "DOKUMENTER_FIKS_IO_INTEGRASJON_PASSORD",
    "privatnokkel": "DOKUMENTER_FIKS_IO_PRIVATNOKKEL",
    "mottaker_konto_id": "DOKUMENTER_FIKS_ARKIV_MOTTAKER",
}


def _arkiv(env: Mapping[str, str]) -> ArkivOppsett:
    """Arkivet fra DOKUMENTER_ARKIV_*; transporten «fiks-io» krever alle DOKUMENTER_FIKS_*."""

    def verdi(navn: str) -> str:
        return (env.get(navn) or "").strip()

    standard = ArkivOppsett()
    navn = verdi("DOKUMENTER_ARKIV_NAVN") or standard.navn
    transport = (verdi("DOKUMENTER_ARKIV_TRANSPORT") or "mappe").lower()
    if transport not in TRANSPORTER:
        raise ValueError(
            f"DOKUMENTER_ARKIV_TRANSPORT må være en av {', '.join(TRANSPORTER)}, ikke "
            f"{transport!r}."
        )
    fiks_io = None
    if transport == "fiks-io":
        mangler = [miljo for miljo in FIKS_IO.values() if not verdi(miljo)]
        if mangler:
            raise ValueError(
                "Transporten «fiks-io» krever Fiks IO-kontoen fra KS; disse mangler: "
                + ", ".join(mangler)
                + "."
            )
        fiks_io = FiksIoOppsett(
            **{felt: verdi(miljo) for felt, miljo in FIKS_IO.items() if felt != "privatnokkel"},
            privatnokkel=Path(verdi(FIKS_IO["privatnokkel"])),
        )
    return ArkivOppsett(
        navn=navn,
        arkivskaper_id=verdi("DOKUMENTER_ARKIVSKAPER_ID") or navn,
        enhet=verdi("DOKUMENTER_ARKIV_ENHET") or standard.enhet,
        klasser=Path(verdi("DOKUMENTER_ARKIV_KLASSER"))
        if verdi("DOKUMENTER_ARKIV_KLASSER")
        else None,
        utboks=Path(verdi("DOKUMENTER_ARKIV_UTBOKS")) if verdi("DOKUMENTER_ARKIV_UTBOKS") else None,
        transport=transport,
        fiks_io=fiks_io,
    )


S3_KREVER = {
    "boks": "DOKUMENTER_S3_BOKS",
    "nokkel": "DOKUMENTER_S3_NOKKEL",
    "hemmelighet": "DOKUMENTER_S3_HEMMELIGHET",
}


def _s3(env: Mapping[str, str]) -> S3Oppsett | None:
    """Objektlageret fra DOKUMENTER_S3_*; None (arkivmappen) når DOKUMENTER_S3_URL mangler."""
    url = (env.get("DOKUMENTER_S3_URL") or "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"DOKUMENTER_S3_URL må begynne med http:// eller https://, ikke {url!r}.")
    verdier = {felt: (env.get(navn) or "").strip() for felt, navn in S3_KREVER.items()}
    if mangler := [S3_KREVER[felt] for felt, v in verdier.items() if not v]:
        raise ValueError(
            "Arkivet i objektlageret (DOKUMENTER_S3_URL) krever også " + ", ".join(mangler) + "."
        )
    return S3Oppsett(
        url=url,
        region=(env.get("DOKUMENTER_S3_REGION") or "").strip() or None,
        ryddefrist=_heltall(env, "DOKUMENTER_S3_RYDDEFRIST", 3600),
        **verdier,
    )


def _smtp(env: Mapping[str, str]) -> SmtpOppsett | None:
    """Oppsett fra DOKUMENTER_SMTP_*; None (e-post av) når DOKUMENTER_SMTP_VERT mangler."""
    vert = (env.get("DOKUMENTER_SMTP_VERT") or "").strip()
    if not vert:
        return None
    return SmtpOppsett(
        vert=vert,
        port=_heltall(env, "DOKUMENTER_SMTP_PORT", 25),
        avsender=env.get("DOKUMENTER_SMTP_AVSENDER") or STANDARD_AVSENDER,
        bruker=env.get("DOKUMENTER_SMTP_BRUKER") or None,
        passord=env.get("DOKUMENTER_SMTP_PASSORD") or None,
        starttls=_ja_nei(env, "DOKUMENTER_SMTP_STARTTLS"),
    )
