"""Avvik: brudd på en signert avtale, meldt av den ene parten og besvart av den andre.

Livsløpet er aapen → sendt → besvart → lukket. Ved sending, svar og lukking lages
avviksskjemaet på nytt (DOCX og PDF/A fra `maler/avviksskjema`) og arkiveres; e-post går
til den andre parten etter commit. En personreferanse er valgfri og behandles som
personopplysning: den står aldri i skjemaet, i søket eller i e-post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter import formatering, frister, sok
from dokumenter.avtaler import IkkeFunnet, les_og_logg, part_data
from dokumenter.brukere import PARTNER, SKRIVEROLLER, som_utc
from dokumenter.epost import Epost
from dokumenter.livslop import logg
from dokumenter.models import Avtale, Avvik, Avviksskjema, Bruker, naa
from dokumenter.render import kontekst, render_docx
from dokumenter.tjenester import Tjenester
from dokumenter.validering import Valideringsfeil, les_dato, rens_tekst

MAL = "avviksskjema"
STATUSER = {"aapen": "Åpen", "sendt": "Sendt", "besvart": "Besvart", "lukket": "Lukket"}
KATEGORIER = {
    "varsling": "Varsling før løslatelse eller utskrivning",
    "bolig": "Bolig og botilbud",
    "oppfolging": "Oppfølging og tjenester",
    "informasjon": "Informasjonsutveksling og samtykke",
    "kontakt": "Kontaktpersoner og møter",
    "annet": "Annet",
}
KAN_MELDE_AVVIK = ("inngaatt", "til_revisjon")  # avvik gjelder en signert avtale
STANDARD_SVARFRIST_DAGER = 28
PAMINNELSE_DAGER = 7
MAKS_TEKST = 5000
_FODSELSNUMMER = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")


@dataclass(frozen=True)
class Melder:
    """Den som handler: en ansatt (side «kommune») eller en partnerbruker (side «part»)."""

    id: int
    rolle: str
    part_id: int | None = None

    @property
    def side(self) -> str:
        return "part" if self.rolle == PARTNER else "kommune"


def advarsler(tekst: str) -> list[str]:
    """Hint om personopplysninger i fritekst (vises ved feltet; stopper ikke lagringen)."""
    funn = []
    if re.search(r"\b[A-ZÆØÅ][a-zæøå]+ [A-ZÆØÅ][a-zæøå]+\b", tekst):
        funn.append(
            "Teksten ser ut til å inneholde et navn. Skriv om personen uten å navngi hen, "
            "med mindre det er nødvendig."
        )
    return funn


def _rens(data: dict[str, Any]) -> dict[str, Any]:
    feil: dict[str, str] = {}
    ut: dict[str, Any] = {}
    for felt, flerlinjet, maks, pakrevd in (
        ("paragraf", False, 100, True),
        ("hva_skjedde", True, MAKS_TEKST, True),
        ("konsekvens", True, MAKS_TEKST, False),
        ("strakstiltak", True, MAKS_TEKST, False),
        ("person_ref", False, 200, False),
    ):
        verdi = rens_tekst(str(data.get(felt) or ""), flerlinjet=flerlinjet)
        if pakrevd and not verdi:
            feil[felt] = "Må fylles ut."
        elif len(verdi) > maks:
            feil[felt] = f"Kan ha høyst {maks} tegn."
        ut[felt] = verdi
    for felt in ("hva_skjedde", "konsekvens", "strakstiltak"):
        if _FODSELSNUMMER.search(ut.get(felt, "")):
            feil[felt] = (
                "Teksten ser ut til å inneholde et fødselsnummer. Personopplysninger skal "
                "ikke stå i avviket; bruk feltet for personreferanse hvis det trengs."
            )
    kategori = str(data.get("kategori") or "")
    if kategori not in KATEGORIER:
        feil["kategori"] = "Velg en kategori."
    ut["kategori"] = kategori
    try:
        dato = les_dato(data.get("hendelsesdato"))
    except (ValueError, TypeError):
        dato = None
    if dato is None:
        feil["hendelsesdato"] = "Skriv datoen for hendelsen (dd.mm.åååå)."
    elif dato > date.today():
        feil["hendelsesdato"] = "Datoen kan ikke være fram i tid."
    ut["hendelsesdato"] = dato
    if feil:
        raise Valideringsfeil(feil)
    return ut


def _hent(s: Session, avvik_id: int, melder: Melder) -> Avvik:
    """Avviket, om brukeren får se det (partnere bare egne avtalers; ellers IkkeFunnet)."""
    avvik = s.get(Avvik, avvik_id, options=[selectinload(Avvik.avtale).selectinload(Avtale.part)])
    if avvik is None or (melder.side == "part" and avvik.avtale.part_id != melder.part_id):
        raise IkkeFunnet("Avviket finnes ikke.")
    return avvik


def _kan_skrive(melder: Melder) -> None:
    if melder.side == "kommune" and melder.rolle not in SKRIVEROLLER:
        raise Valideringsfeil({"avvik": "Du har bare lesetilgang."})


def registrer(
    tj: Tjenester, avtale_id: int, data: dict[str, Any], melder: Melder, fra: str = ""
) -> Avvik:
    """Meld et avvik mot en signert avtale (status «åpen»; sendes med `send`)."""
    _kan_skrive(melder)
    rene = _rens(data)
    with tj.transaksjon() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None or (melder.side == "part" and avtale.part_id != melder.part_id):
            raise IkkeFunnet("Avtalen finnes ikke.")
        if avtale.status not in KAN_MELDE_AVVIK:
            raise Valideringsfeil({"avvik": "Avvik kan bare meldes mot en inngått avtale."})
        aar = date.today().year
        antall = s.scalar(
            select(func.count()).select_from(Avvik).where(Avvik.nummer.like(f"{aar}-%"))
        )
        avvik = Avvik(
            avtale_id=avtale_id,
            nummer=f"{aar}-{(antall or 0) + 1:03d}",
            meldt_av_side=melder.side,
            meldt_av_id=melder.id,
            status="aapen",
            svar_forklaring="",
            svar_tiltak="",
            lukket_merknad="",
            **rene,
        )
        s.add(avvik)
        s.flush()
        logg(s, avtale_id, "avvik_meldt", melder.id, fra, avvik=avvik.nummer, side=melder.side)
    sok.oppdater_avvik(tj, avvik.id)
    return avvik


def send(
    tj: Tjenester, avvik_id: int, melder: Melder, nettadresse: str, fra: str = ""
) -> list[str]:
    """Lag avviksskjemaet, sett svarfrist og send det til den andre partens kontaktpersoner."""
    _kan_skrive(melder)
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        if avvik.status != "aapen":
            raise Valideringsfeil({"avvik": "Avviket er allerede sendt."})
        if avvik.meldt_av_side != melder.side:
            raise Valideringsfeil({"avvik": "Bare den som meldte avviket, kan sende det."})
        dager = _svarfrist_dager(avvik.avtale)
    frist = frister.svarfrist(date.today(), dager)
    _nytt_skjema(tj, avvik_id, "sendt", melder.id, fra, svarfrist=frist, sendt=naa())
    return _varsle(tj, avvik_id, nettadresse, til_mottaker=True)


def besvar(
    tj: Tjenester,
    avvik_id: int,
    forklaring: str,
    tiltak: str,
    melder: Melder,
    nettadresse: str,
    fra: str = "",
) -> list[str]:
    """Mottakeren svarer (forklaring og tiltak); svaret blir en del av skjemaet."""
    _kan_skrive(melder)
    forklaring = rens_tekst(forklaring, flerlinjet=True)
    tiltak = rens_tekst(tiltak, flerlinjet=True)
    if not forklaring:
        raise Valideringsfeil({"forklaring": "Skriv en forklaring."})
    for felt, verdi in (("forklaring", forklaring), ("tiltak", tiltak)):
        if len(verdi) > MAKS_TEKST:
            raise Valideringsfeil({felt: f"Kan ha høyst {MAKS_TEKST} tegn."})
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        if avvik.status != "sendt":
            raise Valideringsfeil({"avvik": "Avviket venter ikke på svar."})
        if avvik.meldt_av_side == melder.side:
            raise Valideringsfeil({"avvik": "Svaret skal komme fra den andre parten."})
    _nytt_skjema(
        tj,
        avvik_id,
        "besvart",
        melder.id,
        fra,
        svar_forklaring=forklaring,
        svar_tiltak=tiltak,
        besvart_av_id=melder.id,
        besvart=naa(),
    )
    return _varsle(tj, avvik_id, nettadresse, til_mottaker=False)


def lukk(tj: Tjenester, avvik_id: int, merknad: str, melder: Melder, fra: str = "") -> None:
    """Kommunen lukker avviket med en merknad (etter svar, eller uten svar etter fristen)."""
    if melder.side != "kommune":
        raise Valideringsfeil({"avvik": "Bare kommunen lukker avvik."})
    _kan_skrive(melder)
    merknad = rens_tekst(merknad, flerlinjet=True)
    if not merknad:
        raise Valideringsfeil({"merknad": "Skriv en merknad om hvordan avviket er fulgt opp."})
    if len(merknad) > MAKS_TEKST:
        raise Valideringsfeil({"merknad": f"Kan ha høyst {MAKS_TEKST} tegn."})
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        if avvik.status not in ("sendt", "besvart"):
            raise Valideringsfeil({"avvik": "Bare sendte eller besvarte avvik kan lukkes."})
        if avvik.status == "sendt" and avvik.svarfrist and avvik.svarfrist >= date.today():
            raise Valideringsfeil({"avvik": "Vent på svar til svarfristen er ute."})
    _nytt_skjema(
        tj,
        avvik_id,
        "lukket",
        melder.id,
        fra,
        lukket=naa(),
        lukket_merknad=merknad,
        lukket_av_id=melder.id,
    )


# --- Skjemaet -------------------------------------------------------------------------------


def _svarfrist_dager(avtale: Avtale) -> int:
    verdier = avtale.siste_versjon.feltverdier if avtale.siste_versjon else {}
    try:
        return int(verdier.get("avvik_svarfrist_dager") or STANDARD_SVARFRIST_DAGER)
    except (TypeError, ValueError):
        return STANDARD_SVARFRIST_DAGER


def _nytt_skjema(
    tj: Tjenester, avvik_id: int, anledning: str, bruker_id: int, fra: str, **endringer: Any
) -> None:
    """Sett endringene, lag skjemaet for den nye tilstanden og lagre alt krasjsikkert:
    filene i ventemappen, én transaksjon, så inn i lageret."""
    mal = tj.mal(MAL)
    with tj.sesjoner() as s, s.no_autoflush:
        avvik = s.get(
            Avvik, avvik_id, options=[selectinload(Avvik.avtale).selectinload(Avtale.part)]
        )
        # Skjemaet viser den nye tilstanden; endringene skrives først i transaksjonen under.
        for navn, verdi in endringer.items():
            setattr(avvik, navn, verdi)
        verdier = _skjemaverdier(s, avvik)
        part, partstype = part_data(avvik.avtale.part), avvik.avtale.part.type
        s.rollback()
    ctx = kontekst(mal, part, mal.valider(verdier), mal.variant_for(partstype), date.today())
    docx = render_docx(mal, ctx)
    pdf = tj.konverterer.til_pdfa(docx)

    def registrer(s: Session, filer: list[LagretFil]) -> None:
        docx_fil, pdf_fil = filer
        avvik = s.get(Avvik, avvik_id)
        if avvik.status == anledning:  # en annen rakk det samme først
            raise Valideringsfeil({"avvik": "Avviket er endret av en annen; last siden på nytt."})
        for navn, verdi in endringer.items():
            setattr(avvik, navn, verdi)
        avvik.status = anledning
        nummer = len(avvik.skjemaer) + 1
        s.add(
            Avviksskjema(
                avvik_id=avvik_id,
                nummer=nummer,
                anledning=anledning,
                docx_sha256=docx_fil.sha256,
                docx_storrelse=docx_fil.storrelse,
                pdf_sha256=pdf_fil.sha256,
                pdf_storrelse=pdf_fil.storrelse,
            )
        )
        logg(
            s,
            avvik.avtale_id,
            f"avvik_{anledning}",
            bruker_id,
            fra,
            avvik=avvik.nummer,
            skjema=nummer,
            pdf=pdf_fil.sha256,
        )

    tj.arkiver([docx, pdf], registrer)
    sok.oppdater_avvik(tj, avvik_id)


def _skjemaverdier(s: Session, avvik: Avvik) -> dict[str, Any]:
    avtale, part = avvik.avtale, avvik.avtale.part
    melder = s.get(Bruker, avvik.meldt_av_id)
    svarer = s.get(Bruker, avvik.besvart_av_id) if avvik.besvart_av_id else None
    versjon = avtale.siste_versjon
    return {
        "kommune_navn": (versjon.feltverdier.get("kommune_navn") if versjon else "") or "Kommunen",
        "part_navn": part.navn,
        "avtale_versjon": avtale.gjeldende_versjon,
        "avtale_dato": (som_utc(versjon.opprettet).date() if versjon else date.today()).isoformat(),
        "avviksnummer": avvik.nummer,
        "paragraf": avvik.paragraf,
        "kategori": KATEGORIER.get(avvik.kategori, avvik.kategori),
        "hendelsesdato": avvik.hendelsesdato.isoformat(),
        "hva_skjedde": avvik.hva_skjedde,
        "konsekvens": avvik.konsekvens,
        "strakstiltak": avvik.strakstiltak,
        "meldt_av_navn": melder.navn,
        "meldt_av_rolle": "Kontaktperson" if melder.rolle == PARTNER else "Saksbehandler",
        "meldt_av_institusjon": part.navn if avvik.meldt_av_side == "part" else "Kommunen",
        "meldt_dato": som_utc(avvik.meldt).date().isoformat(),
        "svarfrist": avvik.svarfrist.isoformat() if avvik.svarfrist else "",
        "mottaker": "kommunen" if avvik.meldt_av_side == "part" else part.navn,
        "svar": "ja" if avvik.besvart else "",
        "svar_forklaring": avvik.svar_forklaring,
        "svar_tiltak": avvik.svar_tiltak,
        "svar_av": svarer.navn if svarer else "",
        "svar_dato": som_utc(avvik.besvart).date().isoformat() if avvik.besvart else "",
        "lukket_dato": som_utc(avvik.lukket).date().isoformat() if avvik.lukket else "",
        "lukket_merknad": avvik.lukket_merknad,
    }


# --- Varsler og frister -----------------------------------------------------------------


def _mottakere(s: Session, avvik: Avvik, mottakersiden: bool) -> list[str]:
    side = avvik.meldt_av_side
    til_part = (side == "kommune") == mottakersiden
    if til_part:
        brukere = s.scalars(
            select(Bruker.epost).where(
                Bruker.rolle == PARTNER, Bruker.part_id == avvik.avtale.part_id, Bruker.aktiv
            )
        ).all()
        kontakter = [k.epost for k in avvik.avtale.part.kontaktpersoner]
        return sorted({e.lower() for e in [*brukere, *kontakter] if e})
    return [avvik.avtale.ansvarlig.epost] if avvik.avtale.ansvarlig.epost else []


def _varsle(
    tj: Tjenester, avvik_id: int, nettadresse: str, til_mottaker: bool, paminnelse: bool = False
) -> list[str]:
    with tj.sesjoner() as s:
        avvik = s.get(Avvik, avvik_id)
        mottakere = _mottakere(s, avvik, til_mottaker)
        part, nummer, status = avvik.avtale.part.navn, avvik.nummer, avvik.status
        frist = formatering.dato_lang(avvik.svarfrist) if avvik.svarfrist else ""
        til_part = (avvik.meldt_av_side == "kommune") == til_mottaker
    sti = "/portal/avvik" if til_part else "/avvik"
    lenke = f"{nettadresse.rstrip('/')}{sti}/{avvik_id}"
    if status == "sendt":
        emne = ("Påminnelse: " if paminnelse else "") + f"Avvik {nummer} – svar innen {frist}"
        tekst = (
            f"Det er meldt et avvik fra samarbeidsavtalen med {part} (avvik {nummer}). "
            f"Avviksskjemaet ligger her, og svaret (forklaring og tiltak) gis samme sted "
            f"innen {frist}:\n{lenke}\n"
        )
    else:
        tilstand = STATUSER[status].lower()
        emne = f"Avvik {nummer} er {tilstand}"
        tekst = f"Avvik {nummer} i samarbeidsavtalen med {part} er {tilstand}:\n{lenke}\n"
    if not mottakere:
        return [f"Ingen mottakere med e-post for avvik {nummer}."]
    feil = [f for til in mottakere if (f := tj.send_epost(Epost(til=til, emne=emne, tekst=tekst)))]
    return feil


def forfalte(tj: Tjenester, idag: date | None = None) -> list[Avvik]:
    """Sendte avvik der svarfristen er ute, eldste frist først."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        return list(
            s.scalars(
                select(Avvik)
                .where(Avvik.status == "sendt", Avvik.svarfrist < idag)
                .options(selectinload(Avvik.avtale).selectinload(Avtale.part))
                .order_by(Avvik.svarfrist)
            )
        )


