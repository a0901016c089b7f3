"""Innstillingene leses én gang fra miljøet, med norske feilmeldinger for ugyldige verdier."""

from __future__ import annotations

from pathlib import Path

import pytest

from dokumenter.felles.innstillinger import Innstillinger


def test_standardverdier(tmp_path: Path):
    inn = Innstillinger.fra_miljo(tmp_path, miljo={})
    assert inn.instans == tmp_path.resolve()
    assert inn.database_url == f"sqlite:///{tmp_path.resolve() / 'dokumenter.sqlite3'}"
    assert inn.indeksmappe == tmp_path.resolve() / "indeks"
    assert inn.segl_filer == (inn.seglmappe / "nokkel.pem", inn.seglmappe / "sertifikat.pem")
    assert (inn.smtp, inn.demo, inn.plannokler, inn.loggnivaa) == (None, False, (), "INFO")
    assert inn.passordprofil == "produksjon"


def test_verdier_fra_miljoet(tmp_path: Path):
    inn = Innstillinger.fra_miljo(
        tmp_path,
        miljo={
            "DOKUMENTER_PLANNOKKEL": "a, b\nc",
            "DOKUMENTER_NETTADRESSE": "https://avtaler.example.no",
            "DOKUMENTER_DEMO": "1",
            "DOKUMENTER_LOGGNIVAA": "warning",
            "PORT": "8080",
            "DOKUMENTER_SEGL_NOKKEL": "/hemmelig/n.pem",
        },
    )
    assert inn.plannokler == ("a", "b", "c")
    assert (inn.nettadresse, inn.demo, inn.loggnivaa, inn.port) == (
        "https://avtaler.example.no",
        True,
        "WARNING",
        8080,
    )
    assert inn.segl_filer[0] == Path("/hemmelig/n.pem")
    assert "plannokler" not in repr(inn) and "hemmelig_nokkel" not in repr(inn)


@pytest.mark.parametrize(
    ("navn", "verdi"),
    [
        ("PORT", "femtusen"),
        ("DOKUMENTER_DEMO", "ja"),
        ("DOKUMENTER_LOGGNIVAA", "prat"),
        ("DOKUMENTER_PLAN_OPPBEVARING_DAGER", "ti år"),
    ],
)
def test_ugyldige_verdier_gir_norsk_melding(tmp_path: Path, navn: str, verdi: str):
    with pytest.raises(ValueError, match=navn):
        Innstillinger.fra_miljo(tmp_path, miljo={navn: verdi})


def test_testprofilen_for_passord_kan_ikke_settes_fra_miljoet(tmp_path: Path):
    inn = Innstillinger.fra_miljo(tmp_path, miljo={"DOKUMENTER_PASSORDPROFIL": "test"})
    assert inn.passordprofil == "produksjon"
