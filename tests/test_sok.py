"""Søk i arkivet: ekte avtaler, flere prosesser som skriver. Testene av søkets oppførsel kjøres
med begge motorene (fixturen `sokemotor`: Whoosh på disk og PostgreSQL); de som handler om
Whooshs filer og låser, bare med Whoosh."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from arkiv.sok.indeks import Felt, Indeksdokument, IndeksFeil, Skjemadefinisjon, Sokeindeks
from dokumenter.avtaler import skriving
from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.parter import skriving as parter
from dokumenter.sider import sok as sok_sporring
from dokumenter.sok import indeksering, journal
from dokumenter.sok.skjema import SOKESKJEMA, domenefelt
from tests.stotte.avtaler import avtalefelt

DOMENEFELT = ("part", "partstype", "sektor", "status", "ansvarlig")


def dok(objekt_id, versjon=1, tekst="", gjeldende=True, tilgang=("ansatte",), **ekstra):
    felt = {
        "id": f"avtale:{objekt_id}:{versjon}",
        "art": "avtale",
        "objekt_id": objekt_id,
        "versjon": versjon,
        "gjeldende": gjeldende,
        "tittel": f"Samarbeidsavtale {objekt_id}",
        "tekst": tekst,
        "part": f"Part {objekt_id}",
        "partstype": "fengsel",
        "sektor": "kriminalomsorgen",
        "status": "utkast",
        "ansvarlig": "Kari",
        "dato": datetime(2024, 3, 1, tzinfo=UTC),
        "tilgang": tilgang,
    }
    felt = {**felt, **ekstra}
    domene = domenefelt(**{f: felt.pop(f) for f in DOMENEFELT}, dato=felt["dato"])
    return Indeksdokument(**felt, felt=domene)


@pytest.fixture
def indeks(sokemotor):
    return sokemotor()


def bare_whoosh(sokemotor) -> None:
    if sokemotor.motor == "postgres":
        pytest.skip("«Mente du» finnes bare med Whoosh ennå (i PostgreSQL: ts_stat, ikke laget)")


@pytest.fixture
def whoosh_indeks(tmp_path):
    return Sokeindeks(tmp_path / "indeks", SOKESKJEMA)


def ider(resultat):
    return [t.id for t in resultat.treff]


def test_tilgang_filtrerer_treff_utdrag_og_fasetter(indeks):
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Varsling før løslatelse.")])
    indeks.erstatt_objekt(
        "plan",
        2,
        lambda: [dok(2, art="plan", tekst="Løslatelse for Ola Hemmelig", tilgang=("plan:2",))],
    )
    r = indeks.sok("løslatelse", ["ansatte"])
    assert ider(r) == ["avtale:1:1"]
    assert "Hemmelig" not in str(r.fasetter) and r.totalt == 1
    assert ider(indeks.sok("løslatelse", ["plan:2"])) == ["avtale:2:1"]
    assert indeks.sok("løslatelse", []).totalt == 0


def test_bare_gjeldende_versjon_som_standard(indeks):
    indeks.erstatt_objekt(
        "avtale",
        1,
        lambda: [
            dok(1, 1, "Varsling 30 dager før løslatelse", gjeldende=False),
            dok(1, 2, "Varsling 45 dager før løslatelse"),
        ],
    )
    assert ider(indeks.sok("løslatelse", ["ansatte"])) == ["avtale:1:2"]
    assert sorted(ider(indeks.sok("løslatelse", ["ansatte"], bare_gjeldende=False))) == [
        "avtale:1:1",
        "avtale:1:2",
    ]


def test_fasetter_filtre_sortering_og_sider(indeks):
    for i in range(1, 26):
        indeks.erstatt_objekt(
            "avtale",
            i,
            lambda i=i: [
                dok(
                    i,
                    tekst="Avtalen gjelder bolig og oppfølging.",
                    partstype="fengsel" if i % 2 else "dps",
                    status="inngaatt" if i <= 5 else "utkast",
                    dato=datetime(2020 + i % 3, 1, i, tzinfo=UTC),
                )
            ],
        )
    r = indeks.sok("bolig", ["ansatte"])
    assert r.totalt == 25 and len(r.treff) == 20 and r.sider == 2
    assert dict(r.fasetter["partstype"]) == {"fengsel": 13, "dps": 12}
    assert dict(r.fasetter["status"]) == {"inngaatt": 5, "utkast": 20}
    assert dict(r.fasetter["aar"]) == {"2020": 8, "2021": 9, "2022": 8}
    assert len(indeks.sok("bolig", ["ansatte"], side=2).treff) == 5
    r = indeks.sok("bolig", ["ansatte"], filtre={"status": "inngaatt", "partstype": "dps"})
    assert sorted(ider(r)) == ["avtale:2:1", "avtale:4:1"]
    r = indeks.sok("bolig", ["ansatte"], filtre={"aar": "2022"}, sorter_dato=True)
    datoer = [t.dato for t in r.treff]
    assert datoer == sorted(datoer, reverse=True) and r.totalt == 8
    assert indeks.sok("status:inngaatt", ["ansatte"]).totalt == 5


@pytest.mark.parametrize(
    "sporring",
    [
        "avtale AND (",
        '"løslatelse',
        "ukjent:felt",
        "))) NOT",
        "avtale OR",
        "a:b:c",
        "[a TO",
        "<script>alert(1)</script>",
        "x" * 5000,
    ],
)
def test_syntaksfeil_gir_melding_og_beste_forsok(indeks, sporring):
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Avtalen om løslatelse")])
    r = indeks.sok(sporring, ["ansatte"])
    assert r is not None
    if sporring.startswith(("avtale", '"løslatelse')):
        assert r.totalt == 1
    if sporring in ("avtale AND (", '"løslatelse', "ukjent:felt"):
        assert r.melding.startswith("Søket kunne ikke tolkes helt")


def test_utdrag_escaper_tekst_og_merker_treff(indeks):
    tekst = "Avtalen <script>alert(1)</script> & løslatelse skal varsles."
    indeks.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst=tekst)])
    utdrag = indeks.sok("løslatelse", ["ansatte"]).treff[0].utdrag
    assert "<script>" not in utdrag and "&lt;script&gt;" in utdrag
    assert "<mark>løslatelse</mark>" in utdrag


def _skriv_mange(mappe, start, antall):
    ix = Sokeindeks(mappe, SOKESKJEMA)
    for i in range(start, start + antall):
        ix.erstatt_objekt("avtale", i, lambda i=i: [dok(i, tekst=f"dokument nummer {i} bolig")])


def test_flere_prosesser_skriver_samtidig_uten_laasefeil_eller_tap(whoosh_indeks):
    indeks = whoosh_indeks
    indeks.erstatt_objekt("avtale", 0, lambda: [dok(0, tekst="start")])
    ctx = multiprocessing.get_context("spawn")
    prosesser = [
        ctx.Process(target=_skriv_mange, args=(indeks.mappe, 1000 * n, 25)) for n in range(1, 4)
    ]
    for p in prosesser:
        p.start()
    _skriv_mange(indeks.mappe, 5000, 25)
    for p in prosesser:
        p.join(120)
        assert p.exitcode == 0
    r = indeks.sok("bolig", ["ansatte"], per_side=200)
    assert r.totalt == 100
    assert indeks.foreldet() is None


# --- gjennom brukstilfellene, med ekte avtaler -------------------------------------------


@pytest.fixture
def to_avtaler(tj, saksbehandler):
    fengsel = parter.opprett_part(
        tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)}
    )
    klinikk = parter.opprett_part(
        tj,
        {"navn": "Nordlandsklinikken", "type": "behandlingsinstitusjon", "orgnr": fiktivt_orgnr(2)},
    )
    a = skriving.opprett_utkast(tj, fengsel.id, avtalefelt(tj), saksbehandler.id)
    b = skriving.opprett_utkast(tj, klinikk.id, avtalefelt(tj), saksbehandler.id)
    return a, b


@pytest.mark.libreoffice
def test_versjoner_indekseres_i_samme_brukstilfelle(tj, saksbehandler, to_avtaler):
    a, b = to_avtaler
    r = sok_sporring.sok(tj, "varsling før løslatelse", "saksbehandler")
    assert [t.objekt_id for t in r.treff] == [a.id]
    assert [t.objekt_id for t in sok_sporring.sok(tj, "utskrivningen", "lesetilgang").treff] == [
        b.id
    ]
    skriving.lagre_versjon(tj, a.id, avtalefelt(tj, varslingsfrist_dager=45), saksbehandler.id)
    skriving.sett_status(tj, a.id, "til_gjennomgang", saksbehandler.id)
    r = sok_sporring.sok(tj, "løslatelse", "saksbehandler")
    assert [(t.versjon, t.felt["status"]) for t in r.treff] == [(2, "til_gjennomgang")]
    r = sok_sporring.sok(tj, "løslatelse", "saksbehandler", bare_gjeldende=False)
    assert sorted(t.versjon for t in r.treff) == [1, 2]
    assert {t.felt["status"] for t in r.treff} == {"til_gjennomgang"}
    assert dict(sok_sporring.sok(tj, "", "admin").fasetter["partstype"]) == {
        "fengsel": 1,
        "behandlingsinstitusjon": 1,
    }


@pytest.mark.libreoffice
def test_last_indeks_lagrer_versjonen_jobben_venter_og_cron_tar_den_inn(
    tj, saksbehandler, to_avtaler
):
    a, _ = to_avtaler
    with tj.indeks.skrivelas(ventetid=0):  # en annen prosess skriver (eller bytter generasjon)
        t0 = time.monotonic()
        v = skriving.lagre_versjon(
            tj, a.id, avtalefelt(tj, varslingsfrist_dager=60), saksbehandler.id
        )
        assert time.monotonic() - t0 < indeksering.VENTETID + 3  # ingen venter i 60 s
    assert v.nummer == 2
    assert journal.status(tj).ventende == 1  # står i journalen, ikke tapt
    assert tj.indeks.foreldet() is None  # hele indeksen er ikke foreldet for én jobb
    assert [t.versjon for t in sok_sporring.sok(tj, "løslatelse", "admin").treff] == [1]

    def kjor(*args):
        return subprocess.run(
            [sys.executable, "-m", "dokumenter", "arkiv", "reindekser", *args],
            cwd=REPO_ROT,
            env={"DOKUMENTER_INSTANS": str(tj.innstillinger.instans), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )

    cli = kjor("--bare-ventende")  # for cron
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "1 endringer tatt inn" in cli.stdout
    assert journal.status(tj).ventende == 0
    assert [t.versjon for t in sok_sporring.sok(tj, "løslatelse", "admin").treff] == [2]
    alle = sok_sporring.sok(tj, "løslatelse", "admin", bare_gjeldende=False)
    assert sorted(t.versjon for t in alle.treff) == [1, 2]

    cli = kjor()
    assert cli.returncode == 0, cli.stderr
    assert "3 versjoner" in cli.stdout
    assert [t.versjon for t in sok_sporring.sok(tj, "løslatelse", "admin").treff] == [2]


@pytest.mark.libreoffice
def test_reindekser_fra_arkivet_alene(tj, to_avtaler):
    import shutil

    shutil.rmtree(tj.indeks.mappe)
    assert indeksering.reindekser(tj) == 2
    assert sok_sporring.sok(tj, "løslatelse", "admin").totalt == 1


def test_telling_og_fasetter_stemmer_over_mange_segmenter_og_slettinger(indeks):
    """Hver erstatt_objekt gir et nytt segment og slettemerker i de gamle; totalt, fasetter
    og rangering (numpy over postlistene) skal likevel telle bare levende dokumenter."""
    fasit = {}
    for runde in range(3):
        for i in range(1, 13):
            tekster = [
                f"Bolig {'og løslatelse ' * (i % 3)}runde {runde} versjon {v}" for v in (1, 2)
            ]
            if runde == 2 and i % 4 == 0:
                tekster[-1] = "Ingen treff her"
            type_ = "fengsel" if i % 2 else "dps"
            indeks.erstatt_objekt(
                "avtale",
                i,
                lambda i=i, t=tekster, ty=type_: [
                    dok(i, 1, t[0], gjeldende=False, partstype=ty),
                    dok(i, 2, t[1], partstype=ty),
                ],
            )
            fasit[i] = (tekster, type_)
    gjeldende_bolig = [i for i, (t, _) in fasit.items() if "Bolig" in t[-1]]
    r = indeks.sok("bolig", ["ansatte"])
    assert r.totalt == len(gjeldende_bolig) == 9
    assert dict(r.fasetter["partstype"]) == {
        "fengsel": sum(1 for i in gjeldende_bolig if i % 2),
        "dps": sum(1 for i in gjeldende_bolig if not i % 2),
    }
    assert indeks.sok("bolig", ["ansatte"], bare_gjeldende=False).totalt == 12 + 9
    # Flest forekomster av «løslatelse» først (tf), og bare levende versjoner.
    topp = indeks.sok("løslatelse", ["ansatte"]).treff
    assert {t.objekt_id % 3 for t in topp[:3]} == {2}
    assert all(t.versjon == 2 for t in topp)


def test_kallerens_felt_lagres_telles_og_sokes_som_definert(sokemotor):
    """Motoren kjenner bare sine egne felt; resten står i skjemadefinisjonen."""
    definisjon = Skjemadefinisjon(
        Felt("kommune", fasett=True),
        Felt("hemmelig", lagret=False, sokbar=False),
        Felt("nummer", tall=True, fasett=True, lagret=False),
    )
    indeks = sokemotor(definisjon)
    for i, kommune in ((1, "Bodø"), (2, "Bodø"), (3, "Fauske")):
        indeks.erstatt_objekt(
            "avvik",
            i,
            lambda i=i, k=kommune: [
                Indeksdokument(
                    id=f"avvik:{i}:1",
                    art="avvik",
                    objekt_id=i,
                    versjon=1,
                    gjeldende=True,
                    tittel=f"Avvik {i}",
                    tekst="Varsel kom for sent.",
                    dato=datetime(2024, 1, i, tzinfo=UTC),
                    felt={"kommune": k, "hemmelig": "x", "nummer": 10 * i},
                )
            ],
        )
    r = indeks.sok("varsel", ["ansatte"])
    assert r.totalt == 3 and list(r.fasetter) == ["kommune", "nummer"]
    assert dict(r.fasetter["kommune"]) == {"Bodø": 2, "Fauske": 1}
    assert {t.felt["kommune"] for t in r.treff} == {"Bodø", "Fauske"}
    assert all(t.felt == {"kommune": t.felt["kommune"]} for t in r.treff)
    assert indeks.sok("varsel", ["ansatte"], filtre={"nummer": "20"}).totalt == 1
    assert indeks.sok("varsel", ["ansatte"], filtre={"hemmelig": "x"}).totalt == 3  # ikke fasett
    assert indeks.sok("kommune:Fauske", ["ansatte"]).totalt == 1
    assert indeks.sok("hemmelig:x", ["ansatte"]).melding.startswith("Søket kunne ikke tolkes")
    with pytest.raises(ValueError, match="hører til søkemotoren"):
        Skjemadefinisjon(Felt("tekst"))
    with pytest.raises(ValueError, match="ikke er i skjemadefinisjonen"):
        indeks.erstatt_objekt("avtale", 9, lambda: [dok(9)])


def test_indeks_med_andre_felt_merkes_foreldet_og_sok_virker(tmp_path):
    """Bare Whoosh: i PostgreSQL står kallerens felt i JSON, så ingen kolonne kan mangle."""
    gammel = Sokeindeks(tmp_path / "indeks", SOKESKJEMA)
    gammel.erstatt_objekt("avtale", 1, lambda: [dok(1, tekst="Varsling før løslatelse.")])
    ny_definisjon = Skjemadefinisjon(*SOKESKJEMA.felt, Felt("kommune", fasett=True))
    indeks = Sokeindeks(tmp_path / "indeks", ny_definisjon)
    r = indeks.sok("løslatelse", ["ansatte"], filtre={"kommune": "Bodø", "status": "utkast"})
    assert r.totalt == 0 and r.fasetter["kommune"] == []
    r = indeks.sok("løslatelse", ["ansatte"])
    assert r.totalt == 1 and r.treff[0].felt["kommune"] is None
    assert dict(r.fasetter["partstype"]) == {"fengsel": 1}
    assert "kommune" in indeks.foreldet()
    with pytest.raises(IndeksFeil, match="bygges på nytt"):
        indeks.erstatt_objekt("avtale", 1, lambda: [dok(1)])

    ny = dok(1, tekst="Varsling før løslatelse.")
    ny.felt["kommune"] = "Bodø"
    indeks.bygg_pa_nytt([ny])
    assert indeks.foreldet() is None
    r = indeks.sok("løslatelse", ["ansatte"], filtre={"kommune": "Bodø"})
    assert r.totalt == 1 and dict(r.fasetter["kommune"]) == {"Bodø": 1}


# --- folding (ø/oe→o, æ/ae→e, å→a) --------------------------------------------------------


@pytest.fixture
def stedsnavn(indeks):
    tekster = {
        1: "Løslatelse fra fengselet i Bodø krever særskilt varsling.",
        2: "Kontoret i Tromsø følger opp løslatelsen.",
        3: "Bodo er skrevet uten ø i denne gamle avtalen.",
    }
    for i, tekst in tekster.items():
        indeks.erstatt_objekt("avtale", i, lambda i=i, t=tekst: [dok(i, tekst=t)])
    return indeks


@pytest.mark.parametrize(
    ("sporring", "ventet"),
    [
        ("bodo", {1, 3}),
        ("loslatelse", {1, 2}),
        ("loeslatelse", {1, 2}),
        ("Tromso", {2}),
        ("saerskilt", {1}),
        ("serskilt", {1}),
    ],
)
def test_ascii_skrivemaater_finner_norske_bokstaver(stedsnavn, sporring, ventet):
    r = stedsnavn.sok(sporring, ["ansatte"])
    assert {t.objekt_id for t in r.treff} == ventet
    assert r.totalt == len(ventet)


def test_eksakt_skrivemaate_rangeres_over_den_foldede(stedsnavn):
    assert [t.objekt_id for t in stedsnavn.sok("bodø", ["ansatte"]).treff] == [1, 3]
    assert [t.objekt_id for t in stedsnavn.sok("bodo", ["ansatte"]).treff] == [3, 1]


def test_foldet_treff_utheves(stedsnavn):
    r = stedsnavn.sok("tromso", ["ansatte"])
    assert "<mark>Tromsø</mark>" in r.treff[0].utdrag


def test_folding_respekterer_tilgang(indeks):
    indeks.erstatt_objekt(
        "avtale", 1, lambda: [dok(1, tekst="Hemmelig møte i Bodø.", tilgang=("plan:1",))]
    )
    assert indeks.sok("bodo", ["ansatte"]).totalt == 0
    assert indeks.sok("bodo", ["plan:1"]).totalt == 1


# --- «Mente du» ---------------------------------------------------------------------------


def test_mente_du_ved_skrivefeil(stedsnavn, sokemotor):
    bare_whoosh(sokemotor)
    r = stedsnavn.sok("løslatlese", ["ansatte"])
    assert r.totalt == 0 and r.forslag == "løslatelse"
    assert stedsnavn.sok(r.forslag, ["ansatte"]).totalt == 2
    r = stedsnavn.sok("Løslatlese Tromsø", ["ansatte"])
    assert r.forslag == "Løslatelse Tromsø"


def test_mente_du_bare_naar_det_trengs(stedsnavn, sokemotor):
    bare_whoosh(sokemotor)
    assert stedsnavn.sok("løslatelse", ["ansatte"]).forslag == ""
    assert stedsnavn.sok("xqzvkw", ["ansatte"]).forslag == ""  # ingen ord i nærheten
    assert stedsnavn.sok("løslatl*", ["ansatte"]).forslag == ""  # jokertegn står urørt


def test_mente_du_foreslaar_aldri_ord_brukeren_ikke_kan_se(indeks, sokemotor):
    bare_whoosh(sokemotor)
    # «løslatelse» står bare i et dokument med en annen tilgangsgruppe
    indeks.erstatt_objekt(
        "avtale", 1, lambda: [dok(1, tekst="Løslatelse av Ola.", tilgang=("plan:1",))]
    )
    indeks.erstatt_objekt("avtale", 2, lambda: [dok(2, tekst="Et helt annet tema.")])
    assert indeks.sok("løslatlese", ["ansatte"]).forslag == ""
    assert indeks.sok("løslatlese", ["plan:1"]).forslag == "løslatelse"
