"""Bygg docxtpl-malen for overgangsskjemaet: skjemaet som følger personen fra institusjonen
inn i boligen (Oslo-rutinen «fra institusjon til bolig»).

Kjør fra roten av depotet:

    python tools/bygg_overgangsskjema.py

Skriptet bygger ``maler/overgangsskjema.docx`` på nytt og er den lesbare kilden til
ordlyden; feltene (også kolonnene i listefeltene) er deklarert i
``maler/overgangsskjema.toml``. Endre teksten her, bygg på nytt og legg inn begge filene
sammen (se ``docxbygg``).

Oppbygging (se ``SEKSJONER``; byggeklossene er beskrevet i ``docxbygg``):

* Et topphode med kommune, plannummer og skjemaversjon, personen, institusjonen og boligen,
  og under det en merknad om taushetsplikt.
* Nummererte seksjoner: boligen og de fire ukene, personens plikter (husleie,
  husordensregler, strøm, møbler), det personen må vite, kontaktene, de første ukenes
  avtaler, oppgavene i overgangen, inventarlisten og tilstandsrapporten, og signaturene.
* Signaturlinjer for personen og for institusjonen side om side (``signaturtabell``).
  Personen signerer på papir, og den skannede kopien lastes opp.
"""

import sys
from pathlib import Path

# Testene laster skriptet fra fil, og da står ikke tools/ på sys.path av seg selv.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxbygg import (
    Boks,
    Innledning,
    Listetabell,
    Merknad,
    Rader,
    Seksjon,
    Underoverskrift,
    hvis,
    lagre,
    merknad,
    nytt_skjema,
    signaturtabell,
    skriv_seksjon,
    skriv_topphode,
    tomt_avsnitt,
)

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "overgangsskjema.docx"
TITTEL = "Overgangsskjema"
INGEN = "Ingen registrert."

# --- Teksten --------------------------------------------------------------------------

UNDERTITTEL = "Fra institusjon til bolig – skjemaet som følger personen inn i boligen"

TOPPHODE = Rader(
    [
        ("Kommune", "{{ kommune_navn }}"),
        ("Individuell plan", "{{ plan_nummer }}, overgangsskjema versjon {{ skjema_versjon }}"),
        ("Navn", "{{ person_navn }}"),
        ("Fødselsdato", "{{ person_fodselsdato }}"),
        ("Institusjon", "{{ institusjon_navn }}"),
        ("Boligen", "{{ bolig }}"),
    ]
)

TAUSHETSPLIKT = (
    "Dokumentet inneholder taushetsbelagte opplysninger. Det skal bare leses av personen selv "
    "og dem som følger opp overgangen, med samtykke."
)


def liste_eller_ingen(liste):
    return hvis(liste.felt, [liste], ellers=[INGEN])


KONTAKTER = Listetabell(
    "kontakter",
    "k",
    [("Rolle", "rolle", 5.4), ("Navn", "navn", 5.0), ("Tjeneste", "tjeneste", 6.0)],
)
AVTALER = Listetabell(
    "avtaler",
    "a",
    [("Dato", "dato", 2.8), ("Hva", "hva", 8.4), ("Med hvem", "med_hvem", 5.2)],
)
OPPGAVER = Listetabell(
    "oppgaver",
    "o",
    [
        ("Oppgave", "oppgave", 7.4),
        ("Ansvarlig", "ansvarlig", 4.2),
        ("Frist", "frist", 2.6),
        ("Status", "status", 2.2),
    ],
)
INVENTAR = Listetabell(
    "inventar",
    "i",
    [("Gjenstand", "gjenstand", 7.0), ("Antall", "antall", 2.0), ("Tilstand", "tilstand", 7.4)],
)

SEKSJONER = [
    Seksjon(
        "Boligen og de fire ukene",
        [
            Rader(
                [
                    ("Bolig tilbudt eller tildelt", "{{ tilbud_dato }}"),
                    ("Innflytting", "{{ innflytting_dato }}"),
                    ("De fire ukene varer til", "{{ overgang_slutt }}"),
                    ("Oppfølging i overgangen", "{{ oppfolgingsniva }}"),
                    ("Overlapp i institusjonsplassen", "{{ overlapp }}"),
                ]
            ),
            Merknad(
                "Overgangsperioden er fire uker fra boligen ble tilbudt eller tildelt. I den "
                "tiden følger både institusjonen og kommunen opp, og personen kan ved avtale "
                "beholde institusjonsplassen en kort periode."
            ),
        ],
    ),
    Seksjon(
        "Dine plikter i boligen",
        [
            Underoverskrift("Husleie"),
            Boks("{{ husleie }}"),
            Underoverskrift("Husordensregler"),
            Boks("{{ husordensregler }}"),
            Underoverskrift("Strøm"),
            Boks("{{ strom }}"),
            Underoverskrift("Møbler og utstyr"),
            Boks("{{ mobler }}"),
        ],
    ),
    Seksjon("Det du må vite", [Boks("{{ ma_vite }}")]),
    Seksjon(
        "Kontaktene dine",
        [
            Innledning(
                "Primærkontakten i institusjonen og booppfølgeren i kommunen følger deg i "
                "overgangen. Sekundærkontakten overtar når en av dem ikke er til stede."
            ),
            *liste_eller_ingen(KONTAKTER),
        ],
    ),
    Seksjon("Avtaler de første ukene", liste_eller_ingen(AVTALER)),
    Seksjon("Oppgaver i overgangen", liste_eller_ingen(OPPGAVER)),
    Seksjon(
        "Inventarliste og tilstandsrapport",
        [
            Underoverskrift("Inventarliste"),
            *liste_eller_ingen(INVENTAR),
            Underoverskrift("Tilstandsrapport"),
            Boks("{{ tilstand }}"),
            Merknad(
                "Inventarlisten og tilstandsrapporten gjennomgås sammen med personen og "
                "signeres ved innflytting. Boligen skal leveres tilbake i samme stand."
            ),
        ],
    ),
]

SIGNATUR_OVERSKRIFTER = ("{{ person_navn }}", "For {{ institusjon_navn }}")
SIGNATUR_LINJER = ["Sted og dato", "Underskrift", "Navn (blokkbokstaver)"]
BUNNTEKST = (
    "Overgangsskjema for individuell plan {{ plan_nummer }}, versjon {{ skjema_versjon }} – "
    "taushetsbelagt, jf. forvaltningsloven § 13 – generert {{ dato_generert }}"
)


# --- Sammenstilling -------------------------------------------------------------------


def bygg():
    doc = nytt_skjema(TITTEL, BUNNTEKST, underoverskrift_foer=6)
    skriv_topphode(doc, TITTEL, UNDERTITTEL, TOPPHODE)
    merknad(doc, TAUSHETSPLIKT)
    for nummer, seksjon in enumerate(SEKSJONER, start=1):
        skriv_seksjon(doc, nummer, seksjon)
    doc.add_paragraph(f"{len(SEKSJONER) + 1}. Signaturer", style="Heading 1")
    doc.add_paragraph(
        "Ved å signere bekrefter personen og institusjonen at de har gått gjennom skjemaet, "
        "inventarlisten og tilstandsrapporten sammen."
    ).paragraph_format.keep_with_next = True
    signaturtabell(doc, SIGNATUR_OVERSKRIFTER, SIGNATUR_LINJER, storrelse=10)
    # Word vil ha et avsnitt etter siste tabell i dokumentet.
    tomt_avsnitt(doc)
    return doc


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
