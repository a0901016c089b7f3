"""Bygg docxtpl-malen for individuell plan (bolig og oppfølging etter løslatelse eller
utskrivning).

Kjør fra roten av depotet:

    python tools/bygg_individuell_plan.py

Skriptet bygger ``maler/individuell_plan.docx`` på nytt, og her står ordlyden i planen.
Alle feltene, også kolonnene i listefeltene, er deklarert i ``maler/individuell_plan.toml``.
Etter en endring i teksten bygges malen på nytt, og begge filene legges inn sammen (se
``docxbygg``).

Oppbygging (se ``SEKSJONER``; byggeklossene ``Seksjon``, ``Rader``, ``Boks``,
``Listetabell``, ``Underoverskrift``, ``Innledning``, ``Merknad`` og ``hvis(...)`` er
beskrevet i ``docxbygg``):

* Et topphode med kommune, plannummer og versjon, personen, institusjonen personen kommer
  fra og (bare når den er fylt ut) samarbeidsavtalen planen bygger på, og under det en
  merknad om taushetsplikt. Raden for samarbeidsavtalen står mellom ``{%tr if … %}`` og
  ``{%tr endif %}`` (``rad_hvis``), som docxtpl fjerner.
* Nummererte seksjoner (stilen Heading 1), én for hvert punkt planen skal inneholde. I
  tillegg til byggeklossene fra ``docxbygg`` har malen ``Signaturer`` (én signaturlinje
  per underskriver). Et tomt listefelt gir «Ingen registrert.» i stedet for tabellen.
* Tolkens bekreftelse og signaturlinje står i seksjonen for signaturer og vises bare når
  ``tolk_sprak`` er fylt ut; den har ingen egen overskrift, så nummereringen endres ikke.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

# Testene laster skriptet fra fil, og da står ikke tools/ på sys.path av seg selv.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxbygg import (
    TEKSTBREDDE_CM,
    Boks,
    Innledning,
    Listetabell,
    Merknad,
    Rader,
    Seksjon,
    Underoverskrift,
    bunnlinje,
    hvis,
    lagre,
    legg_til_egenskap,
    loekkerader,
    merknad,
    nytt_skjema,
    sett_bredder,
    sett_celle,
    skriv_seksjon,
    skriv_topphode,
    tomt_avsnitt,
)

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "individuell_plan.docx"
TITTEL = "Individuell plan"


# --- Byggeklosser ---------------------------------------------------------------------


@dataclass
class Signaturer:
    """Signaturlinjer (sted og dato, signatur) med navn og rolle til venstre. Med `felt`
    blir det én linje per element i listefeltet (løkkevariabelen `rad`); uten `felt` er
    `navn` og `rolle` uttrykkene for én enkelt underskriver. `innledning` står over
    linjene, med luft over og på samme side som dem."""

    navn: str
    rolle: str
    felt: str | None = None
    rad: str | None = None
    innledning: str | None = None


INGEN = "Ingen registrert."


def rad_hvis(betingelse, ledetekst, verdi):
    """En rad i en ``Rader``-tabell som bare vises når Jinja-betingelsen holder."""
    return [("{%tr if " + betingelse + " %}", ""), (ledetekst, verdi), ("{%tr endif %}", "")]


def liste_eller_ingen(liste):
    """Tabellen for listefeltet, eller «Ingen registrert.» når listen er tom."""
    return hvis(liste.felt, [liste], ellers=[INGEN])


# --- Teksten --------------------------------------------------------------------------

UNDERTITTEL = "Plan for bolig og oppfølging etter løslatelse eller utskrivning"

TOPPHODE = Rader(
    [
        ("Kommune", "{{ kommune_navn }}"),
        ("Plannummer", "{{ plan_nummer }}"),
        ("Versjon", "{{ versjon }}"),
        ("Navn", "{{ person_navn }}"),
        ("Fødselsdato", "{{ person_fodselsdato }}"),
        ("Institusjon", "{{ institusjon_navn }}"),
        *rad_hvis("avtale_referanse", "Samarbeidsavtale", "{{ avtale_referanse }}"),
    ]
)

TAUSHETSPLIKT = (
    "Dokumentet inneholder taushetsbelagte opplysninger. Det skal bare leses av dem som har "
    "tjenstlig behov og samtykke."
)

DELTAKERE = Listetabell(
    "deltakere",
    "d",
    [("Navn", "navn", 5.0), ("Rolle", "rolle", 5.0), ("Virksomhet", "virksomhet", 6.4)],
)
# Tiltak og fremdriftsplan har samme kolonner (dokumenter/planer/rader.py).
RADKOLONNER = [
    ("Hva", "hva", 5.6),
    ("Ansvarlig", "ansvarlig", 3.6),
    ("Fra", "fra", 2.4),
    ("Til", "til", 2.4),
    ("Status", "status", 2.4),
]
TILTAK = Listetabell("tiltak", "t", RADKOLONNER)
FREMDRIFTSPLAN = Listetabell("fremdriftsplan", "f", RADKOLONNER)
ANSVARSGRUPPE = Listetabell(
    "ansvarsgruppe",
    "a",
    [("Navn", "navn", 5.0), ("Tjeneste", "tjeneste", 6.4), ("Rolle", "rolle", 5.0)],
)
SAMTYKKER = Listetabell(
    "samtykker",
    "s",
    [("Samarbeidspart", "part", 10.4), ("Status", "status", 6.0)],
)
KOPI_MOTTAKERE = Listetabell(
    "kopi_mottakere",
    "k",
    [("Mottaker", "mottaker", TEKSTBREDDE_CM)],
)

SAMTYKKE_PLAN = (
    "{% if samtykke_plan_dato %}{{ samtykke_plan_dato }}{% else %}Ikke registrert{% endif %}"
)
EKSEMPLARER = (
    "Planen er utstedt i {{ antall_kopier }} "
    "{% if antall_kopier == '1' %}eksemplar{% else %}eksemplarer{% endif %}."
)
TOLK = "Tolk: Jeg bekrefter å ha oversatt planen muntlig til {{ tolk_sprak }}."

SEKSJONER = [
    Seksjon(
        "Personens mål, ressurser og behov",
        [
            Underoverskrift("Mål og ønsker"),
            Boks("{{ maal }}"),
            Underoverskrift("Ressurser"),
            Boks("{{ ressurser }}"),
            Underoverskrift("Behov for tjenester"),
            Boks("{{ tjenestebehov }}"),
        ],
    ),
    Seksjon("Hvem som deltar i planleggingen", liste_eller_ingen(DELTAKERE)),
    Seksjon(
        "Koordinator",
        [
            Rader(
                [
                    ("Navn", "{{ koordinator_navn }}"),
                    ("Tjeneste", "{{ koordinator_tjeneste }}"),
                    ("Telefon", "{{ koordinator_telefon }}"),
                ]
            ),
            Merknad(
                "Koordinatoren sørger for nødvendig oppfølging av personen, samordner "
                "tjenestene og har ansvaret for fremdriften i planen."
            ),
        ],
    ),
    Seksjon(
        "Hva hver bidrar med",
        [
            Rader(
                [
                    ("Personen selv", "{{ bidrag_person }}"),
                    ("Tjenestene", "{{ bidrag_tjenester }}"),
                    ("Pårørende", "{{ bidrag_parorende }}"),
                ]
            )
        ],
    ),
    Seksjon("Tiltak", liste_eller_ingen(TILTAK)),
    Seksjon("Hvordan tiltakene gjennomføres", [Boks("{{ gjennomforing }}")]),
    Seksjon(
        "Planperiode og revisjon",
        [
            Rader(
                [
                    ("Planen gjelder fra", "{{ periode_fra }}"),
                    ("Planen gjelder til", "{{ periode_til }}"),
                    ("Neste revisjon", "{{ revideres }}"),
                ]
            ),
            Merknad(
                "Planen revideres senest på datoen for neste revisjon, og ellers når personen "
                "eller tjenestene ser behov for det."
            ),
        ],
    ),
    Seksjon(
        "Fremdriftsplan",
        [
            Innledning(
                "Steg med dato frem til og etter innflytting: møter, visning av boligen, "
                "signering av leiekontrakten, utlevering av nøkler, innflytting og "
                "tilbakelevering av tidligere bolig."
            ),
            *liste_eller_ingen(FREMDRIFTSPLAN),
        ],
    ),
    Seksjon("Oppfølging i boligen", [Boks("{{ oppfolging_i_bolig }}")]),
    Seksjon("Personens egne plikter", [Boks("{{ egne_plikter }}")]),
    Seksjon(
        "Ansvarsgruppe",
        [
            Innledning(
                "Ansvarsgruppen består av representanter for tjenestene og for "
                "{{ institusjon_navn }}."
            ),
            *liste_eller_ingen(ANSVARSGRUPPE),
        ],
    ),
    Seksjon("Samarbeid med andre tjenester", [Boks("{{ samarbeid_andre }}")]),
    Seksjon(
        "Samtykke",
        [
            Rader([("Samtykke til planen gitt", SAMTYKKE_PLAN)]),
            Innledning("Samtykke til å dele taushetsbelagte opplysninger med samarbeidspartene:"),
            *liste_eller_ingen(SAMTYKKER),
            Merknad(
                "Samtykket kan trekkes tilbake når som helst, for én samarbeidspart eller for "
                "alle. Når samtykket trekkes, mister samarbeidsparten tilgangen til "
                "opplysningene om personen."
            ),
        ],
    ),
    Seksjon(
        "Signaturer",
        [
            Innledning(
                "Ved å signere bekrefter partene at de kjenner innholdet i planen og sitt eget "
                "ansvar i den."
            ),
            *hvis(
                "signaturer",
                [Signaturer("{{ u.navn }}", "{{ u.rolle }}", felt="signaturer", rad="u")],
                ellers=[INGEN],
            ),
            *hvis("tolk_sprak", [Signaturer("{{ tolk_navn }}", "Tolk", innledning=TOLK)]),
        ],
    ),
    Seksjon(
        "Kopier",
        [
            EKSEMPLARER,
            *hvis(
                "kopi_mottakere",
                [Innledning("Eksemplarene oppbevares av:"), KOPI_MOTTAKERE],
                ellers=["Ingen mottakere registrert."],
            ),
        ],
    ),
]

SIGNATUR_ETIKETTER = ("Sted og dato", "Signatur")
SIGNATUR_BREDDER = [5.0, 5.0, 0.8, 5.6]  # navn og rolle, sted og dato, mellomrom, signatur
BUNNTEKST = (
    "Individuell plan {{ plan_nummer }}, versjon {{ versjon }} – taushetsbelagt, "
    "jf. forvaltningsloven § 13 – generert {{ dato_generert }}"
)


# --- Signaturer ----------------------------------------------------------------------


def signaturer(doc, element):
    """To rader per underskriver: navnet ved linjene, så rollen og ledetekstene under
    linjene. Radene holdes sammen og deles ikke over to sider. I en løkke står de mellom
    {%tr for %} og {%tr endfor %}, som docxtpl fjerner."""
    if element.innledning:
        avsnitt = doc.add_paragraph(element.innledning)
        avsnitt.paragraph_format.space_before = Pt(10)
        avsnitt.paragraph_format.keep_with_next = True
    loekke = element.felt is not None
    tabell = doc.add_table(rows=4 if loekke else 2, cols=len(SIGNATUR_BREDDER))
    tabell.alignment = WD_TABLE_ALIGNMENT.CENTER
    rader = tabell.rows[1:3] if loekke else tabell.rows
    linje, etikett = rader
    linje.height = Cm(1.1)
    navn = linje.cells[0]
    navn.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
    sett_celle(navn, element.navn, fet=True, storrelse=10)
    for kolonne in (1, 3):
        bunnlinje(linje.cells[kolonne])
    sett_celle(etikett.cells[0], element.rolle, storrelse=9)
    for kolonne, tekst in zip((1, 3), SIGNATUR_ETIKETTER, strict=True):
        sett_celle(etikett.cells[kolonne], tekst, storrelse=8.5)
    for rad in rader:
        legg_til_egenskap(rad._tr.get_or_add_trPr(), "w:cantSplit")
    for celle in linje.cells:
        for avsnitt in celle.paragraphs:
            avsnitt.paragraph_format.keep_with_next = True
    if loekke:
        loekkerader(tabell.rows[0], tabell.rows[3], element.rad, element.felt)
    sett_bredder(tabell, SIGNATUR_BREDDER)


# --- Sammenstilling -------------------------------------------------------------------


def bygg():
    assert abs(sum(SIGNATUR_BREDDER) - TEKSTBREDDE_CM) < 0.01
    # Bunntekst: hvilken plan det gjelder, taushetsplikten og «Side N av M».
    doc = nytt_skjema(TITTEL, BUNNTEKST, underoverskrift_foer=6)
    skriv_topphode(doc, TITTEL, UNDERTITTEL, TOPPHODE)
    merknad(doc, TAUSHETSPLIKT)

    for nummer, seksjon in enumerate(SEKSJONER, start=1):
        skriv_seksjon(doc, nummer, seksjon, {Signaturer: signaturer})

    # Word vil ha et avsnitt etter siste tabell i dokumentet.
    tomt_avsnitt(doc)
    return doc


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
