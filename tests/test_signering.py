"""Livsløpet og signeringen, mot ekte database, ekte LibreOffice, ekte pyHanko og en ekte
SMTP-tjener på loopback."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from dokumenter.avtaler import livslop, portal, signering, skriving
from dokumenter.avtaler.livslop import UlovligOvergang
from dokumenter.brukere import innlogging, invitasjoner, kontoer
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.felles import frister
from dokumenter.felles.feil import ForMangeForsok, IkkeFunnet, Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.infrastruktur import forsegling
from dokumenter.models import (
    Avtale,
    Bruker,
    Engangskode,
    Hendelse,
    Kommentar,
    Kontaktperson,
    Part,
    Signatar,
    Signeringsrunde,
    SignertKopi,
)
from dokumenter.parter import skriving as parter
from dokumenter.signering import skannet
from dokumenter.signering.runder import Signatarvalg
from tests.stotte.avtaler import avtalefelt
from tests.stotte.oppsett import hent, hent_bruker, lag_saksbehandler

pytestmark = pytest.mark.libreoffice
NETT = "http://localhost"  # nettadressen i testenes innstillinger


def tell(tj, modell):
    with tj.sesjoner() as s:
        return s.scalar(select(func.count()).select_from(modell))


def status(tj, avtale_id):
    with tj.sesjoner() as s:
        return s.get(Avtale, avtale_id).status


def lag_oppsett(tj):
    """To institusjoner med hver sin partnerbruker; avtale med Bodø fengsel i utkast."""
    saksbehandler = lag_saksbehandler(tj)
    bodo = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    klinikk = parter.opprett_part(
        tj,
        {"navn": "Nordlandsklinikken", "type": "behandlingsinstitusjon", "orgnr": fiktivt_orgnr(2)},
    )
    kontoer.opprett_bruker(
        tj, "leder", "Lise Leder", "admin", "passord-12345", "lise@kommune.example.no"
    )
    with tj.transaksjon() as s:  # saksbehandleren trenger e-post for varsler
        s.get(type(saksbehandler), saksbehandler.id).epost = "kari@kommune.example.no"
    a = kontoer.opprett_partnerbruker(
        tj, bodo.id, "Kåre Ødegård", "kare@bodo.example.no", "passord-12345"
    )
    b = kontoer.opprett_partnerbruker(
        tj, klinikk.id, "Berit Klinikk", "berit@klinikk.example.no", "passord-12345"
    )
    avtale = skriving.opprett_utkast(tj, bodo.id, avtalefelt(tj), saksbehandler.id, fra="test")
    return avtale.id, a.id, b.id, klinikk.id


@pytest.fixture
def oppskrift():
    """Byggingen over kjøres én gang per kjøring; hver test får en kopi (conftest.py)."""
    return lag_oppsett


@pytest.fixture
def saksbehandler(tj):
    return hent_bruker(tj, "kari")


@pytest.fixture
def oppsett(tj, forberedt):
    avtale, a, b, klinikk = forberedt
    return (
        hent(tj, Avtale, avtale),
        hent(tj, Bruker, a),
        hent(tj, Bruker, b),
        hent(tj, Part, klinikk),
    )


def kode_fra(smtp_sink, til):
    siste = smtp_sink.vent_pa(til, antall=1)
    koder = [m for m in siste if m.emne == "Engangskode for signering"]
    return re.search(r" er (\d{6})\.", koder[-1].tekst).group(1)


def start(tj, avtale, saksbehandler, partner):
    return signering.start_runde(
        tj,
        avtale.id,
        [
            Signatarvalg(saksbehandler.id, "kommune", "Enhetsleder"),
            Signatarvalg(partner.id, "part", "Fengselsleder"),
        ],
        saksbehandler.id,
        fra="test",
    )


def signer_med_kode(tj, smtp_sink, avtale_id, bruker, ip="10.0.0.1"):
    smtp_sink.tom()
    assert signering.send_kode(tj, avtale_id, bruker.id, fra="test") is None
    kode = kode_fra(smtp_sink, bruker.epost)
    return signering.signer(tj, avtale_id, bruker.id, kode, ip, fra="test")


# --- Livsløpet --------------------------------------------------------------------------


def test_ulovlige_overganger_nektes_med_tydelig_melding(tj, oppsett, saksbehandler):
    avtale, *_ = oppsett
    with pytest.raises(UlovligOvergang, match="kan ikke settes til «Avsluttet»"):
        skriving.sett_status(tj, avtale.id, "avsluttet", saksbehandler.id, "Nei")
    with pytest.raises(UlovligOvergang, match="Inngått.*siste signatur"):
        skriving.sett_status(tj, avtale.id, "inngaatt", saksbehandler.id)
    with pytest.raises(Valideringsfeil, match="begrunnelse"):
        skriving.sett_status(tj, avtale.id, "ikke_inngaatt", saksbehandler.id, "")
    assert status(tj, avtale.id) == "utkast"
    with pytest.raises(UlovligOvergang, match="sender den til signering"):
        skriving.sett_status(tj, avtale.id, "til_signering", saksbehandler.id)
    assert livslop.manuelle_overganger("utkast") == ["til_gjennomgang", "ikke_inngaatt"]
    assert "inngaatt" in livslop.manuelle_overganger("til_revisjon")


def test_hver_overgang_logges_med_hvem_og_hvorfor(tj, oppsett, saksbehandler):
    avtale, *_ = oppsett
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", saksbehandler.id, fra="web 10.1.1.1")
    skriving.sett_status(
        tj, avtale.id, "ikke_inngaatt", saksbehandler.id, "Ikke besvart", fra="web 10.1.1.1"
    )
    with tj.sesjoner() as s:
        h = s.scalars(select(Hendelse).where(Hendelse.type == "status_endret")).all()
    assert [(x.detaljer["fra_status"], x.detaljer["til_status"]) for x in h] == [
        ("utkast", "til_gjennomgang"),
        ("til_gjennomgang", "ikke_inngaatt"),
    ]
    assert h[1].detaljer["begrunnelse"] == "Ikke besvart" and h[1].fra == "web 10.1.1.1"
    assert h[1].bruker_id == saksbehandler.id


# --- Signeringsrunden --------------------------------------------------------------------


@pytest.mark.begge_databaser
def test_hel_runde_i_rekkefolge_gir_forseglet_kopi_som_verifiseres(
    tj, oppsett, saksbehandler, smtp_sink, tmp_path
):
    avtale, partner, _, _ = oppsett
    runde, feil = start(tj, avtale, saksbehandler, partner)
    assert feil == [] and status(tj, avtale.id) == "til_signering"
    varsel = smtp_sink.vent_pa("kari@kommune.example.no")
    assert f"{NETT}/avtaler/{avtale.id}/signer" in varsel[0].tekst

    # Parten kan ikke signere før det er dens tur.
    with pytest.raises(Valideringsfeil, match="ikke din tur"):
        signering.send_kode(tj, avtale.id, partner.id)
    assert signer_med_kode(tj, smtp_sink, avtale.id, saksbehandler)[0] == "aktiv"
    varsel = smtp_sink.vent_pa("kare@bodo.example.no")
    assert f"{NETT}/portal/avtaler/{avtale.id}/signer" in varsel[0].tekst

    rundestatus, feil = signer_med_kode(tj, smtp_sink, avtale.id, partner, ip="192.0.2.7")
    assert (rundestatus, feil) == ("fullfort", [])
    assert status(tj, avtale.id) == "inngaatt"
    with tj.sesjoner() as s:
        kopi = s.scalar(select(SignertKopi))
        pdf_sha = s.get(Signeringsrunde, runde.id).dokument_sha256
    data = tj.lager.les(kopi.sha256)
    assert hashlib.sha256(data).hexdigest() == kopi.sha256

    segl = tj.segl
    v = forsegling.verifiser(data, [segl.sertifikat])
    assert v.intakt and v.gyldig, v.feil
    assert v.dokument_sha256 == pdf_sha
    assert [x["navn"] for x in v.signaturer] == ["Kari Saksbehandler", "Kåre Ødegård"]
    fil = tmp_path / "signert.pdf"
    fil.write_bytes(data)
    tuklet = bytearray(data)
    tuklet[len(tuklet) // 3] ^= 0x01
    assert not forsegling.verifiser(bytes(tuklet), [segl.sertifikat]).intakt

    # Begge får melding om at kopien er klar, og begge laster ned de samme bytene.
    assert smtp_sink.vent_pa("kari@kommune.example.no", antall=1)
    navn, fra_portal = signering.les_signert_kopi(tj, kopi.id, partner.id, partner.part_id)
    _, fra_ansatt = signering.les_signert_kopi(tj, kopi.id, saksbehandler.id)
    assert fra_portal == fra_ansatt == data and navn.endswith("signert.pdf")


def test_endring_under_signering_trekker_runden(tj, oppsett, saksbehandler, smtp_sink):
    avtale, partner, _, _ = oppsett
    runde, _ = start(tj, avtale, saksbehandler, partner)
    signer_med_kode(tj, smtp_sink, avtale.id, saksbehandler)
    skriving.lagre_versjon(tj, avtale.id, avtalefelt(tj, varslingsfrist_dager=45), saksbehandler.id)
    with tj.sesjoner() as s:
        assert s.get(Signeringsrunde, runde.id).status == "trukket"
        assert s.get(Avtale, avtale.id).status == "utkast"
    with pytest.raises(Valideringsfeil, match="ingen aktiv signeringsrunde"):
        signering.send_kode(tj, avtale.id, partner.id)


def test_feil_kode_teller_og_sperrer_og_koder_er_begrenset(tj, oppsett, saksbehandler, smtp_sink):
    avtale, partner, _, _ = oppsett
    start(tj, avtale, saksbehandler, partner)
    signering.send_kode(tj, avtale.id, saksbehandler.id)
    riktig = kode_fra(smtp_sink, "kari@kommune.example.no")
    feil = "000000" if riktig != "000000" else "111111"
    for igjen in (4, 3, 2, 1):
        with pytest.raises(Valideringsfeil, match=f"{igjen} forsøk igjen"):
            signering.signer(tj, avtale.id, saksbehandler.id, feil, "ip")
    with pytest.raises(Valideringsfeil, match="Be om en ny"):
        signering.signer(tj, avtale.id, saksbehandler.id, feil, "ip")
    with pytest.raises(Valideringsfeil, match="For mange feil forsøk"):
        signering.signer(tj, avtale.id, saksbehandler.id, riktig, "ip")
    signering.send_kode(tj, avtale.id, saksbehandler.id)
    signering.send_kode(tj, avtale.id, saksbehandler.id)
    with pytest.raises(Valideringsfeil, match="mange koder"):
        signering.send_kode(tj, avtale.id, saksbehandler.id)
    with tj.sesjoner() as s:
        assert all(k.kode_hash.startswith("$argon2") for k in s.scalars(select(Engangskode)))


def test_utlopt_kode_godtas_ikke(tj, oppsett, saksbehandler, smtp_sink):
    avtale, partner, _, _ = oppsett
    start(tj, avtale, saksbehandler, partner)
    signering.send_kode(tj, avtale.id, saksbehandler.id)
    kode = kode_fra(smtp_sink, "kari@kommune.example.no")
    with tj.transaksjon() as s:
        s.execute(update(Engangskode).values(utloper=naa() - timedelta(minutes=1)))
    with pytest.raises(Valideringsfeil, match="utløpt"):
        signering.signer(tj, avtale.id, saksbehandler.id, kode, "ip")


def test_avslag_varsler_ansvarlig_og_leder_velger_videre(tj, oppsett, saksbehandler, smtp_sink):
    avtale, partner, _, _ = oppsett
    start(tj, avtale, saksbehandler, partner)
    signer_med_kode(tj, smtp_sink, avtale.id, saksbehandler)
    smtp_sink.tom()
    assert signering.avvis(tj, avtale.id, partner.id, "Varslingsfristen er for kort.") == []
    melding = smtp_sink.vent_pa("kari@kommune.example.no")[0]
    assert "Varslingsfristen er for kort." in melding.tekst and "avslått" in melding.emne
    assert status(tj, avtale.id) == "til_signering"
    skriving.sett_status(tj, avtale.id, "utkast", saksbehandler.id, "Revideres etter avslag")
    assert status(tj, avtale.id) == "utkast"


def test_signerer_valideres(tj, oppsett, saksbehandler):
    avtale, partner, annen_partner, _ = oppsett
    ugyldige = [
        ([Signatarvalg(saksbehandler.id, "kommune")], "Minst én"),
        (
            [Signatarvalg(saksbehandler.id, "kommune"), Signatarvalg(annen_partner.id, "part")],
            "ikke kontaktperson",
        ),
        ([Signatarvalg(partner.id, "kommune"), Signatarvalg(partner.id, "part")], "én gang"),
    ]
    for valg, melding in ugyldige:
        with pytest.raises(Valideringsfeil, match=melding):
            signering.start_runde(tj, avtale.id, valg, saksbehandler.id)
    assert status(tj, avtale.id) == "utkast" and tell(tj, Signeringsrunde) == 0


@pytest.mark.begge_databaser
def test_paminnelse_utlop_og_fullforing_etter_avbrudd(tj, oppsett, saksbehandler, smtp_sink):
    avtale, partner, _, _ = oppsett
    runde, _ = start(tj, avtale, saksbehandler, partner)
    assert signering.send_paminnelser(tj).paminnet == []  # nettopp varslet
    with tj.transaksjon() as s:
        s.execute(update(Signatar).values(varslet=naa() - timedelta(days=8)))
    smtp_sink.tom()
    assert len(signering.send_paminnelser(tj).paminnet) == 1
    assert smtp_sink.vent_pa("kari@kommune.example.no")[0].emne.startswith("Påminnelse")

    with tj.transaksjon() as s:
        s.execute(update(Signeringsrunde).values(frist=naa() - timedelta(minutes=1)))
    assert signering.send_paminnelser(tj).utlopt == [runde.id]
    assert status(tj, avtale.id) == "ikke_inngaatt"

    # Krasj mellom siste signatur og den signerte kopien: runden gjøres ferdig senere.
    skriving.sett_status(tj, avtale.id, "utkast", saksbehandler.id)
    runde, _ = start(tj, avtale, saksbehandler, partner)
    with tj.transaksjon() as s:
        s.execute(
            update(Signatar)
            .where(Signatar.runde_id == runde.id)
            .values(status="signert", signert=naa(), ip="10.0.0.9")
        )
    assert signering.send_paminnelser(tj).fullfort == [runde.id]
    assert status(tj, avtale.id) == "inngaatt" and tell(tj, SignertKopi) == 1
    assert signering.fullfor_runde(tj, runde.id) == []  # idempotent
    assert tell(tj, SignertKopi) == 1


def test_skannet_kopi_sjekkes_og_gir_inngatt(tj, oppsett, saksbehandler):
    avtale, *_ = oppsett
    ugyldige = [
        (b"", "Velg en PDF"),
        (b"GIF89a not a pdf", "ikke en PDF"),
        (b"%PDF-1.7\n garbage without objects", "skadet"),
        (b"%PDF-" + b"0" * (skannet.MAKS_SKANNET), "for stor"),
    ]
    for data, melding in ugyldige:
        with pytest.raises(Valideringsfeil, match=melding):
            signering.last_opp_signert(tj, avtale.id, data, saksbehandler.id)
    assert status(tj, avtale.id) == "utkast" and tell(tj, SignertKopi) == 0
    with tj.sesjoner() as s:
        pdf = tj.lager.les(s.get(Avtale, avtale.id).versjoner[0].dokument("pdf").sha256)
    kopi = signering.last_opp_signert(tj, avtale.id, pdf, saksbehandler.id, fra="test")
    assert kopi.sha256 == hashlib.sha256(pdf).hexdigest() and kopi.type == "skannet"
    assert status(tj, avtale.id) == "inngaatt"
    with tj.sesjoner() as s:  # mønsteravtalen sier evaluering i desember
        neste = s.get(Avtale, avtale.id).neste_evaluering
    assert neste == frister.neste_evaluering(date.today(), 12) and neste.month == 12
    with pytest.raises(Valideringsfeil, match="kan ikke endres"):
        skriving.lagre_versjon(
            tj, avtale.id, avtalefelt(tj, varslingsfrist_dager=45), saksbehandler.id
        )
    skriving.sett_status(tj, avtale.id, "til_revisjon", saksbehandler.id)
    skriving.sett_status(tj, avtale.id, "inngaatt", saksbehandler.id)  # revisjon avbrutt
    skriving.sett_status(tj, avtale.id, "til_revisjon", saksbehandler.id)
    skriving.lagre_versjon(tj, avtale.id, avtalefelt(tj, varslingsfrist_dager=45), saksbehandler.id)
    with pytest.raises(UlovligOvergang):  # versjon 2 er ikke signert
        skriving.sett_status(tj, avtale.id, "inngaatt", saksbehandler.id)


# --- Partnerens innsyn ---------------------------------------------------------------------


def test_partner_ser_bare_det_som_er_sendt_til_egen_institusjon(tj, oppsett, saksbehandler):
    avtale, partner, annen, klinikk = oppsett
    assert portal.avtaler_for_partner(tj, partner.part_id, partner.id) == []  # utkast er internt
    with pytest.raises(IkkeFunnet):
        portal.avtale_for_partner(tj, avtale.id, partner.part_id, partner.id)
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", saksbehandler.id)
    vist = portal.avtale_for_partner(tj, avtale.id, partner.part_id, partner.id)
    assert vist.kan_kommentere and vist.pdf_id
    portal.kommenter(tj, avtale.id, partner.part_id, partner.id, "Vi ønsker 45 dager.")
    assert tell(tj, Kommentar) == 1
    # Den andre institusjonen: verken liste, innhold, PDF eller kommentar.
    assert portal.avtaler_for_partner(tj, klinikk.id, annen.id) == []
    for kall in (
        lambda: portal.avtale_for_partner(tj, avtale.id, klinikk.id, annen.id),
        lambda: portal.forhandsvisning(tj, avtale.id, klinikk.id),
        lambda: portal.les_pdf(tj, vist.pdf_id, klinikk.id, annen.id),
        lambda: portal.kommenter(tj, avtale.id, klinikk.id, annen.id, "Hei"),
    ):
        with pytest.raises(IkkeFunnet):
            kall()
    # En eldre versjons PDF er heller ikke å få, selv for riktig institusjon.
    skriving.lagre_versjon(tj, avtale.id, avtalefelt(tj, varslingsfrist_dager=45), saksbehandler.id)
    with pytest.raises(IkkeFunnet):
        portal.les_pdf(tj, vist.pdf_id, partner.part_id, partner.id)
    assert tell(tj, Kommentar) == 1


def test_invitasjon_er_engangs_og_utloper(tj, oppsett, saksbehandler, smtp_sink):
    _, _, _, klinikk = oppsett
    with tj.transaksjon() as s:
        k = Kontaktperson(part_id=klinikk.id, navn="Nina Ny", epost="Nina@Klinikk.example.no")
        s.add(k)
        s.flush()
        kp = k.id
    lenker = []
    for _ in range(2):  # den andre invitasjonen gjør den første ugyldig
        smtp_sink.tom()
        bruker, feil = invitasjoner.inviter_partner(tj, kp, saksbehandler.id)
        assert feil is None and not bruker.aktiv and bruker.brukernavn == "nina@klinikk.example.no"
        tekst = smtp_sink.vent_pa("nina@klinikk.example.no")[0].tekst
        lenker.append(re.search(r"(http\S+)", tekst).group(1))
    assert invitasjoner.invitasjon(tj, lenker[0].rsplit("/", 1)[1]) is None
    nokkel = lenker[1].rsplit("/", 1)[1]
    assert (
        innlogging.autentiser(tj, "nina@klinikk.example.no", "!") is None
    )  # ingen innlogging ennå
    assert invitasjoner.invitasjon(tj, nokkel).id == bruker.id
    with pytest.raises(Valideringsfeil, match="ikke like"):
        invitasjoner.bruk_invitasjon(tj, nokkel, "langt-passord-1", "langt-passord-2")
    invitasjoner.bruk_invitasjon(tj, nokkel, "langt-passord-1", "langt-passord-1")
    assert (
        innlogging.autentiser(tj, "nina@klinikk.example.no", "langt-passord-1").part_id
        == klinikk.id
    )
    with pytest.raises(Valideringsfeil, match="brukt eller utløpt"):
        invitasjoner.bruk_invitasjon(tj, nokkel, "annet-passord-1", "annet-passord-1")
    assert invitasjoner.invitasjon(tj, nokkel) is None
    assert invitasjoner.invitasjon(tj, "finnes-ikke") is None


def test_innlogging_begrenses_etter_gjentatte_feil(tj, oppsett):
    """Fem feil fra én adresse stenger den adressen for brukernavnet, ikke eieren andre steder
    (tests/sikkerhet/test_sperring_som_tjenestenekt.py har resten)."""
    for _ in range(innlogging.MAKS_FEIL_PER_BRUKER_OG_IP):
        assert (
            innlogging.autentiser(tj, "kare@bodo.example.no", "feil-passord", ip="10.9.9.9") is None
        )
    with pytest.raises(ForMangeForsok, match="Vent 15 minutter"):
        innlogging.autentiser(tj, "kare@bodo.example.no", "passord-12345", ip="10.9.9.9")
    assert innlogging.autentiser(tj, "kare@bodo.example.no", "passord-12345", ip="10.9.9.8")
    assert innlogging.autentiser(tj, "leder", "passord-12345", ip="10.9.9.9") is not None
