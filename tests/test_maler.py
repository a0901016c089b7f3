"""Malsjekken og manifestet: for hver mal i maler/ (sjekken er grønn, og DOCX-filen er bygget
av skriptet sitt), og mot den ekte mønsteravtalen og ødelagte kopier av den."""

from __future__ import annotations

import importlib.util
import re

import pytest

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur.maler import MalFeil, alle_maler, les_mal, sjekk
from tests.stotte.maler import MANIFESTER, endre_tekst

MAL = "samarbeidsavtale"


# --- Hver mal -------------------------------------------------------------------------


@pytest.mark.parametrize("manifest", MANIFESTER, ids=lambda p: p.stem)
def test_malen_stemmer_med_manifestet(manifest):
    mappe, navn = manifest.parent, manifest.stem
    assert navn in alle_maler(mappe)
    assert sjekk(mappe, navn) == []


@pytest.mark.parametrize("manifest", MANIFESTER, ids=lambda p: p.stem)
def test_malfilen_er_bygget_av_skriptet(manifest, tmp_path):
    navn = manifest.stem
    skript = REPO_ROT / "tools" / f"bygg_{navn}.py"
    spec = importlib.util.spec_from_file_location(f"bygg_{navn}", skript)
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    modul.lagre(modul.bygg(), tmp_path / f"{navn}.docx")
    assert (tmp_path / f"{navn}.docx").read_bytes() == manifest.with_suffix(".docx").read_bytes(), (
        f"maler/{navn}.docx er utdatert: kjør tools/bygg_{navn}.py"
    )


# --- Mønsteravtalen -------------------------------------------------------------------


def test_variant_velges_fra_partstype():
    mal = les_mal(REPO_ROT / "maler", MAL)
    for t in ("fengsel", "friomsorgskontor", "overgangsbolig"):
        assert mal.variant_for(t).navn == "kriminalomsorg"
    for t in ("behandlingsinstitusjon", "dps", "helseforetak"):
        assert mal.variant_for(t).navn == "helse"
    assert mal.variant_for("utleier").navn == "generell"
    ordlister = [set(v.ord) for v in mal.varianter.values()]
    assert all(o == ordlister[0] for o in ordlister)


def test_syntaksfeil_gir_malnavn_og_linje(kopi_av_maler):
    endre_tekst(kopi_av_maler, MAL, "{{ varslingsfrist_dager }}", "{{ varslingsfrist_dager ")
    feil = sjekk(kopi_av_maler, MAL)
    assert len(feil) == 1
    assert re.match(r"samarbeidsavtale\.docx, linje \d+ \(«.*»\): syntaksfeil", feil[0])


def test_udeklarert_og_ubrukt_felt(kopi_av_maler):
    endre_tekst(kopi_av_maler, MAL, "varslingsfrist_dager", "varslingsfrist", alle=True)
    feil = sjekk(kopi_av_maler, MAL)
    assert any("«varslingsfrist» brukes i malen, men er ikke deklarert" in f for f in feil)
    assert any("«varslingsfrist_dager» er deklarert" in f and "brukes aldri" in f for f in feil)


def test_ordliste_som_mangler_et_ord(kopi_av_maler):
    manifest = kopi_av_maler / f"{MAL}.toml"
    tekst = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"(?m)^overgang = .*\n", "", tekst, count=1), encoding="utf-8")
    assert any("mangler ordet «overgang»" in f for f in sjekk(kopi_av_maler, MAL))


def test_ugyldig_manifest_gir_melding(kopi_av_maler):
    (kopi_av_maler / f"{MAL}.toml").write_text("[mal\nnavn=", encoding="utf-8")
    with pytest.raises(MalFeil, match="ugyldig TOML"):
        les_mal(kopi_av_maler, MAL)
    assert "ugyldig TOML" in sjekk(kopi_av_maler, MAL)[0]


def test_feltvalidering_etter_manifestet():
    mal = les_mal(REPO_ROT / "maler", MAL)
    gyldig = {
        **mal.standardverdier(),
        "kommune_kontakt_navn": "Kari",
        "kommune_kontakt_telefon": "75 14 50 00",
        "kommune_kontakt_epost": "kari@example.no",
        "gyldig_fra": "01.06.2007",
    }
    rene = mal.valider(gyldig)
    assert rene["gyldig_fra"] == "2007-06-01"
    assert rene["varslingsfrist_dager"] == 30
    with pytest.raises(Valideringsfeil) as e:
        mal.valider(
            {
                **gyldig,
                "varslingsfrist_dager": "0",
                "gyldig_fra": "31.02.2007",
                "kommune_kontakt_epost": "ikke en adresse",
                "saerlige_bestemmelser": "x" * 10_000,
                "ukjent": "1",
            }
        )
    assert set(e.value.feil) == {
        "varslingsfrist_dager",
        "gyldig_fra",
        "kommune_kontakt_epost",
        "saerlige_bestemmelser",
        "ukjent",
    }
