"""En individuell plan i en ekte nettleser (Debians chromium via Playwright): koordinatoren lager
planen, fyller ut innholdet (LibreOffice lager DOCX og PDF/A), setter sammen ansvarsgruppen av
tre tjenester og fengselet, registrerer samtykket og sender planen til signering. Koordinatoren
og fengselets kontaktperson (i portalen, egen nettleserkontekst) signerer med engangskode fra
SMTP-sinken, og den forseglede PDF-en kontrolleres. Så trekker personen samtykket for
fengselet, og kontaktpersonen mister tilgangen med en gang; innsynsloggen viser alt.
Bare grunnlaget (brukerne og parten) lages med brukstilfellene; resten går gjennom nettsidene."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.parter import skriving as parter
from tests.stotte.nettleser import Postkasse, kontroller, melding, ny_side
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import FODT, PERSON

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

KOORDINATOR = "Kari Koordinator"
KOORD_EPOST = "koord@kommune.example"
FENGSEL = "Bodø fengsel"
KLINIKK = "Mo behandlingssenter"
AVTALEN = f"Samarbeidsavtale med {FENGSEL} (til gjennomgang hos parten)"
FIONA = "Fiona Fengselsbetjent"
FIONA_EPOST = "fengsel@bodo.example.no"
FIONAPASSORD = "partnerpassord-1"
# (brukernavn, navn, tjenesten de representerer i ansvarsgruppen)
TJENESTER = [
    ("nav", "Nils NAV-veileder", "NAV Rana"),
    ("rus", "Rune Rustjeneste", "Rus og psykisk helse"),
    ("bolig", "Bodil Boligkontor", "Boligkontoret"),
]
KODE = re.compile(r"signere individuell plan IP-\d{4}-\d{3} er (\d{6})\.")
# LibreOffice bruker 1–3 s per lagring og forseglingen rundt 1 s; gi god margin.
TREG = 30_000


@dataclass
class Grunnlag:
    fengsel_id: int
    fiona_id: int
    avtale_id: int


@pytest.fixture
def grunnlag(tj):
    """Koordinatoren (med e-post), tre ansatte for tjenestene, fengselet og kontaktpersonen."""
    brukere.opprett_bruker(tj, "koord", KOORDINATOR, "saksbehandler", PASSORD, epost=KOORD_EPOST)
    for brukernavn, navn, _ in TJENESTER:
        brukere.opprett_bruker(tj, brukernavn, navn, "saksbehandler", PASSORD)
    fengsel = parter.opprett_part(
        tj, {"navn": FENGSEL, "type": "fengsel", "orgnr": fiktivt_orgnr(11)}
    )
    fiona = brukere.opprett_partnerbruker(tj, fengsel.id, FIONA, FIONA_EPOST, FIONAPASSORD)
    # En institusjon til, uten avtale, og fengselets avtale sendt til gjennomgang hos parten.
    parter.opprett_part(
        tj, {"navn": KLINIKK, "type": "behandlingsinstitusjon", "orgnr": fiktivt_orgnr(12)}
    )
    leder = brukere.opprett_bruker(tj, "leder", "Lise Leder", "saksbehandler", PASSORD)
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, fengsel.id, felt, leder.id)
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", leder.id)
    return Grunnlag(fengsel.id, fiona.id, avtale.id)


@pytest.fixture(autouse=True)
def romslig_ventetid():
    """expect() venter like lenge som handlingene (20 s), så søkeindeksen og e-posten rekker
    å bli ferdige også på en travel maskin; standarden (5 s) settes tilbake etterpå."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


def status(side):
    """Statusfeltet i faktalisten øverst på plansiden (ansatt og portal)."""
    return side.locator("dl.nokkelinfo dt:text-is('Status') + dd")


