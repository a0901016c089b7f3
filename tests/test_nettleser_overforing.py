"""Når prosjektlederen slutter, i en ekte nettleser (Debians chromium via Playwright):
administratoren oppretter en ny bruker med e-post, deaktiverer den gamle prosjektlederen og
flytter avtalene, avvikene, planen og signeringsturen hans til den nye i ett steg; den nye
signerer. Parten får beskjed ved hvert steg (lest fra SMTP-sinken), og portalen viser én rad per
avtale. Grunnlaget lages med brukstilfellene; resten går gjennom nettsidene."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from dokumenter.avtaler import signering
from dokumenter.avvik import skriving as avvik
from dokumenter.avvik.regler import Melder
from dokumenter.models import Avtale, Avvik, Bruker, Plan, Signatar
from dokumenter.signering.runder import Signatarvalg
from tests.stotte.avtaler import inngatt_avtale
from tests.stotte.nettleser import Postkasse, logg_inn, melding, ny_side
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import RELASJONER, lag_planverden

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

PARTNER = RELASJONER["partner_medlem"]  # fengsel@bodo.example.no, portalbruker hos Bodø
NY = "nina@k.example.no"
NYTT_PASSORD = "Nina-fjell-bekk-2027"
KODE = re.compile(r"signere samarbeidsavtalen med .+ er (\d{6})\.")
TITTEL = "Samarbeidsavtale med Bodø fengsel"


@pytest.fixture
def grunnlag(tj):
    """Planverdenen (koordinatoren «koord» er ansvarlig for to avtaler med Bodø og koordinator
    for planen), et åpent avvik han følger opp, og en signeringsrunde der han står først."""
    v = lag_planverden(tj)
    koord = v.brukere["koordinator"]
    inngatt = inngatt_avtale(tj, v.bodo_id, koord)
    avvik.registrer(
        tj,
        inngatt,
        {
            "paragraf": "§ 4",
            "kategori": "varsling",
            "hendelsesdato": date.today(),
            "oppdaget": date.today(),
            "hva_skjedde": "Ingen varsel før løslatelsen.",
        },
        Melder(koord, "saksbehandler"),
    )
    signering.start_runde(
        tj,
        v.avtale_id,
        [
            Signatarvalg(koord, "kommune", "Kommunalsjef"),
            Signatarvalg(v.brukere["partner_medlem"], "part", "Fengselsleder"),
        ],
        koord,
    )
    return v


def test_ny_prosjektleder_overtar_og_signerer(server, nettleser, tj, grunnlag, smtp_sink):
    v = grunnlag
    smtp_sink.tom()  # e-postene fra grunnlaget
    post = Postkasse(smtp_sink)
    koord = v.brukere["koordinator"]
    sjef = ny_side(nettleser)
    nina = ny_side(nettleser)
    partner = ny_side(nettleser)

    # --- 1. Administratoren oppretter Nina med e-post; Nina setter sitt eget passord ---------
    logg_inn(sjef, server, "sjef", PASSORD)
    sjef.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Brukere").click()
    sjef.get_by_role("link", name="Ny bruker").click()
    sjef.get_by_label("Brukernavn").fill("nina")
    sjef.get_by_role("textbox", name="Navn (påkrevd)", exact=True).fill("Nina Nyansatt")
    sjef.get_by_label("E-postadresse").fill(NY)
    sjef.get_by_label("Rolle").select_option(label="Saksbehandler")
    sjef.get_by_role("button", name="Opprett og send lenken").click()
    expect(melding(sjef, "Nina Nyansatt er opprettet")).to_be_visible()
    expect(sjef.get_by_role("row", name=re.compile("Nina Nyansatt"))).to_contain_text(NY)

    lenke = re.search(r"http://\S+/konto/lenke/\S+", post.neste(NY).tekst).group(0)
    nina.goto(lenke)
    expect(nina.get_by_role("heading", name="Sett nytt passord, Nina Nyansatt")).to_be_visible()
    nina.get_by_label("Nytt passord").fill(NYTT_PASSORD)
    nina.get_by_label("Gjenta passordet").fill(NYTT_PASSORD)
    nina.get_by_role("button", name="Sett passord").click()
    logg_inn(nina, server, "nina", NYTT_PASSORD)
    expect(nina.get_by_role("navigation", name="Hovedmeny")).to_be_visible()

    # --- 2. Den gamle prosjektlederen deaktiveres, og alt han har, flyttes til Nina ---------
    sjef.get_by_role("link", name="Ansatt Koord").click()
    sjef.get_by_role("link", name="Overfør ansvar (når noen slutter)").click()
    beholdning = sjef.locator("#beholdning")
    expect(beholdning).to_contain_text("Bodø fengsel")
    sjef.get_by_label("Etterfølger").select_option(label="Nina Nyansatt")
    sjef.get_by_label("Begrunnelse").fill("Sluttet i prosjektet")
    sjef.get_by_label("Deaktiver kontoen i samme steg").check()
    sjef.get_by_role("button", name="Overfør").click()
    expect(melding(sjef, "Ansvaret etter Ansatt Koord er overført")).to_be_visible()
    expect(melding(sjef, "Kontoen til Ansatt Koord er deaktivert")).to_be_visible()
    expect(sjef.get_by_role("main")).to_contain_text("Deaktivert.")

    with tj.sesjoner() as s:
        nina_id = s.scalar(select(Bruker.id).where(Bruker.brukernavn == "nina"))
        assert not s.get(Bruker, koord).aktiv
        assert set(s.scalars(select(Avtale.ansvarlig_id))) == {nina_id}
        assert set(s.scalars(select(Avvik.oppfolger_id))) == {nina_id}
        assert s.get(Plan, v.plan_id).koordinator_id == nina_id
        kommunens = s.scalars(select(Signatar.bruker_id).where(Signatar.side == "kommune")).all()
        assert kommunens == [nina_id]

    # Nina får beskjed om overtakelsen og om at det er hennes tur; parten om ny kontaktperson.
    emner = {post.neste(NY).emne, post.neste(NY).emne}
    assert emner == {"Du har overtatt ansvar etter Ansatt Koord", f"{TITTEL} til signering"}
    for _ in range(2):  # én per avtale parten ser (til signering og inngått)
        varsel = post.neste(PARTNER)
        assert varsel.emne == "Ny kontaktperson i kommunen for avtalen med Bodø fengsel"
        assert f"Nina Nyansatt ({NY})" in varsel.tekst

    # Den gamle prosjektlederen kommer ikke inn lenger.
    gammel = ny_side(nettleser)
    logg_inn(gammel, server, "koord", PASSORD)
    expect(gammel.get_by_role("navigation", name="Hovedmeny")).to_have_count(0)

    # --- 3. Nina signerer --------------------------------------------------------------------
    nina.goto(f"{server}/avtaler/{v.avtale_id}")
    nina.get_by_role("link", name="Signer nå").click()
    nina.get_by_role("button", name="Send engangskode").click()
    expect(melding(nina, "En engangskode er sendt")).to_be_visible()
    kode = KODE.search(post.neste(NY).tekst).group(1)
    nina.get_by_label("Engangskode").fill(kode)
    nina.get_by_role("button", name="Signer", exact=True).click()
    expect(melding(nina, "Du har signert. Neste signerer har fått beskjed")).to_be_visible()

    # --- 4. Parten får sin tur, og portalen viser én rad per avtale -------------------------
    assert post.neste(PARTNER).emne == f"{TITTEL} til signering"
    partner.goto(server + "/portal/logg-inn")
    partner.get_by_label("E-postadresse").fill(PARTNER)
    partner.get_by_label("Passord", exact=True).fill(PASSORD)
    partner.get_by_role("button", name="Logg inn").click()
    expect(partner.get_by_role("heading", name="Mine avtaler")).to_be_visible()
    lenker = partner.get_by_role("main").locator("a[href^='/portal/avtaler/']")
    hrefs = [lenker.nth(i).get_attribute("href") for i in range(lenker.count())]
    assert len(hrefs) == 2 and len(set(hrefs)) == 2, hrefs
    expect(partner.get_by_role("main")).to_contain_text("venter på din signatur")
    assert partner.get_by_role("main").get_by_text("venter på din signatur").count() == 1
