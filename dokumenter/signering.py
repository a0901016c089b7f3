"""Signering: runder med fast rekkefølge, engangskoder på e-post, forseglet signert kopi,
påminnelser og utløp, og den andre veien: en skannet, våtsignert PDF lastet opp.

Rekkefølgen er krasjsikker: signaturen registreres i én transaksjon; den signerte kopien
lages etterpå og registreres (sammen med «inngått») i en ny. Stopper noe mellom dem, står
runden med alle signaturer og status «aktiv», og `fullfor_runde` (som `send_paminnelser`
også kaller) gjør ferdig jobben.
"""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter import formatering, sok
from dokumenter.avtaler import IkkeFunnet, les_og_logg
from dokumenter.brukere import PARTNER, SKRIVEROLLER, som_utc
from dokumenter.epost import Epost
from dokumenter.forsegling import (
    Segl,
    Signatur,
    Sporhendelse,
    lag_metadata,
    lag_signert_kopi,
    signaturside_docx,
)
from dokumenter.livslop import STATUSER, aktiv_runde, bytt_status, logg
from dokumenter.models import (
    Avtale,
    AvtaleVersjon,
    Bruker,
    Engangskode,
    Hendelse,
    Signatar,
    Signeringsrunde,
    SignertKopi,
    naa,
)
from dokumenter.tjenester import Tjenester
from dokumenter.validering import Valideringsfeil, rens_tekst

logger = logging.getLogger(__name__)

FRIST_DAGER = 30
PAMINNELSE_DAGER = 7
KODE_GYLDIG = timedelta(minutes=10)
KODE_MAKS_FORSOK = 5
KODER_PER_KVARTER = 3
MAKS_SKANNET = 20 * 1024 * 1024
SIDER = {"kommune": "Kommunen", "part": "Parten"}
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Signatarvalg:
    bruker_id: int
    side: str  # "kommune" | "part"
    rolle: str = ""


@dataclass
class Paminnelsesrapport:
    paminnet: list[int] = field(default_factory=list)  # signatar-id-er
    utlopt: list[int] = field(default_factory=list)  # runde-id-er
    fullfort: list[int] = field(default_factory=list)  # runde-id-er gjort ferdig nå
    epostfeil: list[str] = field(default_factory=list)


# --- Starte en runde --------------------------------------------------------------------


def start_runde(
    tj: Tjenester,
    avtale_id: int,
    valg: list[Signatarvalg],
    bruker_id: int,
    nettadresse: str,
    frist_dager: int = FRIST_DAGER,
    paminnelse_dager: int = PAMINNELSE_DAGER,
    fra: str = "",
) -> tuple[Signeringsrunde, list[str]]:
    """Send gjeldende versjon til signering hos `valg`, i den rekkefølgen. Minst én signerer
    for kommunen og én for parten. Returnerer runden og eventuelle e-postfeil."""
    if not 1 <= frist_dager <= 365:
        raise Valideringsfeil({"frist_dager": "Fristen må være mellom 1 og 365 dager."})
    if not 1 <= paminnelse_dager <= 60:
        raise Valideringsfeil({"paminnelse_dager": "Påminnelse må være mellom 1 og 60 dager."})
    with tj.transaksjon() as s:
        avtale = _avtale(s, avtale_id)
        versjon = _versjon(s, avtale_id, avtale.gjeldende_versjon)
        pdf = versjon.dokument("pdf")
        if pdf is None:
            raise Valideringsfeil({"signatarer": "Versjonen mangler PDF/A; lag den først."})
        _sjekk_signatarer(s, avtale, valg)
        bytt_status(s, avtale, "til_signering", bruker_id, fra, av_systemet=True)
        runde = ny_runde(
            valg, versjon.nummer, pdf.sha256, frist_dager, paminnelse_dager, bruker_id,
            avtale_id=avtale_id,
        )  # fmt: skip
        s.add(runde)
        s.flush()
        logg(
            s,
            avtale_id,
            "signering_startet",
            bruker_id,
            fra,
            runde=runde.id,
            versjon=versjon.nummer,
            sha256=pdf.sha256,
            signatarer=[v.bruker_id for v in valg],
        )
        runde_id = runde.id
    sok.oppdater_avtale(tj, avtale_id)
    feil = _varsle_neste(tj, runde_id, nettadresse)
    return runde, feil


