"""R3: indeksens skrivelås ble holdt under hele gjenoppbyggingen (over ni minutter ved 10 000
avtaler). Lagringer ventet 60 s på låsen og merket så hele indeksen foreldet.

Nå bygges den nye generasjonen uten skrivelåsen; lagringer imens skriver til den gamle og står
i journalen, og tas inn i den nye under låsen like før den tas i bruk.
"""

from __future__ import annotations

import threading
import time

import pytest

from dokumenter.avtaler import produksjon, skriving
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.parter import skriving as parter
from dokumenter.sider import sok
from dokumenter.sok import arter, indeksering, journal

pytestmark = pytest.mark.libreoffice


def felt(tj, **endring):
    return {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT, **endring}


def test_lagring_under_gjenoppbygging_venter_ikke_og_kommer_med_i_den_nye(
    tj, saksbehandler, monkeypatch
):
    parter_ = [
        parter.opprett_part(
            tj, {"navn": f"Fengsel {i}", "type": "fengsel", "orgnr": fiktivt_orgnr(i)}
        )
        for i in (1, 2)
    ]
    a, b = (skriving.opprett_utkast(tj, p.id, felt(tj), saksbehandler.id) for p in parter_)
    lest = threading.Event()
    fortsett = threading.Event()
    ekte = arter.alle_dokumenter
    runder = []

    def treg(*args, **kwargs):
        """Den andre runden (selve byggingen; den første er ordlisten) stopper etter avtale a
        til testen sier fra."""
        runder.append(1)
        runde = len(runder)
        for dok in ekte(*args, **kwargs):
            yield dok
            if dok.objekt_id == a.id and runde == 2:
                lest.set()
                fortsett.wait(60)

    monkeypatch.setattr(arter, "alle_dokumenter", treg)
    bygger = threading.Thread(target=indeksering.reindekser, args=(tj,))
    bygger.start()
    try:
        assert lest.wait(60)  # den nye generasjonen har lest avtale a (versjon 1)
        assert tj.indeks.bygges()
        t0 = time.monotonic()
        v = skriving.lagre_versjon(tj, a.id, felt(tj, varslingsfrist_dager=60), saksbehandler.id)
        lagring = time.monotonic() - t0
        assert tj.indeks.bygges()  # gjenoppbyggingen pågår fortsatt
        # Lagringen ventet ikke på gjenoppbyggingen: den skrev til den gamle generasjonen.
        assert v.nummer == 2 and journal.status(tj).ventende == 0
        assert [
            t.versjon for t in sok.sok(tj, "løslatelse", "admin").treff if t.objekt_id == a.id
        ] == [2]
    finally:
        fortsett.set()
        bygger.join(60)
    assert lagring < 15, lagring  # LibreOffice-konverteringen, ikke 60 s på en lås
    assert tj.indeks.foreldet() is None
    # Den nye generasjonen tok inn versjon 2 fra journalen før den ble tatt i bruk.
    r = sok.sok(tj, "løslatelse", "admin")
    assert sorted((t.objekt_id, t.versjon) for t in r.treff) == [(a.id, 2), (b.id, 1)]
    alle = sok.sok(tj, "løslatelse", "admin", bare_gjeldende=False)
    assert sorted((t.objekt_id, t.versjon) for t in alle.treff) == [(a.id, 1), (a.id, 2), (b.id, 1)]
