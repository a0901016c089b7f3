"""E-post over ekte SMTP på loopback, mot den lokale SMTP-sinken (ingen mocks)."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger, SmtpOppsett
from dokumenter.infrastruktur.epost import Epost, EpostFeil, send
from dokumenter.infrastruktur.smtpsink import SmtpSink, les_mappe

EMNE = "Husleieavtale for Ærøveien 5 – søknad mottatt"
TEKST = (
    "Hei Åse Øvrebø!\n\nVi har mottatt søknaden din om bolig på Ærøveien.\nHilsen Bærum kommune\n"
)


@pytest.fixture
def sink():
    with SmtpSink() as s:
        yield s


def ledig_port() -> int:
    """En port ingen lytter på (bundet og sluppet igjen)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_aeoeaa_i_emne_og_tekst_kommer_fram_dekodet(sink: SmtpSink) -> None:
    send(
        sink.oppsett(avsender="Bolig <bolig@kommune.example.no>"),
        Epost("ola@example.no", EMNE, TEKST),
    )

    [mottatt] = sink.vent_pa("ola@example.no")
    assert mottatt.emne == EMNE
    assert mottatt.tekst == TEKST
    assert mottatt.til == ["ola@example.no"]
    assert mottatt.fra == "bolig@kommune.example.no"
    melding = mottatt.melding()
    assert melding["From"] == "Bolig <bolig@kommune.example.no>"
    assert re.fullmatch(r"<.+@kommune\.example\.no>", melding["Message-ID"])
    assert melding["Date"].datetime is not None
    assert melding.get_content_charset() == "utf-8"
    # Alt er kodet (RFC 2047 og quoted-printable): rå meldingen er ren ASCII.
    assert mottatt.kilde.isascii()


def test_vent_pa_venter_til_alle_har_kommet(sink: SmtpSink) -> None:
    def send_senere() -> None:
        time.sleep(0.2)
        for i in range(2):
            send(sink.oppsett(), Epost("kari@example.no", f"Melding {i}", "tekst"))

    trad = threading.Thread(target=send_senere)
    trad.start()
    try:
        mottatt = sink.vent_pa("Kari@Example.no", antall=2, timeout=5)
    finally:
        trad.join()
    assert [m.emne for m in mottatt] == ["Melding 0", "Melding 1"]
    assert len(sink.meldinger()) == 2

    with pytest.raises(TimeoutError, match="Fikk 0 av 1"):
        sink.vent_pa("noen.andre@example.no", timeout=0.2)

    sink.tom()
    assert sink.meldinger() == []


@pytest.mark.parametrize(
    ("til", "emne"),
    [
        ("ola@example.no", "Hei\r\nBcc: spion@example.no"),
        ("ola@example.no", "Hei\nBcc: spion@example.no"),
        ("ola@example.no\r\nBcc: spion@example.no", "Hei"),
        ("ola@example.no", "Hei\u2028Bcc: spion@example.no"),
    ],
)
def test_header_injeksjon_avvises_og_ingenting_sendes(sink: SmtpSink, til: str, emne: str) -> None:
    with pytest.raises(EpostFeil, match="linjeskift"):
        send(sink.oppsett(), Epost(til, emne, "tekst"))

    send(sink.oppsett(), Epost("kontroll@example.no", "Kontroll", "tekst"))
    sink.vent_pa("kontroll@example.no")
    assert [m.emne for m in sink.meldinger()] == ["Kontroll"]


@pytest.mark.parametrize("til", ["ikke-en-adresse", "ola@", "ola@@example.no", "ola@example", ""])
def test_ugyldig_adresse_avvises(sink: SmtpSink, til: str) -> None:
    with pytest.raises(EpostFeil, match="ikke en gyldig e-postadresse"):
        send(sink.oppsett(), Epost(til, "Hei", "tekst"))
    assert sink.meldinger() == []


def test_ingen_lytter_gir_epostfeil_innen_tidsavbruddet() -> None:
    port = ledig_port()
    oppsett = SmtpOppsett("127.0.0.1", port, "dokumenter@localhost", None, None, False, timeout=2)
    start = time.monotonic()
    with pytest.raises(EpostFeil) as feil:
        send(oppsett, Epost("ola@example.no", "Hei", "tekst"))
    assert time.monotonic() - start < 2.5
    assert str(feil.value).startswith("Kunne ikke sende e-post til ola@example.no: SMTP-serveren")
    assert f"svarte ikke (127.0.0.1:{port}" in str(feil.value)


