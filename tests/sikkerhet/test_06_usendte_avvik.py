"""Funn 6: partneren så kommunens avvik før det var sendt (/portal/avvik/N med status «Åpen»).
Nå ser partneren et avvik kommunen melder først når det er sendt: ikke i listen, ikke på
siden og ikke skjemaet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.avvik import lesing
from dokumenter.avvik import skriving as avvik_skriving
from dokumenter.avvik.regler import Melder
from dokumenter.cli.demo import AVTALEFELT
from dokumenter.felles.feil import IkkeFunnet
from dokumenter.models import Avtale

pytestmark = pytest.mark.libreoffice
IGAR = (date.today() - timedelta(days=1)).isoformat()

AVVIK = {
    "paragraf": "§ 6 Varsling før løslatelse",
    "kategori": "varsling",
    "hendelsesdato": IGAR,
    "oppdaget": IGAR,
    "hva_skjedde": "Kommunens utkast: en innsatt ble løslatt uten varsel.",
    "konsekvens": "",
    "strakstiltak": "",
    "person_ref": "",
}


def test_partneren_ser_ikke_kommunens_avvik_for_det_er_sendt(
    app, tj, kari, partner, part_id, logg_inn, smtp_sink
):
    felt = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    avtale = skriving.opprett_utkast(tj, part_id, felt, kari.id)
    with tj.sesjoner() as s:
        pdf = tj.lager.les(s.get(Avtale, avtale.id).siste_versjon.dokument("pdf").sha256)
    signering.last_opp_signert(tj, avtale.id, pdf, kari.id)
    kommune = Melder(kari.id, "saksbehandler")
    utkast = avvik_skriving.registrer(tj, avtale.id, AVVIK, kommune)

    som_partner = Melder(partner.id, "partner", part_id)
    with pytest.raises(IkkeFunnet):
        lesing.hent(tj, utkast.id, som_partner)
    assert list(lesing.for_avtale(tj, avtale.id, som_partner)) == []  # én side (Side)

    portal, _ = logg_inn(partner.epost, portal=True)
    assert portal.get(f"/portal/avvik/{utkast.id}").status_code == 404
    assert "løslatt uten varsel" not in portal.get(f"/portal/avtaler/{avtale.id}").get_data(
        as_text=True
    )

    avvik_skriving.send(tj, utkast.id, kommune)
    side = portal.get(f"/portal/avvik/{utkast.id}")
    assert side.status_code == 200 and "løslatt uten varsel" in side.get_data(as_text=True)
