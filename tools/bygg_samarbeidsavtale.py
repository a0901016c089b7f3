"""Build the docxtpl template for the model cooperation agreement (mønsteravtale).

Run from the repository root:

    python tools/bygg_samarbeidsavtale.py

This rebuilds ``maler/samarbeidsavtale.docx``. Both this script and the DOCX file are
committed. The DOCX is what the system renders with docxtpl; this script is the
reviewable source of the wording, so change the text here, rebuild, and commit both
files together. The fields, variants and vocabulary (``ord``) used below are declared
in ``maler/samarbeidsavtale.toml``; every name used in the template must be declared
there. Output is byte-for-byte reproducible (fixed ZIP timestamps and core properties),
so an unchanged text gives an unchanged DOCX.

How the text is written (see ``SEKSJONER``):

* Each section is a ``Seksjon``; it becomes a "§ N Title" heading (style Heading 1)
  followed by its paragraphs. ``§(key)`` in a text is replaced by the section's
  number, so cross references follow if sections are reordered.
* A paragraph is a plain string (style Normal). Prefixes: ``"* "`` bullet (List
  Bullet), ``"> "`` indented paragraph, ``"## "`` numbered subsection (Heading 2).
* ``{{ ... }}`` inserts a value; ``ord.x`` is the variant's vocabulary word.
* ``variant(...)`` and ``hvis(...)`` expand to docxtpl paragraph conditionals
  (``{%p if ... %}`` etc.), each on its own paragraph that docxtpl removes on render.
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from docx.shared import Cm, Pt

# The tests load this script from its file, which does not put tools/ on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxbygg import (
    TEKSTBREDDE_CM,
    hvis,
    lagre,
    legg_til_egenskap,
    ny_tabell,
    nytt_dokument,
    sett_bredder,
    sett_celle,
    sett_grunnstiler,
    sett_stil,
    signaturtabell,
    skyggelegg,
    tomt_avsnitt,
)

UTFIL = Path(__file__).resolve().parent.parent / "maler" / "samarbeidsavtale.docx"
TITTEL = "Samarbeidsavtale – mønsteravtale"

KONTAKTTABELL = object()
SIGNATURTABELL = object()


# --- Helpers that produce template syntax -------------------------------------------
# hvis(...) (paragraphs shown only when a Jinja condition holds) comes from docxbygg.


def variant(kriminalomsorg, helse, generell):
    """Paragraphs that differ for each of the three variants."""
    return [
        '{%p if variant == "kriminalomsorg" %}',
        *kriminalomsorg,
        '{%p elif variant == "helse" %}',
        *helse,
        "{%p else %}",
        *generell,
        "{%p endif %}",
    ]


# An empty langtekst may arrive as "" or as a docxtpl Listing, which is always truthy.
HAR_SAERLIGE = "saerlige_bestemmelser and saerlige_bestemmelser|string|trim"
UNNTATT_GENERELL = 'variant != "generell"'


@dataclass
class Seksjon:
    noekkel: str
    tittel: str
    avsnitt: list
    betingelse: str | None = None  # the whole section is shown only if this holds


# --- The agreement text ---------------------------------------------------------------

INNLEDNING = [
    "mellom {{ kommune_navn }} og {{ part.navn }}",
    "om bolig og oppfølging ved {{ ord.overgang }}",
]

PARTER = [
    "Denne avtalen er inngått mellom",
    (
        "> {{ kommune_navn }} ved {{ kommune_enhet }}"
        "{% if kommune_adresse %}, {{ kommune_adresse }}{% endif %}, "
        "heretter kalt «kommunen»,"
    ),
    "> og",
    (
        "> {{ part.navn }}, organisasjonsnummer {{ part.orgnr }}"
        "{% if part.adresse %}, {{ part.adresse }}{% endif %}, "
        "heretter kalt «{{ ord.parten }}»."
    ),
    (
        "{{ kommune_enhet }} følger opp avtalen på kommunens vegne. Avtalen binder "
        "kommunen som helhet, og kommunen skal sørge for at den er kjent i alle "
        "tjenester som har oppgaver etter avtalen, herunder de kommunale tjenestene "
        "i NAV-kontoret, helse- og omsorgstjenestene og boligtjenesten."
    ),
]

FORMAAL = [
    (
        "Formålet med avtalen er at {{ ord.personer }} som omfattes av avtalen, skal "
        "ha en egnet og varig bolig fra {{ ord.overgangsdag }}, og den oppfølgingen "
        "de trenger for å bo der. Ingen skal måtte ty til midlertidige løsninger som "
        "hotell, hospits eller campinghytte fordi planleggingen har startet for sent."
    ),
    (
        "Avtalen fastsetter faste rutiner for samarbeidet, slik at arbeidet med bolig "
        "og tjenester starter så tidlig som mulig, gjerne i forkant av "
        "{{ ord.innkomst }}. Målet er at {{ ord.personene }} vet hvem som har "
        "ansvaret for hva, og opplever at partene trekker i samme retning."
    ),
    *variant(
        kriminalomsorg=[
            (
                "Avtalen skal bidra til at soningen og tiden etter løslatelse henger "
                "sammen, og er en del av partenes felles arbeid med tilbakeføring til "
                "et liv uten ny kriminalitet."
            ),
        ],
        helse=[
            (
                "Avtalen skal styrke samhandlingen mellom institusjonen og kommunen, "
                "slik at behandlingen og kommunens tjenester etter utskrivning henger "
                "sammen, og slik at resultatet av behandlingen ikke går tapt fordi "
                "pasienten mangler et sted å bo."
            ),
        ],
        generell=[
            (
                "Avtalen skal også forebygge at tjenestemottakere mister boligen sin, "
                "og sikre at avslutning av oppholdet planlegges i god tid."
            ),
        ],
    ),
    (
        "Avtalen kommer i tillegg til partenes plikter etter lov og forskrift og "
        "innskrenker ikke disse."
    ),
]

MAALGRUPPE = [
    (
        "Avtalen gjelder {{ ord.personer }} som har eller skal få bostedsadresse i "
        "{{ kommune_navn }}, og som"
    ),
    "* mangler egnet bolig etter {{ ord.overgang }},",
    "* står i fare for å miste boligen sin, eller",
    "* trenger tjenester fra kommunen for å mestre å bo i egen bolig.",
    *variant(
        kriminalomsorg=[
            (
                "Avtalen omfatter innsatte i varetekt og under soning, domfelte i "
                "overgangsbolig eller med elektronisk kontroll, og domfelte som "
                "følges opp av friomsorgen, herunder prøveløslatte og domfelte som "
                "gjennomfører samfunnsstraff."
            ),
        ],
        helse=[
            (
                "Avtalen omfatter pasienter i døgnbehandling hos institusjonen, "
                "herunder innen tverrfaglig spesialisert rusbehandling (TSB) og "
                "psykisk helsevern, og pasienter som skal over i poliklinisk eller "
                "ambulant behandling etter utskrivning."
            ),
        ],
        generell=[
            (
                "Avtalen omfatter tjenestemottakere som leier eller disponerer bolig "
                "hos samarbeidsparten, eller har et annet botilbud der, og som mottar "
                "eller har behov for tjenester fra kommunen."
            ),
        ],
    ),
    "Samarbeid om den enkelte forutsetter samtykke eller hjemmel i lov, jf. §(taushetsplikt).",
]

RUTINER = [
    (
        "Rutinene i denne paragrafen er minstekrav. Partene kan avtale tettere "
        "samarbeid i den enkelte sak."
    ),
    "## Ved {{ ord.innkomst }}",
    *hvis(
        UNNTATT_GENERELL,
        [
            (
                "{{ ord.parten|capitalize }} skal innen to uker etter "
                "{{ ord.innkomst }} kartlegge om {{ ord.personen }} har en bolig, om "
                "boligen kan beholdes, og om vedkommende trenger bistand fra "
                "kommunen til bolig eller tjenester."
            ),
            (
                "Trenger vedkommende bistand, skal {{ ord.parten }} melde behovet "
                "skriftlig til kommunens kontaktperson når samtykke foreligger. "
                "Meldingen skal opplyse om nåværende boforhold, kjente behov for "
                "tjenester og forventet dato for {{ ord.overgang }}."
            ),
            (
                "Har vedkommende en bolig, skal partene vurdere tiltak som hindrer at "
                "boligen går tapt under {{ ord.oppholdet }}, for eksempel avtale med "
                "utleier om betaling av husleie eller om fremleie."
            ),
        ],
        ellers=[
            (
                "Før innflytting skal samarbeidsparten og kommunen avklare hvilke "
                "tjenester tjenestemottakeren trenger for å mestre boforholdet, og "
                "hvem som skal kontaktes dersom det oppstår problemer."
            ),
            (
                "Samarbeidsparten skal gi kommunens kontaktperson skriftlig melding "
                "om innflytting for tjenestemottakere som kommunen har formidlet "
                "bolig til eller gir oppfølging."
            ),
        ],
    ),
    (
        "Kommunen skal bekrefte mottatt melding innen fem virkedager og opplyse hvem "
        "i kommunen som har ansvaret for å følge opp saken."
    ),
    "## Under {{ ord.oppholdet }}",
    (
        "Så lenge {{ ord.personen }} er hos {{ ord.parten }}, holder partene samarbeidsmøter "
        "sammen med vedkommende "
        "{{ samarbeidsmote_frekvens or 'minst hver tredje måned' }}. {{ ord.parten|capitalize }} "
        "kaller inn til møtene så lenge vedkommende er der, med mindre partene avtaler noe "
        "annet; kommunen overtar når det er avklart hvor vedkommende skal bo. I møtene "
        "avklares hva det skal søkes om, og hva som må skje fram mot {{ ord.overgang }}."
    ),
    *variant(
        kriminalomsorg=[
            (
                "Kriminalomsorgen skal sørge for at kontaktbetjenten eller den "
                "saksansvarlige i friomsorgen kjenner avtalen og deltar i "
                "planleggingen sammen med kommunen."
            ),
            (
                "Kriminalomsorgen skal legge til rette for at kommunen kan møte den "
                "innsatte eller domfelte, i fengselet eller på video. Så langt "
                "sikkerhetshensyn og regelverket tillater det, skal kriminalomsorgen "
                "vurdere permisjon eller fremstilling til visning av bolig, signering "
                "av leiekontrakt og møter med kommunale tjenester."
            ),
            (
                "Kriminalomsorgen skal i god tid vurdere overgangsbolig, "
                "prøveløslatelse og straffegjennomføring med elektronisk kontroll, og "
                "skal orientere kommunen når slike avgjørelser endrer tidspunktet for "
                "løslatelse."
            ),
        ],
        helse=[
            (
                "Institusjonen skal sørge for at pasientens behandler kjenner avtalen "
                "og deltar i planleggingen sammen med kommunen."
            ),
            (
                "Institusjonen skal legge til rette for at kommunen kan møte pasienten "
                "under behandlingen, fysisk eller på video, og skal gi pasienten "
                "anledning til å delta på visning av bolig, signering av leiekontrakt "
                "og møter med kommunale tjenester."
            ),
            (
                "Institusjonen skal orientere kommunen dersom behandlingsforløpet "
                "endres slik at tidspunktet for utskrivning blir et annet enn "
                "planlagt."
            ),
        ],
        generell=[
            (
                "Samarbeidsparten skal uten ugrunnet opphold melde fra til kommunens "
                "kontaktperson dersom det oppstår forhold som setter boforholdet i "
                "fare, for eksempel manglende betaling av husleie, skader på boligen "
                "eller gjentatte klager fra naboer."
            ),
            (
                "Kommunen skal vurdere og tilby tjenester som kan bidra til at "
                "tjenestemottakeren beholder boligen, for eksempel oppfølging i "
                "hjemmet, økonomisk rådgivning og hjelp til å søke bostøtte."
            ),
        ],
    ),
    (
        "Kommunen skal i samråd med {{ ord.personen }} starte arbeidet med bolig og "
        "tjenester så tidlig at en varig løsning er på plass senest på "
        "{{ ord.overgangsdag }}. Kommunen skal vurdere alle aktuelle løsninger, "
        "herunder kommunal utleiebolig, bolig i det private leiemarkedet, startlån og "
        "bostøtte. Midlertidig botilbud skal bare brukes når en varig løsning ikke "
        "kan skaffes i tide, og arbeidet med en varig løsning skal da fortsette uten "
        "opphold."
    ),
    "## Før {{ ord.overgang }}",
    "{{ ord.parten|capitalize }} skal varsle kommunen etter §(varsling).",
    (
        "Så snart varsel er gitt, og senest én uke før {{ ord.overgang }}, skal "
        "partene holde et planleggingsmøte sammen med {{ ord.personen }}. I møtet "
        "skal bolig, økonomi, tjenester, oppfølging den første tiden og "
        "ansvarsfordelingen avklares og skrives ned. Møtet kan holdes på video."
    ),
    (
        "Partene skal avtale hvem som møter vedkommende på {{ ord.overgangsdag }}, og "
        "hvordan vedkommende kommer seg til boligen. Nøkler, leiekontrakt og "
        "nødvendige vedtak om økonomisk stønad skal så langt det er mulig være klare "
        "før {{ ord.overgang }}."
    ),
    *variant(
        kriminalomsorg=[
            (
                "Kriminalomsorgen skal bidra til at den innsatte har gyldig "
                "legitimasjon ved løslatelse, og til at nødvendige søknader til NAV "
                "er sendt i god tid. Ved prøveløslatelse skal kriminalomsorgen med "
                "samtykke gi kommunen opplysninger om fastsatte vilkår og om "
                "oppfølgingen fra friomsorgen."
            ),
        ],
        helse=[
            (
                "Institusjonen skal sende epikrise til pasientens fastlege, og med "
                "samtykke til den kommunale tjenesten som skal følge opp pasienten, "
                "senest på utskrivningsdagen. Institusjonen skal sørge for at "
                "pasienten har nødvendige legemidler og resepter ved utskrivning, og "
                "at legemiddelassistert rehabilitering (LAR) kan fortsette uten "
                "opphold."
            ),
        ],
        generell=[
            (
                "Ved avslutning av oppholdet skal samarbeidsparten samarbeide med "
                "kommunen om utflyttingen. Før samarbeidsparten begjærer "
                "tvangsfravikelse, skal kommunen få anledning til å foreslå tiltak "
                "som kan hindre at tjenestemottakeren blir uten bolig."
            ),
        ],
    ),
    (
        "Når bolig er tilbudt eller tildelt, følger partene opp sammen i en overgangsperiode "
        "på fire uker. Overgangsskjemaet (vedlegg 1) fylles ut for hver person og følger "
        "vedkommende inn i boligen: plikter, kontakter, de første ukenes avtaler, "
        "inventarliste og tilstandsrapport."
    ),
    "## Etter {{ ord.overgang }}",
    (
        "Kommunen har ansvaret for oppfølgingen etter {{ ord.overgang }} og skal "
        "sørge for at de tiltakene som er avtalt, blir gjennomført. Kommunen skal ha "
        "et første møte eller hjemmebesøk med vedkommende senest én uke etter "
        "{{ ord.overgang }}."
    ),
    (
        "Møter ikke vedkommende til avtalt oppfølging, skal kommunen aktivt forsøke å "
        "oppnå kontakt, og ved behov drøfte saken med {{ ord.parten }}."
    ),
    *variant(
        kriminalomsorg=[
            (
                "Kommunen og kriminalomsorgen skal samordne oppfølgingen av domfelte "
                "som er prøveløslatt eller gjennomfører straff utenfor fengsel, slik "
                "at vilkår og møteplikt hos friomsorgen passer sammen med kommunens "
                "tiltak."
            ),
        ],
        helse=[
            (
                "Institusjonen og kommunen skal avtale hvordan poliklinisk eller "
                "ambulant behandling etter utskrivning samordnes med kommunens "
                "tjenester. Trenger pasienten ny innleggelse, skal partene samarbeide "
                "om en rask vurdering."
            ),
        ],
        generell=[
            (
                "Etter utflytting skal samarbeidsparten med samtykke gi kommunen de "
                "opplysningene som trengs for å avslutte leieforholdet på en ordnet "
                "måte, for eksempel om nøkler, depositum og husleieoppgjør."
            ),
        ],
    ),
]

KONTAKT = [
    (
        "Hver part skal ha minst én kontaktperson for avtalen. Kontaktpersonene er "
        "partenes faste kanal for spørsmål om avtalen og for meldinger og varsler "
        "etter den. De skal kunne nås på telefon og e-post i ordinær arbeidstid, og "
        "henvendelser skal besvares senest neste virkedag."
    ),
    KONTAKTTABELL,
    *hvis(
        "not part.kontaktpersoner",
        [
            (
                "{{ part.navn }} har ennå ikke meldt inn kontaktpersoner. Navn, rolle, "
                "telefonnummer og e-postadresse skal meldes skriftlig til kommunens "
                "kontaktperson senest to uker etter at avtalen er undertegnet."
            ),
        ],
    ),
    (
        "Ved fravær skal kontaktpersonen sørge for at den andre parten vet hvem som "
        "er stedfortreder. Nye kontaktpersoner skal meldes skriftlig til den andre "
        "parten uten ugrunnet opphold. Slike endringer krever ikke endring av "
        "avtalen."
    ),
    (
        "Meldinger og varsler med personopplysninger skal sendes med sikker digital "
        "post eller gjennom en annen kanal som begge parter har godkjent for "
        "taushetsbelagte opplysninger. Vanlig e-post skal ikke brukes til slike "
        "opplysninger."
    ),
]

VARSLING = [
    (
        "{{ ord.parten|capitalize }} skal varsle kommunens kontaktperson skriftlig senest "
        "{{ varslingsfrist_dager }} "
        "{{ 'dag' if varslingsfrist_dager|string == '1' else 'dager' }} "
        "før planlagt {{ ord.overgang }}. "
        "Varslingsplikten gjelder alle {{ ord.personer }} som omfattes av avtalen, "
        "jf. §(maalgruppe), og som har samtykket til at kommunen varsles."
    ),
    "Varselet skal inneholde",
    "* navn, fødselsdato og kontaktopplysninger til {{ ord.personen }},",
    "* planlagt dato og tidspunkt for {{ ord.overgang }},",
    "* nåværende boforhold og behov for bolig,",
    "* kjente behov for tjenester og oppfølging etter {{ ord.overgang }},",
    "* navn og telefonnummer til den som kan gi utfyllende opplysninger, og",
    "* bekreftelse på at samtykke er gitt, jf. §(taushetsplikt).",
    (
        "Kommunen skal bekrefte mottatt varsel innen tre virkedager. Endres datoen "
        "for {{ ord.overgang }}, skal {{ ord.parten }} straks varsle kommunen om den "
        "nye datoen."
    ),
    *variant(
        kriminalomsorg=[
            (
                "Skjer løslatelse på så kort varsel at fristen ikke kan overholdes, "
                "for eksempel ved løslatelse fra varetekt eller når prøveløslatelse "
                "innvilges sent, skal kriminalomsorgen varsle kommunen straks og "
                "senest samme dag som løslatelsen er kjent."
            ),
        ],
        helse=[
            (
                "Skjer utskrivning på så kort varsel at fristen ikke kan overholdes, "
                "for eksempel fordi pasienten avbryter behandlingen eller skrives ut "
                "etter brudd på institusjonens regler, skal institusjonen varsle "
                "kommunen straks og så langt det er mulig før pasienten forlater "
                "institusjonen."
            ),
        ],
        generell=[
            (
                "Skjer avslutning av oppholdet på så kort varsel at fristen ikke kan "
                "overholdes, for eksempel fordi tjenestemottakeren flytter ut uten "
                "forvarsel, skal samarbeidsparten varsle kommunen straks og senest "
                "neste virkedag."
            ),
        ],
    ),
    "Brudd på varslingsplikten skal registreres som avvik etter §(avvik).",
]

IP = [
    (
        "Har {{ ord.personen }} behov for langvarige og koordinerte tjenester, skal "
        "kommunen tilby individuell plan og oppnevne en koordinator, jf. helse- og "
        "omsorgstjenesteloven §§ 7-1 og 7-2. Kommunen har ansvaret for å utarbeide "
        "og koordinere planen, også under {{ ord.oppholdet }}."
    ),
    (
        "{{ ord.parten|capitalize }} skal medvirke i arbeidet med planen, blant annet "
        "ved å delta i ansvarsgruppemøter og gi opplysninger som er nødvendige for "
        "planleggingen."
    ),
    *variant(
        kriminalomsorg=[
            (
                "Kriminalomsorgen skal sørge for at egne planer for "
                "straffegjennomføringen og den individuelle planen er samordnet, slik "
                "at tiltak under soningen og etter løslatelse bygger på hverandre."
            ),
        ],
        helse=[
            (
                "Institusjonen skal samordne behandlingsplanen med den individuelle "
                "planen. Har pasienten ikke individuell plan, og viser behovet seg "
                "under behandlingen, skal institusjonen straks melde behovet til "
                "kommunen, jf. spesialisthelsetjenesteloven § 2-5."
            ),
        ],
        generell=[
            (
                "Samarbeidsparten skal, når tjenestemottakeren samtykker, delta i "
                "ansvarsgruppemøter der boforholdet drøftes, og melde fra til "
                "koordinatoren om forhold som har betydning for planen."
            ),
        ],
    ),
    (
        "Tiltak om bolig og oppfølging etter {{ ord.overgang }} skal tas inn i "
        "planen med angivelse av hvem som har ansvaret for hvert tiltak, og når det "
        "skal være gjennomført. Planen skal utarbeides sammen med vedkommende selv."
    ),
    (
        "Ønsker vedkommende ikke individuell plan, skal avtalte tiltak likevel "
        "skrives ned i en samarbeidsplan med ansvarsfordeling og tidsplan."
    ),
]

TAUSHETSPLIKT = [
    (
        "Partene og deres ansatte har taushetsplikt etter de reglene som gjelder for "
        "hver av dem. Avtalen gir ikke adgang til å dele taushetsbelagte "
        "opplysninger ut over det som følger av samtykke eller lov."
    ),
    (
        "Opplysninger om {{ ord.personen }} kan bare deles når vedkommende har "
        "samtykket, eller når det er hjemmel for det i lov. Samtykket skal være "
        "frivillig, informert og skriftlig, og skal angi hvilke opplysninger som kan "
        "deles, med hvem og til hvilket formål. Vedkommende kan når som helst trekke "
        "samtykket tilbake."
    ),
    (
        "{{ ord.parten|capitalize }} skal be om samtykke så tidlig som mulig, helst "
        "ved {{ ord.innkomst }}. Det skal gå fram av varselet etter §(varsling) at "
        "samtykke er gitt."
    ),
    (
        "Samtykker vedkommende ikke, skal {{ ord.parten }} likevel informere om "
        "kommunens tjenester og om hvordan vedkommende selv kan ta kontakt med "
        "kommunen."
    ),
    (
        "Partene skal ikke dele flere opplysninger enn det som er nødvendig for "
        "formålet. Hver part er selv ansvarlig for at egen bruk av personopplysninger "
        "etter avtalen er i samsvar med personvernregelverket."
    ),
]

AVVIK = [
    (
        "Med avvik menes ethvert brudd på avtalen, for eksempel at varsel ikke er "
        "gitt innen fristen i §(varsling), at avtalte møter ikke er holdt, eller at "
        "{{ ord.personen }} må bruke midlertidig botilbud etter {{ ord.overgang }} "
        "fordi avtalen ikke er fulgt."
    ),
    (
        "Den parten som oppdager et avvik, skal registrere det på avviksskjemaet i "
        "vedlegg 2 til avtalen, og sende skjemaet til den andre partens "
        "kontaktperson senest fem virkedager etter at avviket ble oppdaget. Skjemaet "
        "skal beskrive hva som skjedde, hvilken bestemmelse som ikke ble fulgt, "
        "hvilke følger avviket fikk for den det gjelder, og hvilke strakstiltak som "
        "er satt i verk. Skjemaet skal ikke inneholde flere personopplysninger enn "
        "nødvendig."
    ),
    (
        "Den parten som mottar skjemaet, skal svare skriftlig senest "
        "{{ avvik_svarfrist_dager }} "
        "{{ 'dag' if avvik_svarfrist_dager|string == '1' else 'dager' }} "
        "etter at skjemaet er mottatt. Svaret skal forklare årsaken til avviket og hvilke "
        "tiltak som settes i verk for å hindre at det skjer igjen."
    ),
    (
        "Kontaktpersonene skal føre en felles oversikt over avvik etter avtalen. "
        "Gjentatte eller alvorlige avvik skal tas opp mellom partenes ledere. "
        "Oversikten legges fram ved den årlige evalueringen, jf. §(evaluering)."
    ),
]

EVALUERING = [
    (
        "Partene skal evaluere avtalen hvert år. Evalueringsmøtet holdes i "
        "{{ evaluering_maaned }}. Kommunen kaller inn til møtet og skriver referat."
    ),
    "Evalueringen skal minst omfatte",
    (
        "* hvor mange {{ ord.personer }} som har vært omfattet av avtalen, og hvor "
        "mange av dem som hadde varig bolig fra {{ ord.overgangsdag }},"
    ),
    "* hvor mange som måtte bruke midlertidig botilbud, og hvorfor,",
    "* registrerte avvik og hvordan de er fulgt opp, og",
    "* om rutinene og kontaktpersonene fungerer, og om avtalen bør endres.",
    (
        "Referatet skal godkjennes av begge parter og arkiveres sammen med avtalen. "
        "Endringer som partene blir enige om, gjennomføres etter §(varighet)."
    ),
]

VARIGHET = [
    "Avtalen gjelder fra {{ gyldig_fra }} og løper til den blir sagt opp.",
    (
        "Hver av partene kan si opp avtalen skriftlig med en oppsigelsestid på "
        "{{ oppsigelsestid_maaneder }} "
        "{{ 'måned' if oppsigelsestid_maaneder|string == '1' else 'måneder' }}, "
        "regnet fra den første dagen i måneden etter at oppsigelsen er mottatt."
    ),
    (
        "Endringer i avtalen skal være skriftlige og undertegnet av begge parter. "
        "Avtalen skal gjennomgås dersom endringer i lover, forskrifter eller "
        "partenes organisering har betydning for samarbeidet."
    ),
    (
        "Uenighet om forståelsen eller gjennomføringen av avtalen skal søkes løst ved "
        "drøftinger, først mellom kontaktpersonene og deretter mellom partenes "
        "ledere."
    ),
    (
        "Avtalen regulerer forholdet mellom partene. Den gir ikke enkeltpersoner "
        "rettigheter ut over det som følger av lov og forskrift."
    ),
]

SAERLIGE = [
    "I tillegg til bestemmelsene ovenfor har partene avtalt følgende:",
    # Alone in its paragraph: a Listing turns newlines into line breaks.
    "{{ saerlige_bestemmelser }}",
]

UNDERSKRIFTER = [
    "Avtalen er utferdiget i to likelydende eksemplarer, ett til hver part.",
    SIGNATURTABELL,
    "Vedlegg:",
    "* Vedlegg 1: Overgangsskjema, jf. §(rutiner). Fylles ut for hver person.",
    "* Vedlegg 2: Avviksskjema, jf. §(avvik). Følger etter avtalen.",
]

SEKSJONER = [
    Seksjon("parter", "Avtalens parter", PARTER),
    Seksjon("formaal", "Formål", FORMAAL),
    Seksjon("maalgruppe", "Målgruppe", MAALGRUPPE),
    Seksjon("rutiner", "Rutiner for samarbeidet", RUTINER),
    Seksjon("kontakt", "Kontaktpersoner", KONTAKT),
    Seksjon("varsling", "Varsling før {{ ord.overgang }}", VARSLING),
    Seksjon("ip", "Samordning av individuelle planer", IP),
    Seksjon("taushetsplikt", "Taushetsplikt og samtykke", TAUSHETSPLIKT),
    Seksjon("avvik", "Avvikshåndtering", AVVIK),
    Seksjon("evaluering", "Årlig evaluering", EVALUERING),
    Seksjon("varighet", "Varighet, endringer og oppsigelse", VARIGHET),
    Seksjon("saerlige", "Særlige bestemmelser", SAERLIGE, betingelse=HAR_SAERLIGE),
    Seksjon("underskrifter", "Underskrifter", UNDERSKRIFTER),
]

KONTAKT_KOLONNER = [("Part", 2.9), ("Navn", 3.1), ("Rolle", 3.1), ("Telefon", 2.4), ("E-post", 4.9)]
KONTAKT_KOMMUNEN = [
    "{{ kommune_navn }}",
    "{{ kommune_kontakt_navn }}",
    "Kontaktperson, {{ kommune_enhet }}",
    "{{ kommune_kontakt_telefon }}",
    "{{ kommune_kontakt_epost }}",
]
KONTAKT_PARTEN = [
    "{{ part.navn }}",
    "{{ kontakt.navn }}",
    "{{ kontakt.rolle }}",
    "{{ kontakt.telefon }}",
    "{{ kontakt.epost }}",
]
SIGNATUR_OVERSKRIFTER = ("For {{ kommune_navn }}", "For {{ part.navn }}")
SIGNATUR_LINJER = ["Sted og dato", "Underskrift", "Navn og stilling (blokkbokstaver)"]
BUNNTEKST = "Samarbeidsavtale mellom {{ kommune_navn }} og {{ part.navn }}"
BUNNTEKST_DATO = "Generert {{ dato_generert }}"


# --- Numbering ------------------------------------------------------------------------


def nummerer(seksjoner):
    """Map section key -> printed number (a Jinja expression after a conditional)."""
    nummer, betinget = {}, None
    for i, seksjon in enumerate(seksjoner, start=1):
        if betinget is None:
            nummer[seksjon.noekkel] = str(i)
        else:
            nummer[seksjon.noekkel] = f"{{% if {betinget} %}}{i}{{% else %}}{i - 1}{{% endif %}}"
        if seksjon.betingelse:
            assert betinget is None, "only one conditional section is supported"
            betinget = seksjon.betingelse
    return nummer


def sett_inn_henvisninger(tekst, nummer):
    return re.sub(r"§\((\w+)\)", lambda m: "§ " + nummer[m.group(1)], tekst)


# --- Styles and document set-up -------------------------------------------------------


def sett_opp_stiler(doc):
    sett_grunnstiler(doc, normal=(10.5, 5), tittel=(22, 4), undertittel=(12, 2))
    for navn in ("Heading 1", "Heading 2"):
        storrelse = 12.5 if navn == "Heading 1" else 11
        stil = sett_stil(doc, navn, storrelse, fet=True, foer=12, etter=4)
        stil.paragraph_format.keep_with_next = True
    doc.styles["Heading 2"].paragraph_format.space_before = Pt(8)
    punkt = doc.styles["List Bullet"].paragraph_format
    punkt.space_after = Pt(2)


# --- Tables ---------------------------------------------------------------------------


def kontaktcelle(celle, tekst, fet=False):
    """A cell in this template's tables: 9 pt, no space after, space before left unset."""
    return sett_celle(celle, tekst, fet=fet, storrelse=9, foer=None, etter=0)