def test_plan_med_signering_og_trukket_samtykke(server, nettleser, tj, grunnlag, smtp_sink):
    post = Postkasse(smtp_sink)
    # Avtalen i grunnlaget ble sendt til fengselet til gjennomgang.
    assert post.neste(FIONA_EPOST).emne == f"Samarbeidsavtale med {FENGSEL} til gjennomgang"
    kari = ny_side(nettleser)
    fiona = ny_side(nettleser)
    nummer = f"IP-{date.today().year}-001"
    tittel = f"Individuell plan {nummer}"

    # --- 1. Koordinatoren lager planen og fyller ut innholdet -------------------------------
    kari.goto(server + "/logg-inn")
    kari.get_by_label("Brukernavn").fill("koord")
    kari.get_by_label("Passord").fill(PASSORD)
    kari.get_by_role("button", name="Logg inn").click()
    kari.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Planer").click()
    expect(kari.get_by_role("heading", name="Individuelle planer", level=1)).to_be_visible()
    expect(kari.get_by_text("Du har ikke tilgang til noen planer.")).to_be_visible()
    kari.get_by_role("link", name="Ny plan").click()

    expect(kari.get_by_role("heading", name="Ny individuell plan")).to_be_visible()
    kari.get_by_label("Personens navn").fill(PERSON)
    kari.get_by_label("Fødselsdato").fill(FODT.isoformat())
    # Avtalelisten følger institusjonen (JavaScript, uten ny lasting av siden).
    avtalevalg = kari.get_by_label("Samarbeidsavtalen planen lages under (valgfri)")
    expect(avtalevalg.locator("option")).to_have_text(["Ingen"])
    expect(kari.get_by_role("button", name="Vis avtaler for valgt institusjon")).to_have_count(0)
    institusjon = kari.get_by_label("Institusjonen personen kommer fra")
    institusjon.select_option(label=FENGSEL)
    expect(avtalevalg.locator("option")).to_have_text(["Ingen", AVTALEN])
    avtalevalg.select_option(label=AVTALEN)
    institusjon.select_option(label=KLINIKK)
    expect(avtalevalg.locator("option")).to_have_text(["Ingen"])
    institusjon.select_option(label=FENGSEL)
    avtalevalg.select_option(label=AVTALEN)
    kari.get_by_role("button", name="Opprett plan").click()
    expect(kari).to_have_url(re.compile(r"/planer/\d+/endre$"))
    plan_id = int(re.search(r"/planer/(\d+)/endre$", kari.url).group(1))
    expect(melding(kari, "Planen er opprettet. Fyll ut innholdet.")).to_be_visible()
    expect(kari.get_by_role("heading", name=f"Innhold i plan {nummer}")).to_be_visible()

    kari.get_by_label("Mål og ønsker").fill("Egen bolig i Mo sentrum og fast arbeid.")
    kari.get_by_label("Behov for tjenester").fill(
        "Bolig, oppfølging i hjemmet og behandling for rusavhengighet."
    )
    # Koordinatoren og antall eksemplarer er fylt ut på forhånd ved første versjon.
    koordinatorfelt = kari.get_by_label(re.compile(r"^Koordinator(\s|$)"))
    expect(koordinatorfelt).to_have_value(KOORDINATOR)
    expect(kari.get_by_label("Antall eksemplarer")).to_have_value("1")
    kari.get_by_label("Antall eksemplarer").fill("3")
    # Tiltakene er rader: hva, ansvarlig, fra og til (nettleserens datovelger) og status.
    tiltaksrader = kari.get_by_role("group", name="Tiltak")
    tiltaksrader.get_by_label("Hva, rad 1").fill("Kommunal leilighet")
    tiltaksrader.get_by_label("Ansvarlig, rad 1").fill("Boligkontoret")
    expect(tiltaksrader.get_by_label("Fra, rad 1")).to_have_attribute("type", "date")
    tiltaksrader.get_by_label("Fra, rad 1").fill("2027-01-01")
    tiltaksrader.get_by_label("Til, rad 1").fill("2027-03-01")
    tiltaksrader.get_by_label("Status, rad 1").select_option(label="Pågår")
    expect(tiltaksrader.get_by_role("button", name="Flere rader")).to_have_count(0)
    antall = tiltaksrader.locator("tbody tr").count()  # én utfylt og tomme rader
    tiltaksrader.get_by_role("button", name="Legg til rad").click()
    expect(tiltaksrader.locator("tbody tr")).to_have_count(antall + 1)
    ny_rad = f"rad {antall + 1}"
    expect(tiltaksrader.get_by_label(f"Hva, {ny_rad}")).to_be_focused()
    tiltaksrader.get_by_label(f"Hva, {ny_rad}").fill("Boveiledning")
    tiltaksrader.get_by_label(f"Fra, {ny_rad}").fill("2027-02-01")
    tiltaksrader.get_by_label(f"Til, {ny_rad}").fill("2027-01-15")  # før fra: avvises
    tiltaksrader.get_by_role("button", name="Fjern rad 2").click()  # en tom rad
    expect(tiltaksrader.locator("tbody tr")).to_have_count(antall)
    kari.get_by_label("Planen gjelder fra").fill("2027-01-01")
    kari.get_by_label("Planen gjelder til").fill("2027-12-31")
    kari.get_by_label("Neste revisjon").fill("2027-06-30")
    kari.get_by_role("button", name="Lagre ny versjon").click()
    siste = f"rad {antall}"
    feil = f"Tiltak, {siste}: «Til» kan ikke være før «Fra»."
    expect(kari.get_by_role("alert").filter(has_text=feil)).to_be_visible()
    tiltaksrader = kari.get_by_role("group", name="Tiltak")
    expect(tiltaksrader.get_by_label(f"Hva, {siste}")).to_have_value("Boveiledning")
    expect(tiltaksrader.get_by_label(f"Til, {siste}")).to_have_attribute("aria-invalid", "true")
    expect(tiltaksrader.get_by_label("Hva, rad 1")).to_have_value("Kommunal leilighet")
    tiltaksrader.get_by_label(f"Til, {siste}").fill("2027-04-30")
    kari.get_by_role("button", name="Lagre ny versjon").click()

    expect(melding(kari, "Ny versjon er lagret")).to_be_visible(timeout=TREG)
    expect(kari).to_have_url(re.compile(rf"/planer/{plan_id}$"))
    expect(kari.get_by_role("heading", name=tittel, level=1)).to_be_visible()
    expect(status(kari)).to_have_text("Utkast")
    expect(kari.get_by_role("heading", name="Innhold (versjon 1)")).to_be_visible()
    tiltak = kari.get_by_role("row", name=re.compile("Kommunal leilighet"))
    expect(tiltak.get_by_role("cell")).to_have_text(
        ["Kommunal leilighet", "Boligkontoret", "01.01.2027", "01.03.2027", "Pågår"]
    )
    boveiledning = kari.get_by_role("row", name=re.compile("Boveiledning"))
    expect(boveiledning.get_by_role("cell")).to_have_text(
        ["Boveiledning", "", "01.02.2027", "30.04.2027", "Ikke startet"]
    )
    dokumenter = kari.get_by_role("region", name="Dokumenter")
    expect(
        dokumenter.get_by_role("link", name="Versjon 1: DOCX (produksjonsformat)")
    ).to_be_visible()
    pdfa = dokumenter.get_by_role("link", name="Versjon 1: PDF/A (arkivformat)")
    with kari.expect_download() as nedlasting:
        pdfa.click()
    assert Path(nedlasting.value.path()).read_bytes().startswith(b"%PDF")

    # --- 2. Ansvarsgruppen (tre tjenester og fengselet) og samtykket for fengselet ----------
    gruppe = kari.get_by_role("region", name="Ansvarsgruppe")
    expect(gruppe).to_contain_text("Ingen medlemmer ennå.")
    for _, navn, tjeneste in TJENESTER:
        gruppe.get_by_label("Person").select_option(label=navn)
        gruppe.get_by_label("Tjeneste").fill(tjeneste)
        gruppe.get_by_role("button", name="Legg til i ansvarsgruppen").click()
        expect(melding(kari, "Medlemmet er lagt til i ansvarsgruppen.")).to_be_visible()
        expect(gruppe.get_by_role("listitem").filter(has_text=navn)).to_contain_text(tjeneste)
    gruppe.get_by_label("Person").select_option(label=f"{FIONA} ({FENGSEL})")
    gruppe.get_by_label("Tjeneste").fill("")  # tomt: institusjonens navn brukes
    gruppe.get_by_label("Rolle (valgfri)").fill("Fengselsbetjent")
    gruppe.get_by_role("button", name="Legg til i ansvarsgruppen").click()
    expect(melding(kari, "Medlemmet er lagt til i ansvarsgruppen.")).to_be_visible()
    medlemmer = gruppe.get_by_role("list").first.get_by_role("listitem")
    expect(medlemmer).to_have_count(4)
    expect(medlemmer.filter(has_text=FIONA)).to_contain_text(f"{FENGSEL} (Fengselsbetjent)")

    samtykker = kari.get_by_role("region", name="Samtykke til deling")
    expect(samtykker).to_contain_text("Ingen samtykker registrert.")
    expect(samtykker.get_by_label("Institusjon")).to_have_value(str(grunnlag.fengsel_id))
    expect(samtykker.get_by_label("Samtykke gitt")).to_have_value(date.today().isoformat())
    # Avtalens § 8: hvilke opplysninger, formålet og formen (skriftlig er valgt).
    samtykker.get_by_role("button", name="Registrer samtykke").click()
    expect(kari.get_by_role("alert").filter(has_text="hvilke opplysninger")).to_be_visible()
    samtykker = kari.get_by_role("region", name="Samtykke til deling")
    samtykker.get_by_label("Hvilke opplysninger").fill("Bolig, helse og oppfølging")
    samtykker.get_by_label("Formål").fill("Planlegge bolig og oppfølging etter løslatelse")
    expect(
        samtykker.get_by_label("Skriftlig (last opp det skannede samtykket etterpå)")
    ).to_be_checked()
    samtykker.get_by_role("button", name="Registrer samtykke").click()
    expect(melding(kari, "Samtykket er registrert.")).to_be_visible()
    expect(samtykker.get_by_role("listitem").filter(has_text=FENGSEL)).to_contain_text("gitt")
    expect(samtykker.get_by_role("listitem").filter(has_text=FENGSEL)).to_contain_text(
        "Formål: Planlegge bolig"
    )

    # --- 3. Signering: koordinatoren først, så fengselets kontaktperson i portalen ----------
    runde = kari.get_by_role("region", name="Send til signering")
    runde.get_by_label("Signerer 1", exact=True).select_option(label=f"{KOORDINATOR} (kommunen)")
    runde.get_by_label("Rolle for signerer 1").fill("Koordinator")
    runde.get_by_label("Signerer 2", exact=True).select_option(value=f"part:{grunnlag.fiona_id}")
    runde.get_by_label("Rolle for signerer 2").fill("Fengselsbetjent")
    runde.get_by_role("button", name="Send til signering").click()
    expect(melding(kari, "Planen er sendt til signering.")).to_be_visible()
    expect(status(kari)).to_have_text("Til signering")
    assert post.neste(KOORD_EPOST).emne == f"{tittel} til signering"

    signer = kari.get_by_role("region", name="Signer planen")
    signer.get_by_role("button", name="Send engangskode").click()
    expect(melding(kari, "Engangskoden er sendt")).to_be_visible()
    kodepost = post.neste(KOORD_EPOST)
    assert kodepost.emne == "Engangskode for signering"
    kari.get_by_label("Engangskode").fill(KODE.search(kodepost.tekst).group(1))
    kari.get_by_role("button", name="Signer", exact=True).click()
    expect(melding(kari, "Du har signert. Den neste får beskjed på e-post.")).to_be_visible()
    expect(kari.get_by_role("region", name="Signer planen")).to_have_count(0)

    assert post.neste(FIONA_EPOST).emne == f"{tittel} er delt med dere"  # da hun kom med
    varsel = post.neste(FIONA_EPOST)
    assert varsel.emne == f"{tittel} til signering"
    assert f"{server}/portal/planer/{plan_id}" in varsel.tekst

    fiona.goto(server + "/portal/logg-inn")
    fiona.get_by_label("E-postadresse").fill(FIONA_EPOST)
    fiona.get_by_label("Passord", exact=True).fill(FIONAPASSORD)
    fiona.get_by_role("button", name="Logg inn").click()
    portalmeny = fiona.get_by_role("navigation", name="Portalmeny")
    portalmeny.get_by_role("link", name="Individuelle planer").click()
    expect(fiona.get_by_role("heading", name="Individuelle planer", level=1)).to_be_visible()
    fiona.get_by_role("link", name=f"{nummer}: {PERSON}").click()
    expect(fiona.get_by_role("heading", name=tittel, level=1)).to_be_visible()
    expect(status(fiona)).to_have_text("Til signering")
    expect(fiona.get_by_role("heading", name="Innhold (versjon 1)")).to_be_visible()
    fiona.get_by_role("button", name="Send engangskode").click()
    expect(melding(fiona, "Engangskoden er sendt")).to_be_visible()
    fiona.get_by_label("Engangskode").fill(KODE.search(post.neste(FIONA_EPOST).tekst).group(1))
    fiona.get_by_role("button", name="Signer", exact=True).click()
    expect(melding(fiona, "Alle har nå signert, og den forseglede kopien er klar.")).to_be_visible(
        timeout=TREG
    )
    expect(status(fiona)).to_have_text("Signert og gjeldende")
    signerere = fiona.get_by_role("region", name="Signering").get_by_role("listitem")
    expect(signerere).to_have_text(
        [f"{KOORDINATOR} (kommunen): har signert", f"{FIONA} (institusjonen): har signert"]
    )
    forseglet = fiona.get_by_role("link", name="Versjon 1: Signert og forseglet PDF")
    nedlastingslenke = server + forseglet.get_attribute("href")
    with fiona.expect_download() as nedlasting:
        forseglet.click()
    fil = nedlasting.value
    assert fil.suggested_filename == f"{tittel} v1 signert.pdf", fil.suggested_filename
    pdf = Path(fil.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    v = kontroller(pdf, tj.segl.sertifikat)
    assert v.intakt and v.gyldig, v.feil

    kari.reload()
    expect(status(kari)).to_have_text("Signert og gjeldende")
    expect(
        kari.get_by_role("region", name="Dokumenter").get_by_role(
            "link", name="Versjon 1: Signert og forseglet PDF"
        )
    ).to_be_visible()

    # --- 4. E-postene til fengselet nevner aldri personen --------------------------------------
    til_fiona = [m for m in smtp_sink.meldinger() if FIONA_EPOST in m.til]
    assert len(til_fiona) == 4  # avtalen til gjennomgang, planen delt, varselet, engangskoden
    for m in til_fiona:
        for tekst in (PERSON, "Nordmann", FODT.isoformat(), FODT.strftime("%d.%m.%Y")):
            assert tekst not in m.emne and tekst not in m.tekst, (m.emne, tekst)
            assert tekst.encode() not in m.kilde, (m.emne, tekst)

    # --- 5. Personen trekker samtykket for fengselet ------------------------------------------
    samtykker.get_by_role("button", name=f"Trekk samtykket for {FENGSEL}").click()
    expect(
        melding(kari, f"Samtykket er trukket. Mistet tilgang med en gang: {FIONA}.")
    ).to_be_visible()
    expect(samtykker.get_by_role("listitem").filter(has_text=FENGSEL)).to_contain_text("trukket")
    expect(samtykker.get_by_role("button", name=re.compile("Trekk samtykket"))).to_have_count(0)

    # --- 6. Kontaktpersonen (fortsatt innlogget) har mistet tilgangen ----------------------------
    svar = fiona.reload()
    assert svar is not None and svar.status == 404
    expect(fiona.get_by_role("heading", name="Fant ikke siden", level=1)).to_be_visible()
    expect(fiona.locator("main")).not_to_contain_text(PERSON)
    portalmeny.get_by_role("link", name="Individuelle planer").click()
    expect(fiona.get_by_text("Du har ikke tilgang til noen planer.")).to_be_visible()
    expect(fiona.get_by_role("link", name=re.compile(nummer))).to_have_count(0)
    svar = fiona.context.request.get(nedlastingslenke)
    assert svar.status == 404
    assert b"%PDF" not in svar.body()

    # --- 7. Innsynsloggen viser lesingen, nedlastingen, trekkingen og de avviste forsøkene ------
    kari.get_by_role("link", name="Innsynslogg").click()
    expect(
        kari.get_by_role("heading", name=f"Innsynslogg for individuell plan {nummer}")
    ).to_be_visible()
    logg = kari.get_by_role("table", name="Hvem har sett og endret planen").get_by_role("row")
    fionas = logg.filter(has_text=FIONA)
    medlem = f"Medlem av ansvarsgruppen ({FENGSEL})"
    expect(fionas.filter(has_text="Åpnet planen").first).to_contain_text(medlem)
    lastet_ned = fionas.filter(has_text="Lastet ned")
    expect(lastet_ned).to_have_count(1)
    expect(lastet_ned).to_contain_text("versjon: 1; fil: forseglet")
    expect(fionas.filter(has_text="Signerte")).to_have_count(1)
    trukket = logg.filter(has_text="Registrerte at samtykke er trukket")
    expect(trukket).to_have_count(1)
    expect(trukket).to_contain_text(KOORDINATOR)
    expect(trukket).to_contain_text(f"part: {FENGSEL}; mistet tilgang: {FIONA}")
    # Omlastingen av plansiden og nedlastingsforsøket etter at samtykket ble trukket.
    avvist = fionas.filter(has_text="Forsøkte å åpne planen uten tilgang (avvist)")
    expect(avvist).to_have_count(2)
    expect(avvist.first).to_contain_text("Ingen tilgang")
