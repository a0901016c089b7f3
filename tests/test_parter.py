import pytest
from sqlalchemy import func, select

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.models import Kontaktperson, Part
from dokumenter.parter.skriving import endre_part, opprett_part

pytestmark = pytest.mark.begge_databaser

GYLDIG = {
    "navn": "Bodø fengsel",
    "type": "fengsel",
    "orgnr": "974 760 673",
    "adresse": "Bodø",
    "kontaktpersoner": [
        {
            "navn": "Åse Ødegård",
            "rolle": "Sosialkonsulent",
            "epost": "ase@example.no",
            "telefon": "+47 900 00 001",
        },
        {"navn": "", "rolle": "", "epost": "", "telefon": ""},
    ],
}


def antall(tj, modell):
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(modell))


def test_part_med_kontaktperson_lagres(tj):
    part = opprett_part(tj, GYLDIG)
    with tj.sesjoner() as s:
        lagret = s.get(Part, part.id)
        assert lagret.orgnr == "974760673"
        assert [k.navn for k in lagret.kontaktpersoner] == ["Åse Ødegård"]


@pytest.mark.parametrize(
    ("endring", "felt"),
    [
        ({"navn": ""}, "navn"),
        ({"navn": "x" * 10_000}, "navn"),
        ({"type": "sykehjem"}, "type"),
        ({"orgnr": "974760674"}, "orgnr"),
        ({"adresse": "y" * 10_000}, "adresse"),
        ({"kontaktpersoner": [{"navn": "", "epost": "ikke-epost"}]}, "kontaktpersoner-0-navn"),
        ({"kontaktpersoner": [{"navn": "A", "epost": "ikke-epost"}]}, "kontaktpersoner-0-epost"),
        ({"kontaktpersoner": [{"navn": "A", "telefon": "ring meg"}]}, "kontaktpersoner-0-telefon"),
    ],
)
def test_ugyldig_part_gir_norsk_melding_og_ingen_rader(tj, endring, felt):
    with pytest.raises(Valideringsfeil) as e:
        opprett_part(tj, {**GYLDIG, **endring})
    assert felt in e.value.feil
    assert antall(tj, Part) == 0
    assert antall(tj, Kontaktperson) == 0


def test_duplikat_navn_og_orgnr_avvises(tj):
    opprett_part(tj, GYLDIG)
    with pytest.raises(Valideringsfeil) as e:
        opprett_part(tj, GYLDIG)
    assert set(e.value.feil) == {"navn", "orgnr"}
    assert antall(tj, Part) == 1


def test_endring_erstatter_kontaktpersoner(tj):
    part = opprett_part(tj, GYLDIG)
    endre_part(tj, part.id, {**GYLDIG, "kontaktpersoner": [{"navn": "Ny Person"}]})
    with tj.sesjoner() as s:
        assert [k.navn for k in s.get(Part, part.id).kontaktpersoner] == ["Ny Person"]