def kontakttabell(doc):
    bredder = [bredde for _, bredde in KONTAKT_KOLONNER]
    assert abs(sum(bredder) - TEKSTBREDDE_CM) < 0.01
    tabell = ny_tabell(doc, 5, len(KONTAKT_KOLONNER))
    hode, kommunen, loekke_start, parten, loekke_slutt = tabell.rows
    for celle, (tittel, _) in zip(hode.cells, KONTAKT_KOLONNER, strict=True):
        kontaktcelle(celle, tittel, fet=True)
        skyggelegg(celle)
    legg_til_egenskap(hode._tr.get_or_add_trPr(), "w:tblHeader")
    for celle, tekst in zip(kommunen.cells, KONTAKT_KOMMUNEN, strict=True):
        kontaktcelle(celle, tekst)
    # docxtpl removes the {%tr %} rows and repeats the row between them.
    kontaktcelle(loekke_start.cells[0], "{%tr for kontakt in part.kontaktpersoner %}")
    for celle, tekst in zip(parten.cells, KONTAKT_PARTEN, strict=True):
        kontaktcelle(celle, tekst)
    kontaktcelle(loekke_slutt.cells[0], "{%tr endfor %}")
    sett_bredder(tabell, bredder)
    tomt_avsnitt(doc)


# --- Assembly -------------------------------------------------------------------------


