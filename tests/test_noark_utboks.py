"""Utboksen til sak/arkiv (Fiks Arkiv): hver journalpost blir én gyldig arkivmelding, som
leveres til mappen én gang, også når send-utboks drepes midt i og kjøres igjen; en
kvittering gir arkivets numre; feil blir stående med antall forsøk; Fiks IO sier hva den
trenger."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid

import pytest
from lxml import etree
from sqlalchemy import select

from dokumenter.felles.innstillinger import REPO_ROT, ArkivOppsett, FiksIoOppsett
from dokumenter.models import Arkivmelding
from dokumenter.noark import utboks
from dokumenter.noark.transport import Mappetransport, lag_transport
from dokumenter.noark.xml import FIKS_KV, FIKS_OPPRETT, XSI
from tests.stotte.noarkverden import lag_meldinger

pytestmark = pytest.mark.libreoffice


def kvittering(saksaar: int, sekvens: int, journalpostnummer: int) -> bytes:
    """En arkivmeldingKvittering slik sak/arkiv sender den (gyldig mot KS' skjema)."""
    ns = {None: FIKS_KV, "xsi": XSI}
    rot = etree.Element(f"{{{FIKS_KV}}}arkivmeldingKvittering", nsmap=ns)
    mappe = etree.SubElement(rot, f"{{{FIKS_KV}}}mappeKvittering")
    mappe.set(f"{{{XSI}}}type", "saksmappeKvittering")
    for navn, verdi in (
        ("systemID", uuid.uuid4()),
        ("opprettetEllerEksisterende", "Opprettet"),
        ("saksaar", saksaar),
        ("sakssekvensnummer", sekvens),
    ):
        etree.SubElement(mappe, f"{{{FIKS_KV}}}{navn}").text = str(verdi)
    reg = etree.SubElement(rot, f"{{{FIKS_KV}}}registreringKvittering")
    reg.set(f"{{{XSI}}}type", "journalpostKvittering")
    for navn, verdi in (
        ("systemID", uuid.uuid4()),
        ("opprettetEllerEksisterende", "Opprettet"),
        ("journalaar", saksaar),
        ("journalsekvensnummer", 4000 + journalpostnummer),
        ("journalpostnummer", journalpostnummer),
    ):
        etree.SubElement(reg, f"{{{FIKS_KV}}}{navn}").text = str(verdi)
    return etree.tostring(rot, xml_declaration=True, encoding="UTF-8")


def statuser(tj) -> dict[str, str]:
    with tj.sesjoner() as s:
        return dict(s.execute(select(Arkivmelding.meldings_id, Arkivmelding.status)).all())


def sjekk_levert_en_gang(tj) -> None:
    """Hver melding ligger i utboksen nøyaktig én gang, hel, og ingenting annet ligger der."""
    rot = tj.innstillinger.utboks
    meldinger = statuser(tj)
    mapper = {p.name for p in rot.iterdir() if p.is_dir()} - {"kvitteringer", "hentet"}
    assert mapper == set(meldinger), "halvskrevne eller fremmede mapper i utboksen"
    skjema = etree.XMLSchema(etree.parse(str(FIKS_OPPRETT)))
    for meldings_id in meldinger:
        mappe = rot / meldings_id
        beskrivelse = json.loads((mappe / "melding.json").read_text())
        assert beskrivelse["meldingsId"] == meldings_id
        dok = etree.parse(str(mappe / "arkivmelding.xml"))
        assert skjema.validate(dok), skjema.error_log
        for do in dok.iter("{*}dokumentobjekt"):
            fil = mappe / do.findtext("{*}referanseDokumentfil")
            assert hashlib.sha256(fil.read_bytes()).hexdigest() == do.findtext("{*}sjekksum")


@pytest.mark.begge_databaser
def test_meldingene_leveres_kvitteres_og_feil_blir_staende(tj, saksbehandler):
    lag_meldinger(tj, saksbehandler.id, 3)
    with tj.sesjoner() as s:
        meldinger = s.scalars(select(Arkivmelding).order_by(Arkivmelding.id)).all()
    assert len(meldinger) == 3 and {m.status for m in meldinger} == {"ny"}
    assert "<mappe" in meldinger[0].xml and "<mappe" not in meldinger[1].xml  # sakens første

    r = utboks.send_utboks(tj)
    assert sorted(r.sendt) == sorted(m.meldings_id for m in meldinger) and not r.feilet
    sjekk_levert_en_gang(tj)
    assert utboks.send_utboks(tj).sendt == []  # ingenting sendes to ganger

    innboks = tj.innstillinger.utboks / "kvitteringer"
    forste, andre, tredje = (m.meldings_id for m in meldinger)
    (innboks / f"{forste}.xml").write_bytes(kvittering(2026, 123, 1))
    (innboks / f"{andre}.xml").write_bytes(b"<arkivmeldingKvittering/>")  # ikke gyldig
    ugyldig = (
        '<ugyldigforespoersel xmlns="https://ks-no.github.io/standarder/fiks-protokoll/'
        'fiks-arkiv/feil/feilmelding/v1"><feilId>F1</feilId><feilmelding>Ukjent klasse'
        "</feilmelding></ugyldigforespoersel>"
    )
    (innboks / f"{tredje}.xml").write_text(ugyldig)
    r = utboks.send_utboks(tj)
    assert r.kvittert == [forste]
    assert [f for f, _ in r.avviste_kvitteringer] == [f"{andre}.xml"]
    with tj.sesjoner() as s:
        m1, m2, m3 = (
            s.scalar(select(Arkivmelding).where(Arkivmelding.meldings_id == i))
            for i in (forste, andre, tredje)
        )
        assert (m1.status, m1.arkivets_saksnummer, m1.arkivets_journalpostnummer) == (
            "kvittert",
            "2026/123",
            "2026/123-1",
        )
        assert m2.status == "sendt" and "ugyldig kvittering" in m2.feil
        assert m3.status == "feilet" and "Ukjent klasse" in m3.feil
    assert (innboks / "avvist" / f"{andre}.xml").exists()
    fast = utboks.fastlaaste(tj)
    assert [f.meldings_id for f in fast] == [tredje]

    utboks.send_paa_nytt(tj, fast[0].id, saksbehandler.id)
    assert utboks.send_utboks(tj).sendt == [tredje]  # alt levert: merkes, skrives ikke igjen
    sjekk_levert_en_gang(tj)


def test_fiks_io_sier_hva_den_trenger(tj, saksbehandler):
    lag_meldinger(tj, saksbehandler.id, 1)
    fiks = FiksIoOppsett("konto-a", "integrasjon", "hemmelig", tj.innstillinger.instans, "konto-b")
    tj.innstillinger = tj.innstillinger.med(
        arkivoppsett=ArkivOppsett(transport="fiks-io", fiks_io=fiks)
    )
    assert lag_transport(tj).navn == "fiks-io"
    r = utboks.send_utboks(tj)
    assert r.sendt == [] and len(r.feilet) == 1
    melding = r.feilet[0][1]
    assert "Fiks IO-konto" in melding and "konto-b" in melding and "hemmelig" not in melding
    with tj.sesjoner() as s:
        m = s.scalar(select(Arkivmelding))
        assert (m.status, m.forsok) == ("feilet", 1)


def _send_utboks(tj, feilpunkt: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "DOKUMENTER_INSTANS": str(tj.innstillinger.instans)}
    if feilpunkt:
        env["DOKUMENTER_FEILPUNKT"] = feilpunkt
    return subprocess.Popen(
        [sys.executable, "-m", "dokumenter", "arkiv", "send-utboks"],
        cwd=REPO_ROT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_sigkill_under_send_utboks_gir_hver_melding_en_gang(tj, saksbehandler):
    lag_meldinger(tj, saksbehandler.id, 25)
    # Stopp på faste punkter: midt i en melding, og etter levering før databasen vet det.
    for punkt in ("utboks_skriver", "utboks_levert"):
        barn = _send_utboks(tj, punkt)
        assert barn.wait(timeout=120) == 86, barn.stderr.read()
    assert list(statuser(tj).values()).count("sendt") == 0
    # SIGKILL på tilfeldige tidspunkt, så en vanlig kjøring til slutt.
    rng = random.Random(15)
    for _ in range(4):
        barn = _send_utboks(tj)
        time.sleep(rng.uniform(0.8, 2.5))
        barn.send_signal(signal.SIGKILL)
        barn.wait(timeout=30)
    barn = _send_utboks(tj)
    assert barn.wait(timeout=120) == 0, barn.stderr.read()
    assert set(statuser(tj).values()) == {"sendt"}
    sjekk_levert_en_gang(tj)
    assert not list(tj.innstillinger.utboks.glob(".skrives-*"))
    assert isinstance(lag_transport(tj), Mappetransport)
