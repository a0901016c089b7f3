"""Funn 11: en opplastet «signert skann» med /OpenAction-JavaScript ble godtatt, lagret og sendt
videre til partene, og en blank side ble godtatt som signert kopi av en avtale på fire sider."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.models import Avtale, SignertKopi
from dokumenter.parter.skriving import opprett_part
from dokumenter.signering.skannet import antall_sider


def _pdf(sider: int, javascript: bool = False) -> bytes:
    w = PdfWriter()
    for _ in range(sider):
        w.add_blank_page(595, 842)
    if javascript:
        w._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hei')"),
            }
        )
    ut = io.BytesIO()
    w.write(ut)
    return ut.getvalue()


@pytest.fixture
def avtale(tj, saksbehandler):
    part = opprett_part(tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)})
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    return skriving.opprett_utkast(tj, part.id, verdier, saksbehandler.id)


def _tilstand(tj, avtale_id):
    with tj.sesjoner() as s:
        return (
            s.get(Avtale, avtale_id).status,
            s.scalar(select(func.count()).select_from(SignertKopi)),
        )


def test_pdf_med_javascript_avvises(tj, avtale, saksbehandler):
    with tj.sesjoner() as s:
        sider = antall_sider(
            tj.lager.les(s.get(Avtale, avtale.id).siste_versjon.dokument("pdf").sha256)
        )
    with pytest.raises(Valideringsfeil, match="aktivt innhold"):
        signering.last_opp_signert(tj, avtale.id, _pdf(sider, javascript=True), saksbehandler.id)
    assert _tilstand(tj, avtale.id) == ("utkast", 0)


def test_en_blank_side_er_ikke_en_signert_kopi_av_fire_sider(tj, avtale, saksbehandler):
    with tj.sesjoner() as s:
        sider = antall_sider(
            tj.lager.les(s.get(Avtale, avtale.id).siste_versjon.dokument("pdf").sha256)
        )
    assert sider >= 2
    with pytest.raises(Valideringsfeil, match="Skann alle sidene"):
        signering.last_opp_signert(tj, avtale.id, _pdf(1), saksbehandler.id)
    assert _tilstand(tj, avtale.id) == ("utkast", 0)
    signering.last_opp_signert(tj, avtale.id, _pdf(sider), saksbehandler.id)
    assert _tilstand(tj, avtale.id) == ("inngaatt", 1)
