from datetime import date

import pytest

from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.felles.formatering import dato_kort, dato_lang, orgnr
from dokumenter.felles.validering import les_dato, normaliser_orgnr, orgnr_feil, rens_tekst


@pytest.mark.parametrize("nummer", ["974760673", "923609016", fiktivt_orgnr(1), fiktivt_orgnr(42)])
def test_gyldige_organisasjonsnumre(nummer):
    assert orgnr_feil(nummer) is None


@pytest.mark.parametrize(
    ("nummer", "melding"),
    [
        ("974760674", "kontrollsifferet"),
        ("12345678", "9 siffer"),
        ("1234567890", "9 siffer"),
        ("97476067a", "9 siffer"),
        ("", "9 siffer"),
    ],
)
def test_ugyldige_organisasjonsnumre(nummer, melding):
    assert melding in orgnr_feil(nummer)


def test_orgnr_med_mellomrom_normaliseres_og_formateres():
    assert normaliser_orgnr(" 974 760 673 ") == "974760673"
    assert orgnr("974760673") == "974 760 673"


def test_kontrolltegn_og_ugyldige_xml_tegn_fjernes():
    assert rens_tekst("A\x00B\x07C\x1fD\ufffe") == "ABCD"
    assert rens_tekst("linje 1\r\nlinje 2", flerlinjet=True) == "linje 1\nlinje 2"
    assert rens_tekst("linje 1\nlinje 2") == "linje 1 linje 2"
    assert rens_tekst("Ærlig & <ærbødig>") == "Ærlig & <ærbødig>"


def test_norske_datoer():
    assert dato_lang(date(2007, 6, 1)) == "1. juni 2007"
    assert dato_kort(date(2008, 4, 14)) == "14.04.2008"
    assert les_dato("14.04.2008") == date(2008, 4, 14)
    assert les_dato("2008-04-14") == date(2008, 4, 14)
    with pytest.raises(ValueError):
        les_dato("31.02.2008")