def send_paminnelser(
    tj: Tjenester, nettadresse: str, idag: date | None = None
) -> tuple[int, list[str]]:
    """Påminn mottakeren om forfalte avvik, høyst hver `PAMINNELSE_DAGER`. (antall, feil)."""
    feil: list[str] = []
    antall = 0
    for avvik in forfalte(tj, idag):
        sist = avvik.sist_paminnet
        if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINNELSE_DAGER):
            continue
        with tj.transaksjon() as s:
            s.get(Avvik, avvik.id).sist_paminnet = naa()
        feil += _varsle(tj, avvik.id, nettadresse, til_mottaker=True, paminnelse=True)
        antall += 1
    return antall, feil


# --- Oppslag -------------------------------------------------------------------------------


def for_avtale(tj: Tjenester, avtale_id: int, melder: Melder) -> list[Avvik]:
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None or (melder.side == "part" and avtale.part_id != melder.part_id):
            raise IkkeFunnet("Avtalen finnes ikke.")
        rader = s.scalars(
            select(Avvik).where(Avvik.avtale_id == avtale_id).order_by(Avvik.id.desc())
        ).all()
        s.expunge_all()  # personreferansen blankes på frakoblede objekter, aldri i basen
        return [_skjul_person(a, melder) for a in rader]


