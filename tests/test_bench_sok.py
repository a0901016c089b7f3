"""Søkebenchmarkens egne løfter: ulike spørringer, oppvarming uten de målte ordene, og FTS5
med nøyaktig de samme dokumentene som Whooshs delindekser (bench/search.py)."""

from __future__ import annotations

import sqlite3

import pytest

from bench.sokekorpus import Generator
from bench.sokesporringer import Sporring, Sporringer, bygg_fts5, fts_sok, lag_sporringer


@pytest.fixture(scope="module")
def doks():
    return Generator().dokumenter(400)


def test_sporringene_er_ulike_og_oppvarmingen_har_egne_ord(doks):
    gjeldende = [d for d in doks if d.gjeldende]
    sett = lag_sporringer(gjeldende, antall=50, oppvarming=20)
    malte = [s for liste in sett.klasser.values() for s in liste]
    assert len(malte) == 4 * 50
    assert len({(s.tekst, s.fasett) for s in malte}) == len(malte)
    assert all(1 <= len(s.ord) <= 3 for s in malte)
    assert all(s.tekst.endswith("*") for s in sett.klasser["prefiks (stam*)"])
    assert all(s.fasett for s in sett.klasser["+ fasett"])
    varme_ord = {o for s in sett.oppvarming for o in s.ord}
    assert varme_ord and not varme_ord & {o for s in malte for o in s.ord}
    # Samme frø gir de samme spørringene (tallene kan sammenlignes mellom kjøringer).
    assert lag_sporringer(gjeldende, antall=50, oppvarming=20) == sett


def test_sjekken_avviser_overlapp():
    felles = Sporring("bolig", ("bolig",))
    with pytest.raises(AssertionError, match="deler ord"):
        Sporringer([felles], {"rene ord": [Sporring("bolig nav", ("bolig", "nav"))]}).sjekk()
    with pytest.raises(AssertionError, match="går igjen"):
        Sporringer([], {"a": [felles], "b": [felles]}).sjekk()


def test_fts5_har_de_samme_dokumentene_som_delindeksene(doks, tmp_path):
    gjeldende = [d for d in doks if d.gjeldende]
    sti = tmp_path / "fts.sqlite3"
    bygg_fts5(sti, {"gjeldende": gjeldende, "alle": doks})
    db = sqlite3.connect(sti)
    assert {r[0] for r in db.execute("SELECT id FROM gjeldende")} == {d.id for d in gjeldende}
    assert {r[0] for r in db.execute("SELECT id FROM alle")} == {d.id for d in doks}
    ord_ = next(o for o in doks[0].tekst.lower().split() if o.isalpha() and len(o) > 6)
    assert fts_sok(db, "alle", Sporring(ord_, (ord_,)), prefiks=False)
    treff = fts_sok(db, "gjeldende", Sporring(ord_[:5] + "*", (ord_,), prefiks=True), prefiks=True)
    assert treff and set(treff) <= {d.id for d in gjeldende}
    db.close()
