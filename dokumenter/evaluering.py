"""Den årlige evalueringen: frister, møteinnkalling (.ics), evalueringsskjemaet med avvikene
i perioden, beslutningen (videreføres, revideres, sies opp) og rapporten i arkivet.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from arkiv.lager import LagretFil
from dokumenter import avtaler, avvik, diagram, formatering, frister, kalender, sok
from dokumenter.avtaler import IkkeFunnet, les_og_logg, part_data
from dokumenter.brukere import PARTNER, som_utc
from dokumenter.epost import Epost
from dokumenter.livslop import bytt_status, logg
from dokumenter.models import Avtale, Bruker, Evaluering, SignertKopi, naa
from dokumenter.render import kontekst, render_docx
from dokumenter.tjenester import Tjenester
from dokumenter.validering import Valideringsfeil, les_dato, rens_tekst

logger = logging.getLogger(__name__)

MAL = "evalueringsrapport"
BESLUTNINGER = {"viderefores": "Videreføres", "revideres": "Revideres", "sies_opp": "Sies opp"}
KAN_EVALUERES = ("inngaatt",)
MAKS_TEKST = 5000
MOTESTART = time(10, 0)
PAMINNELSE_DAGER = 14


# --- Skjemaet ------------------------------------------------------------------------------


def _periode(s: Session, avtale: Avtale, til: date) -> tuple[date, date]:
    """Fra forrige evaluering, ellers fra avtalen ble signert (eller opprettet)."""
    forrige = s.scalar(
        select(Evaluering.dato)
        .where(Evaluering.avtale_id == avtale.id)
        .order_by(Evaluering.dato.desc())
        .limit(1)
    )
    if forrige is None:
        signert = s.scalar(
            select(SignertKopi.opprettet)
            .where(SignertKopi.avtale_id == avtale.id)
            .order_by(SignertKopi.id)
            .limit(1)
        )
        forrige = som_utc(signert or avtale.opprettet).date()
    return forrige, til


def forslag(tj: Tjenester, avtale_id: int, dato: date | None = None) -> dict[str, Any]:
    """Det evalueringsskjemaet fylles ut med: perioden og avvikene i den, talt opp."""
    dato = dato or date.today()
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        fra, til = _periode(s, avtale, dato)
    st = avvik.statistikk(tj, avtale_id, fra, til)
    return {
        "periode_fra": fra,
        "periode_til": til,
        "avvik": st["liste"],
        "antall_avvik": st["antall"],
        "per_paragraf": st["paragraf"],
        "per_kategori": {avvik.KATEGORIER.get(k, k): n for k, n in st["kategori"].items()},
        "per_kvartal": st["kvartal"],
    }


def _rens(data: dict[str, Any], idag: date) -> dict[str, Any]:
    feil: dict[str, str] = {}
    ut: dict[str, Any] = {}
    pakrevde = ("deltakere_kommune", "deltakere_part")
    for felt in (*pakrevde, "fungert", "ikke_fungert", "begrunnelse"):
        pakrevd = felt in pakrevde
        verdi = rens_tekst(str(data.get(felt) or ""), flerlinjet=True)
        if pakrevd and not verdi:
            feil[felt] = "Må fylles ut."
        elif len(verdi) > MAKS_TEKST:
            feil[felt] = f"Kan ha høyst {MAKS_TEKST} tegn."
        ut[felt] = verdi
    for felt in ("dato", "neste_evaluering", "avsluttet_dato"):
        raa = data.get(felt)
        try:
            ut[felt] = les_dato(raa) if raa not in (None, "") else None
        except (ValueError, TypeError):
            feil[felt] = "Ugyldig dato (dd.mm.åååå)."
    if "dato" not in feil and ut.get("dato") is None:
        feil["dato"] = "Skriv datoen for evalueringsmøtet."
    elif ut.get("dato") and ut["dato"] > idag:
        feil["dato"] = "Evalueringen registreres etter møtet; datoen kan ikke være fram i tid."
    beslutning = str(data.get("beslutning") or "")
    if beslutning not in BESLUTNINGER:
        feil["beslutning"] = "Velg en beslutning."
    if beslutning == "sies_opp" and not ut.get("begrunnelse"):
        feil["begrunnelse"] = "Skriv hvorfor avtalen sies opp."
    neste, dato = ut.get("neste_evaluering"), ut.get("dato")
    if beslutning == "viderefores" and neste and dato and neste <= dato:
        feil["neste_evaluering"] = "Neste evaluering må være etter denne."
    ut["beslutning"] = beslutning
    if feil:
        raise Valideringsfeil(feil)
    return ut


def evaluer(
    tj: Tjenester, avtale_id: int, data: dict[str, Any], bruker_id: int, fra: str = ""
) -> Evaluering:
    """Registrer evalueringen, lag rapporten og gjennomfør beslutningen."""
    rene = _rens(data, date.today())
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id, options=[selectinload(Avtale.part)])
        if avtale is None:
            raise IkkeFunnet("Avtalen finnes ikke.")
        if avtale.status not in KAN_EVALUERES:
            raise Valideringsfeil({"beslutning": "Bare inngåtte avtaler evalueres."})
        verdier = avtale.siste_versjon.feltverdier if avtale.siste_versjon else {}
        maned = frister.maned_fra_navn(verdier.get("evaluering_maaned"))
        part, partstype = part_data(avtale.part), avtale.part.type
        kommune = verdier.get("kommune_navn") or "Kommunen"
        versjon = avtale.gjeldende_versjon
    grunnlag = forslag(tj, avtale_id, rene["dato"])
    if rene["beslutning"] == "viderefores":
        rene["neste_evaluering"] = rene["neste_evaluering"] or frister.neste_evaluering(
            rene["dato"], maned
        )
    else:
        rene["neste_evaluering"] = None
    if rene["beslutning"] == "sies_opp":
        rene["avsluttet_dato"] = rene["avsluttet_dato"] or rene["dato"]
    else:
        rene["avsluttet_dato"] = None

    mal = tj.mal(MAL)
    rapport = _rapportverdier(rene, grunnlag, kommune, part.navn, versjon)
    ctx = kontekst(mal, part, mal.valider(rapport), mal.variant_for(partstype), date.today())
    docx = render_docx(mal, ctx)
    pdf = tj.konverterer.til_pdfa(docx)

    def registrer(s: Session, filer: list[LagretFil]) -> Evaluering:
        docx_fil, pdf_fil = filer
        avtale = s.get(Avtale, avtale_id)
        if avtale.status not in KAN_EVALUERES:
            raise Valideringsfeil({"beslutning": "Avtalen er endret av en annen."})
        evaluering = Evaluering(
            avtale_id=avtale_id,
            periode_fra=grunnlag["periode_fra"],
            periode_til=grunnlag["periode_til"],
            antall_avvik=grunnlag["antall_avvik"],
            statistikk={k: grunnlag[k] for k in ("per_paragraf", "per_kategori", "per_kvartal")},
            docx_sha256=docx_fil.sha256,
            docx_storrelse=docx_fil.storrelse,
            pdf_sha256=pdf_fil.sha256,
            pdf_storrelse=pdf_fil.storrelse,
            opprettet_av_id=bruker_id,
            **rene,
        )
        s.add(evaluering)
        s.flush()
        logg(
            s,
            avtale_id,
            "evaluert",
            bruker_id,
            fra,
            evaluering=evaluering.id,
            beslutning=rene["beslutning"],
            pdf=pdf_fil.sha256,
        )
        if rene["beslutning"] == "viderefores":
            avtale.neste_evaluering = rene["neste_evaluering"]
            avtale.evaluering_paminnet = None
        elif rene["beslutning"] == "revideres":
            avtale.neste_evaluering = None
            grunn = f"Evalueringen {formatering.dato_lang(rene['dato'])} besluttet revisjon."
            bytt_status(s, avtale, "til_revisjon", bruker_id, fra, grunn)
        else:
            avtale.neste_evaluering = None
            bytt_status(
                s,
                avtale,
                "avsluttet",
                bruker_id,
                fra,
                rene["begrunnelse"],
                avsluttet_dato=rene["avsluttet_dato"],
            )
        return evaluering

    evaluering = tj.arkiver([docx, pdf], registrer)
    evaluering.utkast_feil = ""
    if rene["beslutning"] == "revideres":
        # Nytt utkast (versjon n+1) med gjeldende innhold, til det skal signeres på nytt.
        # Feiler det, står evalueringen og revisjonen; utkastet lages ved neste endring.
        try:
            avtaler.lagre_versjon(
                tj,
                avtale_id,
                dict(verdier),
                bruker_id,
                "Utkast til revisjon etter evaluering",
                fra=fra,
            )
        except Exception as e:  # noqa: BLE001 - evalueringen er lagret; meld fra i stedet
            logger.exception("Kunne ikke lage revisjonsutkast for avtale %s", avtale_id)
            evaluering.utkast_feil = (
                f"Evalueringen er lagret og avtalen satt til revisjon, men utkastet til ny "
                f"versjon kunne ikke lages ({e}). Endre avtalen for å lage det."
            )
    sok.oppdater_evaluering(tj, evaluering.id)
    sok.oppdater_avtale(tj, avtale_id)
    return evaluering


def _rapportverdier(
    rene: dict[str, Any], grunnlag: dict[str, Any], kommune: str, part: str, versjon: int
) -> dict[str, Any]:
    b = rene["beslutning"]
    if b == "viderefores":
        tekst = (
            f"Avtalen videreføres. Neste evaluering: "
            f"{formatering.dato_lang(rene['neste_evaluering'])}."
        )
    elif b == "revideres":
        tekst = "Avtalen revideres. Et nytt utkast lages fra gjeldende avtale og signeres på nytt."
    else:
        tekst = (
            f"Avtalen sies opp fra {formatering.dato_lang(rene['avsluttet_dato'])}. "
            f"Begrunnelse: {rene['begrunnelse']}"
        )
    return {
        "kommune_navn": kommune,
        "part_navn": part,
        "avtale_versjon": versjon,
        "evalueringsdato": rene["dato"].isoformat(),
        "periode_fra": grunnlag["periode_fra"].isoformat(),
        "periode_til": grunnlag["periode_til"].isoformat(),
        "deltakere_kommune": rene["deltakere_kommune"],
        "deltakere_part": rene["deltakere_part"],
        "fungert": rene["fungert"],
        "ikke_fungert": rene["ikke_fungert"],
        "beslutning_tekst": tekst,
        "antall_avvik": grunnlag["antall_avvik"],
        "avvik": [
            {
                "nummer": n,
                "dato": d.strftime("%d.%m.%Y"),
                "paragraf": p,
                "kategori": avvik.KATEGORIER.get(k, k),
                "status": avvik.STATUSER.get(st, st),
            }
            for n, d, p, k, st in grunnlag["avvik"]
        ],
        "per_paragraf": [
            {"navn": k, "antall": str(v)} for k, v in grunnlag["per_paragraf"].items()
        ],
        "per_kategori": [
            {"navn": k, "antall": str(v)} for k, v in grunnlag["per_kategori"].items()
        ],
        "diagram_kvartal": diagram.avvik_per_kvartal(grunnlag["per_kvartal"]),
        "diagram_kvartal_tekst": diagram.alt_tekst(grunnlag["per_kvartal"], "Avvik per kvartal"),
        "diagram_paragraf": diagram.avvik_per_paragraf(grunnlag["per_paragraf"]),
        "diagram_paragraf_tekst": diagram.alt_tekst(grunnlag["per_paragraf"], "Avvik per paragraf"),
    }


# --- Oppslag og filer ----------------------------------------------------------------------


def for_avtale(tj: Tjenester, avtale_id: int) -> list[Evaluering]:
    with tj.sesjoner() as s:
        return list(
            s.scalars(
                select(Evaluering)
                .where(Evaluering.avtale_id == avtale_id)
                .order_by(Evaluering.dato.desc(), Evaluering.id.desc())
            )
        )


def les_rapport(
    tj: Tjenester, evaluering_id: int, format: str, bruker_id: int, fra: str = ""
) -> tuple[str, bytes]:
    if format not in ("pdf", "docx"):
        raise IkkeFunnet("Ukjent format.")
    with tj.sesjoner() as s:
        ev = s.get(Evaluering, evaluering_id, options=[selectinload(Evaluering.avtale)])
        if ev is None:
            raise IkkeFunnet("Evalueringen finnes ikke.")
        sha = ev.pdf_sha256 if format == "pdf" else ev.docx_sha256
        navn = f"Evalueringsrapport {ev.avtale.part.navn} {ev.dato.isoformat()}.{format}"
        avtale_id = ev.avtale_id
    data = les_og_logg(tj, sha, avtale_id, bruker_id, fra, format=f"evalueringsrapport {format}")
    return navn, data


# --- Frister, påminnelser og kalender --------------------------------------------------------


def frister_oversikt(tj: Tjenester, idag: date | None = None):  # noqa: ANN201
    """(forfalte, snart): lister av (avtale_id, part, dato, dager) for inngåtte avtaler."""
    idag = idag or date.today()
    with tj.sesjoner() as s:
        rader = s.execute(
            select(Avtale.id, Avtale.neste_evaluering, Avtale.part_id).where(
                Avtale.status.in_(KAN_EVALUERES), Avtale.neste_evaluering.is_not(None)
            )
        ).all()
        navn = {
            a.id: a.part.navn
            for a in s.scalars(
                select(Avtale)
                .where(Avtale.id.in_([r[0] for r in rader]))
                .options(selectinload(Avtale.part))
            )
        }
    forfalte, snart = frister.forfalte_og_snart(((r[0], r[1]) for r in rader), idag)
    return (
        [(a, navn[a], d, n) for a, d, n in forfalte],
        [(a, navn[a], d, n) for a, d, n in snart],
    )


def send_paminnelser(
    tj: Tjenester, nettadresse: str, idag: date | None = None
) -> tuple[int, list[str]]:
    """E-post til den ansvarlige for evalueringer som er forfalt eller innen 60 dager, høyst
    hver 14. dag per avtale, med møteinnkallingen (.ics-lenke)."""
    forfalte, snart = frister_oversikt(tj, idag)
    antall, feil = 0, []
    for avtale_id, part, dato, dager in forfalte + snart:
        with tj.transaksjon() as s:
            avtale = s.get(Avtale, avtale_id)
            sist = avtale.evaluering_paminnet
            if sist is not None and som_utc(sist) > naa() - timedelta(days=PAMINNELSE_DAGER):
                continue
            avtale.evaluering_paminnet = naa()
            til = avtale.ansvarlig.epost
        if not til:
            feil.append(f"Ansvarlig for avtalen med {part} har ingen e-postadresse.")
            continue
        tilstand = f"forfalt for {-dager} dager siden" if dager < 0 else f"om {dager} dager"
        lenke = f"{nettadresse.rstrip('/')}/avtaler/{avtale_id}"
        f = tj.send_epost(
            Epost(
                til=til,
                emne=f"Evaluering av avtalen med {part}: {formatering.dato_lang(dato)}",
                tekst=(
                    f"Den årlige evalueringen av samarbeidsavtalen med {part} er {tilstand} "
                    f"({formatering.dato_lang(dato)}). Møteinnkalling (.ics) og "
                    f"evalueringsskjema:\n{lenke}\n"
                ),
            )
        )
        antall += 1
        if f:
            feil.append(f)
    return antall, feil


def _mote(s: Session, avtale: Avtale) -> kalender.Evalueringsmote:
    partnere = s.scalars(
        select(Bruker).where(
            Bruker.rolle == PARTNER, Bruker.part_id == avtale.part_id, Bruker.aktiv
        )
    )
    deltakere = [b.epost for b in partnere if b.epost]
    return kalender.Evalueringsmote(
        uid=f"evaluering-avtale-{avtale.id}-{avtale.neste_evaluering.isoformat()}@dokumenter",
        tittel=f"Evaluering: samarbeidsavtale med {avtale.part.navn}",
        dato=avtale.neste_evaluering,
        start=MOTESTART,
        beskrivelse=(
            "Årlig evaluering av samarbeidsavtalen: hva har fungert, hva har ikke fungert, "
            "avvikene i perioden, og om avtalen skal videreføres, revideres eller sies opp."
        ),
        arrangor_epost=avtale.ansvarlig.epost,
        deltakere=tuple(deltakere),
    )


def mote_ics(tj: Tjenester, avtale_id: int) -> tuple[str, bytes]:
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id, options=[selectinload(Avtale.part)])
        if avtale is None or avtale.neste_evaluering is None or avtale.status != "inngaatt":
            raise IkkeFunnet("Avtalen har ingen planlagt evaluering.")
        mote = _mote(s, avtale)
        navn = f"Evaluering {avtale.part.navn} {avtale.neste_evaluering.isoformat()}.ics"
    return navn, kalender.mote_ics(mote)


def _hash(nokkel: str) -> str:
    return hashlib.sha256(nokkel.encode()).hexdigest()


def ny_kalendernokkel(tj: Tjenester, bruker_id: int) -> str:
    """Ny hemmelig nøkkel for brukerens kalenderabonnement; den gamle slutter å virke."""
    nokkel = secrets.token_urlsafe(24)
    with tj.transaksjon() as s:
        s.get(Bruker, bruker_id).kalender_nokkel_hash = _hash(nokkel)
    return nokkel


def kalender_feed(tj: Tjenester, nokkel: str) -> bytes | None:
    """Kommende evalueringer for avtalene brukeren er ansvarlig for (alle for admin)."""
    with tj.sesjoner() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.kalender_nokkel_hash == _hash(nokkel)))
        if bruker is None or not bruker.aktiv or bruker.rolle == PARTNER:
            return None
        q = select(Avtale).where(
            Avtale.status.in_(KAN_EVALUERES), Avtale.neste_evaluering.is_not(None)
        )
        if bruker.rolle != "admin":
            q = q.where(Avtale.ansvarlig_id == bruker.id)
        moter = [_mote(s, a) for a in s.scalars(q.options(selectinload(Avtale.part)))]
        navn = f"Evalueringer – {bruker.navn}"
    return kalender.feed_ics(moter, navn)
