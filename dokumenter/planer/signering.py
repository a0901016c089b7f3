"""Signering av individuelle planer, med samme runder, engangskoder og forsegling som
avtalene (dokumenter.signering og dokumenter.forsegling). Forskjellene:

- Tilgangen avgjøres av `plantilgang`: en partnerbruker kan bare signere så lenge hen er i
  ansvarsgruppen og personen har samtykket til deling med institusjonen.
- Personen selv signerer som regel på papir; den skannede kopien lastes opp (`last_opp_signert`).
- Alt logges i planens innsynslogg, og e-postene nevner bare plannummeret, aldri personen.
- Filene (også den forseglede kopien) krypteres i arkivet.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter.brukere.roller import PARTNER, SKRIVEROLLER
from dokumenter.felles.feil import IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import naa, som_utc
from dokumenter.infrastruktur.epost import Epost
from dokumenter.infrastruktur.forsegling import (
    Segl,
    Sporhendelse,
    lag_metadata,
    lag_signert_kopi,
    signaturside_docx,
)
from dokumenter.models import (
    Bruker,
    Plan,
    Plandokument,
    Planlogg,
    Signatar,
    Signeringsrunde,
)
from dokumenter.planer.innsynslogg import HANDLINGER, apne_med_tilgang, logg, logger_nektet
from dokumenter.planer.tilgang import Grunnlag, gjeldende_samtykke, grunnlag
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
from dokumenter.signering.skannet import sjekk_skannet_pdf
from dokumenter.sok import indeksering as sok
from dokumenter.tjenester import Tjenester


def aktiv_runde(s: Session, plan_id: int) -> Signeringsrunde | None:
    return s.scalar(
        select(Signeringsrunde)
        .where(Signeringsrunde.plan_id == plan_id, Signeringsrunde.status == "aktiv")
        .options(selectinload(Signeringsrunde.signatarer).selectinload(Signatar.bruker))
    )


@logger_nektet
def start_runde(
    tj: Tjenester,
    plan_id: int,
    valg: list[Signatarvalg],
    bruker_id: int,
    nettadresse: str,
    frist_dager: int = FRIST_DAGER,
    fra: str = "",
) -> list[str]:
    """Send gjeldende versjon til signering hos `valg`, i den rekkefølgen: ansatte med
    skrivetilgang for kommunen, og partnerbrukere i ansvarsgruppen med gjeldende samtykke."""
    if not 1 <= frist_dager <= 365:
        raise Valideringsfeil({"frist_dager": "Fristen må være mellom 1 og 365 dager."})
    with tj.transaksjon() as s:
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        if plan.status not in ("utkast", "til_signering"):
            raise Valideringsfeil(
                {"signatarer": "Bare et utkast kan sendes til signering; lagre en ny versjon."}
            )
        pdf = _fil(s, plan_id, plan.gjeldende_versjon, "pdf")
        if pdf is None:
            raise Valideringsfeil({"signatarer": "Planen har ikke noe innhold ennå."})
        _sjekk_signatarer(s, plan, valg)
        trekk_aktiv_runde(s, plan, bruker_id, g, fra, "Ny signeringsrunde startet.")
        runde = ny_runde(
            valg, plan.gjeldende_versjon, pdf.innhold_sha256, frist_dager, PAMINNELSE_DAGER,
            bruker_id, plan_id=plan_id,
        )  # fmt: skip
        s.add(runde)
        s.flush()
        plan.status = "til_signering"
        logg(s, plan_id, "signering_startet", bruker_id, g, fra, runde=runde.id,
             versjon=plan.gjeldende_versjon, sha256=pdf.innhold_sha256)  # fmt: skip
        runde_id = runde.id
    sok.oppdater_plan(tj, plan_id)
    return _varsle_neste(tj, runde_id, nettadresse)


def _sjekk_signatarer(s: Session, plan: Plan, valg: list[Signatarvalg]) -> None:
    if not valg:
        raise Valideringsfeil({"signatarer": "Velg minst én som skal signere."})
    if len(valg) > 12:
        raise Valideringsfeil({"signatarer": "Høyst 12 signerere i én runde."})
    if len({v.bruker_id for v in valg}) != len(valg):
        raise Valideringsfeil({"signatarer": "Samme person kan bare stå én gang."})
    medlemmer = {m.bruker_id for m in plan.medlemmer}
    for v in valg:
        b = s.get(Bruker, v.bruker_id)
        if b is None or not b.aktiv:
            raise Valideringsfeil({"signatarer": "En valgt signerer finnes ikke."})
        if v.side == "kommune":
            if b.rolle not in SKRIVEROLLER or (
                b.id != plan.koordinator_id and b.id not in medlemmer
            ):
                raise Valideringsfeil(
                    {"signatarer": f"{b.navn} må være koordinator eller i ansvarsgruppen."}
                )
        elif v.side == "part":
            if (
                b.rolle != PARTNER
                or b.id not in medlemmer
                or gjeldende_samtykke(s, plan.id, b.part_id) is None
            ):
                raise Valideringsfeil(
                    {
                        "signatarer": f"{b.navn} må være i ansvarsgruppen, og personen må ha "
                        "samtykket til deling med institusjonen."
                    }
                )
        else:
            raise Valideringsfeil({"signatarer": "Ukjent side; velg kommunen eller parten."})


def _fil(s: Session, plan_id: int, versjon: int, type_: str) -> Plandokument | None:
    return s.scalar(
        select(Plandokument)
        .where(
            Plandokument.plan_id == plan_id,
            Plandokument.versjon_nummer == versjon,
            Plandokument.type == type_,
        )
        .order_by(Plandokument.id.desc())
        .limit(1)
    )


def _lenke(nettadresse: str, bruker: Bruker, plan_id: int) -> str:
    sti = "/portal/planer" if bruker.rolle == PARTNER else "/planer"
    return f"{nettadresse.rstrip('/')}{sti}/{plan_id}"


def _varsle_neste(
    tj: Tjenester, runde_id: int, nettadresse: str, paminnelse: bool = False
) -> list[str]:
    with tj.transaksjon() as s:
        runde = s.get(Signeringsrunde, runde_id)
        neste = neste_signatar(runde) if runde and runde.status == "aktiv" else None
        if neste is None:
            return []
        plan = s.get(Plan, runde.plan_id)
        if grunnlag(s, plan, neste.bruker) is None:  # fjernet, samtykke trukket, deaktivert
            trekk_runde_uten_tilgang(s, plan, None, "Systemet", "systemet")
            navn = neste.bruker.navn
            return [f"{navn} har ikke lenger tilgang; signeringsrunden er trukket."]
        if paminnelse:
            neste.sist_paminnet = naa()
        else:
            neste.varslet = naa()
        til, navn = neste.bruker.epost, neste.bruker.navn
        nummer = plan.nummer
        lenke = _lenke(nettadresse, neste.bruker, runde.plan_id)
    if not til:
        return [f"{navn} har ingen e-postadresse og er ikke varslet."]
    feil = tj.send_epost(
        Epost(
            til=til,
            emne=("Påminnelse: " if paminnelse else "")
            + f"Individuell plan {nummer} til signering",
            tekst=(
                f"Hei {navn},\n\nIndividuell plan {nummer} venter på din signatur. Logg inn, "
                f"les planen og signer med en engangskode som sendes til denne adressen:\n"
                f"{lenke}\n"
            ),
        )
    )
    return [feil] if feil else []


def send_paminnelser(tj: Tjenester, nettadresse: str) -> Paminnelsesrapport:
    """For cron (kalles av `dokumenter signatur paminn`): runder for planer som er ute på
    tid, utløper (planen blir utkast igjen); den som står for tur, påminnes etter
    `paminnelse_dager`; runder der alle har signert, men forseglingen ble avbrutt, fullføres."""
    r = Paminnelsesrapport()
    with tj.sesjoner() as s:
        runder = s.scalars(
            select(Signeringsrunde)
            .where(Signeringsrunde.status == "aktiv", Signeringsrunde.plan_id.is_not(None))
            .options(selectinload(Signeringsrunde.signatarer))
        ).all()
        arbeid = [
            (runde.id, runde.plan_id, som_utc(runde.frist), runde.paminnelse_dager,
             neste_signatar(runde))
            for runde in runder
        ]  # fmt: skip
    for runde_id, plan_id, frist, dager, neste in arbeid:
        if neste is None:
            fullfor_runde(tj, runde_id)
            r.fullfort.append(runde_id)
        elif frist < naa():
            with tj.transaksjon() as s:
                runde = s.get(Signeringsrunde, runde_id)
                runde.status, runde.avsluttet = "utlopt", naa()
                runde.grunn = "Ikke signert innen fristen."
                s.get(Plan, plan_id).status = "utkast"
                logg(s, plan_id, "runde_utlopt", None, "Systemet", "systemet", runde=runde_id)
            sok.oppdater_plan(tj, plan_id)
            r.utlopt.append(runde_id)
        elif skal_paminnes(neste, dager):
            paminnelse = neste.varslet is not None or neste.sist_paminnet is not None
            r.epostfeil += _varsle_neste(tj, runde_id, nettadresse, paminnelse=paminnelse)
            r.paminnet.append(neste.id)
    return r


def _min_tur(
    s: Session, plan_id: int, bruker_id: int, fra: str
) -> tuple[Signeringsrunde, Signatar]:
    apne_med_tilgang(s, plan_id, bruker_id, fra)  # tilgangen (og samtykket) gjelder fortsatt
    runde = aktiv_runde(s, plan_id)
    return runde, min_signatar(runde, bruker_id, "Planen", "planen")


def min_tur(tj: Tjenester, plan_id: int, bruker_id: int) -> bool:
    with tj.sesjoner() as s:
        runde = aktiv_runde(s, plan_id)
        neste = neste_signatar(runde) if runde else None
        return neste is not None and neste.bruker_id == bruker_id


@logger_nektet
def send_kode(tj: Tjenester, plan_id: int, bruker_id: int, fra: str = "") -> str | None:
    with tj.transaksjon() as s:
        runde, sig = _min_tur(s, plan_id, bruker_id, fra)
        kode = ny_kode(s, sig)
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra)
        logg(s, plan_id, "kode_sendt", bruker_id, g, fra, runde=runde.id)
        til, nummer = sig.bruker.epost, plan.nummer
    return tj.send_epost(kodepost(til, f"individuell plan {nummer}", kode))


@logger_nektet
def signer(
    tj: Tjenester, plan_id: int, bruker_id: int, kode: str, ip: str, nettadresse: str, fra: str = ""
) -> tuple[str, list[str]]:
    """Bekreft koden og registrer signaturen; var den den siste, forsegles planen."""
    with tj.transaksjon() as s:
        runde, sig = _min_tur(s, plan_id, bruker_id, fra)
        feil_kode = sjekk_kode(s, sig, kode, ip)
        if feil_kode is None:
            _, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra)
            logg(s, plan_id, "signert", bruker_id, g, fra, runde=runde.id, ip=ip[:64],
                 versjon=runde.versjon_nummer, sha256=runde.dokument_sha256)  # fmt: skip
            runde_id, ferdig = runde.id, neste_signatar(runde) is None
    if feil_kode is not None:
        raise Valideringsfeil({"kode": feil_kode})
    if not ferdig:
        return "aktiv", _varsle_neste(tj, runde_id, nettadresse)
    fullfor_runde(tj, runde_id)
    return "fullfort", []


def fullfor_runde(tj: Tjenester, runde_id: int) -> None:
    """Signaturside og revisjonsspor (uten personens navn), lagt til den signerte PDF/A-en og
    forseglet med kommunens sertifikat; planen blir «signert og gjeldende»."""
    with tj.sesjoner() as s:
        runde = s.get(Signeringsrunde, runde_id)
        if runde is None or runde.status != "aktiv" or neste_signatar(runde) is not None:
            return
        plan = s.get(Plan, runde.plan_id)
        plan_id, versjon, nummer = plan.id, runde.versjon_nummer, plan.nummer
        signaturer = signaturer_i(runde)
        hendelser = s.scalars(
            select(Planlogg)
            .where(
                Planlogg.plan_id == plan_id,
                Planlogg.handling.in_(("signering_startet", "kode_sendt", "signert")),
                Planlogg.tidspunkt >= runde.opprettet,
            )
            .order_by(Planlogg.id)
        ).all()
        spor = [
            Sporhendelse(
                tidspunkt=som_utc(h.tidspunkt),
                hvem=h.bruker.navn if h.bruker else "Systemet",
                hva=HANDLINGER.get(h.handling, h.handling),
                ip=(h.detaljer or {}).get("ip") or h.fra.removeprefix("web "),
            )
            for h in hendelser
        ]
        pdf_dok = _fil(s, plan_id, versjon, "pdf")
        sha = runde.dokument_sha256
    pdf = tj.chiffer.dekrypter(tj.lager.les(pdf_dok.sha256))
    tittel = f"Individuell plan {nummer}"
    sider = tj.konverterer.til_pdfa(signaturside_docx(tittel, versjon, sha, signaturer, spor))
    forseglet = lag_signert_kopi(
        pdf, sider, Segl.fra_miljo(tj.innstillinger.instans), lag_metadata(signaturer, sha)
    )

    def registrer(s: Session, filer: list[LagretFil]) -> None:
        (fil,) = filer
        runde = s.get(Signeringsrunde, runde_id)
        if runde.status != "aktiv":
            raise _AlleredeFullfort
        runde.status, runde.avsluttet = "fullfort", naa()
        s.add(
            Plandokument(
                plan_id=plan_id,
                versjon_nummer=versjon,
                type="forseglet",
                sha256=fil.sha256,
                storrelse=fil.storrelse,
                innhold_sha256=hashlib.sha256(forseglet).hexdigest(),
                runde_id=runde_id,
            )
        )
        s.get(Plan, plan_id).status = "aktiv"
        logg(s, plan_id, "signert_kopi", None, "Systemet", "systemet", versjon=versjon,
             type="forseglet")  # fmt: skip

    try:
        tj.arkiver([tj.chiffer.krypter(forseglet)], registrer)
    except _AlleredeFullfort:
        return
    sok.oppdater_plan(tj, plan_id)


class _AlleredeFullfort(Exception):
    pass


@logger_nektet
def last_opp_signert(
    tj: Tjenester, plan_id: int, pdf: bytes, bruker_id: int, fra: str = ""
) -> None:
    """Registrer en skannet PDF av planen signert på papir (personen signerer som regel slik).
    En aktiv runde trekkes; planen blir «signert og gjeldende»."""
    sider = sjekk_skannet_pdf(pdf)
    with tj.sesjoner() as s:
        plan, _, _ = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        if plan.gjeldende_versjon == 0 or plan.status == "avsluttet":
            raise Valideringsfeil({"fil": "Planen har ingen versjon som kan signeres."})

    def registrer(s: Session, filer: list[LagretFil]) -> None:
        (fil,) = filer
        plan, _, g = apne_med_tilgang(s, plan_id, bruker_id, fra, endre=True)
        trekk_aktiv_runde(s, plan, bruker_id, g, fra, "Skannet signert kopi lastet opp.")
        s.add(
            Plandokument(
                plan_id=plan_id,
                versjon_nummer=plan.gjeldende_versjon,
                type="skannet",
                sha256=fil.sha256,
                storrelse=fil.storrelse,
                innhold_sha256=hashlib.sha256(pdf).hexdigest(),
                opprettet_av_id=bruker_id,
            )
        )
        plan.status = "aktiv"
        logg(s, plan_id, "signert_kopi", bruker_id, g, fra, versjon=plan.gjeldende_versjon,
             type="skannet", sider=sider)  # fmt: skip

    tj.arkiver([tj.chiffer.krypter(pdf)], registrer)
    sok.oppdater_plan(tj, plan_id)


def signerere(tj: Tjenester, plan_id: int) -> list[tuple[str, str, str]]:
    """(navn, side, status) i den aktive eller siste runden; kalles bare etter tilgangssjekk."""
    with tj.sesjoner() as s:
        runde = s.scalar(
            select(Signeringsrunde)
            .where(Signeringsrunde.plan_id == plan_id)
            .order_by(Signeringsrunde.id.desc())
            .limit(1)
        )
        if runde is None:
            return []
        return [(sig.bruker.navn, sig.side, sig.status) for sig in runde.signatarer]


def kandidater(tj: Tjenester, plan_id: int) -> list[Bruker]:
    """Hvem som kan velges som signerer: koordinatoren og ansvarsgruppens medlemmer."""
    with tj.sesjoner() as s:
        plan = s.get(Plan, plan_id)
        if plan is None:
            raise IkkeFunnet("Planen finnes ikke.")
        return [plan.koordinator, *(m.bruker for m in plan.medlemmer
                                   if m.bruker_id != plan.koordinator_id)]  # fmt: skip


def trekk_runde_uten_tilgang(
    s: Session, plan: Plan, bruker_id: int | None, g: Grunnlag | str, fra: str
) -> bool:
    """Trekk den aktive runden hvis en som ennå skal signere, ikke lenger har tilgang
    (fjernet fra gruppen, trukket samtykke, ny koordinator, deaktivert). Runden kan ikke
    fullføres da, og ingen skal få e-post om en plan de ikke kan åpne."""
    runde = s.scalar(
        select(Signeringsrunde).where(
            Signeringsrunde.plan_id == plan.id, Signeringsrunde.status == "aktiv"
        )
    )
    if runde is None:
        return False
    s.flush()
    uten = [
        sig.bruker.navn
        for sig in runde.signatarer
        if sig.status == "venter" and grunnlag(s, plan, sig.bruker) is None
    ]
    if not uten:
        return False
    trekk_aktiv_runde(s, plan, bruker_id, g, fra,
                      f"{', '.join(uten)} har ikke lenger tilgang til planen.")  # fmt: skip
    plan.status = "utkast"
    return True


def trekk_aktiv_runde(
    s: Session, plan: Plan, bruker_id: int | None, g: Grunnlag | str, fra: str, grunn: str
) -> None:
    runde = s.scalar(
        select(Signeringsrunde).where(
            Signeringsrunde.plan_id == plan.id, Signeringsrunde.status == "aktiv"
        )
    )
    if runde is not None:
        runde.status, runde.avsluttet, runde.grunn = "trukket", naa(), grunn
        logg(s, plan.id, "runde_trukket", bruker_id, g, fra, runde=runde.id, grunn=grunn)