def ny_runde(
    valg: list[Signatarvalg],
    versjon: int,
    sha256: str,
    frist_dager: int,
    paminnelse_dager: int,
    bruker_id: int,
    avtale_id: int | None = None,
    plan_id: int | None = None,
) -> Signeringsrunde:
    """En aktiv runde for én avtale eller én plan, med signererne i den valgte rekkefølgen."""
    return Signeringsrunde(
        avtale_id=avtale_id,
        plan_id=plan_id,
        versjon_nummer=versjon,
        dokument_sha256=sha256,
        status="aktiv",
        frist=naa() + timedelta(days=frist_dager),
        paminnelse_dager=paminnelse_dager,
        opprettet_av_id=bruker_id,
        signatarer=[
            Signatar(
                rekkefolge=i,
                bruker_id=v.bruker_id,
                side=v.side,
                rolle=rens_tekst(v.rolle)[:200],
                ip="",
                avvist_grunn="",
            )
            for i, v in enumerate(valg, start=1)
        ],
    )


def _sjekk_signatarer(s: Session, avtale: Avtale, valg: list[Signatarvalg]) -> None:
    if len(valg) > 10:
        raise Valideringsfeil({"signatarer": "Høyst 10 signerere i én runde."})
    if len({v.bruker_id for v in valg}) != len(valg):
        raise Valideringsfeil({"signatarer": "Samme person kan bare stå én gang."})
    for v in valg:
        b = s.get(Bruker, v.bruker_id)
        if b is None or not b.aktiv:
            raise Valideringsfeil(
                {"signatarer": "En valgt signerer finnes ikke eller er deaktivert."}
            )
        if v.side == "kommune" and b.rolle not in SKRIVEROLLER:
            raise Valideringsfeil(
                {"signatarer": f"{b.navn} kan ikke signere for kommunen (krever skrivetilgang)."}
            )
        if v.side == "part" and (b.rolle != PARTNER or b.part_id != avtale.part_id):
            raise Valideringsfeil(
                {"signatarer": f"{b.navn} er ikke kontaktperson med tilgang hos parten."}
            )
        if v.side not in SIDER:
            raise Valideringsfeil({"signatarer": "Ukjent side; velg kommunen eller parten."})
    if not {"kommune", "part"} <= {v.side for v in valg}:
        raise Valideringsfeil(
            {"signatarer": "Minst én må signere for kommunen og minst én for parten."}
        )


# --- Varsler ----------------------------------------------------------------------------


def _lenke(nettadresse: str, bruker: Bruker, avtale_id: int) -> str:
    sti = "/portal/avtaler" if bruker.rolle == PARTNER else "/avtaler"
    return f"{nettadresse.rstrip('/')}{sti}/{avtale_id}/signer"


def _varsle_neste(
    tj: Tjenester, runde_id: int, nettadresse: str, paminnelse: bool = False
) -> list[str]:
    """Send e-post til den som står for tur, og noter når (for påminnelser)."""
    with tj.transaksjon() as s:
        runde = s.get(Signeringsrunde, runde_id)
        neste = neste_signatar(runde) if runde and runde.status == "aktiv" else None
        if neste is None:
            return []
        if paminnelse:
            neste.sist_paminnet = naa()
        else:
            neste.varslet = naa()
        til, navn = neste.bruker.epost, neste.bruker.navn
        part = runde.avtale.part.navn
        lenke = _lenke(nettadresse, neste.bruker, runde.avtale_id)
        frist = formatering.dato_lang(som_utc(runde.frist).date())
    if not til:
        return [f"{navn} har ingen e-postadresse og er ikke varslet."]
    emne = ("Påminnelse: " if paminnelse else "") + f"Samarbeidsavtale med {part} til signering"
    feil = tj.send_epost(
        Epost(
            til=til,
            emne=emne,
            tekst=(
                f"Hei {navn},\n\nSamarbeidsavtalen med {part} venter på din signatur "
                f"(frist {frist}). Åpne den her, les den, og signer med en engangskode som "
                f"sendes til denne adressen:\n{lenke}\n"
            ),
        )
    )
    return [feil] if feil else []


