"""Måler søket: Whoosh med norsk analyse og delord-felt mot SQLite FTS5 på samme syntetiske arkiv.

Kjør: `.venv/bin/python bench/search.py [--antall 100000]` (`--antall 5000` for en rask runde).
Skriver ut byggetid og størrelse, p50/p95 for søk med og uten fasettfilter, inkrementell
oppdatering og gjenfinning (recall) på et merket sett bøyde og sammensatte ord.
"""

from __future__ import annotations

import argparse
import pickle
import random
import re
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from whoosh import fields, index, query
from whoosh.analysis import LanguageAnalyzer
from whoosh.idsets import BitSet

from arkiv.sok.analyse import (
    DELORDFELT,
    STOPPORD,
    Leksikon,
    Metning,
    delord_analyse,
    lag_parser,
    normaliser,
    norsk_analyse,
    stamme,
    uten_delord,
)

# --- Det syntetiske arkivet -------------------------------------------------------------

FENGSLER = [
    "Bergen fengsel", "Bodø fengsel", "Bredtveit fengsel", "Halden fengsel", "Ila fengsel og "
    "forvaringsanstalt", "Kongsvinger fengsel", "Oslo fengsel", "Ringerike fengsel",
    "Skien fengsel", "Stavanger fengsel", "Trondheim fengsel", "Tromsø fengsel",
    "Ullersmo fengsel", "Åna fengsel", "Bastøy fengsel", "Hustad fengsel", "Verdal fengsel",
    "Arendal fengsel", "Vadsø fengsel", "Ålesund fengsel", "Drammen fengsel", "Leira fengsel",
]  # fmt: skip
KLINIKKER = [
    "Klinikk for psykisk helse og rus, Helse Bergen", "DPS Nordfjord", "Lovisenberg DPS",
    "Aker DPS", "Blakstad sykehus", "Rusklinikken i Vestfold", "Sørlandet sykehus, klinikk "
    "for psykisk helse", "St. Olavs hospital, avdeling for rusbehandling", "Nordlandssykehuset",
    "Universitetssykehuset Nord-Norge, psykisk helsevern", "Valen sykehus", "Sanderud sykehus",
    "Jæren DPS", "Ålesund sjukehus, psykiatrisk klinikk", "Kalnes sykehus", "Tønsberg DPS",
]  # fmt: skip
KOMMUNER = [
    "Bodø", "Bærum", "Lørenskog", "Sandnes", "Hå", "Våler", "Aurskog-Høland", "Ålesund",
    "Tromsø", "Trondheim", "Drammen", "Skien", "Arendal", "Kristiansand", "Fredrikstad",
    "Gjøvik", "Hamar", "Lillehammer", "Molde", "Narvik", "Harstad", "Alta", "Sortland",
    "Steinkjer", "Levanger", "Kongsberg", "Horten", "Larvik", "Porsgrunn", "Haugesund",
    "Stord", "Førde", "Sogndal", "Voss", "Askøy", "Bjørnafjorden", "Nordre Follo", "Asker",
    "Lillestrøm", "Ullensaker", "Råde", "Moss", "Sarpsborg", "Halden", "Elverum", "Kongsvinger",
]  # fmt: skip
NAV_KONTOR = [f"NAV {k}" for k in KOMMUNER[:20]]
FRIOMSORG = [f"Friomsorgskontoret i {k}" for k in ("Oslo", "Bergen", "Trondheim", "Tromsø")]
PARTER = (
    [(p, "fengsel") for p in FENGSLER]
    + [(p, "klinikk") for p in KLINIKKER]
    + [(f"{k} kommune", "kommune") for k in KOMMUNER]
    + [(p, "nav") for p in NAV_KONTOR]
    + [(p, "friomsorg") for p in FRIOMSORG]
)
MANEDER = "januar februar mars april mai juni juli august september oktober november desember"


def _ordliste(tekst: str) -> list[str]:
    return tekst.split()


ORDVALG = {
    "avtale": "avtale avtalen avtaler avtalene samarbeidsavtale samarbeidsavtalen "
    "samarbeidsavtalene avtaleperioden avtaleteksten",
    "bruker": "den innsatte domfelte pasienten brukeren brukere pasienter brukerne klienten "
    "tjenestemottakeren innsatte personen",
    "varsel": "varsel varselet varsling varslingen varsler melding meldingen beskjed "
    "forhåndsvarsel",
    "tjeneste": "tjenesten tjenestene helsetjenesten helsetjenestene oppfølgingstjenesten "
    "boligtjenesten rustjenesten tjenester",
    "kontakt": "kontaktperson kontaktpersonen kontaktpersonene koordinator koordinatoren "
    "saksbehandler saksbehandleren ansvarlig",
    "plan": "plan planen planer planene individuell plan løslatelsesplan løslatelsesplanen "
    "utskrivningsplanen tiltaksplanen oppfølgingsplanen",
    "bolig": "bolig boligen boliger kommunal bolig midlertidig bolig botilbud boligkontoret "
    "boligtilbudet",
    "møte": "møte møtet møter møtene samarbeidsmøte samarbeidsmøtet ansvarsgruppemøte",
    "avvik": "avvik avviket avvikene avviksmelding avviksmeldingen avviksskjema avviksskjemaet "
    "avvikshåndtering",
    "rutine": "rutine rutinen rutiner rutinene varslingsrutinen samarbeidsrutinene prosedyre",
    "evaluering": "evaluering evalueringen evalueringer evalueringsmøtet evalueringsrapporten "
    "gjennomgang",
    "samtykke": "samtykke samtykket samtykkeerklæring samtykkeerklæringen skriftlig samtykke",
    "taushetsplikt": "taushetsplikt taushetsplikten taushetsbelagte opplysninger opplysningsplikt",
    "nav": "NAV NAV-kontoret NAV-veileder NAV-veilederen Nav",
    "institusjon": "institusjon institusjonen institusjoner institusjonene",
    "løslatelse": "løslatelse løslatelsen prøveløslatelse løslatelsesdato løslatelsesdatoen "
    "løslatelser",
    "utskrivning": "utskrivning utskrivningen utskrivelse utskrivningsklar",
    "kommune": "kommune kommunen kommunene kommunens bostedskommunen vertskommunen",
    "tid": "ukentlig månedlig kvartalsvis halvårlig årlig to ganger i året jevnlig",
    "fengsel": "fengselet fengselets kriminalomsorgen fengslene anstalten",
    "klinikk": "klinikken sykehuset avdelingen poliklinikken DPS-et behandlingsstedet",
}
ORDVALG = {k: v.split() for k, v in ORDVALG.items()}

