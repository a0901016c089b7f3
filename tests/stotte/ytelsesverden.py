"""En verden i to størrelser for testene av spørringer per side og buffring av filer: N parter
med hver sin avtale (de fleste inngått), avvik (sendt, med skjema), evalueringer, en
partnerbruker, planer med versjoner, og én avtale («fokus») med mange versjoner, avvik og
hendelser. Det som vokser med N, er det sidene ikke skal lese rad for rad.

Dokumentene lages med ekte LibreOffice én gang; deretter står den samme PDF/A-en i (som i
`bench/archive.py`), og søkeindeksen bygges én gang til slutt (`reindekser`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.avvik import skriving as avvik_skriving
from dokumenter.avvik.regler import Melder
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT
from dokumenter.evaluering import skriving as evaluering
from dokumenter.felles.validering import kontrollsiffer
from dokumenter.models import Avtale, Avvik, Bruker
from dokumenter.parter import skriving as parter
from dokumenter.planer import ansvarsgruppe, lagring, samtykke
from dokumenter.sok import indeksering
from dokumenter.tjenester import Tjenester
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import SAMTYKKE, innhold

PARTNER = "partner@fokus.example.no"
PARTNERPASSORD = "Sjoorm-partner-lykt-84"
INDEKSOPPDATERING = ("behandle_ventende",)  # jobbene venter; indeksen bygges til slutt


class FerdigPdf:
    """Står i for LibreOffice etter første konvertering: samme PDF/A, unik per kall."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf, self.n = pdf, 0

    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
        self.n += 1
        return self.pdf + f"\n% {self.n}\n".encode()

    def lukk(self) -> None:
        pass


@dataclass
class Verden:
    antall: int
    fokus: int  # avtalen med mange versjoner, avvik og hendelser
    fokus_part: int
    avvik: int  # et avvik på fokusavtalen, sendt (synlig i portalen)
    plan: int
    kari: int
    avtaler: list[int] = field(default_factory=list)


def orgnr(n: int) -> str:
    for k in range(10):
        grunn = f"97{n:05d}{k}"
        if (siffer := kontrollsiffer(grunn)) is not None:
            return grunn + str(siffer)
    raise ValueError(n)