def signaturer_i(runde: Signeringsrunde) -> list[Signatur]:
    """Signaturene i en fullført runde, til signatursiden og metadataene i den forseglede
    kopien. Partens signerere er partnerbrukere; institusjonen er deres part."""
    return [
        Signatur(
            navn=sig.bruker.navn,
            rolle=sig.rolle,
            institusjon=sig.bruker.part.navn if sig.side == "part" else "Kommunen",
            tidspunkt=som_utc(sig.signert),
            ip=sig.ip,
        )
        for sig in runde.signatarer
    ]


def skal_paminnes(neste: Signatar, dager: int) -> bool:
    """Den som står for tur, er ikke varslet, eller varslet/påminnet for `dager` siden."""
    sist = neste.sist_paminnet or neste.varslet
    return sist is None or som_utc(sist) <= naa() - timedelta(days=dager)


def neste_signatar(runde: Signeringsrunde) -> Signatar | None:
    for sig in runde.signatarer:
        if sig.status != "signert":
            return sig if sig.status == "venter" else None
    return None


# --- Engangskode og signatur --------------------------------------------------------------


def _min_tur(s: Session, avtale_id: int, bruker_id: int) -> tuple[Signeringsrunde, Signatar]:
    runde = aktiv_runde(s, avtale_id)
    return runde, min_signatar(runde, bruker_id, "Avtalen", "denne avtalen")


def min_signatar(
    runde: Signeringsrunde | None, bruker_id: int, objekt: str, denne: str
) -> Signatar:
    """Brukerens plass i runden, når det er brukerens tur og fristen ikke er ute; ellers en
    norsk melding. Felles for avtaler og planer («Avtalen»/«denne avtalen» osv.)."""
    if runde is None:
        raise Valideringsfeil({"kode": f"{objekt} har ingen aktiv signeringsrunde."})
    if som_utc(runde.frist) < naa():
        raise Valideringsfeil({"kode": "Fristen for signering er ute."})
    neste = neste_signatar(runde)
    mine = [sig for sig in runde.signatarer if sig.bruker_id == bruker_id]
    if not mine:
        raise Valideringsfeil({"kode": f"Du er ikke blant dem som skal signere {denne}."})
    if mine[0].status == "signert":
        raise Valideringsfeil({"kode": "Du har allerede signert."})
    if neste is None or neste.bruker_id != bruker_id:
        raise Valideringsfeil({"kode": "Det er ikke din tur ennå; du får e-post når det er det."})
    return mine[0]


def send_kode(tj: Tjenester, avtale_id: int, bruker_id: int, fra: str = "") -> str | None:
    """Send en engangskode til signererens e-post. Returnerer en eventuell e-postfeil."""
    with tj.transaksjon() as s:
        runde, sig = _min_tur(s, avtale_id, bruker_id)
        kode = ny_kode(s, sig)
        logg(s, avtale_id, "kode_sendt", bruker_id, fra, runde=runde.id)
        til, part = sig.bruker.epost, runde.avtale.part.navn
    return tj.send_epost(kodepost(til, f"samarbeidsavtalen med {part}", kode))


def ny_kode(s: Session, sig: Signatar) -> str:
    """Lag en engangskode for signereren (lagres som argon2-hash), høyst KODER_PER_KVARTER
    per kvarter. Felles for avtaler og individuelle planer."""
    if not sig.bruker.epost:
        raise Valideringsfeil(
            {
                "kode": "Du har ingen e-postadresse registrert, så koden kan ikke sendes. "
                "Be kommunen legge den inn."
            }
        )
    nylig = s.scalar(
        select(func.count())
        .select_from(Engangskode)
        .where(
            Engangskode.signatar_id == sig.id,
            Engangskode.opprettet >= naa() - timedelta(minutes=15),
        )
    )
    if (nylig or 0) >= KODER_PER_KVARTER:
        raise Valideringsfeil(
            {"kode": "Du har bedt om mange koder nå. Vent et kvarter, og bruk den siste."}
        )
    kode = f"{secrets.randbelow(1_000_000):06d}"
    s.add(
        Engangskode(signatar_id=sig.id, kode_hash=_hasher.hash(kode), utloper=naa() + KODE_GYLDIG)
    )
    return kode