MALER = [
    "{Kontakt} i kommunen skal motta {varsel} om {løslatelse} senest {n} dager før.",
    "Partene skal sammen utarbeide en {plan} for {bruker} før {løslatelse}.",
    "{Bruker} må gi {samtykke} før opplysninger deles mellom partene.",
    "Opplysninger underlagt {taushetsplikt} kan bare utveksles når {bruker} har gitt {samtykke}.",
    "Ved {avvik} fra {rutine} skal {kontakt} varsles, og forholdet dokumenteres.",
    "{Avtale} evalueres {tid}, og {evaluering} skal dokumenteres skriftlig.",
    "{Nav} skal bistå med søknad om økonomisk sosialhjelp, bostøtte og startlån.",
    "{Kommune} skal kartlegge behovet for {bolig} senest {n} dager før {løslatelse}.",
    "{Institusjon} varsler {kommune} når pasienten er {utskrivning}, normalt {n} dager før.",
    "{Fengsel} sender {varsel} til {nav} ved {løslatelse} eller overføring.",
    "{Klinikk} og {kommune} holder {møte} {tid} for å følge opp {bruker}.",
    "Det skal føres referat fra hvert {møte}, og referatet sendes {kontakt}.",
    "{Avtale} gjelder fra {dato} og kan sies opp med {n} måneders varsel.",
    "Endringer i {avtale} skal avtales skriftlig mellom partene.",
    "{Kontakt} har ansvar for at {rutine} er kjent for de ansatte.",
    "{Bruker} har rett til å få innsyn i {plan} og skal involveres i arbeidet.",
    "Ved {utskrivning} skal {tjeneste} være etablert før {bruker} forlater {institusjon}.",
    "{Avvik} skal registreres i {avvik} og behandles på {møte}.",
    "{Tjeneste} i {kommune} skal sikre et koordinert tilbud til {bruker}.",
    "Partene skal ha en felles {rutine} for {varsel} ved akutte hendelser.",
    "Ved uenighet om {avtale} skal saken drøftes på ledernivå innen {n} uker.",
    "Samarbeidet omfatter {bolig}, arbeid, økonomi og helse for {bruker}.",
    "{Nav} skal delta på {møte} når {bruker} ønsker det.",
    "{Evaluering} av {avtale} skal skje innen {dato}.",
    "Opplysninger om {bruker} lagres i journal etter gjeldende regelverk.",
    "Hver part utpeker en {kontakt} med stedfortreder.",
    "{Kommune} skal tilby {bolig} eller midlertidig botilbud ved {løslatelse}.",
    "Brudd på {taushetsplikt} behandles som {avvik} og meldes {kontakt}.",
    "{Fengsel} og {nav} samarbeider om arbeidstrening og utdanning under soning.",
    "{Klinikk} gir råd og veiledning til {tjeneste} etter {utskrivning}.",
    "Ved tilbakeføring til samfunnet skal {plan} følges opp av {kontakt}.",
    "{Samtykke} kan trekkes tilbake når som helst, og skal da respekteres.",
    "Eventuelle {avvik} skal rapporteres til ledelsen i {institusjon} innen {n} dager.",
    "{Avtale} er utarbeidet i tråd med veilederen for samarbeid mellom etatene.",
    "Partene forplikter seg til å gjøre {avtale} kjent i egen organisasjon.",
    "{Rutine} for {varsel} revideres ved behov og minst {tid}.",
    "{Evaluering} skal omfatte erfaringer fra {bruker}, ansatte og samarbeidspartnere.",
    "{Kommune} har ansvar for oppfølging etter {løslatelse} dersom {bruker} samtykker.",
    "Taushetsbelagte opplysninger sendes kun via sikker kanal, ikke vanlig e-post.",
    "Ved {utskrivning} sendes epikrise til fastlegen og {tjeneste} samme dag.",
    "{Kontakt} i {nav} kan kontaktes på telefon {tlf}.",
    "Partene har et felles ansvar for at {bruker} får et helhetlig tilbud.",
    "Saker som gjelder {bolig} løses i samarbeid med boligkontoret i {kommune}.",
    "{Avtale} skal signeres av leder i hver av partene.",
    "Det gjennomføres {møte} med {fengsel} og {kommune} {tid}.",
    "Partene skal bidra til at {bruker} har bolig, inntekt og meningsfull aktivitet.",
    "Bruk av {avvik} er beskrevet i vedlegg {n} til {avtale}.",
    "Kriminalomsorgen skal i god tid informere om planlagt {løslatelse}.",
    "{Klinikk} varsler {nav} dersom {bruker} mister inntekt under oppholdet.",
    "{Bruker} skal få tilbud om ansvarsgruppe og individuell plan.",
    "Ved fravær skal {kontakt} sørge for at stedfortreder er orientert.",
    "Personvernet til {bruker} skal ivaretas i alle ledd av samarbeidet.",
    "Alle parter skal kjenne til {rutine} og {taushetsplikt}.",
    "Erfaringer fra {evaluering} brukes til å forbedre {rutine}.",
    "Dersom {bruker} ikke samtykker, gis bare anonymiserte opplysninger.",
    "{Kommune} sørger for at {tjeneste} er tilgjengelig også i helger.",
    "Ved akutt forverring kontakter {kommune} legevakten eller {klinikk}.",
    "{Institusjon} dokumenterer {samtykke} i pasientjournalen.",
    "Utgifter til {bolig} dekkes etter gjeldende regler i {kommune}.",
    "Ordningen gjelder {bruker} som er bosatt i {kommune} eller skal bosettes der.",
]
FYLLORD = _ordliste(
    "arbeidet tilbudet ansvaret behovene tiltakene ressursene kompetansen oppgavene "
    "kvaliteten informasjonen forutsigbarheten tryggheten helheten kontinuiteten tilliten "
    "samhandlingen organiseringen dokumentasjonen fremdriften prioriteringene "
    "forebygging mestring rehabilitering aktivitet utdanning arbeidstrening nettverk familie "
    "pårørende økonomi gjeld fritid helse rusmestring trygghet verdighet medvirkning "
    "likeverd tilgjengelighet tverrfaglighet fleksibilitet ansvarsfordeling rolleavklaring "
    "brukermedvirkning kartlegging risiko tilbakefall søknad tillatelse program attest "
    "vaktmester skole tannlege time aktiviteter tildeling restans narkotika politi utgang "
    "plass ordning husleie bostøtte"
)
# Sammensatte ord: forledd (med fuge) × bøyde sisteledd gir tusenvis av former.
FORLEDD = [
    ("bolig", ""), ("rus", ""), ("helse", ""), ("samarbeid", "s"), ("løslatelse", "s"),
    ("behandling", "s"), ("kommune", ""), ("fengsel", "s"), ("soning", "s"), ("tjeneste", ""),
    ("ansvar", "s"), ("evaluering", "s"), ("kriminalitet", "s"), ("familie", ""),
    ("nettverk", "s"), ("økonomi", ""), ("utdanning", "s"), ("fritid", "s"), ("mestring", "s"),
    ("koordinering", "s"), ("bruker", ""), ("pasient", ""), ("informasjon", "s"),
    ("journal", ""), ("arbeid", "s"), ("oppfølging", "s"), ("sikkerhet", "s"), ("kontakt", ""),
    ("varsling", "s"), ("avvik", "s"), ("beredskap", "s"), ("opplæring", "s"),
    ("kvalitet", "s"), ("tilsyn", "s"), ("personal", ""), ("lege", ""), ("bosetting", "s"),
    ("inntekt", "s"),
]  # fmt: skip
SISTELEDD = [
    ("plan", "plan planen planer planene"), ("møte", "møte møtet møter møtene"),
    ("rutine", "rutine rutinen rutiner rutinene"), ("skjema", "skjema skjemaet skjemaer"),
    ("rapport", "rapport rapporten rapporter"), ("tilbud", "tilbud tilbudet tilbudene"),
    ("team", "team teamet"), ("avtale", "avtale avtalen avtaler"),
    ("melding", "melding meldingen meldinger"), ("leder", "leder lederen ledere lederne"),
    ("koordinator", "koordinator koordinatoren"), ("kontor", "kontor kontoret kontorer"),
    ("tjeneste", "tjeneste tjenesten tjenester"), ("system", "system systemet"),
    ("ordning", "ordning ordningen ordninger"), ("vurdering", "vurdering vurderingen"),
    ("gruppe", "gruppe gruppen grupper"), ("sak", "sak saken saker sakene"),
    ("frist", "frist fristen frister"), ("tiltak", "tiltak tiltaket tiltakene"),
    ("behov", "behov behovet behovene"), ("område", "område området områder"),
]  # fmt: skip
SAMMENSATTE = [
    (f + fuge + form, (f, grunn))
    for f, fuge in FORLEDD
    for grunn, former in SISTELEDD
    if f != grunn
    for form in former.split()
]
SAMMENSATT_MALER = [
    "{K1} skal ses i sammenheng med {k2}.",
    "Partene har et felles ansvar for {k1} og {k2}.",
    "{K1} gjennomgås på {k2} minst to ganger i året.",
    "Endringer i {k1} meldes til {k2} uten ugrunnet opphold.",
]
FORNAVN = _ordliste(
    "Kari Ola Pål Åse Bjørn Ingrid Siri Trond Gro Ståle Marit Jørgen Solveig Håkon Eirik "
    "Tone Knut Randi Øystein Liv Arne Hege Terje Berit Svein Anniken Per Turid Geir Ragnhild"
)
ETTERNAVN = _ordliste(
    "Nordmann Hansen Bakken Lunde Dahl Haugen Aas Ødegård Sæther Fjeld Holm Kvam Johansen "
    "Strand Berg Moen Solberg Eide Næss Aasen Brekke Bråten Kristiansen Hagen Lie Myhre"
)
GATER = _ordliste("Storgata Kirkegata Parkveien Strandveien Skolegata Torget Havnegata Fjordveien")
FYLLMALER = [
    "Det legges vekt på {a} og {b} i arbeidet med {c}.",
    "Partene skal sammen styrke {a}, {b} og {c}.",
    "Målet er bedre {a} og mer {b} for den enkelte.",
    "{A} og {b} drøftes ved behov.",
    "Erfaring viser at {a} henger sammen med {b}.",
]


