"""En gjennomgang av demoen slik brukerne ser den: ingen rå koder (`til_gjennomgang`,
`signering_avvist`, `aapen` …) og ingen «None» på noen side eller i noen PDF.

Verdenen er demodataene (Rana) med Noark-testenes tillegg (en avtale signert elektronisk, et
avvik med svar, en evaluering, en plan) og en avtale der parten først avslo å signere og
ansvaret ble overført før den ble signert (revisjonssporet i den forseglede kopien). Hver
ansattrolle og en partnerbruker logger inn, og testen følger lenkene fra forsiden (samme
nettsted, GET, begrenset), leser den synlige teksten og teksten i PDF-ene (pypdf), og sjekker
PDF-enes tittel (metadata).
"""

from __future__ import annotations

import io
import re
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from pypdf import PdfReader

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.brukere import kontoer
from dokumenter.cli import demo
from dokumenter.felles import etiketter
from dokumenter.models import Avtale
from dokumenter.parter import skriving as parter
from dokumenter.signering.runder import Signatarvalg
from tests.stotte import noarkverden
from tests.stotte.oppsett import PASSORD
from tests.stotte.web import innlogget, portal_inn
from web import create_app

# Koder som ikke er vanlige norske ord (ikke «sendt», «utkast», «lukket»): de skal aldri vises.
RAA_KODER = sorted(
    {
        kode
        for navn, tabell in etiketter.TABELLER.items()
        if navn not in ("nedlasting", "alvorlighet")
        for kode in tabell
        if "_" in kode
    }
    | {"aapen", "inngaatt", "viderefores"}
)
FORBUDT = re.compile(r"(?<![\w/.:-])(" + "|".join(RAA_KODER) + r"|None)(?![\w/-])")
MAKS_SIDER = 150  # per bruker
SAMME_MONSTER = 4  # sider per mønster (/avtaler/7 og /avtaler/8 er /avtaler/N), per bruker
# Søket har ingen lenke med spørring fra forsiden: fasettene og trefflinjene herfra.
SOK = ["/sok?q=fengsel&alle_versjoner=1", "/sok?q=avvik", "/sok/fasett/status?q=fengsel"]
HOPP_OVER = ("/logg-ut", "/portal/logg-ut", "/demo/", "/static/", "/kalender/")


class _Tekst(HTMLParser):
    """Den synlige teksten (uten script, style og <code>: kodeeksempler i hjelpen) og lenkene."""

    def __init__(self) -> None:
        super().__init__()
        self.deler: list[str] = []
        self.lenker: list[str] = []
        self._skjult = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "template"):
            self._skjult += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.lenker.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "template") and self._skjult:
            self._skjult -= 1

    def handle_data(self, data):
        if not self._skjult:
            self.deler.append(data)


@dataclass
class Funn:
    hvor: str
    tekst: str


def _funn(hvor: str, tekst: str) -> list[Funn]:
    return [
        Funn(hvor, tekst[max(0, m.start() - 50) : m.end() + 50].replace("\n", " "))
        for m in FORBUDT.finditer(tekst)
    ]


def _pdftekst(data: bytes) -> tuple[str, str]:
    """(teksten, tittelen) i en PDF."""
    les = PdfReader(io.BytesIO(data))
    tittel = str((les.metadata or {}).get("/Title", ""))
    return "\n".join(side.extract_text() or "" for side in les.pages), tittel


def gjennomga(klient, start: list[str], pdfer: dict[str, str]) -> tuple[list[Funn], int]:
    """Følg lenkene fra adressene i `start`; gir funnene og antall sider. PDF-ene (adresse ->
    tittel) samles i `pdfer` og leses bare én gang for alle brukerne."""
    funn: list[Funn] = []
    sett: set[str] = set(start)
    per_monster: dict[str, int] = {}
    ko = deque(start)
    sider = 0
    while ko and sider < MAKS_SIDER:
        url = ko.popleft()
        svar = klient.get(url)
        if svar.status_code in (301, 302, 303):
            continue
        # 403: en lenke brukerens rolle ikke kan følge (feilsiden sjekkes likevel).
        assert svar.status_code in (200, 403), (url, svar.status_code)
        if svar.mimetype == "application/pdf":
            if url not in pdfer:
                tekst, pdfer[url] = _pdftekst(svar.data)
                funn += _funn(f"PDF {url}", tekst + "\n" + pdfer[url])
            continue
        if svar.mimetype != "text/html":
            continue
        sider += 1
        parser = _Tekst()
        parser.feed(svar.get_data(as_text=True))
        funn += _funn(url, " ".join(parser.deler))
        for href in parser.lenker:
            adresse = urljoin(url, href)
            deler = urlsplit(adresse)
            if deler.scheme not in ("", "http") or deler.netloc not in ("", "localhost"):
                continue
            sti = deler.path
            ny = sti + (f"?{deler.query}" if deler.query else "")
            if ny in sett or sti.startswith(HOPP_OVER) or sti.endswith((".docx", ".ics", ".png")):
                continue
            monster = re.sub(r"\d+", "N", sti)
            if per_monster.get(monster, 0) >= SAMME_MONSTER:
                continue
            per_monster[monster] = per_monster.get(monster, 0) + 1
            sett.add(ny)
            ko.append(ny)
    return funn, sider


# --- Verdenen -------------------------------------------------------------------------------

_SINK: list = []  # e-postmottakeren oppskriften leser engangskodene fra (satt av fixturen)


