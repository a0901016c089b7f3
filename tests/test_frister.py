from datetime import date

import pytest

from dokumenter.felles.frister import (
    VARSEL_DAGER,
    Fristvurdering,
    forfalte_og_snart,
    neste_evaluering,
    svarfrist,
    vurder,
)


@pytest.mark.parametrize(
    ("fra", "neste"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2023, 2, 28), date(2024, 2, 28)),
        (date(2024, 2, 28), date(2025, 2, 28)),
        (date(2028, 2, 29), date(2029, 2, 28)),
        (date(2026, 6, 15), date(2027, 6, 15)),
        (date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_neste_evaluering_ett_aar_senere_ogsaa_over_skuddaar(fra, neste):
    assert neste_evaluering(fra) == neste


@pytest.mark.parametrize(
    ("fra", "maned", "neste"),
    [
        (date(2026, 2, 20), 3, date(2027, 3, 1)),  # bare 9 dager til 1. mars i år
        (date(2026, 11, 26), 3, date(2027, 3, 1)),  # 95 dager: neste år holder
        (date(2026, 1, 15), 6, date(2026, 6, 1)),  # samme år
        (date(2026, 3, 1), 3, date(2027, 3, 1)),  # samme dag teller ikke
        (date(2026, 12, 31), 1, date(2028, 1, 1)),  # 1. januar 2027 er bare én dag unna
        (date(2026, 12, 1), 3, date(2027, 3, 1)),  # nøyaktig 90 dager: godtas
        (date(2026, 12, 2), 3, date(2028, 3, 1)),  # 89 dager: for tidlig, året etter
    ],
)
def test_neste_evaluering_med_fast_maned(fra, maned, neste):
    assert neste_evaluering(fra, maned) == neste


@pytest.mark.parametrize("maned", [0, 13, -1, True, "3", 3.0])
def test_ugyldig_fast_maned_gir_norsk_feilmelding(maned):
    with pytest.raises(ValueError, match="Ugyldig evalueringsmåned"):
        neste_evaluering(date(2026, 1, 1), maned)


def test_videreforing_regnes_fra_evalueringsdatoen():
    signert = date(2024, 2, 29)
    forste = neste_evaluering(signert)
    assert forste == date(2025, 2, 28)
    # Evalueringen holdes litt senere og besluttes videreført: ny frist regnes fra den dagen.
    assert neste_evaluering(date(2025, 3, 10)) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("frist", "status", "dager"),
    [
        (date(2026, 5, 31), "forfalt", -1),
        (date(2025, 6, 1), "forfalt", -365),
        (date(2026, 6, 1), "snart", 0),
        (date(2026, 7, 31), "snart", 60),
        (date(2026, 8, 1), "senere", 61),
    ],
)
def test_vurder_grenser(frist, status, dager):
    assert vurder(frist, date(2026, 6, 1)) == Fristvurdering(status, dager)


def test_vurder_med_eget_varselvindu():
    idag = date(2026, 6, 1)
    assert VARSEL_DAGER == 60
    assert vurder(date(2026, 6, 15), idag, varsel_dager=14) == Fristvurdering("snart", 14)
    assert vurder(date(2026, 6, 16), idag, varsel_dager=14) == Fristvurdering("senere", 15)


@pytest.mark.parametrize(
    ("sendt", "dager", "frist"),
    [
        (date(2026, 6, 1), 14, date(2026, 6, 15)),  # mandag + 14 = mandag
        (date(2026, 6, 1), 12, date(2026, 6, 15)),  # lørdag -> mandag
        (date(2026, 6, 1), 13, date(2026, 6, 15)),  # søndag -> mandag
        (date(2026, 6, 1), 11, date(2026, 6, 12)),  # fredag blir stående
        (date(2026, 12, 24), 2, date(2026, 12, 28)),  # lørdag -> mandag; helligdager ignoreres
        (date(2026, 6, 6), 0, date(2026, 6, 8)),  # sendt en lørdag med null dager
    ],
)
def test_svarfrist_flyttes_fra_helg_til_mandag(sendt, dager, frist):
    assert svarfrist(sendt, dager) == frist
    assert svarfrist(sendt, dager).weekday() < 5


def test_svarfrist_med_negative_dager_avvises():
    with pytest.raises(ValueError, match="negativt"):
        svarfrist(date(2026, 6, 1), -1)


def test_forfalte_og_snart_sorteres_og_deles():
    idag = date(2026, 6, 1)
    frister = [
        ("senere", date(2026, 12, 1)),
        ("snart-sist", date(2026, 7, 31)),
        ("forfalt-nyest", date(2026, 5, 31)),
        ("snart-forst", date(2026, 6, 1)),
        ("uten-dato", None),
        ("forfalt-eldst", date(2025, 1, 1)),
        ("snart-midt", date(2026, 6, 20)),
        ("utenfor-vindu", date(2026, 8, 1)),
    ]
    forfalte, snart = forfalte_og_snart(frister, idag)
    assert forfalte == [
        ("forfalt-eldst", date(2025, 1, 1), -516),
        ("forfalt-nyest", date(2026, 5, 31), -1),
    ]
    assert snart == [
        ("snart-forst", date(2026, 6, 1), 0),
        ("snart-midt", date(2026, 6, 20), 19),
        ("snart-sist", date(2026, 7, 31), 60),
    ]


def test_forfalte_og_snart_tar_generator_og_eget_vindu_og_er_stabil():
    idag = date(2026, 6, 1)
    frister = ((navn, date(2026, 6, 10)) for navn in ("a", "b", "c"))
    forfalte, snart = forfalte_og_snart(frister, idag, varsel_dager=9)
    assert forfalte == []
    assert [rad[0] for rad in snart] == ["a", "b", "c"]
    assert forfalte_og_snart([], idag) == ([], [])


# --- Virkedager (helg og norske helligdager) ----------------------------------------------


@pytest.mark.parametrize(
    ("fra", "til", "antall"),
    [
        (date(2026, 3, 2), date(2026, 3, 6), 4),  # mandag → fredag
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # fredag → mandag
        (date(2026, 3, 6), date(2026, 3, 6), 0),
        (date(2026, 3, 9), date(2026, 3, 6), 0),
        (date(2026, 4, 1), date(2026, 4, 7), 1),  # onsdag før påske → tirsdag etter: bare tirsdag
        (date(2026, 5, 13), date(2026, 5, 18), 2),  # Kristi himmelfart (14.) og fredag 15., mandag
        (date(2026, 12, 23), date(2026, 12, 28), 2),  # 24. og 28.; 25. og 26. er helligdager
    ],
)
def test_virkedager_mellom_hopper_over_helg_og_helligdager(fra, til, antall):
    from dokumenter.felles.frister import virkedager_mellom

    assert virkedager_mellom(fra, til) == antall


def test_legg_til_virkedager_og_er_virkedag():
    from dokumenter.felles.frister import er_virkedag, legg_til_virkedager

    assert not er_virkedag(date(2026, 5, 17))  # grunnlovsdagen (en søndag i 2026)
    assert not er_virkedag(date(2027, 5, 17))  # og en mandag i 2027
    assert not er_virkedag(date(2026, 5, 1))
    assert er_virkedag(date(2026, 5, 4))
    assert legg_til_virkedager(date(2026, 4, 1), 5) == date(2026, 4, 13)
    assert legg_til_virkedager(date(2026, 3, 6), 0) == date(2026, 3, 6)
    with pytest.raises(ValueError):
        legg_til_virkedager(date(2026, 3, 6), -1)