@dataclass
class Dok:
    id: str
    tittel: str
    tekst: str
    part: str
    partstype: str
    status: str
    aar: int
    gjeldende: bool
    dato: datetime


@dataclass
class Merket:
    art: str  # "bøying", "sammensatt", "aa"
    sporring: str
    plantet: str
    dok: int = -1


# Søk med grunnform; dokumentet har bare den plantede formen (bøyd, sammensatt eller med aa).
MERKET = [
    *(
        Merket("bøying", q, f)
        for q, f in [
            ("klage", "klagene"), ("tilsynsrapport", "tilsynsrapportene"),
            ("garanti", "garantien"), ("depositum", "depositumet"),
            ("husleiekontrakt", "husleiekontraktene"), ("legeerklæring", "legeerklæringene"),
            ("ettervern", "ettervernet"), ("permisjon", "permisjonene"),
            ("fotlenke", "fotlenken"), ("tvangsmiddel", "tvangsmidlene"),
            ("kartleggingsskjema", "kartleggingsskjemaet"),
            ("forvaringsdom", "forvaringsdommen"),
            ("behandlingsprogram", "behandlingsprogrammet"),
            ("avdelingsleder", "avdelingslederen"), ("miljøterapeut", "miljøterapeutene"),
            ("fengselsbetjent", "fengselsbetjentene"), ("nettverksmøte", "nettverksmøtene"),
            ("ansvarsgruppe", "ansvarsgruppene"), ("løslatelsesattest", "løslatelsesattesten"),
            ("egenandel", "egenandelen"), ("gjeldsrådgivning", "gjeldsrådgivningen"),
            ("kvalifiseringsprogram", "kvalifiseringsprogrammene"),
            ("urinprøve", "urinprøvene"), ("hjemmebesøk", "hjemmebesøkene"),
            ("legemiddel", "legemidlene"), ("kriseplan", "kriseplanene"),
            ("tilsynsfører", "tilsynsførerne"), ("boligkontor", "boligkontorene"),
            ("leieforhold", "leieforholdet"), ("husordensregel", "husordensreglene"),
            ("sikkerhetsvurdering", "sikkerhetsvurderingene"),
            ("sluttattestene", "sluttattest"), ("leiekontrakten", "leiekontrakter"),
            ("vaktmesteren", "vaktmester"), ("straffegjennomføringen", "straffegjennomføring"),
            ("tilsynsmyndighetene", "tilsynsmyndighet"),
        ]
    ),
    *(
        Merket("sammensatt", q, f)
        for q, f in [
            ("risiko", "risikovurderingen"), ("kartlegging", "kartleggingsmøtet"),
            ("tilbakefall", "tilbakefallsrisikoen"), ("søknad", "bostøttesøknaden"),
            ("utgang", "utgangstillatelsen"), ("gjeld", "gjeldsordningen"),
            ("husleie", "husleierestansen"), ("narkotika", "narkotikaprogrammet"),
            ("attest", "politiattesten"), ("vaktmester", "vaktmestertjenesten"),
            ("skole", "skoleplassen"), ("tannlege", "tannlegetimen"),
            ("aktivitet", "fritidsaktivitetene"), ("bolig", "boligtildelingen"),
            ("avvik", "fengselsavvikene"), ("plan", "løslatelsesplanene"),
        ]
    ),
    *(
        Merket("aa", q, f)
        for q, f in [
            ("Pål Håland", "Paal Haaland"), ("Kåre Åsen", "Kaare Aasen"),
            ("startlån", "startlaanet"), ("Paal Bråten", "Pål Bråten"), ("laan", "lånene"),
        ]
    ),
]  # fmt: skip