def lag_verden(tj: Tjenester, antall: int) -> Verden:
    """Bygg verdenen med `antall` parter og avtaler (minst 3)."""
    kari = brukere.opprett_bruker(tj, "kari", "Kari Saksbehandler", "saksbehandler", PASSORD)
    brukere.opprett_bruker(tj, "lesa", "Lesa Leser", "lesetilgang", PASSORD)
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    # Flere ansatte jo større verden, så en side som slår opp navn én og én, vokser.
    ansatte = [kari.id] + [
        brukere.opprett_bruker(tj, f"sb{n}", f"Saksbehandler {n}", "saksbehandler", PASSORD).id
        for n in range(antall // 10)
    ]
    melder = Melder(kari.id, "saksbehandler")
    ekte = tj.konverterer
    oppdater = {n: getattr(indeksering, n) for n in INDEKSOPPDATERING}
    for navn in INDEKSOPPDATERING:
        setattr(indeksering, navn, lambda *_a, **_k: 0)
    try:
        avtaler, deler = [], []
        for i in range(antall):
            part = parter.opprett_part(
                tj,
                {
                    "navn": f"Part {i:03d}",
                    "type": ("fengsel", "dps", "utleier")[i % 3],
                    "orgnr": orgnr(i + 1),
                    "kontaktpersoner": [{"navn": f"Kontakt {i}", "epost": f"k{i}@e.example"}],
                },
            )
            ansvarlig = ansatte[i % len(ansatte)]
            avtale = skriving.opprett_utkast(tj, part.id, felt, ansvarlig)
            if i == 0:  # første PDF/A fra ekte LibreOffice står i for resten
                with tj.sesjoner() as s:
                    pdf = tj.lager.les(s.get(Avtale, avtale.id).gjeldende.dokument("pdf").sha256)
                tj.konverterer = FerdigPdf(pdf)
            if i % 3 != 2:
                with tj.sesjoner() as s:  # skannet kopi med like mange sider som avtalen
                    egen = tj.lager.les(s.get(Avtale, avtale.id).gjeldende.dokument("pdf").sha256)
                signering.last_opp_signert(tj, avtale.id, egen, ansvarlig)
                melder_i = Melder(ansvarlig, "saksbehandler")
                a = avvik_skriving.registrer(tj, avtale.id, _avvik(i), melder_i)
                avvik_skriving.send(tj, a.id, melder_i)
            avtaler.append(avtale.id)
            deler.append(part.id)
        fokus, fokus_part = avtaler[0], deler[0]
        brukere.opprett_partnerbruker(tj, fokus_part, "Pia Partner", PARTNER, PARTNERPASSORD)
        _fokus(tj, fokus, antall, felt, kari.id, melder)
        plan = _planer(tj, antall, fokus, deler, kari.id)
        with tj.sesjoner() as s:
            avvik = min(
                a.id for a in s.query(Avvik).filter_by(avtale_id=fokus, status="sendt").all()
            )
    finally:
        tj.konverterer = ekte
        for navn, funksjon in oppdater.items():
            setattr(indeksering, navn, funksjon)
    indeksering.reindekser(tj)
    return Verden(antall, fokus, fokus_part, avvik, plan, kari.id, avtaler)


def _avvik(i: int) -> dict:
    return {
        "paragraf": f"§ {2 + i % 7}",
        "kategori": ("varsling", "bolig", "kontakt")[i % 3],
        "hendelsesdato": date.today() - timedelta(days=1 + i % 300),
        "oppdaget": date.today(),
        "hva_skjedde": "En innsatt ble løslatt uten varsel til kommunen.",
    }


def _fokus(tj: Tjenester, avtale_id: int, antall: int, felt: dict, kari: int, melder) -> None:
    """Fokusavtalen får flere versjoner (revisjon), avvik og evalueringer jo større verden."""
    for n in range(antall // 3):
        a = avvik_skriving.registrer(tj, avtale_id, _avvik(n), melder)
        avvik_skriving.send(tj, a.id, melder)
    for _ in range(max(1, antall // 20)):
        evaluering.evaluer(
            tj,
            avtale_id,
            {
                "dato": date.today().isoformat(),
                "deltakere_kommune": "Kari",
                "deltakere_part": "Pia",
                "beslutning": "viderefores",
            },
            kari,
        )
    skriving.sett_status(tj, avtale_id, "til_revisjon", kari, "Ny runde")
    for v in range(antall // 2):
        skriving.lagre_versjon(tj, avtale_id, {**felt, "varslingsfrist_dager": 10 + v}, kari)
    skriving.sett_status(tj, avtale_id, "til_gjennomgang", kari)


def _planer(tj: Tjenester, antall: int, avtale_id: int, deler: list[int], kari: int) -> int:
    """Planer hos hver sin part med Kari som koordinator; den første (hos fokusavtalens part)
    har partneren i ansvarsgruppen."""
    forste = 0
    with tj.sesjoner() as s:
        partner = s.query(Bruker).filter_by(brukernavn=PARTNER).one().id
    for n in range(max(1, antall // 4)):
        plan = lagring.opprett(
            tj,
            f"Person {n}",
            date(1980, 1, 1 + n % 28),
            deler[n % len(deler)],
            kari,
            avtale_id=avtale_id if n == 0 else None,
        )
        lagring.lagre_versjon(tj, plan, innhold(), kari, 0, "Første versjon", "test")
        if not forste:
            forste = plan
            ansvarsgruppe.legg_til_medlem(tj, plan, partner, "", "Kontakt", kari, "test")
            samtykke.registrer_samtykke(tj, plan, deler[0], date.today(), kari, "test", **SAMTYKKE)
    return forste
