"""Hel signeringsrunde i en ekte nettleser (Debians chromium via Playwright): saksbehandleren og
kontaktpersonen hos parten i hver sin nettleserkontekst, e-post gjennom SMTP-sinken på loopback,
ekte LibreOffice og forsegling. Bare grunnlaget (brukeren, parten, første utkast) lages med
brukstilfellene; resten går gjennom nettsidene."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.parter import skriving as parter
from tests.stotte.nettleser import Postkasse, kontroller, ny_side
from tests.stotte.oppsett import PASSORD
from tests.stotte.web import AVTALEFELT

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

PARTNEREPOST = "ase@mosjoen.example"
PARTNERPASSORD = "partnerpassord-1"
KODE = re.compile(r"signere samarbeidsavtalen med .+ er (\d{6})\.")
PART = "Mosjøen fengsel"
TITTEL = f"Samarbeidsavtale med {PART}"
KOMMENTAR = "Vi ønsker 45 dagers varsel før løslatelse."


@pytest.fixture
def grunnlag(tj):
    """Prosjektlederen (med e-post), parten med en kontaktperson og det første utkastet."""
    kari = brukere.opprett_bruker(
        tj, "kari", "Kari Prosjektleder", "saksbehandler", PASSORD, epost="kari@kommune.example"
    )
    part = parter.opprett_part(
        tj,
        {
            "navn": PART,
            "type": "fengsel",
            "orgnr": fiktivt_orgnr(2),
            "kontaktpersoner": [
                {"navn": "Åse Ødegård", "rolle": "Fengselsleder", "epost": PARTNEREPOST}
            ],
        },
    )
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, part.id, felt, kari.id)
    return avtale.id


def status(side):
    """Statusfeltet i faktalisten øverst på avtalesiden (ansatt og portal)."""
    return side.locator("dl.fakta dt:text-is('Status') + dd")


def last_ned(side, lenke) -> bytes:
    with side.expect_download() as nedlasting:
        lenke.click()
    fil = nedlasting.value
    assert fil.suggested_filename.endswith(".pdf"), fil.suggested_filename
    return Path(fil.path()).read_bytes()


def byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    treff = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert treff, "fant ingen /ByteRange"
    a, b, c, d = (int(x) for x in treff.groups())
    return a, b, c, d


def test_hel_signeringsrunde_i_nettleseren(server, nettleser, tj, grunnlag, smtp_sink):
    aid = grunnlag
    post = Postkasse(smtp_sink)
    kari = ny_side(nettleser)
    ase = ny_side(nettleser)

    # --- Prosjektlederen logger inn og inviterer kontaktpersonen ----------------------------
    kari.goto(server + "/logg-inn")
    kari.get_by_label("Brukernavn").fill("kari")
    kari.get_by_label("Passord").fill(PASSORD)
    kari.get_by_role("button", name="Logg inn").click()
    kari.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Parter").click()
    kari.get_by_role("link", name=PART).click()
    expect(kari.get_by_role("heading", name=PART, level=1)).to_be_visible()
    kari.get_by_role("button", name="Inviter til portalen (Åse Ødegård)").click()
    expect(kari.get_by_role("status").first).to_contain_text(
        f"Invitasjonen til portalen er sendt til {PARTNEREPOST}"
    )
    expect(kari.get_by_role("row", name=re.compile("Åse Ødegård"))).to_contain_text("Invitert")

    # --- Kontaktpersonen setter passord og logger inn i portalen (egen kontekst) ---------
    invitasjon = post.neste(PARTNEREPOST)
    assert invitasjon.emne == f"Invitasjon til avtaleportalen for {PART}"
    lenke = re.search(r"http://\S+/portal/invitasjon/\S+", invitasjon.tekst).group(0)
    assert lenke.startswith(server)
    ase.goto(lenke)
    expect(ase.get_by_role("heading", name="Velkommen, Åse Ødegård")).to_be_visible()
    ase.get_by_label("Nytt passord").fill(PARTNERPASSORD)
    ase.get_by_label("Gjenta passordet").fill(PARTNERPASSORD)
    ase.get_by_role("button", name="Sett passord").click()
    expect(ase.get_by_role("status")).to_contain_text("Passordet er satt")
    expect(ase.get_by_label("E-postadresse")).to_have_value(PARTNEREPOST)
    ase.get_by_label("Passord", exact=True).fill(PARTNERPASSORD)
    ase.get_by_role("button", name="Logg inn").click()
    expect(ase.get_by_role("heading", name="Mine avtaler")).to_be_visible()
    gjennomgang = ase.get_by_role("region", name="Til gjennomgang")
    expect(gjennomgang).to_contain_text("Ingen avtaler venter på gjennomgang.")

    # --- Prosjektlederen sender utkastet til gjennomgang hos parten -------------------------
    kari.reload()
    expect(kari.get_by_role("row", name=re.compile("Åse Ødegård"))).to_contain_text("Har tilgang")
    kari.get_by_role("link", name=re.compile(r"^Samarbeidsavtale nr\. \d+, versjon 1$")).click()
    expect(kari.get_by_role("heading", name=TITTEL)).to_be_visible()
    expect(status(kari)).to_have_text("Utkast")
    kari.get_by_label("Ny status").select_option(label="Til gjennomgang hos parten")
    kari.get_by_role("button", name="Lagre status").click()
    expect(kari.get_by_role("status").first).to_contain_text(
        "Status er satt til «Til gjennomgang hos parten»."
    )
    expect(status(kari)).to_have_text("Til gjennomgang hos parten")

    # --- Parten leser og kommenterer ----------------------------------------------------------
    ase.reload()
    gjennomgang.get_by_role("link", name=TITTEL).click()
    expect(ase.get_by_role("heading", name=TITTEL)).to_be_visible()
    expect(status(ase)).to_have_text("Til gjennomgang hos parten")
    expect(ase.get_by_role("region", name="Avtaleteksten").first).to_contain_text("løslatelse")
    ase.get_by_label("Kommentar til kommunen").fill(KOMMENTAR)
    ase.get_by_role("button", name="Send kommentar").click()
    expect(ase.get_by_role("status")).to_contain_text("Kommentaren er sendt til kommunen.")
    expect(ase.locator(".kommentartekst")).to_have_text(KOMMENTAR)

    # --- Prosjektlederen ser kommentaren og lager versjon 2 ---------------------------------
    kari.reload()
    expect(kari.get_by_role("list", name="Kommentarer fra parten")).to_contain_text(KOMMENTAR)
    kari.get_by_role("link", name="Endre innhold").click()
    frist = kari.get_by_label("Varslingsfrist (dager)")
    expect(frist).to_have_value("30")
    frist.fill("45")
    kari.get_by_label("Kort begrunnelse for endringen").fill("Varslingsfrist etter kommentar")
    kari.get_by_role("button", name="Lagre ny versjon").click()
    expect(kari.get_by_role("status").first).to_contain_text("Versjon 2 er lagret.")
    expect(status(kari)).to_have_text("Til gjennomgang hos parten")  # fortsatt hos parten
    expect(kari.locator(".dokument")).to_contain_text("senest 45 dager før")

    # --- Signeringsrunde: kommunen først, så parten ----------------------------------------
    signerer_1 = kari.get_by_role("group", name="Signerer 1")
    signerer_1.get_by_label("Person").select_option(label="Kari Prosjektleder")
    signerer_1.get_by_label("Rolle").fill("Kommunalsjef")
    signerer_2 = kari.get_by_role("group", name="Signerer 2")
    signerer_2.get_by_label("Person").select_option(label="Åse Ødegård")
    signerer_2.get_by_label("Rolle").fill("Fengselsleder")
    kari.get_by_role("button", name="Send til signering").click()
    expect(kari.get_by_role("status").first).to_contain_text("Avtalen er sendt til signering")
    expect(status(kari)).to_have_text("Til signering")
    # Kommentaren fra parten gikk først til den ansvarlige (uten kommentarteksten).
    assert (
        post.neste("kari@kommune.example").emne
        == "Kommentar fra Mosjøen fengsel til samarbeidsavtalen"
    )
    assert post.neste("kari@kommune.example").emne == f"{TITTEL} til signering"

    # Kari ber om kode og signerer (koden sendes med Enter fra kodefeltet).
    kari.get_by_role("link", name="Signer nå").click()
    expect(kari.get_by_role("heading", name=f"Signer samarbeidsavtalen med {PART}")).to_be_visible()
    kari.get_by_role("button", name="Send engangskode").click()
    expect(kari.get_by_role("status").first).to_contain_text("En engangskode er sendt")
    melding = post.neste("kari@kommune.example")
    assert melding.emne == "Engangskode for signering"
    kode = KODE.search(melding.tekst).group(1)
    kari.get_by_label("Engangskode").fill(kode)
    kari.get_by_label("Engangskode").press("Enter")
    expect(kari.get_by_role("status").first).to_contain_text(
        "Du har signert. Neste signerer har fått beskjed på e-post."
    )

    # Parten får varselet, følger lenken, ber om kode og signerer.
    assert post.neste(PARTNEREPOST).emne == f"{TITTEL} til gjennomgang"  # varslet da
    varsel = post.neste(PARTNEREPOST)
    assert varsel.emne == f"{TITTEL} til signering"
    signerlenke = f"{server}/portal/avtaler/{aid}/signer"
    assert signerlenke in varsel.tekst
    ase.goto(signerlenke)
    expect(ase.get_by_role("heading", name=f"Signer: {TITTEL}")).to_be_visible()
    expect(ase.get_by_role("heading", name="Avtaleteksten, versjon 2")).to_be_visible()
    expect(ase.locator(".dokument")).to_contain_text("senest 45 dager før")
    ase.get_by_role("button", name="Send engangskode").click()
    expect(ase.get_by_role("status")).to_contain_text("En engangskode er sendt")
    kode = KODE.search(post.neste(PARTNEREPOST).tekst).group(1)
    ase.get_by_label("Engangskode").fill(kode)
    ase.get_by_role("button", name="Signer", exact=True).click()
    expect(ase.get_by_role("status").first).to_contain_text(
        "Alle har nå signert, og avtalen er inngått."
    )

    # --- Begge sider: «Inngått», begge signerere, samme forseglede PDF ---------------------
    expect(status(ase)).to_have_text("Inngått")
    signerere = ase.get_by_role("list", name="Signerere i rekkefølge")
    expect(signerere.get_by_role("listitem")).to_have_text(
        ["Kari Prosjektleder (Kommunen): Signert", f"Åse Ødegård ({PART}): Signert"]
    )
    fra_portalen = last_ned(ase, ase.get_by_role("link", name="Last ned PDF av signert versjon 2"))
    ase.get_by_role("navigation", name="Portalmeny").get_by_role(
        "link", name="Mine avtaler"
    ).click()
    expect(ase.get_by_role("region", name="Signerte avtaler")).to_contain_text("Inngått, versjon 2")

    kari.reload()
    expect(status(kari)).to_have_text("Inngått")
    signerertabell = kari.get_by_role("table", name="Signererne i rekkefølge")
    for navn in ("Kari Prosjektleder", "Åse Ødegård"):
        expect(signerertabell.get_by_role("row", name=re.compile(navn))).to_contain_text("Signert")
    fra_kommunen = last_ned(
        kari, kari.get_by_role("link", name="Last ned PDF av signert versjon 2")
    )

    sha = hashlib.sha256(fra_kommunen).hexdigest()
    assert hashlib.sha256(fra_portalen).hexdigest() == sha
    expect(kari.locator("code.sjekksum")).to_have_text(sha)

    sertifikat = tj.segl.sertifikat
    v = kontroller(fra_kommunen, sertifikat)
    assert v.intakt and v.gyldig, v.feil

    midt = len(fra_kommunen) // 2
    _, lengde, start, _ = byte_range(fra_kommunen)
    assert not lengde <= midt < start, "midten av filen er i signaturfeltet"
    endret = bytearray(fra_kommunen)
    endret[midt] ^= 0x01
    v = kontroller(bytes(endret), sertifikat)
    assert not v.intakt and not v.gyldig
    assert any("endret etter at den ble forseglet" in f for f in v.feil), v.feil

    assert post.neste("kari@kommune.example").emne == f"Signert: {TITTEL}"
    assert post.neste(PARTNEREPOST).emne == f"Signert: {TITTEL}"