def hent(tj: Tjenester, avvik_id: int, melder: Melder) -> Avvik:
    with tj.sesjoner() as s:
        avvik = _hent(s, avvik_id, melder)
        _ = avvik.skjemaer, avvik.meldt_av, avvik.besvart_av, avvik.avtale.part
        s.expunge_all()
        return _skjul_person(avvik, melder)


def _skjul_person(avvik: Avvik, melder: Melder) -> Avvik:
    """Personreferansen vises bare for ansatte med skrivetilgang."""
    if melder.side == "part" or melder.rolle not in SKRIVEROLLER:
        avvik.person_ref = ""
    return avvik


def les_skjema(
    tj: Tjenester, skjema_id: int, format: str, melder: Melder, fra: str = ""
) -> tuple[str, bytes]:
    """(filnavn, innhold) for et avviksskjema; partnere bare for egne avtaler."""
    if format not in ("pdf", "docx"):
        raise IkkeFunnet("Ukjent format.")
    with tj.sesjoner() as s:
        skjema = s.get(Avviksskjema, skjema_id)
        if skjema is None:
            raise IkkeFunnet("Skjemaet finnes ikke.")
        avvik = _hent(s, skjema.avvik_id, melder)
        sha = skjema.pdf_sha256 if format == "pdf" else skjema.docx_sha256
        navn = f"Avviksskjema {avvik.nummer} ({skjema.anledning}).{format}"
        avtale_id, nummer = avvik.avtale_id, avvik.nummer
    detaljer = {"format": f"avviksskjema {format}", "avvik": nummer}
    return navn, les_og_logg(tj, sha, avtale_id, melder.id, fra, **detaljer)