def skriv_avsnitt(doc, element, nummer, underavsnitt):
    if element is KONTAKTTABELL:
        kontakttabell(doc)
    elif element is SIGNATURTABELL:
        signaturtabell(
            doc, SIGNATUR_OVERSKRIFTER, SIGNATUR_LINJER, storrelse=11, foer=None, etter=0
        )
    elif element.startswith("## "):
        underavsnitt.append(element[3:])
        tittel = f"{nummer}.{len(underavsnitt)} {element[3:]}"
        doc.add_paragraph(tittel, style="Heading 2")
    elif element.startswith("* "):
        doc.add_paragraph(element[2:], style="List Bullet")
    elif element.startswith("> "):
        avsnitt = doc.add_paragraph(element[2:])
        avsnitt.paragraph_format.left_indent = Cm(1)
        avsnitt.paragraph_format.space_after = Pt(3)
    else:
        doc.add_paragraph(element)


def bygg():
    # Footer: who the agreement is between, when it was generated, "Side N av M".
    doc = nytt_dokument(TITTEL, BUNNTEKST + "\n" + BUNNTEKST_DATO, sett_opp_stiler)

    doc.add_paragraph("Samarbeidsavtale", style="Title")
    for linje in INNLEDNING:
        doc.add_paragraph(linje, style="Subtitle")
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)

    nummer = nummerer(SEKSJONER)
    for seksjon in SEKSJONER:
        n = nummer[seksjon.noekkel]
        if seksjon.betingelse:
            doc.add_paragraph("{%p if " + seksjon.betingelse + " %}")
        doc.add_paragraph(f"§ {n} {seksjon.tittel}", style="Heading 1")
        underavsnitt = []
        for element in seksjon.avsnitt:
            if isinstance(element, str):
                element = sett_inn_henvisninger(element, nummer)
            skriv_avsnitt(doc, element, n, underavsnitt)
        if seksjon.betingelse:
            doc.add_paragraph("{%p endif %}")
    return doc


def main():
    lagre(bygg(), UTFIL)
    print(f"Skrev {UTFIL}")


if __name__ == "__main__":
    main()