# Avledninger og ord med forstavelse som ikke skal deles (falske venner).
IKKE_SAMMENSATTE = _ordliste(
    "planlegging planlegge planlagt overføring utskrivning oppfølging gjennomføring "
    "undersøkelse forvaltning behandling institusjonene kommunene avtalene sikkerheten "
    "samtykket tidlig delvis lovlig navnet rutinene ansatte tilrettelegging innholdet "
    "underveis boligene fengselet soningen forebygging rehabilitering utdanning samarbeidet"
)
SPORRINGER = [
    "varsling før løslatelse", "taushetsplikt", "bolig NAV", "avvik", "samarbeidsavtale klinikk",
    "samtykke", "løslatelse", "utskrivning", "individuell plan", "evaluering", "avviksskjema",
    "rutine varsling", "kontaktperson kommune", "taushetsplikt samtykke", "bolig løslatelse",
    "ansvarsgruppe", "NAV", "evalueringsrapport", "fengsel kommune", "utskrivningsklar pasient",
    "møte", "avtale oppsigelse", "midlertidig bolig", "epikrise fastlege", "startlån",
    "arbeidstrening", "prøveløslatelse", "avvik rutine", "helsetjenesten", "plan",
    '"individuell plan"', "kriminalomsorgen", "sosialhjelp", "legevakten", "koordinator",
]  # fmt: skip
FASETTER = [("partstype", t) for t in ("fengsel", "klinikk", "kommune", "nav")] + [
    ("aar", str(a)) for a in range(2019, 2025)
]