def test_server_som_aldri_hilser_gir_tidsavbrudd() -> None:
    with socket.create_server(("127.0.0.1", 0)) as stum:
        port = stum.getsockname()[1]
        oppsett = SmtpOppsett("127.0.0.1", port, "dokumenter@localhost", None, None, False, 0.3)
        start = time.monotonic()
        with pytest.raises(EpostFeil, match="svarte ikke .*tidsavbrudd"):
            send(oppsett, Epost("ola@example.no", "Hei", "tekst"))
        assert time.monotonic() - start < 2


def test_eml_filer_og_les_mappe(tmp_path: Path) -> None:
    mappe = tmp_path / "epost"
    assert les_mappe(mappe) == []
    with SmtpSink(mappe=mappe) as sink:
        send(sink.oppsett(), Epost("ola@example.no", "Første", "én"))
        sink.vent_pa("ola@example.no")
        send(sink.oppsett(), Epost("kari@example.no", EMNE, TEKST))
        sink.vent_pa("kari@example.no")
        i_minnet = sink.meldinger()

    filer = sorted(mappe.glob("*.eml"))
    assert len(filer) == 2
    assert not list(mappe.glob(".*"))  # ingen halvskrevne tmp-filer igjen

    lest = les_mappe(mappe)
    assert [m.emne for m in lest] == [EMNE, "Første"]  # nyeste først
    assert lest[0].tekst == TEKST
    assert lest[0].til == ["kari@example.no"]
    assert lest[0].fra == "dokumenter@localhost"
    assert lest[0].tidspunkt == i_minnet[1].tidspunkt
    assert lest[1].tekst == "én\n"
    assert {m.fil for m in lest} == set(filer)


def test_fra_miljo(monkeypatch: pytest.MonkeyPatch) -> None:
    for navn in ("VERT", "PORT", "AVSENDER", "BRUKER", "PASSORD", "STARTTLS"):
        monkeypatch.delenv(f"DOKUMENTER_SMTP_{navn}", raising=False)
    assert Innstillinger.fra_miljo().smtp is None

    monkeypatch.setenv("DOKUMENTER_SMTP_VERT", "smtp.kommune.example.no")
    standard = Innstillinger.fra_miljo().smtp
    assert standard == SmtpOppsett(
        "smtp.kommune.example.no", 25, "dokumenter@localhost", None, None, False
    )

    monkeypatch.setenv("DOKUMENTER_SMTP_PORT", "587")
    monkeypatch.setenv("DOKUMENTER_SMTP_AVSENDER", "post@kommune.example.no")
    monkeypatch.setenv("DOKUMENTER_SMTP_BRUKER", "tjeneste")
    monkeypatch.setenv("DOKUMENTER_SMTP_PASSORD", "hemmelig-123")
    monkeypatch.setenv("DOKUMENTER_SMTP_STARTTLS", "1")
    oppsett = Innstillinger.fra_miljo().smtp
    assert oppsett == SmtpOppsett(
        "smtp.kommune.example.no", 587, "post@kommune.example.no", "tjeneste", "hemmelig-123", True
    )
    assert "hemmelig" not in repr(oppsett)

    monkeypatch.setenv("DOKUMENTER_SMTP_PORT", "tjuefem")
    with pytest.raises(ValueError, match="DOKUMENTER_SMTP_PORT"):
        Innstillinger.fra_miljo()


def test_kommandolinje(tmp_path: Path) -> None:
    prosess = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dokumenter.infrastruktur.smtpsink",
            "--port",
            "0",
            "--mappe",
            str(tmp_path),
        ],
        cwd=REPO_ROT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert prosess.stdout is not None
        linje = prosess.stdout.readline()
        treff = re.search(r"SMTP-sinken lytter på 127\.0\.0\.1:(\d+)", linje)
        assert treff, linje
        oppsett = SmtpOppsett("127.0.0.1", int(treff[1]), "dokumenter@localhost", None, None, False)
        send(oppsett, Epost("ola@example.no", EMNE, TEKST))
        assert "Mottatt e-post til ola@example.no" in prosess.stdout.readline()
        [lest] = les_mappe(tmp_path)
        assert (lest.emne, lest.tekst) == (EMNE, TEKST)
    finally:
        prosess.send_signal(signal.SIGTERM)
        ut, _ = prosess.communicate(timeout=5)
    assert prosess.returncode == 0
    assert "stoppet" in ut
