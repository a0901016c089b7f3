"""WCAG 2.1 AA i en ekte nettleser (Debians chromium via Playwright, axe-core fra
axe-playwright-python): hver side i tilgangsmatrisen, for hver rolle som får se den.

Én nettleser, én kontekst per rolle (administrator, saksbehandler, lesetilgang, partner A og
anonym), og hver side besøkes én gang per rolle: axe kjøres i 1280 px bredde med reglene
wcag2a, wcag2aa, wcag21a og wcag21aa (0 brudd kreves), og så gjøres vinduet 320 × 640 px
(WCAG 1.4.10): siden skal ikke rulle sidelengs (brede tabeller ruller i sin egen ramme), og
hver lenke i menyen skal ligge innenfor 0–320 px. Resultatet side for side skrives til
`tilgjengelighet.txt` i testens tmp-mappe og skrives ut (`pytest -s`).

Pluss de lange handlingene (static/handling.js): knappen låses og statusen vises, skjemaet
sendes bare én gang, og uten JavaScript virker skjemaet som før.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.stotte.oppsett import PASSORD
from tests.stotte.tilgjengelighet import ROLLER, kan_se, lag_tilgjengelighetsverden, sider
from web import create_app

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]
playwright = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
expect = playwright.expect

REGLER = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_VALG = {"runOnly": {"type": "tag", "values": REGLER}, "resultTypes": ["violations"]}
SMAL = {"width": 320, "height": 640}
BRED = {"width": 1280, "height": 900}

# Elementene som stikker ut til høyre for vinduet uten å ligge i en ramme som ruller selv.
UTENFOR = """() => {
  const ut = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= window.innerWidth + 1) continue;
    let a = e.parentElement, rammet = false;
    while (a && a !== document.body) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { rammet = true; break; }
      a = a.parentElement;
    }
    if (!rammet) ut.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                         + ' ' + Math.round(r.right) + 'px');
  }
  return ut.slice(0, 5);
}"""
MENYLENKER = """() => Array.from(document.querySelectorAll('header a, header button'))
  .map(a => { const r = a.getBoundingClientRect();
              return [a.textContent.trim(), Math.round(r.left), Math.round(r.right)]; })
  .filter(([, v, h]) => v < 0 || h > 320)"""


@pytest.fixture
def oppskrift():
    return lag_tilgjengelighetsverden


@pytest.fixture
def grunnlag(forberedt):
    return forberedt


def logg_inn(kontekst, server: str, rolle: str):
    side = kontekst.new_page()
    if rolle == "anonym":
        return side
    partner = rolle.startswith("partner_")
    side.goto(server + ("/portal/logg-inn" if partner else "/logg-inn"))
    side.get_by_label("Brukernavn" if not partner else "E-postadresse").fill(
        f"{rolle[-1]}@{rolle[-1]}.example.no" if partner else rolle
    )
    side.get_by_label("Passord").fill(PASSORD)
    side.get_by_role("button", name="Logg inn").click()
    side.wait_for_load_state()
    assert "logg-inn" not in side.url, rolle
    return side


def test_axe_og_320_px_pa_hver_side_for_hver_rolle(tj, grunnlag, server, nettleser, tmp_path):
    axe = axe_playwright.Axe()
    app = create_app(tj, TESTING=True)
    alle = sider(app, grunnlag)
    resultat: dict[str, dict[str, str]] = defaultdict(dict)  # side -> rolle -> resultat
    feil = []
    for rolle in ROLLER:
        kontekst = nettleser.new_context(locale="nb-NO", viewport=BRED)
        kontekst.set_default_timeout(20_000)
        side = logg_inn(kontekst, server, rolle)
        for s in alle:
            if not kan_se(s, rolle):
                continue
            # Filer (PDF, DOCX, PNG, CSV, ICS) og sider rollen ikke får, hoppes over.
            side.set_viewport_size(BRED)
            try:
                svar = side.goto(server + s.url)
            except playwright.Error as e:
                if "Download is starting" in str(e):
                    continue
                raise
            if svar.status != 200 or "text/html" not in svar.headers.get("content-type", ""):
                continue
            brudd = axe.run(side, options=AXE_VALG).response["violations"]
            tekst = ", ".join(f"{b['id']} ×{len(b['nodes'])}" for b in brudd) or "0"
            for b in brudd:
                mal = "; ".join(n["target"][0] for n in b["nodes"][:3])
                feil.append(f"{rolle:13} {s.navn:28} axe {b['id']}: {mal}")
            side.set_viewport_size(SMAL)
            bredde = side.evaluate("document.documentElement.scrollWidth")
            smal = "ok" if bredde <= SMAL["width"] else f"{bredde}px"
            if bredde > SMAL["width"]:
                feil.append(f"{rolle:13} {s.navn:28} 320px: {bredde}px {side.evaluate(UTENFOR)}")
            if utenfor := side.evaluate(MENYLENKER):
                smal = "meny utenfor"
                feil.append(f"{rolle:13} {s.navn:28} 320px: menyen utenfor {utenfor}")
            resultat[s.navn][rolle] = f"axe {tekst}, 320px {smal}"
        kontekst.close()
    tabell = ["Side | " + " | ".join(ROLLER)]
    for navn, per_rolle in resultat.items():
        tabell.append(navn + " | " + " | ".join(per_rolle.get(r, "–") for r in ROLLER))
    rapport = "\n".join(tabell)
    (tmp_path / "tilgjengelighet.txt").write_text(rapport + "\n")
    print(f"\nTilgjengelighet ({len(resultat)} sider, axe {', '.join(REGLER)}):\n{rapport}")
    assert len(resultat) > 40, sorted(resultat)
    assert not feil, "\n".join(feil)


def test_lang_handling_laser_knappen_og_viser_fremdrift(tj, grunnlag, server, nettleser):
    utkast = grunnlag["a"]["utkast_id"]
    kontekst = nettleser.new_context(locale="nb-NO")
    kontekst.set_default_timeout(20_000)
    side = logg_inn(kontekst, server, "saksbehandler")
    side.goto(f"{server}/avtaler/{utkast}/endre")
    knapp = side.get_by_role("button", name="Lagre ny versjon")
    status = side.locator("form[data-lang-handling] [role=status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")
    # Testen stopper selve innsendingen etter handling.js (lytteren legges til etter dens),
    # så siden står stille mens den leses.
    side.evaluate(
        """() => { window.stopp = e => e.preventDefault();
                  document.querySelector('form[data-lang-handling]')
                    .addEventListener('submit', window.stopp); }"""
    )
    knapp.click()
    expect(knapp).to_be_disabled()
    expect(status).to_have_text("Lagrer og lager dokumentene …")
    expect(status.locator(".spinner")).to_have_attribute("aria-hidden", "true")
    # En innsending til (Enter i et felt, et klikk til som rakk frem) stoppes av handling.js.
    stoppet = side.evaluate(
        """() => { const f = document.querySelector('form[data-lang-handling]');
                  f.removeEventListener('submit', window.stopp);
                  const ny = new Event('submit', {cancelable: true});
                  f.dispatchEvent(ny); return ny.defaultPrevented; }"""
    )
    assert stoppet
    # Uten testens stopp: skjemaet sendes, én gang, og versjonen lagres.
    sendt = []
    side.on("request", lambda r: r.method == "POST" and sendt.append(r.url))
    side.goto(f"{server}/avtaler/{utkast}/endre")
    side.get_by_role("button", name="Lagre ny versjon").click()
    side.wait_for_url(f"{server}/avtaler/{utkast}")
    expect(side.get_by_role("status").filter(has_text="er lagret")).to_be_visible()
    assert sendt == [f"{server}/avtaler/{utkast}/endre"]
    # Spinneren står stille for den som har bedt om mindre bevegelse.
    side.emulate_media(reduced_motion="reduce")
    side.goto(f"{server}/avtaler/{utkast}/endre")
    navn = side.evaluate(
        """() => { const s = document.createElement('span'); s.className = 'spinner';
                  document.body.append(s); return getComputedStyle(s).animationName; }"""
    )
    assert navn == "none"
    kontekst.close()

    # Uten JavaScript sendes skjemaet som før.
    uten_js = nettleser.new_context(locale="nb-NO", java_script_enabled=False)
    uten_js.set_default_timeout(20_000)
    side = logg_inn(uten_js, server, "saksbehandler")
    side.goto(f"{server}/avtaler/{utkast}/endre")
    side.get_by_role("button", name="Lagre ny versjon").click()
    side.wait_for_url(f"{server}/avtaler/{utkast}")
    expect(side.get_by_role("status").filter(has_text="er lagret")).to_be_visible()
    uten_js.close()


def _luminans(farge: str) -> float:
    kanaler = [int(x) / 255 for x in farge[farge.index("(") + 1 : farge.index(")")].split(",")[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in kanaler]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def kontrast(a: str, b: str) -> float:
    lys, mork = sorted((_luminans(a), _luminans(b)), reverse=True)
    return (lys + 0.05) / (mork + 0.05)


def test_fokusringen_har_minst_3_til_1_mot_bakgrunnen(tj, grunnlag, server, nettleser):
    """WCAG 1.4.11: fokusringen (hvit innerst, nesten svart utenfor) mot bakgrunnen rundt,
    både på siden (#fafafa) og i den blå toppen, på ansattsidene og i portalen."""
    for rolle, adresse in (("saksbehandler", "/avtaler/"), ("partner_a", "/portal/")):
        kontekst = nettleser.new_context(locale="nb-NO")
        side = logg_inn(kontekst, server, rolle)
        side.goto(server + adresse)
        for lenke in (side.locator("header nav a").first, side.locator("main a").first):
            lenke.focus()
            side.keyboard.press("Shift+Tab")
            side.keyboard.press("Tab")  # fokus fra tastaturet: :focus-visible
            ring = lenke.evaluate(
                """e => { const s = getComputedStyle(e); let b = e.parentElement;
                          while (getComputedStyle(b).backgroundColor === 'rgba(0, 0, 0, 0)')
                            b = b.parentElement || document.body;
                          return [s.outlineColor, s.outlineStyle, s.boxShadow,
                                  getComputedStyle(b).backgroundColor]; }"""
            )
            indre, stil, skygge, bakgrunn = ring
            ytre = skygge[: skygge.index(")") + 1]
            assert stil == "solid", ring
            assert max(kontrast(indre, bakgrunn), kontrast(ytre, bakgrunn)) >= 3, ring
            assert kontrast(indre, ytre) >= 3, ring
        kontekst.close()
