"""Funn 9: en opplasting på 200 MB ble lest inn i sin helhet før svaret 413. `python -m web`
ber nå waitress avvise innhold større enn den største lovlige opplastingen
(MAKS_FILOPPLASTING) før det leses. Prøvd mot den ekte tjeneren i egen prosess."""

from __future__ import annotations

import select
import socket

from web import MAKS_FILOPPLASTING

MB = 1024 * 1024
STORT = 200 * MB
BLOKK = b"\0" * (64 * 1024)


def _svar(s: socket.socket, sekunder: float) -> bytes:
    """Det tjeneren har svart innen `sekunder` (tomt hvis ingenting)."""
    lesbar, _, _ = select.select([s], [], [], sekunder)
    if not lesbar:
        return b""
    try:
        return s.recv(65536)
    except ConnectionResetError:
        return b"(tilbakestilt)"


def _send_til_svar(s: socket.socket, stoppe_ved: int, chunked: bool) -> tuple[int, bytes]:
    """Send innhold blokk for blokk til tjeneren svarer; gir (sendt, svaret)."""
    sendt = 0
    while sendt < stoppe_ved:
        if svar := _svar(s, 0):
            return sendt, svar
        data = b"%x\r\n%s\r\n" % (len(BLOKK), BLOKK) if chunked else BLOKK
        try:
            s.sendall(data)
        except OSError:  # tjeneren har lukket; svaret ligger klart
            break
        sendt += len(BLOKK)
    return sendt, _svar(s, 10)


def _hode(port: int, lengde: str) -> bytes:
    return (
        f"POST /avtaler/1/signert-kopi HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\n{lengde}\r\n\r\n"
    ).encode()


def test_oppgitt_for_stort_innhold_avvises_uten_a_leses(webtjener):
    _, port = webtjener(DOKUMENTER_DEMO="1")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(_hode(port, f"Content-Length: {STORT}"))
        s.sendall(BLOKK * 16)  # 1 MB av 200
        svar = _svar(s, 10)  # uten grensen venter tjeneren på resten
    assert svar.startswith(b"HTTP/1.1 413"), svar[:200]


def test_for_stort_innhold_i_biter_avvises_ved_grensen(webtjener):
    _, port = webtjener(DOKUMENTER_DEMO="1")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(_hode(port, "Transfer-Encoding: chunked"))
        sendt, svar = _send_til_svar(s, STORT, chunked=True)
    assert svar.startswith(b"HTTP/1.1 413"), svar[:200]
    # Avvist ved grensen (pluss det som lå i nettverksbufferne), ikke etter 200 MB.
    assert sendt < MAKS_FILOPPLASTING + 16 * MB, sendt


def test_vanlige_skjemaer_har_fortsatt_appens_grense_med_norsk_melding(webtjener):
    _, port = webtjener(DOKUMENTER_DEMO="1")
    innhold = b"x=" + b"a" * (3 * MB)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(
            f"POST /logg-inn HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(innhold)}\r\nConnection: close\r\n\r\n".encode()
            + innhold
        )
        svar = b""
        while blokk := s.recv(65536):
            svar += blokk
    assert svar.startswith(b"HTTP/1.1 413")
    assert "Innsendingen er for stor (maks 2 MB)." in svar.decode()
