"""Bygg docxtpl-malen for avviksskjemaet til samarbeidsavtalen.

Kjør fra roten av depotet:

    python tools/bygg_avviksskjema.py

Skriptet bygger ``maler/avviksskjema.docx`` på nytt og er den lesbare kilden til ordlyden;
feltene er deklarert i ``maler/avviksskjema.toml``. Endre teksten her, bygg på nytt og legg
inn begge filene sammen (se ``docxbygg``).

Oppbygging (se ``SEKSJONER``; byggeklossene ``Seksjon``, ``Rader``, ``Boks``, ``Merknad`` og
``hvis(...)`` er beskrevet i ``docxbygg``):

* Et topphode med kommune, avtalepart, avtalens dato og versjon, avviksnummer og status.
* Nummererte seksjoner (stilen Heading 1) med tabeller, fritekstbokser og merknader.
* Seksjonen om lukking står sist og vises bare når avviket er lukket.
* Med ``blankett`` fylt ut er skjemaet det tomme vedlegg 2 til samarbeidsavtalen: statusen
  og svardelen er tomme felt, og en merknad sier hvordan skjemaet brukes.
"""

import sys
from pathlib import Path

# Testene laster skriptet fra fil, og da står ikke tools/ på sys.path av seg selv.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxbygg import (
    Boks,
    Merknad,
    Rader,
    Seksjon,
    hvis,
    lagre,
    merknad,
    nytt_skjema,
    skriv_seksjon,
    skriv_topphode,
    tomt_avsnitt,
)

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "avviksskjema.docx"
TITTEL = "Avviksskjema – samarbeidsavtale"


# --- Teksten --------------------------------------------------------------------------

UNDERTITTEL = "Melding om brudd på samarbeidsavtalen"

# Svaret er registrert når feltet «svar» er fylt ut (verdien «ja»); avviket er lukket når
# det har en lukkedato.
ER_BESVART = "svar"
ER_LUKKET = "lukket_dato"

STATUS = (
    "{% if blankett %}Fylles ut når avviket meldes"
    "{% elif lukket_dato %}Lukket {{ lukket_dato }}"
    "{% elif svar %}Besvart{% if svar_dato %} {{ svar_dato }}{% endif %}"
    "{% else %}Venter på svar, frist {{ svarfrist }}{% endif %}"
)

# Et avvik kan lukkes uten svar når svarfristen er ute.
IKKE_BESVART = (
    "{% if blankett %}Forklaring og tiltak fra den som mottar skjemaet:"
    "{% elif lukket_dato %}Ikke besvart innen svarfristen {{ svarfrist }}."
    "{% else %}Ikke besvart ennå. Svarfrist: {{ svarfrist }}.{% endif %}"
)

TOPPHODE = Rader(
    [
        ("Kommune", "{{ kommune_navn }}"),
        ("Avtalepart", "{{ part_navn }}"),
        (
            "Avtalens dato og versjon",
            "{{ avtale_dato }}{% if avtale_versjon %}, versjon {{ avtale_versjon }}{% endif %}",
        ),
        ("Avviksnummer", "{{ avviksnummer }}"),
        ("Status", STATUS),
    ]
)

VEDLEGG = (
    "Vedlegg 2 til samarbeidsavtalen. Den parten som oppdager et avvik, fyller ut skjemaet og "
    "sender det til den andre partens kontaktperson senest fem virkedager etter at avviket ble "
    "oppdaget (avtalens bestemmelse om avvikshåndtering). Skjemaet skal ikke inneholde "
    "personopplysninger."
)