def demoverden(tj) -> dict:
    """Demoen med Noark-verdenen, brukere i hver rolle og en avslått og overført signering."""
    (sink,) = _SINK
    verden = noarkverden.lag_noarkverden(tj, sink)
    admin_id = verden.admin_id
    kari = kontoer.opprett_bruker(
        tj, "kari", "Kari Saksbehandler", "saksbehandler", PASSORD, "kari@rana.example.no"
    )
    kontoer.opprett_bruker(tj, "lese", "Lars Leser", "lesetilgang", PASSORD)
    harstad = parter.opprett_part(
        tj,
        {
            "navn": "Harstad fengsel",
            "type": "fengsel",
            "orgnr": demo.fiktivt_orgnr(41),
            "kontaktpersoner": [{"navn": "Hege Harstad", "epost": "hege@harstad.example.no"}],
        },
    )
    hege = kontoer.opprett_partnerbruker(
        tj, harstad.id, "Hege Harstad", "hege@harstad.example.no", PASSORD
    )
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, harstad.id, felt, admin_id, fra="test")
    skriving.overfor_ansvar(tj, avtale.id, kari.id, admin_id, "Ferie", fra="test")
    valg = [Signatarvalg(kari.id, "kommune", "Rådgiver"), Signatarvalg(hege.id, "part", "Leder")]
    signering.start_runde(tj, avtale.id, valg, admin_id, fra="test")
    noarkverden._signer(tj, sink, avtale.id, kari)
    signering.avvis(tj, avtale.id, hege.id, "Paragraf 4 må endres først.", fra="test")
    with tj.sesjoner() as s:
        if s.get(Avtale, avtale.id).status != "utkast":
            skriving.sett_status(tj, avtale.id, "utkast", admin_id, fra="test")
    signering.start_runde(tj, avtale.id, valg, admin_id, fra="test")
    noarkverden._signer(tj, sink, avtale.id, kari)
    noarkverden._signer(tj, sink, avtale.id, hege)
    return {"harstad_avtale": avtale.id, "tromso_avtale": verden.avtale_id}


@pytest.fixture
def oppskrift(smtp_sink):
    _SINK[:] = [smtp_sink]
    return demoverden


@pytest.fixture
def demoapp(tj):
    return create_app(tj, TESTING=True)


# --- Testene --------------------------------------------------------------------------------


def test_ingen_raa_koder_eller_none_paa_sidene_og_i_pdfene(demoapp, tj, forberedt):
    pdfer: dict[str, str] = {}
    funn: list[Funn] = []
    sider = {}
    for brukernavn in (demo.DEMO_BRUKER, "kari", "lese"):
        passord = demo.DEMO_PASSORD if brukernavn == demo.DEMO_BRUKER else PASSORD
        klient = innlogget(demoapp, brukernavn, passord)
        # Avtalene med evaluering og forseglet kopi er med uansett mønstergrensen.
        avtaler = [f"/avtaler/{forberedt[n]}" for n in ("tromso_avtale", "harstad_avtale")]
        f, sider[brukernavn] = gjennomga(klient, ["/", *SOK, *avtaler], pdfer)
        funn += f
    for epost in ("tone@tromso.example.no", "hege@harstad.example.no"):
        klient, _ = portal_inn(demoapp, epost, PASSORD)
        f, sider[epost] = gjennomga(klient, ["/portal/"], pdfer)
        funn += f
    assert not funn, "\n".join(f"{f.hvor}: …{f.tekst}…" for f in funn[:40])
    assert all(n > 3 for n in sider.values()), sider
    # Alle slags PDF-er ble lest: avtalene, den forseglede kopien, avviksskjemaet, rapporten.
    titler = set(pdfer.values())
    assert "Samarbeidsavtale – Harstad fengsel" in titler
    assert any(t.startswith("Avviksskjema ") for t in titler), titler
    assert any(t.startswith("Evalueringsrapport ") for t in titler), titler
    assert "Samarbeidsavtale – mønsteravtale" not in titler
    # Planens tittel har bare plannummeret, aldri personens navn.
    assert any(re.fullmatch(r"Individuell plan IP-\d{4}-\d{3}", t) for t in titler), titler
    assert not [t for t in titler if "Demo" in t or demo.DEMO_PERSON in t]
    # Revisjonssporet i Harstads forseglede kopi har avslaget og overføringen, med etiketter.
    (forseglet,) = [
        u for u, t in pdfer.items() if "/avtaler/signert/" in u and t.endswith("Harstad fengsel")
    ]
    spor = _pdftekst(innlogget(demoapp, "kari").get(forseglet).data)[0]
    for kode in ("signering_avvist", "ansvar_overfort"):
        assert etiketter.AVTALEHENDELSE[kode] in spor


@pytest.mark.parametrize(
    "html, antall",
    [
        ("<p>Status: signering_avvist</p>", 1),
        ("<td>aapen</td><td>viderefores</td>", 2),
        ("<li>EVALUERINGSRAPPORT PDF av versjon None</li>", 1),
        ("<p>Skriv <code>status:inngaatt</code> i søket.</p>", 0),  # kodeeksempel
        ('<a href="/sok?status=aapen">Åpen</a><script>x = "til_gjennomgang"</script>', 0),
        ("<p>Nonesuch og til_gjennomgangs</p>", 0),
    ],
)
def test_sjekken_finner_raa_koder_i_synlig_tekst(html, antall):
    parser = _Tekst()
    parser.feed(html)
    assert len(_funn("side", " ".join(parser.deler))) == antall
