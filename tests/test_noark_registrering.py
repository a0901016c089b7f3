"""Journalføringen i samme transaksjon som hendelsen: saksnummer og journalnummer som aldri
gjenbrukes (også når to lagrer samtidig), journalposter som ikke kan endres, planer som
aldri navngir personen, og en prosess uten arkivet koblet til journalfører ingenting stille
bort."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.felles.feil import Oppsettsfeil
from dokumenter.models import Arkivmelding, Avtale, Journalpost, Saksmappe
from dokumenter.noark.etterregistrering import etterregistrer
from dokumenter.parter import skriving as parter
from dokumenter.tjenester import IkkeKobletJournal
from tests.stotte.planverden import PERSON, lag_planverden

pytestmark = pytest.mark.libreoffice


def _felt(tj):
    return {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}


@pytest.mark.begge_databaser
def test_saksnummer_og_journalnummer_er_unike_ogsa_samtidig(tj, saksbehandler):
    parter_ = [
        parter.opprett_part(
            tj, {"navn": f"Fengsel {i}", "type": "fengsel", "orgnr": fiktivt_orgnr(20 + i)}
        )
        for i in range(4)
    ]
    feil: list[Exception] = []

    def opprett(part_id: int) -> None:
        try:
            a = skriving.opprett_utkast(tj, part_id, _felt(tj), saksbehandler.id)
            skriving.sett_status(tj, a.id, "til_gjennomgang", saksbehandler.id)
        except Exception as e:  # noqa: BLE001 (tråden skal melde alt)
            feil.append(e)

    traader = [threading.Thread(target=opprett, args=(p.id,)) for p in parter_]
    for t in traader:
        t.start()
    for t in traader:
        t.join()
    assert feil == []
    with tj.sesjoner() as s:
        mapper = s.scalars(select(Saksmappe).order_by(Saksmappe.sakssekvensnummer)).all()
        assert [m.sakssekvensnummer for m in mapper] == [1, 2, 3, 4]
        assert len({m.system_id for m in mapper}) == 4
        poster = s.scalars(select(Journalpost).order_by(Journalpost.journalsekvensnummer)).all()
        assert [p.journalsekvensnummer for p in poster] == [1, 2, 3, 4]
        assert {p.journalpostnummer for p in poster} == {1}
        assert {p.journalposttype for p in poster} == {"U"}
        assert s.scalar(select(func.count()).select_from(Arkivmelding)) == 4
    with pytest.raises(IntegrityError, match="kan bare få nye rader"), tj.transaksjon() as s:
        s.execute(text("UPDATE journalpost SET tittel = 'endret'"))


def test_planen_navngis_aldri_og_er_alltid_skjermet(tj):
    verden = lag_planverden(tj)
    with tj.sesjoner() as s:
        mappe = s.scalar(select(Saksmappe).where(Saksmappe.plan_id == verden.plan_id))
        assert mappe.tittel.startswith("Individuell plan IP-")
        tekster = [mappe.tittel, mappe.offentlig_tittel]
        for jp in s.scalars(select(Journalpost).where(Journalpost.saksmappe_id == mappe.id)):
            tekster += [jp.tittel, jp.offentlig_tittel, jp.korrespondansepart, jp.kontaktperson]
        tekster += [m.xml for m in s.scalars(select(Arkivmelding))]
    assert not [t for t in tekster if PERSON in t or "Nordmann" in t]
    assert any("<skjerming>" in t for t in tekster)  # meldingen til sak/arkiv er skjermet


def test_uten_arkivet_koblet_til_lagres_ingenting(tj, saksbehandler):
    data = {"navn": "Mo fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(30)}
    part = parter.opprett_part(tj, data)
    tj.journal = IkkeKobletJournal()
    with pytest.raises(Oppsettsfeil, match="ikke koblet til"):
        skriving.opprett_utkast(tj, part.id, _felt(tj), saksbehandler.id)
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Avtale)) == 0


class UtenArkiv:
    """Som en instans fra før migrering 0010: ingenting journalføres."""

    def ny_sak(self, *_: object) -> None:
        pass

    registrer = kasser_plan = ny_sak


@pytest.mark.begge_databaser
def test_etterregistrering_av_det_som_fantes_for_arkivet(tj, saksbehandler):
    journal = tj.journal
    tj.journal = UtenArkiv()
    verden = lag_planverden(tj)  # avtale, plan med versjon
    with tj.sesjoner() as s:
        pdf = s.get(Avtale, verden.avtale_id).siste_versjon.dokument("pdf").sha256
    signering.last_opp_signert(
        tj, verden.avtale_id, tj.lager.les(pdf), verden.brukere["koordinator"]
    )
    tj.journal = journal
    with tj.sesjoner() as s:
        assert s.scalar(select(func.count()).select_from(Saksmappe)) == 0
    r = etterregistrer(tj)
    assert (r.saksmapper, r.journalposter) == (3, 2)  # avtalen, to planer; kopien og versjonen
    with tj.sesjoner() as s:
        typer = sorted(s.scalars(select(Journalpost.journalposttype)))
        assert typer == ["I", "X"]
        assert s.scalar(select(func.count()).select_from(Arkivmelding)) == 2
    assert etterregistrer(tj).journalposter == 0  # trygt å kjøre igjen
