"""Funn 13: databasen og indeksfilene var 0644 mens arkivfilene var 0600. Alt instansen
skriver, skal bare kunne leses av brukeren prosessen kjører som."""

from __future__ import annotations

import os
import stat

from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.parter.skriving import opprett_part
from dokumenter.tjenester import apne


def _apne_for_andre(tj) -> list[str]:
    rot = tj.innstillinger.instans
    apne_ = []
    for mappe, mapper, filer in os.walk(rot):
        for navn in mapper + filer:
            sti = os.path.join(mappe, navn)
            if os.path.islink(sti):
                continue
            if stat.S_IMODE(os.stat(sti).st_mode) & 0o077:
                apne_.append(os.path.relpath(sti, rot))
    return sorted(apne_)


def test_alle_filer_og_mapper_i_instansen_er_private(tj, saksbehandler):
    part = opprett_part(tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)})
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    skriving.opprett_utkast(tj, part.id, verdier, saksbehandler.id)  # database, arkiv, indeks
    assert any(tj.innstillinger.indeksmappe.rglob("*.seg"))
    assert _apne_for_andre(tj) == []


def test_en_eldre_instans_strammes_inn_ved_oppstart(tj):
    db = tj.innstillinger.instans / "dokumenter.sqlite3"
    db.chmod(0o644)
    tj.innstillinger.instans.chmod(0o755)
    apne(tj.innstillinger).lukk()
    assert _apne_for_andre(tj) == []
