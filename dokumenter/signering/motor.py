"""Rundemotoren: én vei gjennom signeringen for alt som kan signeres.

Motoren styrer rundene (rekkefølge, frist, påminnelser, utløp), engangskodene og den
forseglede kopien. Hva som signeres, hvem som kan signere, hva som logges og hva som skjer når
alle har signert, sier en `Signerbar` (avtaler: `avtaler.signering.AVTALE`, individuelle
planer: `planer.signering.PLAN`).

Rekkefølgen er krasjsikker: en signatur registreres i én transaksjon; den forseglede kopien
lages etterpå og registreres i en ny. Stopper noe mellom dem, står runden aktiv med alle
signaturer, og `fullfor_runde` (som `send_paminnelser` også kaller) gjør ferdig jobben.
E-post sendes etter commit, aldri inne i en transaksjon.

Modulen (over 400 linjer) er hele signeringen i én rekkefølge, fra runden startes til den
forseglede kopien er registrert; protokollen `Signerbar` står først, så leseren ser hva et
domene må svare på før motoren bruker svarene.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter.felles.feil import Oppsettsfeil, Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.felles.validering import rens_tekst
from dokumenter.infrastruktur.forsegling import (
    Sporhendelse,
    lag_metadata,
    lag_signert_kopi,
    signaturside_docx,
)
from dokumenter.models import Bruker, Signatar, Signeringsrunde
from dokumenter.signering import koder
from dokumenter.signering.koder import kodepost, ny_kode, sjekk_kode
from dokumenter.signering.runder import (
    FRIST_DAGER,
    PAMINNELSE_DAGER,
    Paminnelsesrapport,
    Signatarvalg,
    min_signatar,
    neste_signatar,
    ny_runde,
    signaturer_i,
    skal_paminnes,
)
from dokumenter.signering.skannet import antall_sider, sjekk_skannet_pdf
from dokumenter.tjenester import Arkivhendelse, Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding

GJELDENDE = ("aktiv", "pauset")  # rundestatusene som holder saken «til signering»
K = TypeVar("K")  # saken slik den signerbare åpner den (en Avtale, en plan med grunnlag …)


class Signerbar(Protocol[K]):
    """Noe som kan signeres. Tre spørsmål: hvilken sak og versjon, hvem som kan signere, og
    hva som skjer underveis og når alle har signert."""

    art: str  # "avtale" | "plan": kolonnen i signeringsrunde (avtale_id / plan_id)
    objekt: str  # «Avtalen», «Planen» (i meldinger)
    denne: str  # «denne avtalen», «planen»

    # --- Hvilken sak og versjon ---------------------------------------------------------
    def apne(self, s: Session, objekt_id: int, bruker_id: int | None, fra: str, endre: bool) -> K:
        """Saken, sjekket for brukeren (IkkeFunnet/IngenTilgang); bruker_id None: systemet."""

    def objekt_id(self, sak: K) -> int: ...

    def beskrivelse(self, sak: K) -> str:
        """Slik saken nevnes midt i en setning («samarbeidsavtalen med Bodø fengsel»)."""

    def tittel(self, sak: K) -> str:
        """Tittelen på signatursiden («Samarbeidsavtale med Bodø fengsel»)."""

    def til_signering(self, s: Session, sak: K, bruker_id: int, fra: str) -> tuple[int, str]:
        """Sjekk at saken kan sendes, sett den «til signering»; (versjon, SHA-256 av PDF/A)."""

    def signert_pdf(self, tj: Tjenester, s: Session, sak: K, runde: Signeringsrunde) -> bytes:
        """PDF/A-en som ble signert, i klartekst."""

    def gjeldende_pdf(self, tj: Tjenester, s: Session, sak: K) -> bytes | None:
        """PDF/A-en av gjeldende versjon (det en skannet kopi er en kopi av), i klartekst."""

    def til_arkivet(self, tj: Tjenester, data: bytes) -> bytes:
        """Slik en signert fil lagres i arkivet (planer krypteres)."""

    # --- Hvem som kan signere ------------------------------------------------------------
    def sjekk_signatarer(self, s: Session, sak: K, valg: list[Signatarvalg]) -> None: ...

    def sjekk_erstatter(self, s: Session, sak: K, side: str, ny: Bruker) -> None:
        """Kan `ny` ta over en ventende signerers plass på `side` (overføring av ansvar)?
        Valideringsfeil med en norsk melding ellers."""

    def varsel(
        self,
        tj: Tjenester,
        s: Session,
        sak: K,
        runde: Signeringsrunde,
        neste: Signatar,
        paminnelse: bool,
    ) -> Melding | str:
        """E-posten til den som står for tur, eller en melding om hvorfor ingen sendes."""

    # --- Underveis og når alle har signert -------------------------------------------------
    def logg(
        self, s: Session, sak: K, handling: str, bruker_id: int | None, fra: str, **detaljer: Any
    ) -> None: ...

    def revisjonsspor(self, s: Session, sak: K, runde: Signeringsrunde) -> list[Sporhendelse]:
        """Hendelsene som står i revisjonssporet bak signatursiden."""

    def registrer_kopi(
        self,
        s: Session,
        sak: K,
        runde: Signeringsrunde | None,
        fil: LagretFil,
        data: bytes,
        bruker_id: int | None,
        fra: str,
        **detaljer: Any,
    ) -> Any:
        """Registrer den signerte kopien (forseglet eller skannet) og sett saken «signert»; gir
        raden kopien står i (motoren journalfører den som inngående dokument)."""

    def etter_fullfort(
        self, tj: Tjenester, sak: K, runde: Signeringsrunde, sha256: str
    ) -> list[Melding]:
        """E-post når den forseglede kopien er registrert."""

    def ved_avslag(self, tj: Tjenester, s: Session, sak: K, navn: str, grunn: str) -> Melding | str:
        """E-posten til den ansvarlige når en signerer avslår (eller en melding)."""

    def ved_utlop(self, s: Session, sak: K, runde: Signeringsrunde) -> None:
        """Runden er ute på tid: sett saken tilbake og runden «utlopt»."""

    def ved_pause(self, tj: Tjenester, s: Session, sak: K, runde: Signeringsrunde) -> list[Melding]:
        """E-post til kommunen (den som startet runden og den ansvarlige) når runden er satt på
        pause etter for mange feil engangskoder."""


class _AlleredeFullfort(Exception):
    """En annen prosess registrerte den signerte kopien først."""


def aktiv_runde(
    s: Session, art: Signerbar, objekt_id: int, statuser: tuple[str, ...] = ("aktiv",)
) -> Signeringsrunde | None:
    kolonne = getattr(Signeringsrunde, f"{art.art}_id")
    return s.scalar(
        select(Signeringsrunde)
        .where(kolonne == objekt_id, Signeringsrunde.status.in_(statuser))
        .options(selectinload(Signeringsrunde.signatarer).selectinload(Signatar.bruker))
    )


def gjeldende_runde(s: Session, art: Signerbar, objekt_id: int) -> Signeringsrunde | None:
    """Runden som gjelder nå: aktiv, eller satt på pause etter for mange feil koder."""
    return aktiv_runde(s, art, objekt_id, GJELDENDE)


def trekk_runde(s: Session, art: Signerbar, objekt_id: int, grunn: str) -> Signeringsrunde | None:
    """Trekk den gjeldende runden (signaturene i den gjelder ikke lenger); kalleren logger."""
    runde = gjeldende_runde(s, art, objekt_id)
    if runde is not None:
        runde.status, runde.avsluttet, runde.grunn = "trukket", naa(), grunn
    return runde


# --- Starte en runde ------------------------------------------------------------------------


def start_runde(
    tj: Tjenester,
    art: Signerbar,
    objekt_id: int,
    valg: list[Signatarvalg],
    bruker_id: int,
    frist_dager: int = FRIST_DAGER,
    paminnelse_dager: int = PAMINNELSE_DAGER,
    fra: str = "",
) -> tuple[Signeringsrunde, list[str]]:
    """Send gjeldende versjon til signering hos `valg`, i den rekkefølgen; den første får
    e-post. Returnerer runden og eventuelle e-postfeil."""
    if not 1 <= frist_dager <= 365:
        raise Valideringsfeil({"frist_dager": "Fristen må være mellom 1 og 365 dager."})
    if not 1 <= paminnelse_dager <= 60:
        raise Valideringsfeil({"paminnelse_dager": "Påminnelse må være mellom 1 og 60 dager."})
    with tj.transaksjon() as s:
        sak = art.apne(s, objekt_id, bruker_id, fra, endre=True)
        art.sjekk_signatarer(s, sak, valg)
        versjon, sha256 = art.til_signering(s, sak, bruker_id, fra)
        runde = ny_runde(
            valg,
            versjon,
            sha256,
            frist_dager,
            paminnelse_dager,
            bruker_id,
            **{f"{art.art}_id": objekt_id},
        )
        s.add(runde)
        s.flush()
        tj.journal.registrer(
            s, Arkivhendelse("til_signering", art.art, objekt_id, bruker_id, runde.id)
        )
        art.logg(
            s,
            sak,
            "signering_startet",
            bruker_id,
            fra,
            runde=runde.id,
            versjon=versjon,
            sha256=sha256,
            signatarer=[v.bruker_id for v in valg],
        )
        runde_id = runde.id
    return runde, varsle_neste(tj, art, runde_id, utlost_av=bruker_id)


def erstatt_signerer(
    s: Session,
    art: Signerbar,
    objekt_id: int,
    fra_bruker: int,
    til: Bruker,
    utfort_av: int | None,
    fra: str,
    grunn: str,
) -> int | None:
    """Overføring av ansvar: den ventende kommune-signereren `fra_bruker` i den gjeldende runden
    byttes med `til` (samme plass i rekkefølgen), og det logges på saken. Gir runde-id-en når
    noe ble byttet (kalleren varsler den nye etter commit med `varsle_neste`), ellers None."""
    runde = gjeldende_runde(s, art, objekt_id)
    if runde is None:
        return None
    sig = next(
        (x for x in runde.signatarer if x.bruker_id == fra_bruker and x.status == "venter"), None
    )
    if sig is None:
        return None
    sak = art.apne(s, objekt_id, None, "systemet", endre=False)
    if sig.side != "kommune":
        raise Valideringsfeil({"signatarer": "Bare kommunens signerere kan overføres."})
    if any(x.bruker_id == til.id for x in runde.signatarer):
        raise Valideringsfeil(
            {"signatarer": f"{til.navn} signerer allerede i runden for {art.beskrivelse(sak)}."}
        )
    art.sjekk_erstatter(s, sak, sig.side, til)
    forrige = sig.bruker.navn
    sig.bruker_id, sig.varslet, sig.sist_paminnet = til.id, None, None
    art.logg(
        s, sak, "signerer_erstattet", utfort_av, fra, fra_signerer=forrige, til=til.navn,
        grunn=grunn,
    )  # fmt: skip
    return runde.id


def varsle_neste(
    tj: Tjenester,
    art: Signerbar,
    runde_id: int,
    paminnelse: bool = False,
    utlost_av: int | None = None,
) -> list[str]:
    """Send e-post til den som står for tur, og noter når (for påminnelser). Gir e-postfeil."""
    return _varsle_neste(tj, art, runde_id, paminnelse, utlost_av)[1]


def _varsle_neste(
    tj: Tjenester, art: Signerbar, runde_id: int, paminnelse: bool, utlost_av: int | None
) -> tuple[bool, list[str]]:
    """(om e-posten gikk, feilene). Tidspunktet (varslet eller sist påminnet) noteres bare når
    e-posten faktisk ble sendt; ellers prøver påminnelsesjobben igjen neste gang."""
    with tj.transaksjon() as s:  # varselet kan trekke runden (planer: mistet tilgang)
        runde = s.get(Signeringsrunde, runde_id)
        neste = neste_signatar(runde) if runde and runde.status == "aktiv" else None
        if neste is None:
            return False, []
        sak = art.apne(s, getattr(runde, f"{art.art}_id"), None, "systemet", endre=False)
        melding = art.varsel(tj, s, sak, runde, neste, paminnelse)
        if isinstance(melding, str):
            return False, [melding]
        signatar_id = neste.id
    utfall = utsending.send_med_utfall(tj, [melding], utlost_av)
    if utfall.noen_sendt:
        with tj.transaksjon() as s:
            sig = s.get(Signatar, signatar_id)
            if paminnelse:
                sig.sist_paminnet = naa()
            else:
                sig.varslet = naa()
    return utfall.noen_sendt, utfall.feil


def _send(tj: Tjenester, meldinger: list[Melding], utlost_av: int | None = None) -> list[str]:
    return utsending.send(tj, meldinger, utlost_av)


# --- Engangskode, signatur og avslag --------------------------------------------------------


def _min_tur(
    s: Session, art: Signerbar, objekt_id: int, bruker_id: int, fra: str
) -> tuple[Any, Signeringsrunde, Signatar]:
    sak = art.apne(s, objekt_id, bruker_id, fra, endre=False)
    runde = gjeldende_runde(s, art, objekt_id)
    return sak, runde, min_signatar(runde, bruker_id, art.objekt, art.denne)


def send_kode(
    tj: Tjenester, art: Signerbar, objekt_id: int, bruker_id: int, fra: str = ""
) -> str | None:
    """Send en engangskode til signererens e-post. Returnerer en eventuell e-postfeil."""
    with tj.transaksjon() as s:
        sak, runde, sig = _min_tur(s, art, objekt_id, bruker_id, fra)
        kode = ny_kode(tj, s, sig)
        art.logg(s, sak, "kode_sendt", bruker_id, fra, runde=runde.id)
        melding = kodepost(sig, art.art, objekt_id, art.beskrivelse(sak), kode)
    feil = _send(tj, [melding], bruker_id)
    return feil[0] if feil else None


def signer(
    tj: Tjenester, art: Signerbar, objekt_id: int, bruker_id: int, kode: str, ip: str, fra: str = ""
) -> tuple[str, list[str]]:
    """Bekreft koden og registrer signaturen. Var den den siste, lages den forseglede kopien.
    Returnerer (rundens status, e-postfeil). Setter en feil kode runden på pause, får kommunen
    e-post."""
    eposter: list[Melding] = []
    with tj.transaksjon() as s:
        sak, runde, sig = _min_tur(s, art, objekt_id, bruker_id, fra)
        feil_kode = sjekk_kode(tj, s, sig, kode, ip)
        if runde.status == "pauset":
            feil = koder.FEIL_KODER_PER_RUNDE
            art.logg(s, sak, "signering_pauset", None, fra, runde=runde.id, feil_koder=feil)
            eposter = art.ved_pause(tj, s, sak, runde)
        if feil_kode is None:
            art.logg(
                s,
                sak,
                "signert",
                bruker_id,
                fra,
                runde=runde.id,
                ip=ip[:64],
                versjon=runde.versjon_nummer,
                sha256=runde.dokument_sha256,
            )
            runde_id, ferdig = runde.id, neste_signatar(runde) is None
    if feil_kode is not None:  # forsøket er lagret (commit) før feilen meldes
        _send(tj, eposter, bruker_id)
        raise Valideringsfeil({"kode": feil_kode})
    if not ferdig:
        return "aktiv", varsle_neste(tj, art, runde_id, utlost_av=bruker_id)
    return "fullfort", fullfor_runde(tj, art, runde_id)


def avvis(
    tj: Tjenester, art: Signerbar, objekt_id: int, bruker_id: int, grunn: str, fra: str = ""
) -> list[str]:
    """Signereren avslår med en begrunnelse. Runden stopper, og den ansvarlige varsles."""
    grunn = rens_tekst(grunn, flerlinjet=True)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor du ikke vil signere."})
    if len(grunn) > 2000:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 2000 tegn."})
    with tj.transaksjon() as s:
        sak, runde, sig = _min_tur(s, art, objekt_id, bruker_id, fra)
        sig.status, sig.avvist_grunn = "avvist", grunn
        runde.status, runde.avsluttet, runde.grunn = "avvist", naa(), grunn
        art.logg(s, sak, "signering_avvist", bruker_id, fra, runde=runde.id, grunn=grunn)
        epost = art.ved_avslag(tj, s, sak, sig.bruker.navn, grunn)
    return [epost] if isinstance(epost, str) else _send(tj, [epost], bruker_id)


def gjenoppta_runde(
    tj: Tjenester, art: Signerbar, objekt_id: int, bruker_id: int, fra: str = ""
) -> None:
    """Åpne en runde som er satt på pause etter for mange feil koder (ansatte som kan endre
    saken); telleren for feil koder starter på null, og signereren ber om en ny kode."""
    with tj.transaksjon() as s:
        sak = art.apne(s, objekt_id, bruker_id, fra, endre=True)
        runde = aktiv_runde(s, art, objekt_id, ("pauset",))
        if runde is None:
            raise Valideringsfeil({"runde": "Signeringen er ikke satt på pause."})
        koder.gjenoppta(runde)
        art.logg(s, sak, "signering_gjenopptatt", bruker_id, fra, runde=runde.id)


# --- Den signerte kopien -----------------------------------------------------------------------


def fullfor_runde(tj: Tjenester, art: Signerbar, runde_id: int) -> list[str]:
    """Lag den forseglede kopien for en runde der alle har signert: signaturside og
    revisjonsspor lagt etter den signerte PDF/A-en, forseglet med kommunens sertifikat.
    Trygt å kalle igjen (gjør ingenting hvis runden er ferdig). Gir e-postfeil."""
    with tj.sesjoner() as s:
        runde = s.get(
            Signeringsrunde,
            runde_id,
            options=[selectinload(Signeringsrunde.signatarer).selectinload(Signatar.bruker)],
        )
        if runde is None or runde.status != "aktiv" or neste_signatar(runde) is not None:
            return []
        if any(sig.status != "signert" for sig in runde.signatarer):
            return []
        objekt_id = getattr(runde, f"{art.art}_id")
        sak = art.apne(s, objekt_id, None, "systemet", endre=False)
        signaturer = signaturer_i(runde)
        spor = art.revisjonsspor(s, sak, runde)
        tittel, versjon, sha = art.tittel(sak), runde.versjon_nummer, runde.dokument_sha256
        pdf = art.signert_pdf(tj, s, sak, runde)
    if not tj.segl.finnes():
        raise Oppsettsfeil(
            "Kommunens sertifikat for forsegling mangler (DOKUMENTER_SEGL_NOKKEL og "
            "DOKUMENTER_SEGL_SERTIFIKAT)."
        )
    sider = tj.konverterer.til_pdfa(signaturside_docx(tittel, versjon, sha, signaturer, spor))
    forseglet = lag_signert_kopi(pdf, sider, tj.segl, lag_metadata(signaturer, sha))

    def registrer(s: Session, filer: list[LagretFil]) -> str:
        (fil,) = filer
        runde = s.get(Signeringsrunde, runde_id)
        if runde.status != "aktiv":  # en annen prosess rakk det først
            raise _AlleredeFullfort
        runde.status, runde.avsluttet = "fullfort", naa()
        sak = art.apne(s, objekt_id, None, "systemet", endre=False)
        kopi = art.registrer_kopi(
            s, sak, runde, fil, forseglet, None, "systemet", versjon=versjon, type="forseglet"
        )
        _journalfor_kopi(tj, s, art, objekt_id, None, kopi, forseglet)
        return fil.sha256

    try:
        kopi_sha256 = tj.arkiver([art.til_arkivet(tj, forseglet)], registrer)
    except _AlleredeFullfort:  # filen forkastes; ingenting er endret
        return []
    with tj.sesjoner() as s:
        runde = s.get(Signeringsrunde, runde_id)
        sak = art.apne(s, objekt_id, None, "systemet", endre=False)
        eposter = art.etter_fullfort(tj, sak, runde, kopi_sha256)
    return _send(tj, eposter)


def last_opp_skannet(
    tj: Tjenester, art: Signerbar, objekt_id: int, pdf: bytes, bruker_id: int, fra: str = ""
) -> Any:
    """Registrer en skannet, våtsignert PDF som signert kopi av gjeldende versjon. En aktiv
    signeringsrunde trekkes."""
    with tj.sesjoner() as s:  # tilgangen før filen leses
        sak = art.apne(s, objekt_id, bruker_id, fra, endre=True)
        original = art.gjeldende_pdf(tj, s, sak)
    sider = sjekk_skannet_pdf(pdf, minst_sider=antall_sider(original) if original else 1)

    def registrer(s: Session, filer: list[LagretFil]) -> Any:
        sak = art.apne(s, objekt_id, bruker_id, fra, endre=True)
        kopi = art.registrer_kopi(
            s, sak, None, filer[0], pdf, bruker_id, fra, type="skannet", sider=sider
        )
        _journalfor_kopi(tj, s, art, objekt_id, bruker_id, kopi, pdf)
        return kopi

    kopi = tj.arkiver([art.til_arkivet(tj, pdf)], registrer)
    return kopi


def _journalfor_kopi(
    tj: Tjenester,
    s: Session,
    art: Signerbar,
    objekt_id: int,
    bruker_id: int | None,
    kopi: Any,
    data: bytes,
) -> None:
    """Den signerte kopien er et inngående dokument i saken (`kopi` er raden den står i)."""
    s.flush()
    tj.journal.registrer(
        s,
        Arkivhendelse("signert_kopi", art.art, objekt_id, bruker_id, kopi.id, innhold=(data,)),
    )


# --- Påminnelser og utløp -------------------------------------------------------------------------


def send_paminnelser(tj: Tjenester, art: Signerbar) -> Paminnelsesrapport:
    """For cron: gjør ferdig runder der alle har signert, la runder etter fristen utløpe, og
    påminn den som står for tur etter rundens antall dager."""
    r = Paminnelsesrapport()
    kolonne = getattr(Signeringsrunde, f"{art.art}_id")
    with tj.sesjoner() as s:
        runder = s.scalars(
            select(Signeringsrunde)
            .where(Signeringsrunde.status == "aktiv", kolonne.is_not(None))
            .options(selectinload(Signeringsrunde.signatarer))
        ).all()
        arbeid = [
            (
                runde.id,
                getattr(runde, f"{art.art}_id"),
                som_utc(runde.frist),
                runde.paminnelse_dager,
                neste_signatar(runde),
            )
            for runde in runder
        ]
    for runde_id, objekt_id, frist, dager, neste in arbeid:
        if neste is None:
            r.epostfeil += fullfor_runde(tj, art, runde_id)
            r.fullfort.append(runde_id)
        elif frist < naa():
            with tj.transaksjon() as s:
                sak = art.apne(s, objekt_id, None, "systemet", endre=False)
                art.ved_utlop(s, sak, s.get(Signeringsrunde, runde_id))
            r.utlopt.append(runde_id)
        elif skal_paminnes(neste, dager):
            paminnelse = neste.varslet is not None or neste.sist_paminnet is not None
            sendt, feil = _varsle_neste(tj, art, runde_id, paminnelse, None)
            r.epostfeil += feil
            if sendt:  # en påminnelse teller bare når e-posten faktisk gikk
                r.paminnet.append(neste.id)
    return r


def signerere_i_siste_runde(s: Session, art: Signerbar, objekt_id: int) -> Signeringsrunde | None:
    """Den siste runden (uansett status), med signererne."""
    kolonne = getattr(Signeringsrunde, f"{art.art}_id")
    return s.scalar(
        select(Signeringsrunde)
        .where(kolonne == objekt_id)
        .options(selectinload(Signeringsrunde.signatarer).selectinload(Signatar.bruker))
        .order_by(Signeringsrunde.id.desc())
        .limit(1)
    )


def er_min_tur(s: Session, art: Signerbar, objekt_id: int, bruker_id: int) -> bool:
    runde = aktiv_runde(s, art, objekt_id)
    neste = neste_signatar(runde) if runde else None
    return neste is not None and neste.bruker_id == bruker_id


def aktive_brukere(s: Session, *vilkar: Callable[..., Any]) -> list[Bruker]:
    return list(s.scalars(select(Bruker).where(Bruker.aktiv, *vilkar).order_by(Bruker.navn)))
