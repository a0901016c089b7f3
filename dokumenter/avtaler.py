"""Brukstilfeller for samarbeidsavtaler: utkast, nye versjoner, status og ansvar."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter import formatering, sok
from dokumenter.brukere import SKRIVEROLLER
from dokumenter.livslop import KAN_ENDRES, STATUSER, bytt_status, logg
from dokumenter.maler import Mal
from dokumenter.models import (
    Ansvarsoverforing,
    Avtale,
    AvtaleVersjon,
    Bruker,
    Dokument,
    Hendelse,
    Malfil,
    Part,
    naa,
)
from dokumenter.parter import PARTSTYPER
from dokumenter.render import PartData, kontekst, render_docx
from dokumenter.sammenligning import (
    Feltendring,
    Sammenligning,
    avsnitt_fra_docx,
    feltendringer,
    sammenlign,
    sammenligning_docx,
)
from dokumenter.tjenester import Tjenester
from dokumenter.validering import Valideringsfeil, rens_tekst

MAL = "samarbeidsavtale"
T = TypeVar("T")

FORMATER = {
    "docx": (
        "produksjonsformat",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": ("arkivformat", "application/pdf"),
}


class Konflikt(Exception):
    """Avtalen er lagret av en annen siden skjemaet ble åpnet (optimistisk låsing)."""

    def __init__(self, apnet: int, gjeldende: int | None) -> None:
        self.apnet, self.gjeldende = apnet, gjeldende
        super().__init__(
            f"Avtalen er lagret av en annen (nå versjon {gjeldende}) etter at du åpnet "
            f"versjon {apnet}. Ingenting er overskrevet; se hva som er endret, og lagre igjen."
        )


class IkkeFunnet(Exception):
    pass


def part_data(part: Part) -> PartData:
    return PartData(
        navn=part.navn,
        type=part.type,
        type_navn=PARTSTYPER[part.type].i_tekst,
        orgnr=part.orgnr,
        adresse=part.adresse,
        kontaktpersoner=tuple(
            SimpleNamespace(navn=k.navn, rolle=k.rolle, epost=k.epost, telefon=k.telefon)
            for k in part.kontaktpersoner
        ),
    )


@dataclass(frozen=True)
class Produsert:
    variant: str
    mal: LagretFil
    filer: dict[str, LagretFil]  # format -> fil


def produser(
    tj: Tjenester, mal: Mal, part: Part, verdier: dict[str, Any]
) -> tuple[str, bytes, bytes, bytes]:
    """(variant, malfil, DOCX, PDF/A) for en part; ingenting lagres."""
    variant = mal.variant_for(part.type)
    malfil = mal.fil.read_bytes()
    ctx = kontekst(mal, part_data(part), verdier, variant, date.today())
    docx = render_docx(mal, ctx, malfil)
    return variant.navn, malfil, docx, tj.konverterer.til_pdfa(docx)


def registrer_mal(s: Session, mal: Mal, fil: LagretFil) -> None:
    if s.get(Malfil, fil.sha256) is None:
        s.add(
            Malfil(
                sha256=fil.sha256,
                navn=mal.navn,
                versjon=mal.versjon,
                manifest=mal.manifest_tekst,
                storrelse=fil.storrelse,
            )
        )
        s.flush()


def _ny_versjon(
    s: Session,
    avtale_id: int,
    fra_versjon: int,
    mal: Mal,
    verdier: dict,
    p: Produsert,
    bruker_id: int,
    grunn: str,
    fra: str,
) -> AvtaleVersjon:
    """Registrer versjon fra_versjon+1, men bare hvis ingen andre har lagret i mellomtiden."""
    nummer = fra_versjon + 1
    oppdatert = s.execute(
        update(Avtale)
        .where(Avtale.id == avtale_id, Avtale.gjeldende_versjon == fra_versjon)
        .values(gjeldende_versjon=nummer, endret_av_id=bruker_id, endret=naa())
        .execution_options(synchronize_session=False)
    )
    if oppdatert.rowcount != 1:
        naa_versjon = s.scalar(select(Avtale.gjeldende_versjon).where(Avtale.id == avtale_id))
        raise Konflikt(fra_versjon, naa_versjon)
    status = s.scalar(select(Avtale.status).where(Avtale.id == avtale_id))
    if fra_versjon and status not in KAN_ENDRES:
        raise Valideringsfeil(
            {
                "status": f"En avtale med status «{STATUSER[status]}» kan ikke endres. "
                + ("Sett den til «Til revisjon» først." if status == "inngaatt" else "")
            }
        )
    if status == "til_signering":  # endret innhold: signaturene gjelder ikke lenger
        avtale = s.get(Avtale, avtale_id)
        bytt_status(s, avtale, "utkast", bruker_id, fra, "Innholdet ble endret under signering.")
    registrer_mal(s, mal, p.mal)
    versjon = AvtaleVersjon(
        avtale_id=avtale_id,
        nummer=nummer,
        feltverdier=verdier,
        variant=p.variant,
        mal_versjon=mal.versjon,
        mal_sha256=p.mal.sha256,
        grunn=grunn,
        opprettet_av_id=bruker_id,
        dokumenter=[
            Dokument(format=fmt, variant=FORMATER[fmt][0], sha256=f.sha256, storrelse=f.storrelse)
            for fmt, f in p.filer.items()
        ],
    )
    s.add(versjon)
    s.flush()
    logg(s, avtale_id, "ny_versjon", bruker_id, fra, versjon=nummer, grunn=grunn)
    logg(
        s,
        avtale_id,
        "generert",
        bruker_id,
        fra,
        versjon=nummer,
        dokumenter={fmt: f.sha256 for fmt, f in p.filer.items()},
        mal=p.mal.sha256,
    )
    return versjon


def _grunn(grunn: str) -> str:
    tekst = rens_tekst(grunn)
    if len(tekst) > 500:
        raise Valideringsfeil({"grunn": "Begrunnelsen kan ha høyst 500 tegn."})
    return tekst


def _produser_og_registrer(
    tj: Tjenester,
    mal: Mal,
    part: Part,
    verdier: dict[str, Any],
    registrer: Callable[[Session, Produsert], T],
) -> T:
    """Lag dokumentene og arkiver dem krasjsikkert sammen med registreringen."""
    variant, malfil, docx, pdf = produser(tj, mal, part, verdier)
    return tj.arkiver(
        [malfil, docx, pdf],
        lambda s, f: registrer(s, Produsert(variant, f[0], {"docx": f[1], "pdf": f[2]})),
    )


def opprett_utkast(
    tj: Tjenester,
    part_id: int,
    verdier: dict[str, Any],
    bruker_id: int,
    grunn: str = "",
    fra: str = "",
) -> Avtale:
    """Lag et nytt utkast fra mønsteravtalen for en part, med versjon 1 og begge dokumentene."""
    mal = tj.mal(MAL)
    rene = mal.valider(verdier)
    grunn = _grunn(grunn) or "Første utkast fra mønsteravtalen"
    with tj.sesjoner() as s:
        part = s.get(Part, part_id, options=[selectinload(Part.kontaktpersoner)])
        if part is None:
            raise IkkeFunnet("Parten finnes ikke.")

    def registrer(s: Session, produsert: Produsert) -> Avtale:
        avtale = Avtale(
            part_id=part_id,
            mal_navn=MAL,
            status="utkast",
            ansvarlig_id=bruker_id,
            opprettet_av_id=bruker_id,
            endret_av_id=bruker_id,
        )
        s.add(avtale)
        s.flush()
        s.add(Ansvarsoverforing(avtale=avtale, til_id=bruker_id, utfort_av_id=bruker_id))
        logg(s, avtale.id, "opprettet", bruker_id, fra, part=part.navn)
        _ny_versjon(s, avtale.id, 0, mal, rene, produsert, bruker_id, grunn, fra)
        return avtale

    avtale = _produser_og_registrer(tj, mal, part, rene, registrer)
    sok.oppdater_avtale(tj, avtale.id)
    return avtale


def lagre_versjon(
    tj: Tjenester,
    avtale_id: int,
    verdier: dict[str, Any],
    bruker_id: int,
    grunn: str = "",
    forventet_versjon: int | None = None,
    fra: str = "",
) -> AvtaleVersjon:
    """Lagre endret innhold som en ny versjon; nekter hvis en annen har lagret i mellomtiden."""
    mal = tj.mal(MAL)
    rene = mal.valider(verdier)
    grunn = _grunn(grunn)
    with tj.sesjoner() as s:
        avtale = s.get(
            Avtale,
            avtale_id,
            options=[selectinload(Avtale.part).selectinload(Part.kontaktpersoner)],
        )
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        fra_versjon = avtale.gjeldende_versjon if forventet_versjon is None else forventet_versjon
        if avtale.gjeldende_versjon != fra_versjon:
            raise Konflikt(fra_versjon, avtale.gjeldende_versjon)
    versjon = _produser_og_registrer(
        tj,
        mal,
        avtale.part,
        rene,
        lambda s, produsert: _ny_versjon(
            s, avtale_id, fra_versjon, mal, rene, produsert, bruker_id, grunn, fra
        ),
    )
    sok.oppdater_avtale(tj, avtale_id)
    return versjon


def sett_status(
    tj: Tjenester,
    avtale_id: int,
    status: str,
    bruker_id: int,
    begrunnelse: str = "",
    fra: str = "",
    avsluttet_dato: date | None = None,
) -> Avtale:
    """Flytt avtalen ett steg i livsløpet (se `livslop.OVERGANGER`); ulovlige steg nektes."""
    begrunnelse = rens_tekst(begrunnelse, flerlinjet=True)
    if len(begrunnelse) > 2000:
        raise Valideringsfeil({"begrunnelse": "Begrunnelsen kan ha høyst 2000 tegn."})
    with tj.transaksjon() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        bytt_status(s, avtale, status, bruker_id, fra, begrunnelse, avsluttet_dato=avsluttet_dato)
    sok.oppdater_avtale(tj, avtale_id)
    return avtale


def overfor_ansvar(
    tj: Tjenester,
    avtale_id: int,
    til_bruker_id: int,
    bruker_id: int,
    merknad: str = "",
    fra: str = "",
) -> Avtale:
    merknad = rens_tekst(merknad)
    if len(merknad) > 500:
        raise Valideringsfeil({"merknad": "Merknaden kan ha høyst 500 tegn."})
    with tj.transaksjon() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        til = s.get(Bruker, til_bruker_id) if til_bruker_id else None
        if til is None or not til.aktiv or til.rolle not in SKRIVEROLLER:
            raise Valideringsfeil({"til": "Velg en aktiv saksbehandler eller administrator."})
        if til.id == avtale.ansvarlig_id:
            raise Valideringsfeil({"til": f"{til.navn} er allerede ansvarlig."})
        s.add(
            Ansvarsoverforing(
                avtale=avtale,
                fra_id=avtale.ansvarlig_id,
                til_id=til.id,
                merknad=merknad,
                utfort_av_id=bruker_id,
            )
        )
        logg(
            s,
            avtale_id,
            "ansvar_overfort",
            bruker_id,
            fra,
            fra_bruker=avtale.ansvarlig_id,
            til_bruker=til.id,
            merknad=merknad,
        )
        avtale.ansvarlig_id = til.id
        avtale.endret_av_id = bruker_id
        avtale.endret = naa()
    sok.oppdater_avtale(tj, avtale_id)
    return avtale


def les_dokument(
    tj: Tjenester, dokument_id: int, bruker_id: int | None = None, fra: str = ""
) -> tuple[Dokument, str, bytes]:
    """Dokumentet, et filnavn å laste ned under, og innholdet (sjekket mot SHA-256).

    Med bruker_id registreres nedlastingen i revisjonsloggen.
    """
    with tj.sesjoner() as s:
        dok = s.get(Dokument, dokument_id)
        if dok is None:
            raise IkkeFunnet("Dokumentet finnes ikke.")
        versjon = dok.versjon
        avtale_id = versjon.avtale_id
        filnavn = f"Samarbeidsavtale {versjon.avtale.part.navn} v{versjon.nummer}.{dok.format}"
        s.expunge_all()
    if bruker_id is None:
        return dok, filnavn, tj.lager.les(dok.sha256)
    data = les_og_logg(
        tj, dok.sha256, avtale_id, bruker_id, fra, versjon=versjon.nummer, format=dok.format
    )
    return dok, filnavn, data


def les_og_logg(
    tj: Tjenester, sha256: str, avtale_id: int, bruker_id: int, fra: str, **detaljer: Any
) -> bytes:
    """Les en fil fra arkivet (sjekket mot SHA-256) og logg nedlastingen på avtalen."""
    data = tj.lager.les(sha256)
    with tj.transaksjon() as s:
        logg(s, avtale_id, "lastet_ned", bruker_id, fra, **detaljer, sha256=sha256)
    return data


def forhandsvisning(tj: Tjenester, sha256: str) -> list[tuple[str, str]]:
    """Avsnittene i en lagret DOCX som (stil, tekst), for visning i nettsiden."""
    return avsnitt_fra_docx(tj.lager.les(sha256))


@dataclass(frozen=True)
class Versjonssammenligning:
    avtale_id: int
    part: str
    fra: AvtaleVersjon
    til: AvtaleVersjon
    tekst: Sammenligning
    felt: list[Feltendring]

    @property
    def tittel(self) -> str:
        return f"Samarbeidsavtale med {self.part}: endringer"

    @property
    def undertittel(self) -> str:
        def om(v: AvtaleVersjon) -> str:
            return (
                f"versjon {v.nummer} ({formatering.tidspunkt(v.opprettet)}, {v.opprettet_av.navn})"
            )

        tekst = f"{om(self.til)} sammenlignet med {om(self.fra)}"
        return tekst[:1].upper() + tekst[1:]


def sammenlign_versjoner(
    tj: Tjenester, avtale_id: int, fra_nummer: int, til_nummer: int
) -> Versjonssammenligning:
    """Redline og feltendringer mellom to versjoner av samme avtale."""
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        versjoner = {
            v.nummer: v
            for v in s.scalars(
                select(AvtaleVersjon)
                .where(
                    AvtaleVersjon.avtale_id == avtale_id,
                    AvtaleVersjon.nummer.in_([fra_nummer, til_nummer]),
                )
                .options(
                    selectinload(AvtaleVersjon.dokumenter),
                    selectinload(AvtaleVersjon.opprettet_av),
                )
            )
        }
        if fra_nummer not in versjoner or til_nummer not in versjoner:
            raise IkkeFunnet("Versjonen finnes ikke.")
        part = avtale.part.navn
    fra, til = versjoner[fra_nummer], versjoner[til_nummer]
    tekst = sammenlign(
        avsnitt_fra_docx(tj.lager.les(fra.dokument("docx").sha256)),
        avsnitt_fra_docx(tj.lager.les(til.dokument("docx").sha256)),
    )
    etiketter = {f.navn: f.etikett for f in tj.mal(MAL).felt}
    return Versjonssammenligning(
        avtale_id, part, fra, til, tekst, feltendringer(fra.feltverdier, til.feltverdier, etiketter)
    )


def sammenligning_som_docx(v: Versjonssammenligning) -> bytes:
    return sammenligning_docx(v.tekst, v.tittel, v.undertittel, v.felt)


@dataclass
class Batchrapport:
    ok: list[str] = field(default_factory=list)
    feil: list[tuple[str, str]] = field(default_factory=list)
    hoppet_over: list[tuple[str, str]] = field(default_factory=list)  # (part, grunn)


def generer_alle(
    tj: Tjenester,
    partstype: str,
    bruker_id: int,
    ekstra: dict[str, Any] | None = None,
    fremdrift: Callable[[str], None] | None = None,
    fra: str = "",
) -> Batchrapport:
    """Lag utkast (eller ny versjon) for hver part av en type; én feil stopper ikke resten."""
    if partstype not in PARTSTYPER:
        raise Valideringsfeil({"type": f"Ukjent partstype «{partstype}»."})
    mal = tj.mal(MAL)
    rapport = Batchrapport()
    with tj.sesjoner() as s:
        parter = []
        for p in s.scalars(select(Part).where(Part.type == partstype).order_by(Part.navn)):
            aktiv = _aktiv_avtale(p)
            if aktiv is not None and aktiv[2] not in KAN_ENDRES:
                grunn = f"avtalen er «{STATUSER[aktiv[2]]}»; sett den til revisjon for å endre"
                rapport.hoppet_over.append((p.navn, grunn))
            else:
                parter.append((p.id, p.navn, aktiv))
    standard = {**mal.standardverdier(), **(ekstra or {})}
    feltnavn = {f.navn for f in mal.felt}

    def en_part(part_id: int, navn: str, avtale: tuple[int, dict, str] | None) -> str | None:
        try:
            if avtale is None:
                opprett_utkast(tj, part_id, standard, bruker_id, fra=fra)
            else:
                verdier = {k: v for k, v in {**standard, **avtale[1]}.items() if k in feltnavn}
                lagre_versjon(
                    tj,
                    avtale[0],
                    verdier,
                    bruker_id,
                    "Regenerert fra gjeldende mønsteravtale",
                    fra=fra,
                )
        except Valideringsfeil as e:
            return "; ".join(e.feil.values())
        except Exception as e:  # noqa: BLE001 - én part skal aldri stoppe resten
            return str(e) or type(e).__name__
        return None

    if fremdrift:
        for navn, _ in rapport.hoppet_over:
            fremdrift(navn)
    # Like mange tråder som konvertereren har LibreOffice-prosesser (en pool gir parallellitet).
    with ThreadPoolExecutor(max_workers=getattr(tj.konverterer, "antall", 1)) as utforer:
        for (_, navn, _), melding in zip(
            parter, utforer.map(lambda p: en_part(*p), parter), strict=True
        ):
            if melding is None:
                rapport.ok.append(navn)
            else:
                rapport.feil.append((navn, melding))
            if fremdrift:
                fremdrift(navn)
    return rapport


def _aktiv_avtale(part: Part) -> tuple[int, dict, str] | None:
    """(id, feltverdier, status) for partens nyeste avtale som ikke er avsluttet."""
    aktive = [a for a in part.avtaler if a.status != "avsluttet"]
    if not aktive:
        return None
    siste = aktive[-1]
    verdier = dict(siste.siste_versjon.feltverdier if siste.siste_versjon else {})
    return siste.id, verdier, siste.status


HENDELSESTYPER = {
    "opprettet": "Opprettet",
    "ny_versjon": "Ny versjon",
    "generert": "Dokumenter laget",
    "lastet_ned": "Lastet ned",
    "status_endret": "Status endret",
    "ansvar_overfort": "Ansvar overført",
    "signering_startet": "Sendt til signering",
    "kode_sendt": "Engangskode sendt",
    "signert": "Signert",
    "signering_avvist": "Signering avslått",
    "signering_trukket": "Signeringsrunde trukket",
    "signert_kopi": "Signert kopi",
    "kommentar": "Kommentar fra parten",
    "avvik_meldt": "Avvik meldt",
    "avvik_sendt": "Avvik sendt",
    "avvik_besvart": "Avvik besvart",
    "avvik_lukket": "Avvik lukket",
    "evaluert": "Evaluert",
}


def beskriv_hendelse(h: Hendelse, brukernavn: dict[int, str]) -> str:
    """En kort norsk tekst om hva som skjedde, til revisjonsloggen i nettsiden."""
    d = h.detaljer or {}
    if h.type == "opprettet":
        return f"Utkast for {d.get('part', '')}"
    if h.type == "ny_versjon":
        return f"Versjon {d.get('versjon')}" + (f": {d['grunn']}" if d.get("grunn") else "")
    if h.type == "generert":
        filer = ", ".join(
            f"{fmt.upper()} {sha[:12]}…" for fmt, sha in d.get("dokumenter", {}).items()
        )
        return f"Versjon {d.get('versjon')}: {filer}"
    if h.type == "lastet_ned":
        return f"{str(d.get('format', '')).upper()} av versjon {d.get('versjon')}"
    if h.type == "status_endret":
        tekst = (
            f"{STATUSER.get(d.get('fra_status'), '?')} → {STATUSER.get(d.get('til_status'), '?')}"
        )
        return tekst + (f" ({d['begrunnelse']})" if d.get("begrunnelse") else "")
    if h.type in ("signering_startet", "signert"):
        return f"Versjon {d.get('versjon')}, SHA-256 {str(d.get('sha256', ''))[:12]}…" + (
            f", IP {d['ip']}" if d.get("ip") else ""
        )
    if h.type in ("signering_avvist", "signering_trukket"):
        return str(d.get("grunn", ""))
    if h.type == "signert_kopi":
        art = "forseglet" if d.get("type") == "forseglet" else "skannet"
        return f"Versjon {d.get('versjon')}, {art}, SHA-256 {str(d.get('sha256', ''))[:12]}…"
    if h.type == "kommentar":
        return f"Til versjon {d.get('versjon')}"
    if h.type.startswith("avvik_"):
        return f"Avvik {d.get('avvik', '')}" + (
            f", skjema {d['skjema']}" if d.get("skjema") else ""
        )
    if h.type == "evaluert":
        return f"Beslutning: {d.get('beslutning', '')}"
    if h.type == "ansvar_overfort":
        tekst = (
            f"Fra {brukernavn.get(d.get('fra_bruker'), '?')} "
            f"til {brukernavn.get(d.get('til_bruker'), '?')}"
        )
        return tekst + (f" ({d['merknad']})" if d.get("merknad") else "")
    return ""