class Generator:
    def __init__(self, fro: int = 1) -> None:
        self.r = random.Random(fro)
        # En pool av utfylte setninger (slik blir 100 000 dokumenter raske å lage og likevel
        # varierte: hvert dokument trekker ~40 setninger fra ~30 000).
        self.pool = [self._setning() for _ in range(30_000)]

    def _setning(self) -> str:
        r = self.r
        if r.random() < 0.2:
            (k1, _), (k2, _) = r.sample(SAMMENSATTE, 2)
            return r.choice(SAMMENSATT_MALER).format(k1=k1, K1=k1.capitalize(), k2=k2)
        if r.random() < 0.25:
            mal = r.choice(FYLLMALER)
            a, b, c = r.sample(FYLLORD, 3)
            return mal.format(a=a, A=a.capitalize(), b=b, c=c)
        mal = r.choice(MALER)
        verdier: dict[str, str] = {}
        for nokkel in re.findall(r"\{(\w+)\}", mal):
            n = nokkel.lower()
            if n in ORDVALG:
                ord = r.choice(ORDVALG[n])
                verdier[nokkel] = ord[0].upper() + ord[1:] if nokkel[0].isupper() else ord
        verdier.update(
            n=str(r.randint(2, 30)),
            dato=f"{r.randint(1, 28)}. {r.choice(MANEDER.split())} {r.randint(2018, 2026)}",
            tlf=" ".join(str(r.randint(10, 99)) for _ in range(4)),
        )
        return mal.format(**verdier)

    def dokumenter(self, antall: int) -> list[Dok]:
        r, ut, avtale = self.r, [], 0
        start = datetime(2015, 1, 1)
        while len(ut) < antall:
            avtale += 1
            part, partstype = r.choice(PARTER)
            kommune = r.choice(KOMMUNER)
            versjoner = min(r.choice((1, 1, 2, 2, 3, 4)), antall - len(ut))
            dato = start + timedelta(days=r.randint(0, 3650))
            for v in range(1, versjoner + 1):
                siste = v == versjoner
                status = r.choice(("signert", "signert", "utkast")) if siste else "erstattet"
                avsnitt = [
                    f"Samarbeidsavtale mellom {kommune} kommune og {part}.",
                    f"Kontaktperson er {r.choice(FORNAVN)} {r.choice(ETTERNAVN)}, "
                    f"{r.choice(GATER)} {r.randint(1, 120)}, tlf. {r.randint(40000000, 99999999)}."
                    f" Dette er versjon {v} av avtalen, saksnummer {r.randint(2015, 2025)}/"
                    f"{r.randint(100, 99999)}.",
                ]
                avsnitt += r.choices(self.pool, k=r.randint(28, 52))
                tekst = " ".join(avsnitt)
                ut.append(
                    Dok(
                        id=f"a{avtale}-v{v}",
                        tittel=f"Samarbeidsavtale {kommune} kommune – {part}",
                        tekst=tekst,
                        part=part,
                        partstype=partstype,
                        status=status,
                        aar=dato.year,
                        gjeldende=siste,
                        dato=dato,
                    )
                )
                dato += timedelta(days=r.randint(30, 400))
        return ut


def plant_merket(doks: list[Dok], fro: int = 2) -> list[Merket]:
    """Sett hver merket form inn i ett dokument som ikke har søkeordet fra før. Leddene i de
    sammensatte ordene står alene i noen andre dokumenter (slik havner de i leksikonet)."""
    r = random.Random(fro)
    merket = [Merket(m.art, m.sporring, m.plantet) for m in MERKET]
    brukt: set[int] = set()
    for m in merket:
        stammer = {normaliser(o) for o in re.findall(r"\w+", m.sporring)} - {None}
        while True:
            i = r.randrange(len(doks))
            har = {normaliser(o) for o in re.findall(r"\w+", doks[i].tekst)}
            if i not in brukt and not stammer & har:
                break
        brukt.add(i)
        m.dok = i
        doks[i].tekst += f" Partene viser særlig til {m.plantet} i denne sammenhengen."
    return merket


# --- Whoosh ----------------------------------------------------------------------------


def lag_skjema(leksikon: Leksikon) -> fields.Schema:
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        tittel=fields.TEXT(analyzer=norsk_analyse(), stored=True),
        tekst=fields.TEXT(analyzer=norsk_analyse(), stored=True),
        tekst_delord=fields.TEXT(analyzer=delord_analyse(leksikon), phrase=False),
        part=fields.ID(stored=True),
        partstype=fields.ID(stored=True),
        status=fields.ID(stored=True),
        aar=fields.ID(stored=True),
        gjeldende=fields.BOOLEAN(stored=True),
        dato=fields.DATETIME(stored=True),
    )


def whoosh_felt(d: Dok) -> dict:
    return dict(
        id=d.id, tittel=d.tittel, tekst=d.tekst, tekst_delord=d.tekst, part=d.part,
        partstype=d.partstype, status=d.status, aar=str(d.aar), gjeldende=d.gjeldende,
        dato=d.dato,
    )  # fmt: skip


def mappestorrelse(sti: Path) -> float:
    return sum(f.stat().st_size for f in sti.rglob("*") if f.is_file()) / 1e6


def persentiler(tider: list[float]) -> tuple[float, float]:
    tider = sorted(tider)
    return statistics.median(tider), tider[min(len(tider) - 1, int(0.95 * len(tider)))]


