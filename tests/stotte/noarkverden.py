"""Arkivverdenen for Noark-testene: demodataene (Rana) og i tillegg en avtale signert
elektronisk, et avvik med svar fra parten (skjermet: det gjelder en navngitt person), en
evaluering, en plan som signeres på papir, avsluttes og kasseres, og en avtale som skjermes
og får skjermingen opphevet. Alt gjennom brukstilfellene, med ekte LibreOffice og e-post."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.avvik import skriving as avvik
from dokumenter.avvik.regler import Melder
from dokumenter.brukere import kontoer
from dokumenter.cli import demo
from dokumenter.evaluering import skriving as evaluering
from dokumenter.models import Bruker, Part, Plan, Plandokument
from dokumenter.noark.skjerming import sett_skjerming
from dokumenter.parter import skriving as parter
from dokumenter.planer import avslutning, lagring, sletting
from dokumenter.planer import signering as plansignering
from dokumenter.signering.runder import Signatarvalg
from tests.stotte.oppsett import PASSORD
from tests.stotte.planverden import innhold

PLANPERSON = "Sigrid Kasserudsen"  # planen som kasseres
AVVIKSPERSON = "Petter Personsen"  # personreferansen i avviket


@dataclass
class Noarkverden:
    admin_id: int
    avtale_id: int  # signert elektronisk, med avvik og evaluering
    avvik_id: int
    skjermet_avtale_id: int  # skjermet og så åpnet igjen
    kassert_plan: str  # plannummeret
    personer: list[str] = field(default_factory=list)  # navn som aldri skal stå i uttrekket


def _kode(smtp_sink, til: str) -> str:
    siste = smtp_sink.vent_pa(til, antall=1)
    koder = [m for m in siste if m.emne == "Engangskode for signering"]
    return re.search(r" er (\d{6})\.", koder[-1].tekst).group(1)


def _signer(tj, smtp_sink, avtale_id: int, bruker) -> None:
    smtp_sink.tom()
    assert signering.send_kode(tj, avtale_id, bruker.id, fra="test") is None
    signering.signer(tj, avtale_id, bruker.id, _kode(smtp_sink, bruker.epost), "10.0.0.9")


def lag_noarkverden(tj, smtp_sink) -> Noarkverden:
    demo.last_demodata(tj)
    with tj.sesjoner() as s:
        admin = s.scalar(select(Bruker).where(Bruker.brukernavn == demo.DEMO_BRUKER))
    with tj.transaksjon() as s:
        s.get(Bruker, admin.id).epost = "leder@rana.example.no"
    admin.epost = "leder@rana.example.no"
    tromso = parter.opprett_part(
        tj,
        {
            "navn": "Tromsø fengsel",
            "type": "fengsel",
            "orgnr": demo.fiktivt_orgnr(40),
            "kontaktpersoner": [{"navn": "Tone Tromsø", "epost": "tone@tromso.example.no"}],
        },
    )
    partner = kontoer.opprett_partnerbruker(
        tj, tromso.id, "Tone Tromsø", "tone@tromso.example.no", PASSORD
    )
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, tromso.id, felt, admin.id, fra="test")
    skriving.sett_status(tj, avtale.id, "til_gjennomgang", admin.id, fra="test")  # U
    signering.start_runde(  # U
        tj,
        avtale.id,
        [Signatarvalg(admin.id, "kommune", "Rådgiver"), Signatarvalg(partner.id, "part", "Leder")],
        admin.id,
        fra="test",
    )
    _signer(tj, smtp_sink, avtale.id, admin)
    _signer(tj, smtp_sink, avtale.id, partner)  # forseglet kopi: I

    # Et avvik kommunen melder, parten svarer på og kommunen lukker (U, I, X).
    kommunen = Melder(admin.id, "admin")
    a = avvik.registrer(
        tj,
        avtale.id,
        {
            "paragraf": "§ 6 Varsling før løslatelse",
            "kategori": "varsling",
            "hendelsesdato": date.today() - timedelta(days=3),
            "oppdaget": date.today() - timedelta(days=3),
            "hva_skjedde": "Innsatt løslatt uten varsel til kommunen.",
            "person_ref": AVVIKSPERSON,
        },
        kommunen,
        fra="test",
    )
    avvik.send(tj, a.id, kommunen, fra="test")
    avvik.besvar(
        tj, a.id, "Varselet ble glemt.", "Ny rutine.", Melder(partner.id, "partner", tromso.id)
    )
    avvik.lukk(tj, a.id, "Rutinen er fulgt opp.", kommunen, fra="test")
    sett_skjerming(tj, admin.id, True, "Gjelder en navngitt person.", avvik_id=a.id)

    evaluering.evaluer(  # N
        tj,
        avtale.id,
        {
            "dato": date.today(),
            "deltakere_kommune": "Rådgiver",
            "deltakere_part": "Leder",
            "beslutning": "viderefores",
        },
        admin.id,
        fra="test",
    )

    # En avtale som skjermes og åpnes igjen (endringsloggen).
    with tj.sesjoner() as s:
        bodo = s.scalar(select(Part).where(Part.navn == "Bodø fengsel"))
        bodo_avtale = bodo.avtaler[0].id
    sett_skjerming(tj, admin.id, True, "Vurderes.", avtale_id=bodo_avtale)
    sett_skjerming(tj, admin.id, False, "Ikke grunnlag for skjerming.", avtale_id=bodo_avtale)

    # En plan som signeres på papir, avsluttes og kasseres etter oppbevaringstiden.
    plan_id = lagring.opprett(tj, PLANPERSON, date(1979, 2, 3), tromso.id, admin.id, fra="test")
    lagring.lagre_versjon(tj, plan_id, innhold(), admin.id, 0, "Første versjon", "test")  # X
    with tj.sesjoner() as s:
        pdf = s.scalar(
            select(Plandokument).where(Plandokument.plan_id == plan_id, Plandokument.type == "pdf")
        )
        skann = tj.chiffer.dekrypter(tj.lager.les(pdf.sha256))
        nummer = s.get(Plan, plan_id).nummer
    plansignering.last_opp_signert(tj, plan_id, skann, admin.id, fra="test")  # I
    slettes = avslutning.avslutt(tj, plan_id, "Flyttet.", admin.id, fra="test")
    rapport = sletting.slett_utlopte(tj, idag=slettes + timedelta(days=1), utfort_av="test")
    assert rapport.planer == [nummer]
    return Noarkverden(
        admin.id,
        avtale.id,
        a.id,
        bodo_avtale,
        nummer,
        [PLANPERSON, "Kasserudsen", AVVIKSPERSON, demo.DEMO_PERSON],
    )


def lag_meldinger(tj, bruker_id: int, antall: int) -> int:
    """Én avtale sendt til gjennomgang `antall` ganger: like mange utgående journalposter."""
    part = parter.opprett_part(
        tj,
        {
            "navn": "Bodø fengsel",
            "type": "fengsel",
            "orgnr": demo.fiktivt_orgnr(1),
            "kontaktpersoner": [{"navn": "Kari Kontakt", "epost": "k@bodo.example.no"}],
        },
    )
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **demo.AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, part.id, felt, bruker_id, fra="test")
    for _ in range(antall):
        skriving.sett_status(tj, avtale.id, "til_gjennomgang", bruker_id, fra="test")
        skriving.sett_status(tj, avtale.id, "utkast", bruker_id, fra="test")
    return avtale.id
