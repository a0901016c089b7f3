"""Et avvik og en evaluering i en ekte nettleser (Debians chromium via Playwright): kommunen
melder og sender avviket, kontaktpersonen hos parten svarer i portalen (egen
nettleserkontekst), kommunen lukker det, og evalueringen besluttes «revideres» så avtalen får
et nytt utkast. E-post går gjennom SMTP-sinken på loopback; LibreOffice lager skjemaene.
Bare grunnlaget (brukerne, parten og den inngåtte avtalen) lages med brukstilfellene."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.models import Avtale
from dokumenter.parter import skriving as parter
from tests.stotte.nettleser import Postkasse, melding, ny_side
from tests.stotte.oppsett import PASSORD

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

PART = "Mosjøen fengsel"
TITTEL = f"Samarbeidsavtale med {PART}"
KARI = "kari@kommune.example"
ASE = "ase@mosjoen.example"
ASEPASSORD = "partnerpassord-1"
PERSONREF = "Sak 2026/117"


@pytest.fixture
def grunnlag(tj):
    """Saksbehandleren, parten med en portalbruker og en inngått avtale (skannet kopi)."""
    kari = brukere.opprett_bruker(
        tj, "kari", "Kari Prosjektleder", "saksbehandler", PASSORD, epost=KARI
    )
    part = parter.opprett_part(
        tj,
        {
            "navn": PART,
            "type": "fengsel",
            "orgnr": fiktivt_orgnr(2),
            "kontaktpersoner": [{"navn": "Åse Ødegård", "rolle": "Fengselsleder", "epost": ASE}],
        },
    )
    brukere.opprett_partnerbruker(tj, part.id, "Åse Ødegård", ASE, ASEPASSORD)
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, part.id, felt, kari.id)
    with tj.sesjoner() as s:
        pdf = tj.lager.les(s.get(Avtale, avtale.id).siste_versjon.dokument("pdf").sha256)
    signering.last_opp_signert(tj, avtale.id, pdf, kari.id)
    return avtale.id


def status(side):
    """Statusmerket i faktalisten øverst (avtalen eller avviket), uten begrunnelsen etter."""
    return side.locator("dl.fakta dt:text-is('Status') + dd .status")


def test_avvik_og_evaluering_i_nettleseren(server, nettleser, tj, grunnlag, smtp_sink):
    aid = grunnlag
    post = Postkasse(smtp_sink)
    kari = ny_side(nettleser)
    ase = ny_side(nettleser)
    nummer = f"{date.today().year}-001"

    # --- Saksbehandleren melder avviket fra avtalesiden -------------------------------------
    kari.goto(server + "/logg-inn")
    kari.get_by_label("Brukernavn").fill("kari")
    kari.get_by_label("Passord").fill(PASSORD)
    kari.get_by_role("button", name="Logg inn").click()
    kari.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Avtaler").click()
    kari.get_by_role("link", name=PART).click()
    expect(kari.get_by_role("heading", name=TITTEL, level=1)).to_be_visible()
    expect(status(kari)).to_have_text("Inngått")
    avvik = kari.get_by_role("region", name="Avvik", exact=True)
    expect(avvik).to_contain_text("Ingen avvik er meldt.")
    avvik.get_by_role("link", name="Meld avvik").click()

    expect(kari.get_by_role("heading", name=f"Meld avvik fra avtalen med {PART}")).to_be_visible()
    kari.get_by_label("Paragraf i avtalen").select_option(label="§ 6 Varsling før løslatelse")
    kari.get_by_label("Kategori").select_option(label="Varsling før løslatelse eller utskrivning")
    kari.get_by_label("Dato for hendelsen").fill(date.today().isoformat())
    kari.get_by_role("textbox", name="Oppdaget (påkrevd)").fill(date.today().isoformat())
    hva = kari.get_by_label("Hva skjedde?")
    expect(hva).to_have_accessible_description(re.compile("Ikke skriv navn"))
    hva.fill("En innsatt ble løslatt uten varsel til kommunen.")
    kari.get_by_label("Konsekvens").fill("Personen sto uten bolig den første natten.")
    kari.get_by_label("Personreferanse (valgfri, personopplysning)").fill(PERSONREF)
    kari.get_by_role("button", name="Registrer avvik").click()
    expect(melding(kari, f"Avvik {nummer} er registrert")).to_be_visible()
    expect(kari.get_by_role("heading", name=f"Avvik {nummer}", level=1)).to_be_visible()
    expect(status(kari)).to_have_text("Åpen")

    kari.get_by_role("button", name="Send avviket").click()
    expect(melding(kari, "Avviket er sendt.")).to_be_visible()
    expect(status(kari)).to_have_text("Sendt")
    expect(kari.get_by_role("link", name="PDF av avviksskjema 1 (sendt)")).to_be_visible()

    # --- Kontaktpersonen får e-post, logger inn i portalen og svarer ---------------------------
    varsel = post.neste(ASE)
    assert varsel.emne.startswith(f"Avvik {nummer} – svar innen ")
    lenke = re.search(r"http://\S+/portal/avvik/\d+", varsel.tekst).group(0)
    assert lenke.startswith(server) and PERSONREF not in varsel.tekst
    ase.goto(lenke)  # ikke innlogget: til portalens innlogging, og tilbake etterpå
    ase.get_by_label("E-postadresse").fill(ASE)
    ase.get_by_label("Passord", exact=True).fill(ASEPASSORD)
    ase.get_by_role("button", name="Logg inn").click()
    expect(ase.get_by_role("heading", name=f"Avvik {nummer}", level=1)).to_be_visible()
    expect(melding(ase, "Kommunen venter på svaret ditt")).to_be_visible()
    expect(ase.locator("main")).not_to_contain_text(PERSONREF)
    with ase.expect_download() as nedlasting:
        ase.get_by_role("link", name="PDF av avviksskjema 1 (sendt)").click()
    fil = nedlasting.value
    assert fil.suggested_filename.endswith(".pdf")
    assert Path(fil.path()).read_bytes().startswith(b"%PDF")

    svar = ase.get_by_role("region", name="Svar på avviket")
    svar.get_by_label("Forklaring").fill("Varselet ble sendt til feil adresse.")
    svar.get_by_label("Tiltak").fill("Ny rutine for varsling.")
    svar.get_by_role("button", name="Send svar").click()
    expect(melding(ase, "Svaret er sendt til kommunen.")).to_be_visible()
    expect(status(ase)).to_have_text("Besvart")
    expect(ase.get_by_role("region", name="Svar på avviket")).to_have_count(0)

    # --- Saksbehandleren får beskjed og lukker avviket ----------------------------------------
    beskjed = post.neste(KARI)
    assert beskjed.emne == f"Avvik {nummer} er besvart"
    kari.goto(re.search(r"http://\S+/avvik/\d+", beskjed.tekst).group(0))
    expect(kari.get_by_role("region", name=f"Svar fra {PART}")).to_contain_text(
        "Ny rutine for varsling."
    )
    expect(kari.locator("dl.fakta")).to_contain_text(PERSONREF)
    kari.get_by_label("Merknad om oppfølgingen").fill("Rutinen er gjennomgått i møte.")
    kari.get_by_role("button", name="Lukk avviket").click()
    expect(melding(kari, "Avviket er lukket.")).to_be_visible()
    expect(status(kari)).to_have_text("Lukket")
    skjemaer = kari.get_by_role("table", name=f"Avviksskjemaene for avvik {nummer}, eldste først")
    expect(skjemaer.get_by_role("row")).to_have_count(4)  # overskrift + sendt, besvart, lukket

    # --- Evalueringen: avviket står i skjemaet, beslutningen er «revideres» --------------------
    kari.get_by_role("link", name=TITTEL).click()
    expect(
        kari.get_by_role("region", name="Avvik", exact=True).get_by_role("row", name=nummer)
    ).to_contain_text("Lukket")
    evaluering = kari.get_by_role("region", name="Evaluering", exact=True)
    expect(evaluering.get_by_role("link", name="Last ned møteinnkalling (.ics)")).to_be_visible()
    evaluering.get_by_role("link", name="Registrer evaluering").click()
    expect(kari.get_by_role("heading", name=f"Evaluering av avtalen med {PART}")).to_be_visible()
    expect(kari.get_by_role("table", name="Antall per paragraf")).to_contain_text(
        "§ 6 Varsling før løslatelse"
    )
    expect(kari.get_by_label("Dato for evalueringsmøtet")).to_have_value(date.today().isoformat())
    kari.get_by_label("Deltakere fra kommunen").fill("Kari Prosjektleder")
    kari.get_by_label("Deltakere fra parten").fill("Åse Ødegård")
    kari.get_by_label("Hva har fungert?").fill("Faste møter.")
    kari.get_by_label("Hva har ikke fungert?").fill("Varsling før løslatelse.")
    kari.get_by_role("group", name="Beslutning").get_by_label("Revideres").check()
    kari.get_by_role("button", name="Lagre evalueringen").click()

    expect(melding(kari, "versjon 2 er laget som nytt utkast")).to_be_visible()
    expect(kari.get_by_role("heading", name=TITTEL, level=1)).to_be_visible()
    expect(status(kari)).to_have_text("Til revisjon")
    expect(kari.get_by_role("heading", name="Forhåndsvisning av versjon 2")).to_be_visible()
    tidligere = kari.get_by_role("table", name="Tidligere evalueringer, nyeste først")
    expect(tidligere.get_by_role("row").nth(1)).to_contain_text("Revideres")
    expect(kari.get_by_role("region", name="Evaluering", exact=True)).not_to_contain_text(
        "Registrer evaluering"
    )
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, aid)
        assert (avtale.status, avtale.gjeldende_versjon) == ("til_revisjon", 2)
