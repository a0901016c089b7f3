"""Én norsk etikett per kode (dokumenter.felles.etiketter): hver kode domenene bruker, har en
etikett, en ukjent kode sier fra med en gang, og filteret `etikett` i nettsidene bruker tabellen.

Kodene leses både fra domenenes konstanter og fra kildekoden (hver `logg(..., "kode", ...)`
og hvert `hendelse="kode"`), så en ny hendelse uten etikett feiler her og ikke hos brukeren.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dokumenter.avtaler import livslop
from dokumenter.avvik import regler as avviksregler
from dokumenter.evaluering import regler as evalueringsregler
from dokumenter.felles import etiketter
from dokumenter.felles.etiketter import UkjentKode, etikett
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.planer import regler as planregler

DOKUMENTER = REPO_ROT / "dokumenter"


def _strenger(node: ast.AST) -> set[str]:
    """Strengkonstantene i et uttrykk (også begge grenene av `a if b else c`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strenger(node.body) | _strenger(node.orelse)
    return set()


def _hvilken_logg(tre: ast.Module, fil: Path) -> set[str]:
    """Hvilken logg et kall til `logg(...)` i filen skriver i (tabellene i etiketter)."""
    if fil.name == "livslop.py" and fil.parent.name == "avtaler":
        return {"avtalehendelse"}
    for node in ast.walk(tre):
        if isinstance(node, ast.ImportFrom) and any(a.name == "logg" for a in node.names):
            if node.module == "dokumenter.avtaler.livslop":
                return {"avtalehendelse"}
            if node.module == "dokumenter.planer.innsynslogg":
                return {"planhandling"}
    return set()


def koder_i_kildekoden() -> dict[str, set[tuple[str, str]]]:
    """Tabell -> {(kode, fil:linje)} for hver kode som skrives i en logg eller et varsel."""
    funnet: dict[str, set[tuple[str, str]]] = {}

    def legg_til(tabeller: set[str], koder: set[str], fil: Path, node: ast.AST) -> None:
        for tabell in tabeller:
            for kode in koder:
                sted = f"{fil.relative_to(REPO_ROT)}:{node.lineno}"
                funnet.setdefault(tabell, set()).add((kode, sted))

    for fil in sorted(DOKUMENTER.rglob("*.py")):
        if "migrations" in fil.parts or "noark" in fil.parts:
            continue  # Noark-journalen har sine egne kodeverk (noark.kodeverk)
        tre = ast.parse(fil.read_text(encoding="utf-8"))
        egen_logg = _hvilken_logg(tre, fil)
        for node in ast.walk(tre):
            if isinstance(node, ast.Call):
                f = node.func
                navn = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
                eier = ""
                if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                    eier = f.value.id
                if navn == "logg" and len(node.args) >= 3:
                    if eier == "kontologg":
                        tabeller = {"kontohandling"}
                    elif eier == "art":  # signeringsmotoren: avtalen eller planen
                        tabeller = {"avtalehendelse", "planhandling"}
                    elif eier == "":
                        tabeller = egen_logg
                    else:
                        tabeller = set()
                    legg_til(tabeller, _strenger(node.args[2]), fil, node)
                if navn == "logg_hendelse_uten_a_vente" and len(node.args) >= 2:
                    legg_til({"avtalehendelse"}, _strenger(node.args[1]), fil, node)
                for kw in node.keywords:
                    if kw.arg == "hendelse":
                        legg_til({"varselhendelse"}, _strenger(kw.value), fil, node)
                    if navn == "Hendelse" and kw.arg == "type":
                        legg_til({"avtalehendelse"}, _strenger(kw.value), fil, node)
            if isinstance(node, ast.Assign) and any(
                isinstance(m, ast.Name) and m.id == "hendelse" for m in node.targets
            ):
                legg_til({"varselhendelse"}, _strenger(node.value), fil, node)
    return funnet


def test_kildekoden_finner_loggene():
    """Skanningen må finne noe i hver logg, ellers tester den ingenting."""
    funnet = koder_i_kildekoden()
    for tabell, kjent in {
        "avtalehendelse": "signering_avvist",
        "planhandling": "runde_utlopt",
        "kontohandling": "innlogget",
        "varselhendelse": "signering_avslatt",
    }.items():
        assert kjent in {k for k, _ in funnet[tabell]}, tabell


def test_hver_kode_i_kildekoden_har_etikett():
    mangler = [
        f"{sted}: «{kode}» mangler i etiketter.{tabell}"
        for tabell, koder in koder_i_kildekoden().items()
        for kode, sted in sorted(koder)
        if kode not in etiketter.TABELLER[tabell]
    ]
    assert not mangler, "\n".join(mangler)


@pytest.mark.parametrize(
    "tabell, koder",
    [
        ("avtalestatus", livslop.OVERGANGER.keys()),
        ("avtalestatus", {s for ut in livslop.OVERGANGER.values() for s in ut}),
        ("avtalestatus", livslop.FOR_SIGNERING + livslop.KAN_ENDRES + livslop.PARTEN_SER),
        ("avtalestatus", livslop.KREVER_BEGRUNNELSE + livslop.BARE_SYSTEMET),
        ("avtalestatus", avviksregler.KAN_MELDE_AVVIK + evalueringsregler.KAN_EVALUERES),
        ("avtalestatus", planregler.AVTALER_SOM_KAN_KNYTTES),
        ("planstatus", planregler.KAN_ENDRES),
    ],
)
def test_domenenes_koder_har_etikett(tabell, koder):
    for kode in koder:
        assert etikett(tabell, kode)


def test_domenene_bruker_tabellene_her():
    assert livslop.STATUSER is etiketter.AVTALESTATUS
    assert planregler.STATUSER is etiketter.PLANSTATUS
    assert avviksregler.STATUSER is etiketter.AVVIKSSTATUS
    assert avviksregler.KATEGORIER is etiketter.AVVIKSKATEGORI
    assert evalueringsregler.BESLUTNINGER is etiketter.BESLUTNING


def test_ingen_etikett_er_selve_koden_og_ingen_er_tom():
    for navn, tabell in etiketter.TABELLER.items():
        for kode, tekst in tabell.items():
            assert tekst.strip(), (navn, kode)
            assert "_" not in tekst, (navn, kode, tekst)
            if "_" in kode or kode in ("aapen", "viderefores", "inngaatt"):
                assert tekst != kode, (navn, kode)


def test_sokets_statusfasett_gir_hver_kode_en_etikett():
    """Fasetten blander fire tabeller; en kode som står i to av dem, har samme etikett."""
    kilder = [etiketter.AVTALESTATUS, etiketter.PLANSTATUS, etiketter.AVVIKSSTATUS]
    kilder.append(etiketter.BESLUTNING)
    for tabell in kilder:
        for kode, tekst in tabell.items():
            assert etiketter.SOKESTATUS[kode] == tekst, kode
    assert set(etiketter.STATUS_FOR_ART.values()) <= set(etiketter.TABELLER)


def test_ukjent_kode_eller_tabell_sier_fra():
    with pytest.raises(UkjentKode, match="finnes_ikke"):
        etikett("avtalestatus", "finnes_ikke")
    with pytest.raises(UkjentKode):
        etikett("ingen_slik_tabell", "utkast")
    with pytest.raises(UkjentKode):
        etikett("beslutning", "")  # tom kode er ikke en beslutning
    assert etikett("avtalestatus", None) == "–"
    assert etikett("alvorlighet", "") == "Verken gjentatt eller alvorlig"


def test_filteret_i_nettsidene(app):
    with app.app_context():
        mal = app.jinja_env.from_string("{{ k|etikett('beslutning') }}")
        assert mal.render(k="sies_opp") == "Sies opp"
        assert mal.render(k=None) == "–"
        with pytest.raises(UkjentKode):
            mal.render(k="viderefores_ikke")


@pytest.mark.parametrize(
    "type_, detaljer, ventet",
    [
        ("lastet_ned", {"format": "evalueringsrapport pdf"}, "Evalueringsrapport (PDF)"),
        ("lastet_ned", {"format": "pdf", "versjon": 2}, "PDF/A av versjon 2"),
        ("lastet_ned", {"format": "avviksskjema pdf", "avvik": "2027-003"}, "avvik 2027-003"),
        ("evaluert", {"beslutning": "viderefores"}, "Beslutning: Videreføres"),
        ("evaluert", {}, "Beslutning: –"),
    ],
)
def test_revisjonsloggen_viser_ingen_koder_eller_none(type_, detaljer, ventet):
    from dokumenter.avtaler.hendelser import beskriv_hendelse
    from dokumenter.models import Hendelse

    tekst = beskriv_hendelse(Hendelse(type=type_, detaljer=detaljer), {})
    assert ventet in tekst
    assert "None" not in tekst and "_" not in tekst


@pytest.mark.parametrize("type_", ["signering_avvist", "ansvar_overfort", "lastet_ned"])
def test_revisjonssporet_i_forseglet_kopi_bruker_etiketten(type_):
    from dokumenter.avtaler.signering import _sporbeskrivelse
    from dokumenter.models import Hendelse

    tekst = _sporbeskrivelse(Hendelse(type=type_, detaljer={"format": "signert pdf"}))
    assert "_" not in tekst and "None" not in tekst
    assert tekst.startswith(etiketter.AVTALEHENDELSE[type_])