def tidsbruk(
    kjor: Callable[[str, tuple | None], object], sporringer, filtre
) -> tuple[float, float]:
    for q, f in list(zip(sporringer, filtre, strict=True))[:20]:  # oppvarming
        kjor(q, f)
    tider = []
    for q, f in zip(sporringer, filtre, strict=True):
        t0 = time.perf_counter()
        kjor(q, f)
        tider.append((time.perf_counter() - t0) * 1000)
    return persentiler(tider)


class WhooshSok:
    """Én søker per indeksgenerasjon. `gjeldende_indeks`: indeksen har bare gjeldende versjoner,
    så standardfilteret trengs ikke. `eksakt_først`: søk først uten delordfeltet."""

    def __init__(
        self,
        ix,
        vekting=None,
        bufre_filtre: bool = True,
        eksakt_forst: bool = False,
        gjeldende_indeks: bool = False,
    ) -> None:
        self.searcher = ix.searcher(weighting=vekting) if vekting else ix.searcher()
        self.parser = lag_parser(ix.schema)
        self.bufre, self.eksakt_forst, self.gjeldende_indeks = (
            bufre_filtre, eksakt_forst, gjeldende_indeks,
        )  # fmt: skip
        self._filtre: dict = {}

    def filter(self, fasett: tuple | None):
        deler = [] if self.gjeldende_indeks else [query.Term("gjeldende", True)]
        deler += [query.Term(*fasett)] if fasett else []
        if not deler:
            return None
        fq = query.And(deler) if len(deler) > 1 else deler[0]
        if not self.bufre:
            return fq
        if fasett not in self._filtre:  # én bitmengde per filter og søker (indeksgenerasjon)
            self._filtre[fasett] = BitSet(
                self.searcher.docs_for_query(fq), size=self.searcher.doc_count_all()
            )
        return self._filtre[fasett]

    def resultater(self, tekst: str, fasett: tuple | None, filtrer: bool = True, limit: int = 20):
        q = self.parser.parse(tekst)
        filt = self.filter(fasett) if filtrer else None
        if self.eksakt_forst:
            res = self.searcher.search(uten_delord(q), limit=limit, filter=filt)
            if res.scored_length() >= limit:
                return res
        return self.searcher.search(q, limit=limit, filter=filt)

    def sok(self, tekst: str, fasett: tuple | None, filtrer: bool = True, limit: int = 20):
        return [h["id"] for h in self.resultater(tekst, fasett, filtrer, limit)]


def bygg_whoosh(mappe: Path, doks: list[Dok], leksikon: Leksikon, procs: int) -> float:
    mappe.mkdir()
    ix = index.create_in(mappe, lag_skjema(leksikon))
    t0 = time.perf_counter()
    w = ix.writer(procs=procs, limitmb=256, multisegment=True)
    for d in doks:
        w.add_document(**whoosh_felt(d))
    w.commit()
    return time.perf_counter() - t0


def rangeringsbrudd(sok: WhooshSok) -> tuple[int, int]:
    """Spørringer der et dokument som bare treffer via delord står over et eksakt treff."""
    brudd = sjekket = 0
    s = sok.searcher
    for q in SPORRINGER:
        hel = sok.parser.parse(q)
        eksakt = {s.stored_fields(n)["id"] for n in s.docs_for_query(uten_delord(hel))}
        topp = [h["id"] for h in s.search(hel, limit=50)]
        if len(eksakt) < len(topp):
            continue
        sjekket += 1
        sett_delord = False
        for i in topp:
            if i not in eksakt:
                sett_delord = True
            elif sett_delord:
                brudd += 1
                break
    return brudd, sjekket


# --- SQLite FTS5 -----------------------------------------------------------------------


def bygg_fts5(sti: Path, doks: list[Dok]) -> sqlite3.Connection:
    db = sqlite3.connect(sti)
    db.execute(
        "CREATE VIRTUAL TABLE dok USING fts5(id UNINDEXED, tittel, tekst, part UNINDEXED, "
        "partstype UNINDEXED, status UNINDEXED, aar UNINDEXED, gjeldende UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 0')"
    )
    db.executemany(
        "INSERT INTO dok VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (d.id, d.tittel, d.tekst, d.part, d.partstype, d.status, str(d.aar), int(d.gjeldende))
            for d in doks
        ),
    )
    db.commit()
    return db


def fts_uttrykk(tekst: str, prefiks: bool) -> str:
    """Samme ord som Whoosh får, uten stoppord; med prefiks: stammen + * (avtale → avtal*)."""
    if tekst.startswith('"'):
        return tekst
    ord = [o.lower() for o in re.findall(r"\w+", tekst) if o.lower() not in STOPPORD]
    if prefiks:
        return " ".join(f'"{stamme(o)}"*' for o in ord)
    return " ".join(f'"{o}"' for o in ord)


def fts_sok(db, tekst: str, fasett: tuple | None, prefiks: bool, filtrer: bool = True):
    where, args = "dok MATCH ?", [fts_uttrykk(tekst, prefiks)]
    if filtrer:
        where += " AND gjeldende = 1"
        if fasett:
            where += f" AND {fasett[0]} = ?"
            args.append(fasett[1])
    sql = f"SELECT id, tittel FROM dok WHERE {where} ORDER BY rank LIMIT 20"
    return [r[0] for r in db.execute(sql, args)]


# --- Kjøringen -------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--antall", type=int, default=100_000)
    ap.add_argument("--sporringer", type=int, default=200)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--mappe", type=Path, help="behold indeksene her (ellers midlertidig)")
    args = ap.parse_args()

    mappe = args.mappe or Path(tempfile.mkdtemp(prefix="sokbench-"))
    mappe.mkdir(parents=True, exist_ok=True)
    try:
        kjor(args, mappe)
    finally:
        if not args.mappe:
            shutil.rmtree(mappe, ignore_errors=True)


