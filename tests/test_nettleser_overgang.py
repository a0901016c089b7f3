"""Én hel overgang fra institusjon til bolig i en ekte nettleser (Debians chromium via
Playwright), som koordinatoren gjør den:

1. planen lages under avtalen med fengselet, med booppfølgeren og fengselets kontaktperson i
   ansvarsgruppen og samtykke;
2. overgangen startes, og samarbeidsmøtet påminnes (jobben for cron) og registreres;
3. tilbudet om bolig starter de fire ukene og gir fristene i minstelisten;
4. boligmøtet besluttet tett oppfølging;
5. oppgavene: én forfalt står på forsiden, resten settes ferdige;
6. overgangsskjemaet lages (LibreOffice) og den skannede kopien lastes opp;
7. innflyttingen;
8. boligutfallet på løslatelsesdagen, etter 4 uker og etter 6 måneder;
9. tallene står i rapporten fra neste evaluering av avtalen, skjermet («under 5»);
10. oversikten over vanskeligstilte flytter seg når personen kartlegges på nytt, og små tall
    er skjermet.

Overgangen spoles fram: datoene settes et halvt år tilbake, så utfallet etter 6 måneder kan
registreres i dag. Grunnlaget (brukere, parten og avtalen, som gjaldt fra i fjor) lages med
brukstilfellene; resten går gjennom sidene.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from pypdf import PdfReader

from dokumenter.avtaler import produksjon, skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.models import Avtale
from dokumenter.overgang import paminnelser
from dokumenter.overgang.regler import MINSTELISTE
from dokumenter.parter import skriving as parter
from tests.stotte.nettleser import Postkasse, melding, ny_side
from tests.stotte.oppsett import PASSORD

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

PERSON = "Stian Overgang-Testesen"
FENGSEL = "Bodø fengsel"
KARI = "Kari Koordinator"
NILS = "Nils Booppfølger"
FIONA = "Fiona Fengselsbetjent"
IDAG = date.today()
TILBUD = IDAG - timedelta(days=230)
LOSLADT = TILBUD + timedelta(days=14)
TREG = 30_000


@pytest.fixture
def grunnlag(tj):
    brukere.opprett_bruker(tj, "kari", KARI, "saksbehandler", PASSORD, epost="kari@k.example")
    brukere.opprett_bruker(tj, "nils", NILS, "saksbehandler", PASSORD, epost="nils@k.example")
    fengsel = parter.opprett_part(
        tj, {"navn": FENGSEL, "type": "fengsel", "orgnr": fiktivt_orgnr(21)}
    )
    brukere.opprett_partnerbruker(tj, fengsel.id, FIONA, "fiona@bodo.example", PASSORD)
    leder = brukere.opprett_bruker(tj, "leder", "Leder", "admin", PASSORD)
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, fengsel.id, felt, leder.id)
    # Avtalen har gjeldt (inngått) i over et år, så evalueringsperioden dekker overgangen.
    with tj.transaksjon() as s:
        a = s.get(Avtale, avtale.id)
        a.status = "inngaatt"
        a.opprettet = a.opprettet - timedelta(days=400)
    return avtale.id


@pytest.fixture(autouse=True)
def romslig_ventetid():
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


def fase(side, navn: str):
    faser = side.get_by_role("region", name="Fasene")
    return faser.get_by_role("listitem").filter(has=side.get_by_text(navn, exact=True))


def test_en_hel_overgang(server, nettleser, tj, grunnlag, smtp_sink):
    _overgangen(server, ny_side(nettleser), tj, Postkasse(smtp_sink), grunnlag)


def _overgangen(server, kari, tj, post, avtale_id):
    nummer = f"IP-{IDAG.year}-001"

    # --- 1. Planen, ansvarsgruppen og samtykket ------------------------------------------
    kari.goto(server + "/logg-inn")
    kari.get_by_label("Brukernavn").fill("kari")
    kari.get_by_label("Passord").fill(PASSORD)
    kari.get_by_role("button", name="Logg inn").click()
    kari.goto(server + "/planer/ny")
    kari.get_by_label("Personens navn").fill(PERSON)
    kari.get_by_label("Fødselsdato").fill("1990-04-01")
    kari.get_by_label("Institusjonen personen kommer fra").select_option(label=FENGSEL)
    kari.get_by_label("Samarbeidsavtalen planen lages under (valgfri)").select_option(index=1)
    kari.get_by_role("button", name="Opprett plan").click()
    plan_id = int(re.search(r"/planer/(\d+)/endre$", kari.url).group(1))
    kari.goto(f"{server}/planer/{plan_id}")
    gruppe = kari.get_by_role("region", name="Ansvarsgruppe")
    for navn, tjeneste in ((NILS, "Booppfølgingen"), (f"{FIONA} ({FENGSEL})", "")):
        gruppe.get_by_label("Person").select_option(label=navn)
        gruppe.get_by_label("Tjeneste").fill(tjeneste)
        gruppe.get_by_role("button", name="Legg til i ansvarsgruppen").click()
        expect(melding(kari, "Medlemmet er lagt til")).to_be_visible()
    samtykker = kari.get_by_role("region", name="Samtykke til deling")
    samtykker.get_by_label("Hvilke opplysninger").fill("Bolig, økonomi og oppfølging")
    samtykker.get_by_label("Formål").fill("Planlegge overgangen til egen bolig")
    samtykker.get_by_role("button", name="Registrer samtykke").click()
    expect(melding(kari, "Samtykket er registrert.")).to_be_visible()

    # --- 2. Overgangen startes; samarbeidsmøtet påminnes og registreres --------------------
    kari.get_by_role("link", name="Overgangen til bolig").click()
    expect(kari.get_by_role("heading", name="Fra institusjon til bolig", level=1)).to_be_visible()
    kari.get_by_role("button", name="Start overgangen").click()
    expect(melding(kari, "Overgangen er startet")).to_be_visible()
    expect(kari.locator("#fase-naa")).to_have_text("I institusjonen")
    oppgaver = kari.get_by_role("region", name="Oppgaver")
    expect(oppgaver.get_by_role("row")).to_have_count(11)  # overskrift + minstelisten (10)
    expect(oppgaver).to_contain_text("Settes når bolig er tilbudt")

    kontakter = kari.get_by_role("region", name="Kontakter")
    kontakter.get_by_label("Primærkontakt i institusjonen").select_option(
        label=f"{FIONA} ({FENGSEL})"
    )
    kontakter.get_by_label("Booppfølger eller kontakt i bydelen").select_option(
        label=f"{NILS} (Booppfølgingen)"
    )
    kontakter.get_by_label("Sekundærkontakt").select_option(label=f"{KARI} (Koordinator)")
    kontakter.get_by_role("button", name="Lagre kontaktene").click()
    expect(melding(kari, "Kontaktene er lagret.")).to_be_visible()

    datoer = kari.get_by_role("region", name="Datoer og bolig")
    datoer.get_by_label("Samarbeidsmøter under oppholdet").select_option(label="Hver måned")
    datoer.get_by_label("Neste samarbeidsmøte").fill((IDAG + timedelta(days=3)).isoformat())
    datoer.get_by_label("Forventet løslatelse eller utskrivning").fill(LOSLADT.isoformat())
    datoer.get_by_role("button", name="Lagre datoene").click()
    expect(melding(kari, "Datoene er lagret.")).to_be_visible()
    # Jobben for cron (`dokumenter overgang paminn`) påminner koordinatoren og primærkontakten.
    antall, feil = paminnelser.send_paminnelser(tj)
    assert feil == [] and antall >= 2
    mote = post.neste("kari@k.example")
    assert "Samarbeidsmøte" in mote.emne and nummer in mote.emne
    assert PERSON not in mote.tekst and "Stian" not in mote.tekst
    assert post.neste("fiona@bodo.example").emne == f"Individuell plan {nummer} er delt med dere"
    assert post.neste("fiona@bodo.example").emne == mote.emne
    moter = kari.get_by_role("region", name="Møter")
    moter.get_by_label("Møte", exact=True).select_option(label="Samarbeidsmøte")
    moter.get_by_label("Dato", exact=True).fill((TILBUD - timedelta(days=20)).isoformat())
    moter.get_by_label("Deltakere").fill("Kari, Fiona og personen")
    moter.get_by_role("button", name="Registrer møtet").click()
    expect(melding(kari, "Møtet er registrert.")).to_be_visible()
    neste = TILBUD - timedelta(days=20) + relativedelta(months=1)
    expect(kari.get_by_label("Neste samarbeidsmøte")).to_have_value(neste.isoformat())

    # --- 3. Tilbudet om bolig starter de fire ukene ----------------------------------------
    datoer = kari.get_by_role("region", name="Datoer og bolig")
    datoer.get_by_label("Bolig tilbudt eller tildelt").fill(TILBUD.isoformat())
    datoer.get_by_label("Adresse eller beskrivelse av boligen").fill("Storgata 7, 8622 Mo i Rana")
    datoer.get_by_role("button", name="Lagre datoene").click()
    expect(melding(kari, "Datoene er lagret.")).to_be_visible()
    expect(fase(kari, "Bolig tilbudt eller tildelt")).to_contain_text("ferdig")
    slutt = TILBUD + timedelta(days=27)
    expect(fase(kari, "De fire ukene")).to_contain_text(f"{slutt.day}.")
    oppgaver = kari.get_by_role("region", name="Oppgaver")
    mobler = oppgaver.get_by_role("row", name=re.compile("Søknad om møbler"))
    expect(mobler).to_contain_text(NILS)  # minstelisten følger booppfølgeren
    expect(mobler).to_contain_text("Forfalt")

    # --- 4. Boligmøtet -------------------------------------------------------------------
    moter = kari.get_by_role("region", name="Møter")
    moter.get_by_label("Møte", exact=True).select_option(label="Boligmøte")
    moter.get_by_label("Dato", exact=True).fill((TILBUD + timedelta(days=2)).isoformat())
    moter.get_by_label("Deltakere").fill("Kari, Nils, Fiona og personen")
    moter.get_by_label("Oppfølgingsnivå (boligmøte og utflyttingsmøte)").select_option(label="Tett")
    moter.get_by_role("button", name="Registrer møtet").click()
    expect(melding(kari, "Møtet er registrert.")).to_be_visible()
    expect(fase(kari, "Boligmøte og utflyttingsmøte")).to_contain_text("oppfølging: tett")

    # --- 5. Oppgavene: forfalt på forsiden, så ferdige ------------------------------------
    kari.goto(server + "/")
    mine = kari.get_by_role("region", name="Dine forfalte oppgaver i overgangene")
    expect(mine.get_by_role("row", name=re.compile("Søknad om møbler"))).to_contain_text(nummer)
    assert PERSON not in kari.content()
    mine.get_by_role("link", name=nummer).first.click()
    for oppgave in MINSTELISTE:
        if oppgave.nokkel == "institusjonsplass":
            continue
        rad = kari.get_by_role("region", name="Oppgaver").get_by_role(
            "row", name=re.compile(re.escape(oppgave.tittel))
        )
        rad.get_by_role("button", name=re.compile("^Ferdig")).click()
        expect(melding(kari, f"«{oppgave.tittel}» er ferdig.")).to_be_visible()
    kari.goto(server + "/")
    mine = kari.get_by_role("region", name="Dine forfalte oppgaver i overgangene")
    expect(mine.get_by_role("row")).to_have_count(2)  # overskrift + den ene
    expect(mine).to_contain_text("Institusjonsplassen levert tilbake")

    # --- 6. Overgangsskjemaet, og den skannede kopien ------------------------------------
    kari.goto(f"{server}/planer/{plan_id}/overgang")
    skjema = kari.get_by_role("region", name="Overgangsskjemaet")
    skjema.get_by_role("link", name="Fyll ut og lag skjemaet").click()
    kari.get_by_label("Husleie").fill("8 500 kr den 1. hver måned, fast trekk fra NAV.")
    kari.get_by_label("Husordensregler").fill("Ro etter kl. 23. Søppel i containeren.")
    kari.get_by_label("Strøm").fill("Avtale i eget navn fra innflyttingsdagen.")
    kari.get_by_label("Det du må vite").fill("Ring Nils ved problemer: 900 00 000.")
    kari.get_by_label("Inventarliste").fill("Seng | 1 | God\nSofa | 1 | Flekk på setet")
    kari.get_by_label("Tilstandsrapport").fill("Nymalt. Riper i kjøkkenbenken.")
    kari.get_by_role("button", name="Lag skjemaet").click()
    expect(melding(kari, "Overgangsskjemaet (versjon 1) er laget")).to_be_visible(timeout=TREG)
    skjema = kari.get_by_role("region", name="Overgangsskjemaet")
    with kari.expect_download() as nedlasting:
        skjema.get_by_role("link", name="PDF/A versjon 1").click()
    pdf = Path(nedlasting.value.path()).read_bytes()
    tekst = " ".join(s.extract_text() for s in PdfReader(io.BytesIO(pdf)).pages)
    assert PERSON in tekst and "Storgata 7" in tekst and "Tett" in tekst and "Sofa" in tekst
    skjema.get_by_label("Skannet, signert skjema (PDF, maks 20 MB)").set_input_files(
        {"name": "skannet.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    skjema.get_by_role("button", name="Last opp det signerte skjemaet").click()
    expect(melding(kari, "Det signerte overgangsskjemaet (skannet) er lagret.")).to_be_visible()
    expect(
        kari.get_by_role("region", name="Overgangsskjemaet").get_by_role(
            "link", name="Signert (skannet) PDF versjon 1"
        )
    ).to_be_visible()

    # --- 7. Innflyttingen ----------------------------------------------------------------
    datoer = kari.get_by_role("region", name="Datoer og bolig")
    datoer.get_by_label("Innflytting").fill(LOSLADT.isoformat())
    datoer.get_by_role("button", name="Lagre datoene").click()
    expect(melding(kari, "Datoene er lagret.")).to_be_visible()
    expect(fase(kari, "Innflytting")).to_contain_text("ferdig")
    expect(kari.locator("#fase-naa")).to_have_text("Oppfølging etter fire uker")

    # --- 8. Boligutfallet på løslatelsesdagen, etter 4 uker og etter 6 måneder -------------
    utfall = kari.get_by_role("region", name="Boligutfall")
    expect(utfall.get_by_role("status")).to_contain_text("Skal registreres nå")
    for punkt, dato, svar in (
        ("Løslatelses- eller utskrivningsdagen", LOSLADT, "I fast bolig"),
        ("Etter 4 uker", LOSLADT + timedelta(days=28), "Har beholdt boligen"),
        ("Etter 6 måneder", LOSLADT + relativedelta(months=6), "Har beholdt boligen"),
    ):
        utfall = kari.get_by_role("region", name="Boligutfall")
        utfall.get_by_label("Tidspunkt").select_option(label=punkt)
        utfall.get_by_label("Dato", exact=True).fill(dato.isoformat())
        utfall.get_by_label("Utfall", exact=True).select_option(label=svar)
        utfall.get_by_role("button", name="Registrer utfallet").click()
        expect(melding(kari, "Boligutfallet er registrert.")).to_be_visible()
        rad = kari.get_by_role("region", name="Boligutfall").get_by_role("row", name=punkt)
        expect(rad).to_contain_text(svar)

    # --- 9. Tallene i neste evaluering av avtalen ------------------------------------------
    kari.goto(f"{server}/avtaler/{avtale_id}/evaluering/ny")
    tall = kari.get_by_role("region", name=re.compile("Personene avtalen omfattet"))
    expect(tall.get_by_role("row", name=re.compile("Hadde fast bolig fra dag én"))).to_contain_text(
        "under 5"
    )
    kari.get_by_label("Deltakere fra kommunen").fill(KARI)
    kari.get_by_label("Deltakere fra parten").fill(FIONA)
    kari.get_by_label("Videreføres").check()
    kari.get_by_role("button", name="Lagre evalueringen").click()
    expect(kari.get_by_role("status").filter(has_text="Evalueringen er registrert")).to_be_visible(
        timeout=TREG
    )
    rapport = kari.get_by_role("link", name=re.compile(r"^PDF av evalueringsrapporten")).first
    with kari.expect_download() as nedlasting:
        rapport.click()
    pdf = Path(nedlasting.value.path()).read_bytes()
    tekst = " ".join(" ".join(s.extract_text().split()) for s in PdfReader(io.BytesIO(pdf)).pages)
    assert "Personene avtalen omfattet" in tekst
    assert "Hadde fast bolig fra dag én under 5" in tekst
    assert "Hadde beholdt boligen etter 6 måneder under 5" in tekst
    assert PERSON not in tekst

    # --- 10. Oversikten over vanskeligstilte flytter seg, og små tall er skjermet -----------
    kari.goto(f"{server}/planer/{plan_id}/overgang")
    kart = kari.get_by_role("region", name="Kategori og behovsnivå")
    kart.get_by_label("Gjelder fra").fill((IDAG - timedelta(days=400)).isoformat())
    kart.get_by_label("Kategori og underkategori").select_option(
        label="Under kriminalomsorgen, løslates innen to måneder uten bolig"
    )
    kart.get_by_label(re.compile(r"^Nivå 3 \(rød\)")).check()
    kart.get_by_role("button", name="Registrer kartleggingen").click()
    expect(melding(kari, "Kartleggingen er registrert.")).to_be_visible()
    kari.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Vanskeligstilte"
    ).click()
    bevegelse = kari.get_by_role("table", name="Bevegelse i perioden")
    expect(bevegelse.get_by_role("row", name=re.compile("Samme nivå"))).to_contain_text("under 5")
    expect(bevegelse.get_by_role("row", name=re.compile("^Ned"))).to_contain_text("0")

    kari.goto(f"{server}/planer/{plan_id}/overgang")
    kart = kari.get_by_role("region", name="Kategori og behovsnivå")
    kart.get_by_label("Gjelder fra").fill((LOSLADT + timedelta(days=30)).isoformat())
    kart.get_by_label("Kategori og underkategori").select_option(label="I egnet bolig")
    kart.get_by_label(re.compile(r"^Nivå 2 \(gul\)")).check()
    kart.get_by_role("button", name="Registrer kartleggingen").click()
    expect(melding(kari, "Kartleggingen er registrert.")).to_be_visible()
    kari.goto(server + "/oversikt/vanskeligstilte")
    bevegelse = kari.get_by_role("table", name="Bevegelse i perioden")
    expect(bevegelse.get_by_role("row", name=re.compile("^Ned"))).to_contain_text("under 5")
    expect(bevegelse.get_by_role("row", name=re.compile("Samme nivå"))).to_contain_text("0")
    overgangstabell = kari.locator("table:has(#overgangstabell)")
    expect(overgangstabell.get_by_role("row", name=re.compile(r"^Nivå 3"))).to_contain_text(
        "under 5"
    )
    side = kari.content()
    assert PERSON not in side and nummer not in side
    with kari.expect_download() as nedlasting:
        kari.get_by_role("link", name="Last ned tallene som CSV").click()
    csv = Path(nedlasting.value.path()).read_text(encoding="utf-8-sig")
    assert "under 5" in csv and PERSON not in csv
