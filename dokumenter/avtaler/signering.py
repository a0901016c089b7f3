"""Signering av samarbeidsavtaler gjennom rundemotoren (`signering.motor`).

`AVTALE` sier motoren det som er særegent for avtaler: gjeldende versjons PDF/A signeres;
minst én signerer for kommunen (ansatt med skrivetilgang) og én for parten (partnerbruker hos
parten); alt logges i avtalens revisjonslogg; når alle har signert, blir avtalen «inngått», og
alle signererne får lenken til den forseglede kopien. Den andre veien er en skannet,
våtsignert PDF (`last_opp_signert`).


Modulen er litt over 400 linjer fordi den er avtalens hele svar på motorens spørsmål
(`Signerbar`) pluss brukstilfellene; delt i to ville de to halvdelene alltid endres sammen."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arkiv.lager import LagretFil
from dokumenter.avtaler.hendelser import beskriv_hendelse
from dokumenter.avtaler.lesing import les_og_logg
from dokumenter.avtaler.livslop import KAN_ENDRES, STATUSER, bytt_status, logg
from dokumenter.brukere.roller import PARTNER, SKRIVEROLLER
from dokumenter.felles import etiketter, formatering
from dokumenter.felles.feil import IkkeFunnet, IngenTilgang, Valideringsfeil
from dokumenter.felles.tid import som_utc
from dokumenter.infrastruktur.forsegling import Sporhendelse
from dokumenter.models import Avtale, AvtaleVersjon, Bruker, Hendelse, Signeringsrunde, SignertKopi
from dokumenter.signering import motor
from dokumenter.signering.koder import pauseposter
from dokumenter.signering.runder import FRIST_DAGER, PAMINNELSE_DAGER, SIDER, Signatarvalg
from dokumenter.tjenester import Tjenester
from dokumenter.varsler.utsending import Melding, Mottaker

MAKS_SIGNERERE = 10


class Avtalesignering(motor.Signerbar[Avtale]):
    art = "avtale"
    objekt = "Avtalen"
    denne = "denne avtalen"

    def apne(
        self, s: Session, objekt_id: int, bruker_id: int | None, fra: str, endre: bool
    ) -> Avtale:
        avtale = s.get(Avtale, objekt_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        if bruker_id is not None:
            bruker = s.get(Bruker, bruker_id)
            if bruker is None or (bruker.rolle == PARTNER and bruker.part_id != avtale.part_id):
                raise IkkeFunnet("Avtalen finnes ikke.")
            if endre and bruker.rolle not in SKRIVEROLLER:
                raise IngenTilgang("Du har bare lesetilgang.")
        return avtale

    def objekt_id(self, sak: Avtale) -> int:
        return sak.id

    def beskrivelse(self, sak: Avtale) -> str:
        return f"samarbeidsavtalen med {sak.part.navn}"

    def tittel(self, sak: Avtale) -> str:
        return f"Samarbeidsavtale med {sak.part.navn}"

    def til_signering(self, s: Session, sak: Avtale, bruker_id: int, fra: str) -> tuple[int, str]:
        versjon = s.scalar(
            select(AvtaleVersjon).where(
                AvtaleVersjon.avtale_id == sak.id, AvtaleVersjon.nummer == sak.gjeldende_versjon
            )
        )
        if versjon is None:
            raise IkkeFunnet("Versjonen finnes ikke.")
        pdf = versjon.dokument("pdf")
        if pdf is None:
            raise Valideringsfeil({"signatarer": "Versjonen mangler PDF/A; lag den først."})
        bytt_status(s, sak, "til_signering", bruker_id, fra, av_systemet=True)
        return versjon.nummer, pdf.sha256

    def signert_pdf(self, tj: Tjenester, s: Session, sak: Avtale, runde: Signeringsrunde) -> bytes:
        return tj.lager.les(runde.dokument_sha256)

    def gjeldende_pdf(self, tj: Tjenester, s: Session, sak: Avtale) -> bytes | None:
        versjon = sak.siste_versjon
        pdf = versjon.dokument("pdf") if versjon else None
        return tj.lager.les(pdf.sha256) if pdf else None

    def til_arkivet(self, tj: Tjenester, data: bytes) -> bytes:
        return data

    def sjekk_signatarer(self, s: Session, sak: Avtale, valg: list[Signatarvalg]) -> None:
        if len(valg) > MAKS_SIGNERERE:
            raise Valideringsfeil({"signatarer": f"Høyst {MAKS_SIGNERERE} signerere i én runde."})
        if len({v.bruker_id for v in valg}) != len(valg):
            raise Valideringsfeil({"signatarer": "Samme person kan bare stå én gang."})
        for v in valg:
            b = s.get(Bruker, v.bruker_id)
            if b is None or not b.aktiv:
                raise Valideringsfeil(
                    {"signatarer": "En valgt signerer finnes ikke eller er deaktivert."}
                )
            self.sjekk_erstatter(s, sak, v.side, b)
        if not {"kommune", "part"} <= {v.side for v in valg}:
            raise Valideringsfeil(
                {"signatarer": "Minst én må signere for kommunen og minst én for parten."}
            )

    def sjekk_erstatter(self, s: Session, sak: Avtale, side: str, ny: Bruker) -> None:
        """Én signerer: kommunens må ha skrivetilgang, partens være partnerbruker hos parten,
        og begge må ha en e-postadresse (varselet og engangskoden går dit)."""
        if side not in SIDER:
            raise Valideringsfeil({"signatarer": "Ukjent side; velg kommunen eller parten."})
        if not ny.aktiv:
            raise Valideringsfeil({"signatarer": f"{ny.navn} er deaktivert."})
        if side == "kommune" and ny.rolle not in SKRIVEROLLER:
            raise Valideringsfeil(
                {"signatarer": f"{ny.navn} kan ikke signere for kommunen (krever skrivetilgang)."}
            )
        if side == "part" and (ny.rolle != PARTNER or ny.part_id != sak.part_id):
            raise Valideringsfeil(
                {"signatarer": f"{ny.navn} er ikke kontaktperson med tilgang hos parten."}
            )
        if not ny.epost:
            raise Valideringsfeil({"signatarer": mangler_epost(ny.navn)})

    def varsel(
        self,
        tj: Tjenester,
        s: Session,
        sak: Avtale,
        runde: Signeringsrunde,
        neste: Any,
        paminnelse: bool,
    ) -> Melding | str:
        navn, part = neste.bruker.navn, sak.part.navn
        lenke = tj.lenker.signer_avtale(sak.id, partner=neste.bruker.rolle == PARTNER)
        frist = formatering.dato_lang(som_utc(runde.frist).date())
        return Melding(
            mottaker=Mottaker.bruker(neste.bruker),
            hendelse="signering_paminnelse" if paminnelse else "signering_tur",
            objekt_type="avtale",
            objekt_id=sak.id,
            emne=("Påminnelse: " if paminnelse else "")
            + f"Samarbeidsavtale med {part} til signering",
            tekst=(
                f"Hei {navn},\n\nSamarbeidsavtalen med {part} venter på din signatur "
                f"(frist {frist}). Åpne den her, les den, og signer med en engangskode som "
                f"sendes til denne adressen:\n{lenke}\n"
            ),
        )

    def logg(
        self,
        s: Session,
        sak: Avtale,
        handling: str,
        bruker_id: int | None,
        fra: str,
        **detaljer: Any,
    ) -> None:
        logg(s, sak.id, handling, bruker_id, fra, **detaljer)

    def revisjonsspor(self, s: Session, sak: Avtale, runde: Signeringsrunde) -> list[Sporhendelse]:
        """Hendelsene fra versjonen ble laget og fram til nå."""
        forste = s.scalar(
            select(func.min(Hendelse.id)).where(
                Hendelse.avtale_id == sak.id,
                Hendelse.type == "ny_versjon",
                Hendelse.detaljer["versjon"].as_integer() == runde.versjon_nummer,
            )
        )
        hendelser = s.scalars(
            select(Hendelse)
            .where(Hendelse.avtale_id == sak.id, Hendelse.id >= (forste or 0))
            .order_by(Hendelse.id)
        ).all()
        navn = dict(s.execute(select(Bruker.id, Bruker.navn)).all())
        return [
            Sporhendelse(
                tidspunkt=som_utc(h.tidspunkt),
                hvem=navn.get(h.bruker_id, "systemet"),
                hva=_sporbeskrivelse(h),
                ip=(h.detaljer or {}).get("ip") or h.fra.removeprefix("web "),
            )
            for h in hendelser
        ]

    def registrer_kopi(
        self,
        s: Session,
        sak: Avtale,
        runde: Signeringsrunde | None,
        fil: LagretFil,
        data: bytes,
        bruker_id: int | None,
        fra: str,
        **detaljer: Any,
    ) -> SignertKopi:
        skannet = runde is None
        if skannet and sak.status not in KAN_ENDRES:
            raise Valideringsfeil(
                {
                    "fil": f"En avtale med status «{STATUSER[sak.status]}» kan ikke få en ny "
                    "signert kopi."
                }
            )
        versjon = runde.versjon_nummer if runde else sak.gjeldende_versjon
        kopi = SignertKopi(
            avtale_id=sak.id,
            versjon_nummer=versjon,
            runde_id=runde.id if runde else None,
            type=detaljer["type"],
            sha256=fil.sha256,
            storrelse=fil.storrelse,
            opprettet_av_id=bruker_id,
        )
        s.add(kopi)
        detaljer = {"runde": runde.id, **detaljer} if runde else detaljer
        logg(
            s,
            sak.id,
            "signert_kopi",
            bruker_id,
            fra,
            **{**detaljer, "versjon": versjon, "sha256": fil.sha256},
        )
        grunn = "Skannet signert kopi lastet opp." if skannet else ""
        bytt_status(s, sak, "inngaatt", bruker_id, fra, grunn, av_systemet=True)
        return kopi

    def etter_fullfort(
        self, tj: Tjenester, sak: Avtale, runde: Signeringsrunde, sha256: str
    ) -> list[Melding]:
        return [
            Melding(
                mottaker=Mottaker.bruker(sig.bruker),
                hendelse="signert",
                objekt_type="avtale",
                objekt_id=sak.id,
                emne=f"Signert: {self.tittel(sak)}",
                tekst=(
                    f"Alle har signert versjon {runde.versjon_nummer}. Den signerte kopien (PDF "
                    f"med signaturside og revisjonsspor, forseglet av kommunen) kan lastes ned "
                    f"her:\n{tj.lenker.avtale(sak.id, partner=sig.bruker.rolle == PARTNER)}\n\n"
                    f"SHA-256: {sha256}\n"
                ),
            )
            for sig in runde.signatarer
        ]

    def ved_avslag(
        self, tj: Tjenester, s: Session, sak: Avtale, navn: str, grunn: str
    ) -> Melding | str:
        ansvarlig, part = sak.ansvarlig, sak.part.navn
        return Melding(
            mottaker=Mottaker.bruker(ansvarlig),
            hendelse="signering_avslatt",
            objekt_type="avtale",
            objekt_id=sak.id,
            emne=f"Signering avslått: samarbeidsavtale med {part}",
            tekst=(
                f"{navn} har avslått å signere samarbeidsavtalen med {part}.\n\n"
                f"Begrunnelse:\n{grunn}\n\nVelg om avtalen skal tilbake til utkast eller "
                f"settes til «Ikke inngått»:\n{tj.lenker.avtale(sak.id)}\n"
            ),
        )

    def ved_utlop(self, s: Session, sak: Avtale, runde: Signeringsrunde) -> None:
        grunn = f"Ingen svar innen fristen {formatering.dato_lang(som_utc(runde.frist).date())}."
        bytt_status(s, sak, "ikke_inngaatt", None, "systemet", grunn)
        runde.status, runde.grunn = "utlopt", grunn

    def ved_pause(
        self, tj: Tjenester, s: Session, sak: Avtale, runde: Signeringsrunde
    ) -> list[Melding]:
        neste = next((sig for sig in runde.signatarer if sig.status == "venter"), None)
        hvem = f" hos {neste.bruker.navn}" if neste else ""
        return pauseposter(
            [runde.opprettet_av, sak.ansvarlig],
            "avtale",
            sak.id,
            f"samarbeidsavtalen med {sak.part.navn}",
            hvem,
            tj.lenker.avtale(sak.id),
        )


AVTALE = Avtalesignering()


def mangler_epost(navn: str) -> str:
    return (
        f"{navn} har ingen e-postadresse og kan ikke velges som signerer: varselet og "
        "engangskoden sendes på e-post. En administrator legger den inn under Brukere."
    )


_SPORTEKST = {
    "opprettet": "Avtalen opprettet",
    "ny_versjon": "Versjon {versjon} lagret",
    "generert": "DOCX og PDF/A laget for versjon {versjon}",
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
    if h.type == "lastet_ned":
        return f"Lastet ned: {beskriv_hendelse(h, {})}"
    if h.type not in _SPORTEKST:
        return etiketter.etikett("avtalehendelse", h.type)
    try:
        return _SPORTEKST[h.type].format(**d)
    except (KeyError, IndexError):
        return etiketter.etikett("avtalehendelse", h.type)


# --- Brukstilfellene (motoren med AVTALE) --------------------------------------------------------


def start_runde(
    tj: Tjenester,
    avtale_id: int,
    valg: list[Signatarvalg],
    bruker_id: int,
    frist_dager: int = FRIST_DAGER,
    paminnelse_dager: int = PAMINNELSE_DAGER,
    fra: str = "",
) -> tuple[Signeringsrunde, list[str]]:
    """Send gjeldende versjon til signering hos `valg`, i den rekkefølgen. Minst én signerer
    for kommunen og én for parten. Returnerer runden og eventuelle e-postfeil."""
    return motor.start_runde(
        tj, AVTALE, avtale_id, valg, bruker_id, frist_dager, paminnelse_dager, fra
    )


def send_kode(tj: Tjenester, avtale_id: int, bruker_id: int, fra: str = "") -> str | None:
    """Send en engangskode til signererens e-post. Returnerer en eventuell e-postfeil."""
    return motor.send_kode(tj, AVTALE, avtale_id, bruker_id, fra)


def signer(
    tj: Tjenester, avtale_id: int, bruker_id: int, kode: str, ip: str, fra: str = ""
) -> tuple[str, list[str]]:
    """Bekreft koden og registrer signaturen; var den den siste, blir avtalen inngått."""
    return motor.signer(tj, AVTALE, avtale_id, bruker_id, kode, ip, fra)


def gjenoppta_runde(tj: Tjenester, avtale_id: int, bruker_id: int, fra: str = "") -> None:
    """Åpne en runde som er satt på pause etter for mange feil koder (skrivetilgang)."""
    motor.gjenoppta_runde(tj, AVTALE, avtale_id, bruker_id, fra)


def avvis(tj: Tjenester, avtale_id: int, bruker_id: int, grunn: str, fra: str = "") -> list[str]:
    """Signereren avslår. Den ansvarlige velger om avtalen går tilbake til utkast eller blir
    «ikke inngått»."""
    return motor.avvis(tj, AVTALE, avtale_id, bruker_id, grunn, fra)


def fullfor_runde(tj: Tjenester, runde_id: int) -> list[str]:
    return motor.fullfor_runde(tj, AVTALE, runde_id)


def send_paminnelser(tj: Tjenester) -> motor.Paminnelsesrapport:
    """For cron: runder etter fristen utløper (avtalen blir «ikke inngått»)."""
    return motor.send_paminnelser(tj, AVTALE)


def last_opp_signert(
    tj: Tjenester, avtale_id: int, pdf: bytes, bruker_id: int, fra: str = ""
) -> SignertKopi:
    """Registrer en skannet, våtsignert PDF som signert kopi av gjeldende versjon, og sett
    avtalen til «inngått»."""
    return motor.last_opp_skannet(tj, AVTALE, avtale_id, pdf, bruker_id, fra)


# --- Oppslag ------------------------------------------------------------------------------------


def signerte_kopier(s: Session, avtale_id: int) -> list[SignertKopi]:
    return list(
        s.scalars(
            select(SignertKopi).where(SignertKopi.avtale_id == avtale_id).order_by(SignertKopi.id)
        )
    )


def les_signert_kopi(
    tj: Tjenester,
    kopi_id: int,
    bruker_id: int,
    part_id: int | None = None,
    fra: str = "",
    kjente: Collection[str] = (),
) -> tuple[str, bytes | None]:
    """Filnavn og innhold (sjekket mot SHA-256). Med part_id (partnerbruker) bare egne.
    Innholdet er None når klienten alt har filen (SHA-256 i `kjente`)."""
    with tj.sesjoner() as s:
        kopi = s.get(SignertKopi, kopi_id)
        if kopi is None or (part_id is not None and kopi.avtale.part_id != part_id):
            raise IkkeFunnet("Dokumentet finnes ikke.")
        navn = f"Samarbeidsavtale {kopi.avtale.part.navn} v{kopi.versjon_nummer} signert.pdf"
        sha, avtale_id, versjon = kopi.sha256, kopi.avtale_id, kopi.versjon_nummer
    if sha in kjente:
        return navn, None
    data = les_og_logg(tj, sha, avtale_id, bruker_id, fra, versjon=versjon, format="signert pdf")
    return navn, data


def kandidater(tj: Tjenester, avtale_id: int) -> dict[str, list[Bruker]]:
    """Hvem som kan velges som signerer: ansatte med skrivetilgang, og partens aktive brukere."""
    with tj.sesjoner() as s:
        avtale = AVTALE.apne(s, avtale_id, None, "", endre=False)
        return {
            "kommune": motor.aktive_brukere(s, Bruker.rolle.in_(SKRIVEROLLER)),
            "part": motor.aktive_brukere(
                s, Bruker.rolle == PARTNER, Bruker.part_id == avtale.part_id
            ),
        }
