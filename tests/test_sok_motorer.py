"""Det samme søket med begge motorene (fixturen `sokemotor`: Whoosh på disk og PostgreSQL):
fraser, sletting og «gjeldende», delord og «eksakt først», prefikser, utdrag, dokumenter i minnet
(planene), og at rangeringen i PostgreSQL ikke røper ord i dokumenter søkeren ikke ser."""

from __future__ import annotations

import pytest

from tests.test_sok import dok, ider


@pytest.fixture
def indeks(sokemotor):
    return sokemotor()


def test_fraser_med_og_uten_stoppord(indeks):
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Varsling før løslatelse.")])
    indeks.erstatt_objekt("avtale", 2, lambda: [dok(2, tekst="Løslatelse krever varsling.")])
    indeks.erstatt_objekt("avtale", 3, lambda: [dok(3, tekst="Varsling og så løslatelse.")])
    assert ider(indeks.sok('"varsling før løslatelse"', ["ansatte"])) == ["avtale:1:1"]
    assert ider(indeks.sok('"løslatelse krever"', ["ansatte"])) == ["avtale:2:1"]
    assert ider(indeks.sok('"varsling løslatelse"', ["ansatte"])) == []  # ord imellom
    assert sorted(ider(indeks.sok("varsling løslatelse", ["ansatte"]))) == [
        "avtale:1:1",
        "avtale:2:1",
        "avtale:3:1",
    ]


def test_sletting_og_gjeldende_versjon(indeks):
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, 1, "Bolig i Bodø")])
    indeks.erstatt_objekt(
        "avtale", 1, lambda: [dok(1, 1, "Bolig i Bodø", gjeldende=False), dok(1, 2, "Bolig")]
    )
    assert ider(indeks.sok("bolig", ["ansatte"])) == ["avtale:1:2"]
    assert ider(indeks.sok("bodø", ["ansatte"])) == []
    assert ider(indeks.sok("bodø", ["ansatte"], bare_gjeldende=False)) == ["avtale:1:1"]
    assert indeks.antall_gjeldende() == {"avtale": 1}
    indeks.erstatt_objekt("avtale", 1, list)  # avtalen er borte
    assert indeks.sok("bolig", ["ansatte"], bare_gjeldende=False).totalt == 0
    assert indeks.antall_gjeldende() == {}


def test_delord_og_eksakt_forst(indeks):
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Samarbeidsavtalen gjelder.")])
    indeks.erstatt_objekt("avtale", 2, lambda: [dok(2, tekst="Avtalen gjelder.")])
    assert ider(indeks.sok("avtale", ["ansatte"])) == ["avtale:2:1", "avtale:1:1"]
    r = indeks.sok("avtale", ["ansatte"])
    assert "<mark>Samarbeidsavtalen</mark>" in r.treff[1].utdrag


def test_prefiks_og_for_kort_jokertegn(indeks):
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Oppfølging etter løslatelse.")])
    assert ider(indeks.sok("løsl*", ["ansatte"])) == ["avtale:1:1"]
    assert ider(indeks.sok("oppf* løsl*", ["ansatte"])) == ["avtale:1:1"]
    r = indeks.sok("l*", ["ansatte"])
    assert r.totalt == 0 and "jokertegn" in r.melding


def test_felt_og_intervall_i_sporringen(indeks):
    for i, status in ((1, "utkast"), (2, "inngaatt"), (3, "inngaatt")):
        indeks.erstatt_objekt("avtale", i, lambda i=i, s=status: [dok(i, tekst="Bolig", status=s)])
    assert sorted(ider(indeks.sok("bolig status:inngaatt", ["ansatte"]))) == [
        "avtale:2:1",
        "avtale:3:1",
    ]
    assert ider(indeks.sok("bolig NOT status:inngaatt", ["ansatte"])) == ["avtale:1:1"]
    assert indeks.sok("aar:[2020 TO 2030]", ["ansatte"]).totalt == 3
    assert indeks.sok("aar:[2025 TO 2030]", ["ansatte"]).totalt == 0


def test_utdrag_er_likt_for_begge_motorene(indeks):
    tekst = (
        "Innledning. " * 40 + "Kommunen varsler før løslatelsen <b>straks</b>. " + "Slutt. " * 40
    )
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst=tekst)])
    utdrag = indeks.sok("løslatelse varsler", ["ansatte"]).treff[0].utdrag
    assert utdrag == (
        "…" + "Innledning. " * 5 + "Kommunen <mark>varsler</mark> før <mark>løslatelsen</mark> "
        "&lt;b&gt;straks&lt;/b&gt;. " + "Slutt. " * 20 + "Slutt.…"
    )


def test_dokumenter_i_minnet_flettes_inn_med_egen_tilgang(indeks):
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Bolig og oppfølging.")])
    plan = dok(7, art="plan", tekst="Bolig for Ola.", tilgang=("plan:7",), partstype="dps")
    r = indeks.sok("bolig", ["ansatte"], minnedokumenter=[plan], minnetilgang=["plan:7"])
    assert sorted(ider(r)) == ["avtale:1:1", "avtale:7:1"] and r.totalt == 2
    assert dict(r.fasetter["partstype"]) == {"fengsel": 1, "dps": 1}
    r = indeks.sok("bolig", ["ansatte"], minnedokumenter=[plan], minnetilgang=[])
    assert ider(r) == ["avtale:1:1"] and "dps" not in str(r.fasetter)
    r = indeks.sok("bolig", [], minnedokumenter=[plan], minnetilgang=["plan:7"])
    assert ider(r) == ["avtale:7:1"]


def test_rangeringen_roper_ikke_ord_i_dokumenter_sokeren_ikke_ser(sokemotor):
    """Whoosh regner idf over hele indeksen: legges det til mange dokumenter med «bolig» som
    søkeren ikke har tilgang til, blir «bolig» et vanligere ord, og et synlig dokument med
    «fengsel» går forbi et synlig dokument med «bolig» i søket «bolig OR fengsel». Søkeren kan
    da se at ordet står i dokumenter hen ikke ser. `ts_rank_cd` i PostgreSQL bruker bare
    radens egne ord, så rekkefølgen er den samme."""
    indeks = sokemotor()
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Bolig bolig bolig og fengsel.")])
    indeks.erstatt_objekt("avtale", 2, lambda: [dok(2, tekst="Fengsel fengsel og bolig.")])
    for_ = ider(indeks.sok("bolig OR fengsel", ["ansatte"]))
    assert for_ == ["avtale:1:1", "avtale:2:1"]
    for i in range(10, 60):
        indeks.erstatt_objekt(
            "plan", i, lambda i=i: [dok(i, art="plan", tekst="Bolig.", tilgang=("plan:x",))]
        )
    etter = ider(indeks.sok("bolig OR fengsel", ["ansatte"]))
    if sokemotor.motor == "postgres":
        assert etter == for_
    else:  # sidekanalen i Whoosh, vist her så den ikke glemmes
        assert etter == ["avtale:2:1", "avtale:1:1"]
