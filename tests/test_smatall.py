"""Regelen for små tall: 1–4 vises som «under 5», og en sum med nøyaktig én skjult del får
en del til skjult, så det skjulte tallet ikke kan regnes ut."""

from __future__ import annotations

import itertools

import pytest

from dokumenter.felles.smatall import SKJULT, UNDER, gruppe, skjerm_tabell, vis


@pytest.mark.parametrize(("n", "tekst"), [(0, "0"), (1, UNDER), (4, UNDER), (5, "5"), (17, "17")])
def test_ett_tall(n, tekst):
    assert vis(n).tekst == tekst
    assert vis(n).skjult == (0 < n < 5)


def test_en_skjult_del_av_en_synlig_sum_skjuler_en_del_til():
    total, deler = gruppe(12, {"fast": 9, "midlertidig": 3, "uten": 0})
    assert total.tekst == "12"
    assert deler["midlertidig"].tekst == UNDER
    assert deler["fast"].tekst == SKJULT  # ellers er 12 − 9 − 0 = 3
    assert deler["uten"].tekst == "0"


def test_to_skjulte_deler_trenger_ingen_sekundaer_skjerming():
    total, deler = gruppe(15, {"a": 9, "b": 3, "c": 3})
    assert [d.tekst for d in deler.values()] == ["9", UNDER, UNDER]
    assert total.tekst == "15"


def test_liten_sum_skjuler_alt():
    total, deler = gruppe(3, {"a": 2, "b": 1, "c": 0})
    assert total.tekst == UNDER
    assert [d.tekst for d in deler.values()] == [UNDER, UNDER, "0"]


def _kan_regnes_ut(celler, skjermet) -> bool:
    """Kan en skjult celle regnes ut fra en rad eller kolonne der resten og summen vises?"""
    rader = len(celler)
    bredde = len(celler[0])
    linjer = [[(i, k) for k in range(bredde)] for i in range(rader)]
    linjer += [[(i, k) for i in range(rader)] for k in range(bredde)]
    summer = [*skjermet.radsummer, *skjermet.kolonnesummer]
    for posisjoner, s in zip(linjer, summer, strict=True):
        skjulte = [p for p in posisjoner if skjermet.celler[p[0]][p[1]].skjult]
        if len(skjulte) == 1 and not s.skjult:
            return True
    return False


def test_krysstabell_kan_ikke_regnes_baklengs():
    """Alle 3×3-tabeller med tall fra {0, 1, 2, 6}: ingen skjult celle kan regnes ut fra en
    synlig rad- eller kolonnesum."""
    for verdier in itertools.islice(itertools.product((0, 1, 2, 6), repeat=9), 0, None, 31):
        celler = [list(verdier[0:3]), list(verdier[3:6]), list(verdier[6:9])]
        skjermet = skjerm_tabell(celler)
        assert not _kan_regnes_ut(celler, skjermet), celler
        for i, k in itertools.product(range(3), range(3)):
            if 0 < celler[i][k] < 5:
                assert skjermet.celler[i][k].skjult
