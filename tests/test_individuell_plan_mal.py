"""Malen for individuell plan: utfylt gjennom validering og render med
alle seksjoner, listefeltene, signaturlinjene, tolken og antall eksemplarer (uten LibreOffice)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document

from dokumenter.felles.feil import Valideringsfeil
from dokumenter.infrastruktur.sammenligning import TABELLRAD, avsnitt_fra_docx
from dokumenter.planer.rader import til_visning
from tests.stotte.maler import fyll_ut

MAL = "individuell_plan"

OVERSKRIFTER = [
    "1. Personens mål, ressurser og behov",
    "2. Hvem som deltar i planleggingen",
    "3. Koordinator",
    "4. Hva hver bidrar med",
    "5. Tiltak",
    "6. Hvordan tiltakene gjennomføres",
    "7. Planperiode og revisjon",
    "8. Fremdriftsplan",
    "9. Oppfølging i boligen",
    "10. Personens egne plikter",
    "11. Ansvarsgruppe",
    "12. Samarbeid med andre tjenester",
    "13. Samtykke",
    "14. Signaturer",
    "15. Kopier",
]

LISTER = (
    "deltakere",
    "tiltak",
    "fremdriftsplan",
    "ansvarsgruppe",
    "samtykker",
    "signaturer",
    "kopi_mottakere",
)

SIGNATURER = [
    {"navn": "Ola Nordmann", "rolle": "Personen selv"},
    {"navn": "Åse Ødegård", "rolle": "Koordinator, Rustjenesten"},
    {"navn": "Pål Bråten", "rolle": "Kontaktbetjent, Bodø fengsel"},
]

FULL = {
    "kommune_navn": "Rana kommune",
    "plan_nummer": "IP-2026-003",
    "versjon": "2",
    "person_navn": "Ola Nordmann",
    "person_fodselsdato": "14.03.1985",
    "institusjon_navn": "Bodø fengsel",
    "avtale_referanse": "Samarbeidsavtale med Bodø fengsel, versjon 2",
    "maal": "Egen bolig i Mo i Rana.\nFast arbeid innen ett år.",
    "ressurser": "Har førerkort og god kontakt med søsteren.",
    "tjenestebehov": "Bolig, oppfølging i boligen og økonomisk rådgivning.",
    "deltakere": [
        {"navn": "Ola Nordmann", "rolle": "Personen selv", "virksomhet": "–"},
        {"navn": "Åse Ødegård", "rolle": "Koordinator", "virksomhet": "Rana kommune"},
    ],
    "koordinator_navn": "Åse Ødegård",
    "koordinator_tjeneste": "Rustjenesten",
    "koordinator_telefon": "+47 75 14 50 00",
    "bidrag_person": "Møter til avtaler og betaler husleien.",
    "bidrag_tjenester": "Boligkontoret skaffer bolig; NAV gir økonomisk råd.",
    "bidrag_parorende": "Søsteren hjelper med flyttingen.",
    "tiltak": [
        {
            "hva": "Kommunal utleiebolig, fast leieavtale",
            "ansvarlig": "Boligkontoret",
            "fra": "2026-03-01",
            "til": "2026-04-01",
            "status": "pagar",
        },
        {
            "hva": "Oppfølging i boligen, to besøk i uken",
            "ansvarlig": "Rustjenesten",
            "fra": "2026-04-15",
            "til": "",
            "status": "ikke_startet",
        },
    ],
    "gjennomforing": "Tiltakene gjennomføres i rekkefølgen i fremdriftsplanen.",
    "periode_fra": "2026-03-01",
    "periode_til": "2027-02-28",
    "revideres": "2026-09-01",
    "fremdriftsplan": [
        {
            "hva": "Visning av boligen",
            "ansvarlig": "Boligkontoret",
            "fra": "2026-03-10",
            "til": "",
            "status": "fullfort",
        },
        {
            "hva": "Signering av leiekontrakten",
            "ansvarlig": "Personen",
            "fra": "2026-03-20",
            "til": "2026-03-21",
            "status": "avbrutt",
        },
        {
            "hva": "Utlevering av nøkler",
            "ansvarlig": "Boligkontoret",
            "fra": "2026-04-01",
            "til": "",
            "status": "ikke_startet",
        },
    ],
    "oppfolging_i_bolig": "Miljøarbeider kommer tirsdag og fredag.",
    "egne_plikter": "Betale husleien innen den 1. hver måned.",
    "ansvarsgruppe": [
        {"navn": "Åse Ødegård", "tjeneste": "Rustjenesten", "rolle": "Koordinator"},
        {"navn": "Kari Holm", "tjeneste": "NAV Rana", "rolle": "Veileder"},
        {"navn": "Pål Bråten", "tjeneste": "Bodø fengsel", "rolle": "Kontaktbetjent"},
    ],
    "samarbeid_andre": "Samordnes med behandlingsplanen i DPS.",
    "samtykke_plan_dato": "2026-03-03",
    "samtykker": [
        {"part": "NAV Rana", "status": "Gitt 3. mars 2026"},
        {"part": "Bodø fengsel", "status": "Trukket 5. mai 2026"},
    ],
    "signaturer": SIGNATURER,
    "tolk_sprak": "arabisk",
    "tolk_navn": "Samir Haddad",
    "antall_kopier": "3",
    "kopi_mottakere": [
        {"mottaker": "Ola Nordmann"},
        {"mottaker": "Åse Ødegård, koordinator"},
        {"mottaker": "Bodø fengsel"},
    ],
}

MINST = {
    **{n: v for n, v in FULL.items() if n not in LISTER},
    "avtale_referanse": "",
    "samtykke_plan_dato": None,
    "tolk_sprak": "",
    "tolk_navn": "",
    "antall_kopier": 1,
}


def lag(mal, verdier: dict) -> bytes:
    """Som planene lager dokumentet: radenes datoer og status vises med `til_visning`."""
    return fyll_ut(mal, til_visning(verdier), date(2026, 3, 15))


def avsnitt(data: bytes) -> list[tuple[str, str]]:
    """(stil, tekst) i dokumentrekkefølge, tabellrader som «a | b», og så bunnteksten."""
    doc = Document(io.BytesIO(data))
    bunn = [("Footer", p.text) for s in doc.sections for p in s.footer.paragraphs]
    return avsnitt_fra_docx(data) + bunn


def tekst(data: bytes) -> str:
    return "\n".join(t for _, t in avsnitt(data))


def rader(data: bytes) -> list[str]:
    return [t for stil, t in avsnitt(data) if stil == TABELLRAD]


# --- Malfilen og manifestet -----------------------------------------------------------


def test_manifestet(mal):
    felt = {f.navn: f for f in mal.felt}
    assert mal.tittel == "Individuell plan" and mal.versjon == 2
    assert felt["tiltak"].kolonner == ("hva", "ansvarlig", "fra", "til", "status")
    assert felt["fremdriftsplan"].kolonner == ("hva", "ansvarlig", "fra", "til", "status")
    assert felt["samtykker"].kolonner == ("part", "status")
    assert felt["signaturer"].kolonner == ("navn", "rolle")
    for navn in LISTER:
        assert felt[navn].type == "liste" and not felt[navn].paakrevd
        assert felt[navn].lengdegrense == 200
    assert felt["koordinator_telefon"].type == "tekst"
    assert felt["koordinator_telefon"].lengdegrense == 40
    assert (felt["antall_kopier"].min, felt["antall_kopier"].max) == (1, 50)
    paakrevde = {f.navn for f in mal.felt if f.paakrevd}
    assert paakrevde == {
        "kommune_navn",
        "plan_nummer",
        "versjon",
        "person_navn",
        "person_fodselsdato",
        "institusjon_navn",
        "maal",
        "tjenestebehov",
        "koordinator_navn",
        "periode_fra",
        "periode_til",
        "revideres",
        "antall_kopier",
    }


# --- Utfylling ------------------------------------------------------------------------


def test_full_plan_har_alt_innholdet(mal):
    data = lag(mal, FULL)
    deler = avsnitt(data)
    t = tekst(data)
    # Seksjonene står i riktig rekkefølge, som overskrifter.
    assert [tx for stil, tx in deler if stil == "Heading 1"] == OVERSKRIFTER
    for forventet in (
        "Individuell plan",
        "Plan for bolig og oppfølging etter løslatelse eller utskrivning",
        "Dokumentet inneholder taushetsbelagte opplysninger.",
        "Egen bolig i Mo i Rana.\nFast arbeid innen ett år.",
        "Bolig, oppfølging i boligen og økonomisk rådgivning.",
        "Ansvarsgruppen består av representanter for tjenestene og for Bodø fengsel.",
        "Samtykket kan trekkes tilbake når som helst",
        "mister samarbeidsparten tilgangen",
        "Planen er utstedt i 3 eksemplarer.",
        (
            "Individuell plan IP-2026-003, versjon 2 – taushetsbelagt, jf. forvaltningsloven § 13 "
            "– generert 15. mars 2026"
        ),
    ):
        assert forventet in t, forventet
    r = rader(data)
    for forventet in (
        "Navn | Ola Nordmann",
        "Fødselsdato | 14. mars 1985",
        "Plannummer | IP-2026-003",
        "Versjon | 2",
        "Institusjon | Bodø fengsel",
        "Samarbeidsavtale | Samarbeidsavtale med Bodø fengsel, versjon 2",
        "Åse Ødegård | Koordinator | Rana kommune",
        "Navn | Åse Ødegård",
        "Telefon | +47 75 14 50 00",
        "Pårørende | Søsteren hjelper med flyttingen.",
        "Hva | Ansvarlig | Fra | Til | Status",
        "Kommunal utleiebolig, fast leieavtale | Boligkontoret | 01.03.2026 | 01.04.2026 | Pågår",
        "Oppfølging i boligen, to besøk i uken | Rustjenesten | 15.04.2026 |  | Ikke startet",
        "Planen gjelder fra | 1. mars 2026",
        "Planen gjelder til | 28. februar 2027",
        "Neste revisjon | 1. september 2026",
        "Signering av leiekontrakten | Personen | 20.03.2026 | 21.03.2026 | Avbrutt",
        "Visning av boligen | Boligkontoret | 10.03.2026 |  | Fullført",
        "Kari Holm | NAV Rana | Veileder",
        "Samtykke til planen gitt | 3. mars 2026",
        "NAV Rana | Gitt 3. mars 2026",
        "Bodø fengsel | Trukket 5. mai 2026",
        "Åse Ødegård, koordinator",
    ):
        assert forventet in r, forventet
    assert "Ingen registrert." not in t and "None" not in t
    assert not re.search(r"\{%|%\}|\{\{|\}\}", t)


def seksjon(data: bytes, overskrift: str) -> list[str]:
    """Avsnittene og tabellradene mellom overskriften og neste Heading 1."""
    deler = avsnitt(data)
    start = deler.index(("Heading 1", overskrift)) + 1
    slutt = next((i for i in range(start, len(deler)) if deler[i][0] == "Heading 1"), len(deler))
    return [t for _, t in deler[start:slutt]]


def test_en_signaturlinje_per_underskriver_og_tolken(mal):
    signaturer = seksjon(lag(mal, FULL), "14. Signaturer")
    # For hver underskriver: navnet ved linjene, så rollen under «Sted og dato» og
    # «Signatur». Personen selv står først, slik appen legger listen; tolken kommer sist,
    # etter bekreftelsen.
    forventet = []
    for s in SIGNATURER:
        forventet += [f"{s['navn']} |  |  | ", f"{s['rolle']} | Sted og dato |  | Signatur"]
    forventet += [
        "Tolk: Jeg bekrefter å ha oversatt planen muntlig til arabisk.",
        "Samir Haddad |  |  | ",
        "Tolk | Sted og dato |  | Signatur",
    ]
    assert signaturer[1:] == forventet


def test_uten_tolk_og_med_tomme_lister(mal):
    data = lag(mal, MINST)
    deler = avsnitt(data)
    t = tekst(data)
    assert [tx for stil, tx in deler if stil == "Heading 1"] == OVERSKRIFTER
    assert "Tolk" not in t and "Samir Haddad" not in t and "arabisk" not in t
    # Seks tomme lister gir «Ingen registrert.»; kopimottakerne har sin egen tekst.
    assert t.count("Ingen registrert.") == 6
    assert "Ingen mottakere registrert." in t
    assert "Planen er utstedt i 1 eksemplar." in t
    assert "Sted og dato" not in t
    r = rader(data)
    assert "Samtykke til planen gitt | Ikke registrert" in r
    assert not any(rad.startswith("Samarbeidsavtale |") for rad in r)
    assert "None" not in t
    assert not re.search(r"\{%|%\}|\{\{|\}\}", t)


def test_paakrevde_felt_og_grenser(mal):
    with pytest.raises(Valideringsfeil) as e:
        mal.valider(
            {
                **FULL,
                "maal": "",
                "koordinator_navn": None,
                "antall_kopier": "51",
                "plan_nummer": "x" * 31,
                "koordinator_telefon": "x" * 41,
                "signaturer": [{"navn": "Ola Nordmann"}],
            }
        )
    assert set(e.value.feil) == {
        "maal",
        "koordinator_navn",
        "antall_kopier",
        "plan_nummer",
        "koordinator_telefon",
        "signaturer",
    }