def kjor(args, mappe: Path) -> None:
    print(f"Syntetisk arkiv: {args.antall} versjoner")
    t0 = time.perf_counter()
    gen = Generator()
    doks = gen.dokumenter(args.antall)
    merket = plant_merket(doks)
    ord_per_dok = statistics.mean(len(d.tekst.split()) for d in doks[:2000])
    print(
        f"  laget på {time.perf_counter() - t0:.1f} s; ~{ord_per_dok:.0f} ord per dokument, "
        f"{sum(d.gjeldende for d in doks)} gjeldende, {len(merket)} merkede former plantet"
    )

    t0 = time.perf_counter()
    leksikon = Leksikon.fra_tekster(d.tekst for d in doks)
    print(f"  leksikon: {len(leksikon)} ord fra korpuset på {time.perf_counter() - t0:.1f} s")

    # Whoosh: bulkbygging, alle versjoner og (alternativ) bare gjeldende versjoner
    wdir, gdir = mappe / "whoosh", mappe / "whoosh-gjeldende"
    bygg = bygg_whoosh(wdir, doks, leksikon, args.procs)
    ix = index.open_dir(wdir)
    lex_kb = len(pickle.dumps(leksikon)) / 1000
    print("\nWhoosh")
    print(
        f"  bygging: {bygg:.0f} s ({args.antall / bygg:.0f} dok/s), {mappestorrelse(wdir):.0f} MB,"
        f" {len(ix.reader().leaf_readers())} segmenter; leksikonet er {lex_kb:.0f} kB i skjemaet"
    )
    gjeldende = [d for d in doks if d.gjeldende]
    gbygg = bygg_whoosh(gdir, gjeldende, leksikon, args.procs)
    gix = index.open_dir(gdir)
    print(
        f"  alternativ indeks med bare gjeldende versjoner ({len(gjeldende)}): "
        f"{gbygg:.0f} s, {mappestorrelse(gdir):.0f} MB"
    )

    # FTS5
    t0 = time.perf_counter()
    db = bygg_fts5(mappe / "fts.sqlite3", doks)
    fts_bygg = time.perf_counter() - t0
    fts_mb = (mappe / "fts.sqlite3").stat().st_size / 1e6
    print(f"SQLite FTS5 {sqlite3.sqlite_version}: bygging {fts_bygg:.1f} s, {fts_mb:.0f} MB")

    r = random.Random(3)
    sporringer = [r.choice(SPORRINGER) for _ in range(args.sporringer)]
    fasetter = [r.choice(FASETTER) for _ in range(args.sporringer)]
    ingen = [None] * len(sporringer)
    utvalg = (("standardfilter", ingen), ("+ fasett", fasetter))

    def skriv(merke: str, kjor, bare_standard: bool = False) -> dict:
        res = {}
        for navn, filt in utvalg[:1] if bare_standard else utvalg:
            res[navn] = tidsbruk(kjor, sporringer, filt)
            print(f"  {merke:44} {navn:14} p50 {res[navn][0]:6.1f} ms  p95 {res[navn][1]:6.1f} ms")
        return res

    print(
        f"\nSøk ({len(sporringer)} spørringer, 1–3 ord, limit=20, id lest for hvert treff; "
        "standardfilter gjeldende=True, fasett = partstype eller år i tillegg)"
    )
    print("Whoosh, alle versjoner i én indeks:")
    sok = WhooshSok(ix)
    skriv("BM25F, begge felt, uten filter", lambda q, f: sok.sok(q, f, filtrer=False), True)
    ubufret = WhooshSok(ix, bufre_filtre=False)
    skriv("BM25F, begge felt, filter beregnet per søk", ubufret.sok, True)
    whoosh_p = {"BM25F, begge felt": skriv("BM25F, begge felt, bufret filter", sok.sok)}
    p_len = tidsbruk(lambda q, f: len(sok.resultater(q, f)), sporringer, ingen)
    print(f"  {'  + eksakt antall treff, len(results)':44} {'standardfilter':14} p50 "
          f"{p_len[0]:6.1f} ms  p95 {p_len[1]:6.1f} ms")  # fmt: skip
    varianter = {
        "BM25F, eksakt først": WhooshSok(ix, eksakt_forst=True),
        "Metning, eksakt først": WhooshSok(ix, Metning(), eksakt_forst=True),
    }
    for navn, v in varianter.items():
        whoosh_p[navn] = skriv(navn, v.sok)
    print("Whoosh, indeks med bare gjeldende versjoner (fasett som filter):")
    for navn, v in {
        "gjeldende-indeks: BM25F, begge felt": WhooshSok(gix, gjeldende_indeks=True),
        "gjeldende-indeks: Metning, eksakt først": WhooshSok(
            gix, Metning(), eksakt_forst=True, gjeldende_indeks=True
        ),
    }.items():
        whoosh_p[navn] = skriv(navn, v.sok)

    print("SQLite FTS5 (filter som UNINDEXED-kolonner, ORDER BY rank):")
    fts_p = {}
    for prefiks in (False, True):
        merke = "prefiks på stammen (avtal*)" if prefiks else "rene ord"
        fts_p[prefiks] = skriv(merke, lambda q, f, p=prefiks: fts_sok(db, q, f, p))
    print("Forhold p95 Whoosh/FTS5 (rene ord | prefiks):")
    for navn, p in whoosh_p.items():
        print(
            f"  {navn:44} "
            + "  ".join(
                f"{filt} {p[filt][1] / fts_p[False][filt][1]:4.1f}× | "
                f"{p[filt][1] / fts_p[True][filt][1]:4.1f}×"
                for filt, _ in utvalg
            )
        )

    for navn, v in (("BM25F", sok), ("Metning", varianter["Metning, eksakt først"])):
        brudd, sjekket = rangeringsbrudd(v)
        print(
            f"Rangering ({navn}, hele spørringen uten «eksakt først»): {brudd} av {sjekket} "
            "spørringer har et treff bare via delord over et eksakt treff (topp 50)"
        )

    # Inkrementell oppdatering: ett dokument, writer med timeout/delay, commit
    print("\nInkrementell oppdatering, 1 dokument (writer(timeout, delay) + commit), 10 målinger:")
    nye = Generator(fro=100).dokumenter(36)
    for i, d in enumerate(nye):
        d.id = f"ny-{i}"  # nye id-er: de merkede dokumentene skal stå urørt
    for navn, metode in (
        ("add_document (ny versjon)", "add"),
        ("update_document (åpner lesere for alle segmenter)", "update"),
        ("delete_by_term(searcher=åpen søker) + add_document", "slett"),
    ):
        tider = []
        for d in nye[:12]:
            nye.remove(d)
            sok_ = ix.searcher() if metode == "slett" else None  # appen holder en søker åpen
            t0 = time.perf_counter()
            w = ix.writer(timeout=10.0, delay=0.05)
            if metode == "update":
                w.update_document(**whoosh_felt(d))
            else:
                if metode == "slett":
                    w.delete_by_term("id", d.id, searcher=sok_)
                w.add_document(**whoosh_felt(d))
            w.commit()
            tider.append((time.perf_counter() - t0) * 1000)
            if sok_:
                sok_.close()
        print(
            f"  {navn:52} median {statistics.median(tider[2:]):5.0f} ms, "
            f"maks {max(tider[2:]):4.0f} ms"
        )
    t0 = time.perf_counter()
    ix.searcher().close()
    print(f"  (å åpne en ny søker på indeksen tar {(time.perf_counter() - t0) * 1000:.0f} ms)")

    # Gjenfinning
    print(f"\nGjenfinning på {len(merket)} merkede par (treff i resultatmengden / blant topp 20):")
    ny = index.open_dir(wdir)
    with ny.searcher() as s:
        parser = lag_parser(ny.schema)
        for art in ("bøying", "sammensatt", "aa", None):
            par = [m for m in merket if art is None or m.art == art]
            w_mengde = w_topp = f_ren = f_pre = 0
            bommet = []
            for m in par:
                mal_id = doks[m.dok].id
                q = parser.parse(m.sporring)
                funnet = len(s.search(query.And([q, query.Term("id", mal_id)]), limit=1)) > 0
                w_mengde += funnet
                w_topp += mal_id in [h["id"] for h in s.search(q, limit=20)]
                if not funnet:
                    bommet.append(m.plantet)
                for prefiks in (False, True):
                    rad = db.execute(
                        "SELECT 1 FROM dok WHERE dok MATCH ? AND id = ?",
                        (fts_uttrykk(m.sporring, prefiks), mal_id),
                    ).fetchone()
                    if prefiks:
                        f_pre += rad is not None
                    else:
                        f_ren += rad is not None
            n = len(par)
            print(
                f"  {art or 'alle':10} n={n:2}  Whoosh {w_mengde / n:.2f} (topp 20: "
                f"{w_topp / n:.2f})  FTS5 rene ord {f_ren / n:.2f}  FTS5 prefiks {f_pre / n:.2f}"
                + (f"  bommet: {', '.join(bommet)}" if bommet else "")
            )

    ren = LanguageAnalyzer("no")
    boying = [m for m in merket if m.art == "bøying"]
    like = sum(
        [t.text for t in ren(m.sporring)] == [t.text for t in ren(m.plantet)] for m in boying
    )
    print(
        f"  (ren Snowball, LanguageAnalyzer('no'), ville gitt {like / len(boying):.2f} på bøying)"
    )

    # Delingen: kjente sammensatte ord (fasit fra generatoren) og kjente ikke-sammensatte ord
    filt = lag_skjema(leksikon)[DELORDFELT].analyzer.items[-1]
    riktig = sum(set(filt.ledd(o)) >= {stamme(a), stamme(b)} for o, (a, b) in SAMMENSATTE)
    print(
        f"\nDelord: {riktig} av {len(SAMMENSATTE)} genererte sammensatte ord delt i riktige ledd; "
        f"{len(leksikon)} ord i leksikonet"
    )
    falske = {o: filt.ledd(o) for o in IKKE_SAMMENSATTE if filt.ledd(o)}
    print(
        f"  {len(falske)} av {len(IKKE_SAMMENSATTE)} kjente ikke-sammensatte ord ble delt"
        + "".join(f"\n    {o} → {' + '.join(d)}" for o, d in falske.items())
    )
    vokabular = {o for d in doks[:5000] for o in re.findall(r"[^\W\d_]+", d.tekst.lower())}
    delt = sorted(o for o in vokabular if filt.ledd(o))
    print(f"  {len(delt)} av {len(vokabular)} ord (5000 første dokumenter) deles, f.eks.:")
    for o in r.sample(delt, min(12, len(delt))):
        print(f"    {o} → {' + '.join(filt.ledd(o))}")


if __name__ == "__main__":
    main()