SEKSJONER = [
    Seksjon(
        "Hvilket punkt i avtalen gjelder avviket",
        [
            Rader(
                [
                    ("Paragraf i avtalen", "{{ paragraf }}"),
                    ("Kategori", "{{ kategori }}"),
                    ("Gjentatt eller alvorlig", "{{ alvorlighet }}"),
                ]
            ),
            Merknad("Gjentatte eller alvorlige avvik tas opp mellom partenes ledere."),
        ],
    ),
    Seksjon(
        "Når avviket skjedde og ble oppdaget",
        [
            Rader([("Dato for hendelsen", "{{ hendelsesdato }}"), ("Oppdaget", "{{ oppdaget }}")]),
            *hvis(
                "sen_begrunnelse",
                [
                    Rader(
                        [
                            (
                                "Sendt senere enn fem virkedager etter at avviket ble oppdaget",
                                "{{ sen_begrunnelse }}",
                            )
                        ]
                    )
                ],
            ),
        ],
    ),
    Seksjon("Hva skjedde", [Boks("{{ hva_skjedde }}")]),
    Seksjon(
        "Konsekvens for personen",
        [
            Boks("{{ konsekvens }}"),
            Merknad(
                "Personopplysninger skal ikke stå i skjemaet. Beskriv konsekvensen uten "
                "navn, fødselsnummer eller andre opplysninger som kan identifisere personen."
            ),
        ],
    ),
    Seksjon("Strakstiltak", [Boks("{{ strakstiltak }}")]),
    Seksjon(
        "Meldt av",
        [
            Rader(
                [
                    ("Navn", "{{ meldt_av_navn }}"),
                    ("Rolle", "{{ meldt_av_rolle }}"),
                    ("Institusjon", "{{ meldt_av_institusjon }}"),
                    ("Dato meldt", "{{ meldt_dato }}"),
                ]
            )
        ],
    ),
    Seksjon(
        "Svarfrist",
        [
            Rader([("Svar innen", "{{ svarfrist }}")]),
            Merknad(
                "Svaret fra {{ mottaker }} skal være skriftlig og komme innen fristen. Det "
                "skal forklare årsaken til avviket og hvilke tiltak som settes i verk for å "
                "hindre at det skjer igjen."
            ),
        ],
    ),
    Seksjon(
        "Svar fra {{ mottaker }}",
        hvis(
            ER_BESVART,
            [
                Rader(
                    [
                        ("Forklaring", "{{ svar_forklaring }}"),
                        ("Tiltak", "{{ svar_tiltak }}"),
                        ("Besvart av", "{{ svar_av }}"),
                        ("Dato", "{{ svar_dato }}"),
                    ]
                )
            ],
            ellers=[IKKE_BESVART],
        ),
    ),
]

# Vises bare når avviket er lukket; står sist, så nummereringen over endres ikke.
LUKKING = Seksjon(
    "Lukking",
    [Rader([("Lukket dato", "{{ lukket_dato }}"), ("Merknad", "{{ lukket_merknad }}")])],
)

BUNNTEKST = "Avviket behandles etter samarbeidsavtalens bestemmelser om avvik og evaluering."
BUNNTEKST_ID = (
    "Avviksskjema {{ avviksnummer }} – {{ kommune_navn }} og {{ part_navn }} – "
    "generert {{ dato_generert }}"
)

# --- Sammenstilling -------------------------------------------------------------------


def bygg():
    # Bunntekst: avviksbestemmelsen, hvilket avvik det gjelder, og «Side N av M».
    doc = nytt_skjema(TITTEL, BUNNTEKST + "\n" + BUNNTEKST_ID)
    skriv_topphode(doc, TITTEL, UNDERTITTEL, TOPPHODE)
    doc.add_paragraph("{%p if blankett %}")
    merknad(doc, VEDLEGG)
    doc.add_paragraph("{%p endif %}")

    for nummer, seksjon in enumerate(SEKSJONER, start=1):
        skriv_seksjon(doc, nummer, seksjon)
    doc.add_paragraph("{%p if " + ER_LUKKET + " %}")
    skriv_seksjon(doc, len(SEKSJONER) + 1, LUKKING)
    doc.add_paragraph("{%p endif %}")

    # Word vil ha et avsnitt etter siste tabell i dokumentet.
    tomt_avsnitt(doc)
    return doc


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
