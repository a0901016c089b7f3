"""Signering: runder med fast rekkefølge, engangskoder på e-post, forseglet signert kopi,
påminnelser og utløp, og den andre veien: en skannet, våtsignert PDF lastet opp.

Rekkefølgen er krasjsikker: signaturen registreres i én transaksjon; den signerte kopien
lages etterpå og registreres (sammen med «inngått») i en ny. Stopper noe mellom dem, står
runden med alle signaturer og status «aktiv», og `fullfor_runde` (som `send_paminnelser`
også kaller) gjør ferdig jobben.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter.avtaler.lesing import les_og_logg
from dokumenter.avtaler.livslop import STATUSER, aktiv_runde, bytt_status, logg
from dokumenter.brukere.roller import PARTNER, SKRIVEROLLER
from dokumenter.felles import formatering
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.felles.validering import rens_tekst
from dokumenter.infrastruktur.epost import Epost
from dokumenter.infrastruktur.forsegling import (
    Segl,
    Sporhendelse,
    lag_metadata,
    lag_signert_kopi,
    signaturside_docx,
)
from dokumenter.models import (
    Avtale,
    AvtaleVersjon,
    Bruker,
    Hendelse,
    Signatar,
    Signeringsrunde,
    SignertKopi,
)
from dokumenter.signering.koder import kodepost, ny_kode, sjekk_kode
from dokumenter.signering.runder import (
    FRIST_DAGER,
    PAMINNELSE_DAGER,
    SIDER,
    Paminnelsesrapport,
    Signatarvalg,
    min_signatar,
    neste_signatar,
    ny_runde,
    signaturer_i,
    skal_paminnes,
)
from dokumenter.signering.skannet import sjekk_skannet_pdf
from dokumenter.sok import indeksering as sok
from dokumenter.tjenester import Tjenester

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


# --- Engangskode og signatur --------------------------------------------------------------


def _min_tur(s: Session, avtale_id: int, bruker_id: int) -> tuple[Signeringsrunde, Signatar]:
    runde = aktiv_runde(s, avtale_id)
    return runde, min_signatar(runde, bruker_id, "Avtalen", "denne avtalen")


def send_kode(tj: Tjenester, avtale_id: int, bruker_id: int, fra: str = "") -> str | None:
    """Send en engangskode til signererens e-post. Returnerer en eventuell e-postfeil."""
    with tj.transaksjon() as s:
        runde, sig = _min_tur(s, avtale_id, bruker_id)
        kode = ny_kode(s, sig)
        logg(s, avtale_id, "kode_sendt", bruker_id, fra, runde=runde.id)
        til, part = sig.bruker.epost, runde.avtale.part.navn
    return tj.send_epost(kodepost(til, f"samarbeidsavtalen med {part}", kode))


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