def statistikk(tj: Tjenester, avtale_id: int | None, fra: date, til: date) -> dict[str, Any]:
    """Avvik i perioden (hendelsesdato), talt per paragraf, kategori, kvartal og part."""
    with tj.sesjoner() as s:
        q = select(Avvik).where(Avvik.hendelsesdato >= fra, Avvik.hendelsesdato <= til)
        if avtale_id is not None:
            q = q.where(Avvik.avtale_id == avtale_id)
        rader = s.scalars(q.options(selectinload(Avvik.avtale).selectinload(Avtale.part))).all()
        per: dict[str, dict[str, int]] = {"paragraf": {}, "kategori": {}, "kvartal": {}, "part": {}}
        for a in rader:
            for nokkel, verdi in (
                ("paragraf", a.paragraf),
                ("kategori", a.kategori),
                ("kvartal", f"{a.hendelsesdato.year} K{(a.hendelsesdato.month - 1) // 3 + 1}"),
                ("part", a.avtale.part.navn),
            ):
                per[nokkel][verdi] = per[nokkel].get(verdi, 0) + 1
        liste = [(a.nummer, a.hendelsesdato, a.paragraf, a.kategori, a.status) for a in rader]
        return {
            "antall": len(rader),
            **{k: dict(sorted(v.items())) for k, v in per.items()},
            "liste": liste,
        }