def kodepost(til: str, hva: str, kode: str) -> Epost:
    minutter = int(KODE_GYLDIG.total_seconds() // 60)
    return Epost(
        til=til,
        emne="Engangskode for signering",  # koden står bare i teksten, ikke i varsler
        tekst=(
            f"Koden din for å signere {hva} er {kode}.\n"
            f"Den gjelder i {minutter} minutter og kan brukes én gang.\n"
            "Har du ikke bedt om den, kan du se bort fra denne e-posten."
        ),
    )


def sjekk_kode(s: Session, sig: Signatar, kode: str, ip: str) -> str | None:
    """Bekreft koden. Riktig: signereren er signert (returnerer None). Feil: forsøket telles,
    og meldingen returneres (kalleren committer forsøket før feilen meldes)."""
    kode = (kode or "").strip().replace(" ", "")
    gyldig = s.scalar(
        select(Engangskode)
        .where(Engangskode.signatar_id == sig.id, Engangskode.brukt.is_(None))
        .order_by(Engangskode.id.desc())
        .limit(1)
    )
    if gyldig is None or som_utc(gyldig.utloper) < naa():
        raise Valideringsfeil({"kode": "Koden er utløpt eller ikke sendt. Be om en ny kode."})
    if gyldig.forsok >= KODE_MAKS_FORSOK:
        raise Valideringsfeil({"kode": "For mange feil forsøk med denne koden. Be om en ny."})
    try:
        _hasher.verify(gyldig.kode_hash, kode)
        riktig = len(kode) == 6
    except (VerificationError, InvalidHashError):
        riktig = False
    if not riktig:
        gyldig.forsok += 1
        igjen = KODE_MAKS_FORSOK - gyldig.forsok
        return f"Feil kode. {igjen} forsøk igjen." if igjen else "Feil kode. Be om en ny."
    gyldig.brukt = naa()
    sig.status, sig.signert, sig.ip = "signert", naa(), ip[:64]
    return None


def signer(
    tj: Tjenester,
    avtale_id: int,
    bruker_id: int,
    kode: str,
    ip: str,
    nettadresse: str,
    fra: str = "",
) -> tuple[str, list[str]]:
    """Bekreft koden og registrer signaturen. Var den den siste, lages den forseglede kopien
    og avtalen blir inngått. Returnerer (rundens status, e-postfeil)."""
    with tj.transaksjon() as s:
        runde, sig = _min_tur(s, avtale_id, bruker_id)
        feil_kode = sjekk_kode(s, sig, kode, ip)
        if feil_kode is None:
            logg(
                s,
                avtale_id,
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
        raise Valideringsfeil({"kode": feil_kode})
    if not ferdig:
        return "aktiv", _varsle_neste(tj, runde_id, nettadresse)
    return "fullfort", fullfor_runde(tj, runde_id, nettadresse)


def avvis(
    tj: Tjenester, avtale_id: int, bruker_id: int, grunn: str, nettadresse: str, fra: str = ""
) -> list[str]:
    """Signereren avslår med en begrunnelse. Runden stopper; den ansvarlige varsles og velger
    selv om avtalen går tilbake til utkast eller blir «ikke inngått»."""
    grunn = rens_tekst(grunn, flerlinjet=True)
    if not grunn:
        raise Valideringsfeil({"grunn": "Skriv hvorfor du ikke vil signere."})
    if len(grunn) > 2000:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 2000 tegn."})
    with tj.transaksjon() as s:
        runde, sig = _min_tur(s, avtale_id, bruker_id)
        sig.status, sig.avvist_grunn = "avvist", grunn
        runde.status, runde.avsluttet, runde.grunn = "avvist", naa(), grunn
        logg(s, avtale_id, "signering_avvist", bruker_id, fra, runde=runde.id, grunn=grunn)
        ansvarlig = runde.avtale.ansvarlig
        til, part, navn = ansvarlig.epost, runde.avtale.part.navn, sig.bruker.navn
    if not til:
        return [f"{ansvarlig.navn} har ingen e-postadresse og er ikke varslet."]
    lenke = f"{nettadresse.rstrip('/')}/avtaler/{avtale_id}"
    feil = tj.send_epost(
        Epost(
            til=til,
            emne=f"Signering avslått: samarbeidsavtale med {part}",
            tekst=(
                f"{navn} har avslått å signere samarbeidsavtalen med {part}.\n\n"
                f"Begrunnelse:\n{grunn}\n\nVelg om avtalen skal tilbake til utkast eller "
                f"settes til «Ikke inngått»:\n{lenke}\n"
            ),
        )
    )
    return [feil] if feil else []


# --- Den signerte kopien ------------------------------------------------------------------


def fullfor_runde(tj: Tjenester, runde_id: int, nettadresse: str) -> list[str]:
    """Lag den forseglede kopien for en runde der alle har signert, registrer den og sett
    avtalen til «inngått». Trygt å kalle igjen (gjør ingenting hvis runden er ferdig)."""
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
        avtale = runde.avtale
        part = avtale.part
        signaturer = signaturer_i(runde)
        hendelser = s.scalars(
            select(Hendelse)
            .where(Hendelse.avtale_id == avtale.id, Hendelse.id >= _forste_hendelse(s, runde))
            .order_by(Hendelse.id)
        ).all()
        navn = {b.id: b.navn for b in s.scalars(select(Bruker))}
        spor = [
            Sporhendelse(
                tidspunkt=som_utc(h.tidspunkt),
                hvem=navn.get(h.bruker_id, "systemet"),
                hva=_sporbeskrivelse(h),
                ip=(h.detaljer or {}).get("ip") or h.fra.removeprefix("web "),
            )
            for h in hendelser
        ]
        tittel, versjon, sha = (
            f"Samarbeidsavtale med {part.navn}",
            runde.versjon_nummer,
            runde.dokument_sha256,
        )
        mottakere = [(sig.bruker.epost, sig.bruker) for sig in runde.signatarer]
        avtale_id = avtale.id
    pdf = tj.lager.les(sha)
    sider = tj.konverterer.til_pdfa(signaturside_docx(tittel, versjon, sha, signaturer, spor))
    segl = Segl.fra_miljo(tj.innstillinger.instans)
    if not segl.finnes():
        raise Valideringsfeil(
            {
                "segl": "Kommunens sertifikat for forsegling mangler (DOKUMENTER_SEGL_NOKKEL og "
                "DOKUMENTER_SEGL_SERTIFIKAT)."
            }
        )
    forseglet = lag_signert_kopi(pdf, sider, segl, lag_metadata(signaturer, sha))

    def registrer(s: Session, filer: list[LagretFil]) -> str:
        (fil,) = filer
        runde = s.get(Signeringsrunde, runde_id)
        if runde.status != "aktiv":  # en annen prosess rakk det først
            raise _AlleredeFullfort
        runde.status, runde.avsluttet = "fullfort", naa()
        s.add(
            SignertKopi(
                avtale_id=avtale_id,
                versjon_nummer=versjon,
                runde_id=runde_id,
                type="forseglet",
                sha256=fil.sha256,
                storrelse=fil.storrelse,
            )
        )
        logg(
            s,
            avtale_id,
            "signert_kopi",
            None,
            "systemet",
            runde=runde_id,
            versjon=versjon,
            sha256=fil.sha256,
            type="forseglet",
        )
        bytt_status(s, s.get(Avtale, avtale_id), "inngaatt", None, "systemet", av_systemet=True)
        return fil.sha256

    try:
        kopi_sha256 = tj.arkiver([forseglet], registrer)
    except _AlleredeFullfort:  # filen forkastes; ingenting er endret
        return []
    sok.oppdater_avtale(tj, avtale_id)
    feil = []
    for til, bruker in mottakere:
        if not til:
            continue
        lenke = _lenke(nettadresse, bruker, avtale_id).removesuffix("/signer")
        f = tj.send_epost(
            Epost(
                til=til,
                emne=f"Signert: {tittel}",
                tekst=(
                    f"Alle har signert versjon {versjon}. Den signerte kopien (PDF med "
                    f"signaturside og revisjonsspor, forseglet av kommunen) kan lastes ned "
                    f"her:\n{lenke}\n\nSHA-256: {kopi_sha256}\n"
                ),
            )
        )
        if f:
            feil.append(f)
    return feil


class _AlleredeFullfort(Exception):
    """En annen prosess registrerte den signerte kopien først."""


def _forste_hendelse(s: Session, runde: Signeringsrunde) -> int:
    """Revisjonssporet tar med hendelsene fra versjonen ble laget og fram til nå."""
    return (
        s.scalar(
            select(func.min(Hendelse.id)).where(
                Hendelse.avtale_id == runde.avtale_id,
                Hendelse.type == "ny_versjon",
                Hendelse.detaljer["versjon"].as_integer() == runde.versjon_nummer,
            )
        )
        or 0
    )


_SPORTEKST = {
    "opprettet": "Avtalen opprettet",
    "ny_versjon": "Versjon {versjon} lagret",
    "generert": "DOCX og PDF/A laget for versjon {versjon}",
    "lastet_ned": "Versjon {versjon} lastet ned ({format})",
    "status_endret": "Status endret",
    "signering_startet": "Sendt til signering (versjon {versjon}, SHA-256 {sha256})",
    "kode_sendt": "Engangskode sendt på e-post",
    "signert": "Signert med engangskode (versjon {versjon}, SHA-256 {sha256})",
    "kommentar": "Kommentar fra parten",
}


def _sporbeskrivelse(h: Hendelse) -> str:
    d = h.detaljer or {}
    if h.type == "status_endret":
        fra_, til = (STATUSER.get(d.get(k), "?") for k in ("fra_status", "til_status"))
        return f"Status: {fra_} → {til}"
    try:
        return _SPORTEKST.get(h.type, h.type).format(**d)
    except (KeyError, IndexError):
        return _SPORTEKST.get(h.type, h.type)


def sjekk_skannet_pdf(pdf: bytes) -> int:
    """Sjekk en opplastet, skannet PDF (størrelse, format, lesbar, minst én side); gir antall
    sider. Felles for avtaler og individuelle planer."""
    if not pdf:
        raise Valideringsfeil({"fil": "Velg en PDF-fil."})
    if len(pdf) > MAKS_SKANNET:
        raise Valideringsfeil({"fil": f"Filen er for stor (maks {MAKS_SKANNET // 2**20} MB)."})
    if not pdf.startswith(b"%PDF-"):
        raise Valideringsfeil({"fil": "Filen er ikke en PDF."})
    try:
        sider = len(PdfReader(io.BytesIO(pdf)).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise Valideringsfeil(
            {"fil": f"PDF-filen er skadet og kan ikke leses ({type(e).__name__})."}
        ) from e
    if sider < 1:
        raise Valideringsfeil({"fil": "PDF-filen har ingen sider."})
    return sider


def last_opp_signert(
    tj: Tjenester, avtale_id: int, pdf: bytes, bruker_id: int, fra: str = ""
) -> SignertKopi:
    """Registrer en skannet, våtsignert PDF som signert kopi av gjeldende versjon, og sett
    avtalen til «inngått». En aktiv signeringsrunde trekkes."""
    sider = sjekk_skannet_pdf(pdf)

    def registrer(s: Session, filer: list[LagretFil]) -> SignertKopi:
        (fil,) = filer
        avtale = _avtale(s, avtale_id)
        if avtale.status not in ("utkast", "til_gjennomgang", "til_signering", "til_revisjon"):
            raise Valideringsfeil(
                {
                    "fil": f"En avtale med status «{STATUSER[avtale.status]}» kan ikke "
                    "få en ny signert kopi."
                }
            )
        s.add(
            kopi := SignertKopi(
                avtale_id=avtale_id,
                versjon_nummer=avtale.gjeldende_versjon,
                type="skannet",
                sha256=fil.sha256,
                storrelse=fil.storrelse,
                opprettet_av_id=bruker_id,
            )
        )
        logg(
            s,
            avtale_id,
            "signert_kopi",
            bruker_id,
            fra,
            versjon=avtale.gjeldende_versjon,
            sha256=fil.sha256,
            type="skannet",
            sider=sider,
        )
        bytt_status(
            s,
            avtale,
            "inngaatt",
            bruker_id,
            fra,
            "Skannet signert kopi lastet opp.",
            av_systemet=True,
        )
        return kopi

    kopi = tj.arkiver([pdf], registrer)
    sok.oppdater_avtale(tj, avtale_id)
    return kopi


def signerte_kopier(s: Session, avtale_id: int) -> list[SignertKopi]:
    return list(
        s.scalars(
            select(SignertKopi).where(SignertKopi.avtale_id == avtale_id).order_by(SignertKopi.id)
        )
    )


def les_signert_kopi(
    tj: Tjenester, kopi_id: int, bruker_id: int, part_id: int | None = None, fra: str = ""
) -> tuple[str, bytes]:
    """Filnavn og innhold (sjekket mot SHA-256). Med part_id (partnerbruker) bare egne."""
    with tj.sesjoner() as s:
        kopi = s.get(SignertKopi, kopi_id)
        if kopi is None or (part_id is not None and kopi.avtale.part_id != part_id):
            raise IkkeFunnet("Dokumentet finnes ikke.")
        navn = f"Samarbeidsavtale {kopi.avtale.part.navn} v{kopi.versjon_nummer} signert.pdf"
        sha, avtale_id, versjon = kopi.sha256, kopi.avtale_id, kopi.versjon_nummer
    data = les_og_logg(tj, sha, avtale_id, bruker_id, fra, versjon=versjon, format="signert pdf")
    return navn, data


# --- Påminnelser og utløp ------------------------------------------------------------------


def send_paminnelser(tj: Tjenester, nettadresse: str) -> Paminnelsesrapport:
    """For cron: utløp runder etter fristen (avtalen blir «ikke inngått»), påminn den som står
    for tur etter `paminnelse_dager`, og gjør ferdig runder der alle har signert."""
    r = Paminnelsesrapport()
    with tj.sesjoner() as s:
        runder = s.scalars(
            select(Signeringsrunde)
            .where(Signeringsrunde.status == "aktiv", Signeringsrunde.avtale_id.is_not(None))
            .options(selectinload(Signeringsrunde.signatarer))
        ).all()
        arbeid = [
            (
                runde.id,
                runde.avtale_id,
                som_utc(runde.frist),
                runde.paminnelse_dager,
                neste_signatar(runde),
            )
            for runde in runder
        ]
    for runde_id, avtale_id, frist, dager, neste in arbeid:
        if neste is None:
            r.epostfeil += fullfor_runde(tj, runde_id, nettadresse)
            r.fullfort.append(runde_id)
        elif frist < naa():
            with tj.transaksjon() as s:
                avtale = s.get(Avtale, avtale_id)
                grunn = f"Ingen svar innen fristen {formatering.dato_lang(frist.date())}."
                bytt_status(s, avtale, "ikke_inngaatt", None, "systemet", grunn)
                runde = s.get(Signeringsrunde, runde_id)
                runde.status, runde.grunn = "utlopt", grunn
            sok.oppdater_avtale(tj, avtale_id)
            r.utlopt.append(runde_id)
        elif skal_paminnes(neste, dager):
            paminnelse = neste.varslet is not None or neste.sist_paminnet is not None
            r.epostfeil += _varsle_neste(tj, runde_id, nettadresse, paminnelse=paminnelse)
            r.paminnet.append(neste.id)
    return r


# --- Hjelpere ----------------------------------------------------------------------------


def _avtale(s: Session, avtale_id: int) -> Avtale:
    avtale = s.get(Avtale, avtale_id)
    if avtale is None:
        raise IkkeFunnet("Avtalen finnes ikke.")
    return avtale


def _versjon(s: Session, avtale_id: int, nummer: int) -> AvtaleVersjon:
    v = s.scalar(
        select(AvtaleVersjon).where(
            AvtaleVersjon.avtale_id == avtale_id, AvtaleVersjon.nummer == nummer
        )
    )
    if v is None:
        raise IkkeFunnet("Versjonen finnes ikke.")
    return v


def kandidater(tj: Tjenester, avtale_id: int) -> dict[str, list[Bruker]]:
    """Hvem som kan velges som signerer: ansatte med skrivetilgang, og partens aktive brukere."""
    with tj.sesjoner() as s:
        avtale = _avtale(s, avtale_id)
        ansatte = s.scalars(
            select(Bruker).where(Bruker.rolle.in_(SKRIVEROLLER), Bruker.aktiv).order_by(Bruker.navn)
        ).all()
        partnere = s.scalars(
            select(Bruker)
            .where(Bruker.rolle == PARTNER, Bruker.part_id == avtale.part_id, Bruker.aktiv)
            .order_by(Bruker.navn)
        ).all()
        return {"kommune": list(ansatte), "part": list(partnere)}
