"""Måler søket: Whoosh med norsk analyse og delord-felt mot SQLite FTS5 på samme syntetiske arkiv.

Kjør: `.venv/bin/python bench/search.py [--antall 100000]` (`--antall 5000` for en rask runde).
Skriver ut byggetid og størrelse, p50/p95 for søk med og uten fasettfilter, inkrementell
oppdatering og gjenfinning (recall) på et merket sett bøyde og sammensatte ord.
"""

from __future__ import annotations

import argparse
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

from whoosh import index, query
from whoosh.analysis import LanguageAnalyzer

from arkiv.sok.analyse import DELORDFELT, STOPPORD, Leksikon, lag_parser, normaliser, stamme
from arkiv.sok.indeks import Indeksdokument, Sokeindeks
from dokumenter.sider.sok import ANSATTE
from dokumenter.sok.skjema import SOKESKJEMA, domenefelt

# --- Det syntetiske arkivet -------------------------------------------------------------

FENGSLER = [
    "Bergen fengsel", "Bodø fengsel", "Bredtveit fengsel", "Halden fengsel", ("Ila fengsel og "
    "forvaringsanstalt"), "Kongsvinger fengsel", "Oslo fengsel", "Ringerike fengsel",
    "Skien fengsel", "Stavanger fengsel", "Trondheim fengsel", "Tromsø fengsel",
    "Ullersmo fengsel", "Åna fengsel", "Bastøy fengsel", "Hustad fengsel", "Verdal fengsel",
    "Arendal fengsel", "Vadsø fengsel", "Ålesund fengsel", "Drammen fengsel", "Leira fengsel",
]  # fmt: skip
KLINIKKER = [
    "Klinikk for psykisk helse og rus, Helse Bergen", "DPS Nordfjord", "Lovisenberg DPS",
    "Aker DPS", "Blakstad sykehus", "Rusklinikken i Vestfold", ("Sørlandet sykehus, klinikk "
    "for psykisk helse"), "St. Olavs hospital, avdeling for rusbehandling", "Nordlandssykehuset",
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
                    (
                        f"Kontaktperson er {r.choice(FORNAVN)} {r.choice(ETTERNAVN)}, "
                        f"{r.choice(GATER)} {r.randint(1, 120)}, "
                        f"tlf. {r.randint(40000000, 99999999)}."
                        f" Dette er versjon {v} av avtalen, saksnummer {r.randint(2015, 2025)}/"
                        f"{r.randint(100, 99999)}."
                    ),
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


# --- Whoosh: appens egen indeks (arkiv.sok.indeks.Sokeindeks) ------------------------


def indeksdokument(d: Dok) -> Indeksdokument:
    avtale, versjon = d.id[1:].split("-v")
    return Indeksdokument(
        id=d.id,
        art="avtale",
        objekt_id=int(avtale),
        versjon=int(versjon),
        gjeldende=d.gjeldende,
        tittel=d.tittel,
        tekst=d.tekst,
        dato=d.dato,
        felt=domenefelt(
            part=d.part,
            partstype=d.partstype,
            sektor="",
            status=d.status,
            ansvarlig="",
            dato=d.dato,
        ),
    )


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


def appsok(indeks: Sokeindeks, alle_versjoner: bool = False, kald: bool = False):
    """Søket slik appen gjør det: én side med 20 treff med utdrag, totalt og fire fasetter.
    `kald`: tøm bufferen av dekodede postlister før hvert søk (som etter en ny versjon)."""

    def kjor(tekst: str, fasett: tuple | None):
        if kald:
            indeks._soker("alle" if alle_versjoner else "gjeldende").vektor.tom_buffer()
        filtre = dict([fasett]) if fasett else None
        r = indeks.sok(tekst, [ANSATTE], filtre=filtre, bare_gjeldende=not alle_versjoner)
        return [t.id for t in r.treff]

    return kjor


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


def fts_sok(db, tekst: str, fasett: tuple | None, prefiks: bool):
    """Bare treffsiden (ingen totalt, fasetter eller utdrag): det gunstigste for FTS5."""
    where, args = "dok MATCH ? AND gjeldende = 1", [fts_uttrykk(tekst, prefiks)]
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
    ap.add_argument("--mappe", type=Path, help="behold indeksene her (ellers midlertidig)")
    ap.add_argument(
        "--gjenbruk", action="store_true", help="bruk indeksene i --mappe hvis de finnes"
    )
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
    doks = Generator().dokumenter(args.antall)
    merket = plant_merket(doks)
    ord_per_dok = statistics.mean(len(d.tekst.split()) for d in doks[:2000])
    print(
        f"  laget på {time.perf_counter() - t0:.1f} s; ~{ord_per_dok:.0f} ord per dokument, "
        f"{sum(d.gjeldende for d in doks)} gjeldende, {len(merket)} merkede former plantet"
    )

    # Whoosh: appens gjenoppbygging (ordliste fra tekstene + begge delindekser)
    indeks = Sokeindeks(mappe / "whoosh", SOKESKJEMA)
    t0 = time.perf_counter()
    leksikon = Leksikon.fra_tekster(d.tekst for d in doks)
    t_leks = time.perf_counter() - t0
    t0 = time.perf_counter()
    gjenbrukt = args.gjenbruk and indeks.finnes()
    if not gjenbrukt:
        indeks.bygg_pa_nytt((indeksdokument(d) for d in doks), leksikon=leksikon)
    bygg = time.perf_counter() - t0
    aktiv = indeks.mappe / "aktiv"
    print("\nWhoosh (Sokeindeks.bygg_pa_nytt, som `dokumenter arkiv reindekser`)")
    bygging = (
        "gjenbrukt fra --mappe" if gjenbrukt else (f"{bygg:.0f} s ({args.antall / bygg:.0f} dok/s)")
    )
    print(
        f"  ordliste: {len(leksikon)} ord på {t_leks:.1f} s; bygging: {bygging}; "
        f"{mappestorrelse(aktiv / 'alle'):.0f} MB alle versjoner + "
        f"{mappestorrelse(aktiv / 'gjeldende'):.0f} MB gjeldende"
    )

    t0 = time.perf_counter()
    if args.gjenbruk and (mappe / "fts.sqlite3").exists():
        db = sqlite3.connect(mappe / "fts.sqlite3")
    else:
        (mappe / "fts.sqlite3").unlink(missing_ok=True)
        db = bygg_fts5(mappe / "fts.sqlite3", doks)
    fts_bygg = time.perf_counter() - t0
    fts_mb = (mappe / "fts.sqlite3").stat().st_size / 1e6
    print(f"SQLite FTS5 {sqlite3.sqlite_version}: bygging {fts_bygg:.1f} s, {fts_mb:.0f} MB")

    r = random.Random(3)
    sporringer = [r.choice(SPORRINGER) for _ in range(args.sporringer)]
    fasetter = [r.choice(FASETTER) for _ in range(args.sporringer)]
    utvalg = (("standardfilter", [None] * len(sporringer)), ("+ fasett", fasetter))

    def skriv(merke: str, kjor) -> dict:
        res = {}
        for navn, filt in utvalg:
            res[navn] = tidsbruk(kjor, sporringer, filt)
            print(f"  {merke:40} {navn:14} p50 {res[navn][0]:6.1f} ms  p95 {res[navn][1]:6.1f} ms")
        return res

    print(
        f"\nSøk ({len(sporringer)} spørringer, 1–3 ord; standardfilter = tilgang + bare gjeldende "
        "versjoner, fasett = partstype eller år i tillegg)"
    )
    print("Whoosh, appens søk (side med 20 treff og utdrag, totalt, fire fasetter med antall):")
    whoosh_p = skriv("bare gjeldende (standard)", appsok(indeks))
    kald_p = skriv("bare gjeldende, uten termbuffer", appsok(indeks, kald=True))
    skriv("alle versjoner", appsok(indeks, alle_versjoner=True))
    frase = [q for q in SPORRINGER if q.startswith('"')]
    for q in frase:
        t = tidsbruk(appsok(indeks, kald=True), [q] * 5, [None] * 5)
        print(f"  frasen {q} (Whooshs egen vei), uten termbuffer: p50 {t[0]:.0f} ms")
    print("SQLite FTS5 (bare treffsiden: ORDER BY rank LIMIT 20, filter som kolonner):")
    fts_p = {
        p: skriv(m, lambda q, f, p=p: fts_sok(db, q, f, p))
        for p, m in ((False, "rene ord"), (True, "prefiks på stammen (avtal*)"))
    }
    for merke, p in (("", whoosh_p), (" uten termbuffer", kald_p)):
        for filt, _ in utvalg:
            print(
                f"  Forhold p95 Whoosh{merke}/FTS5, {filt}: "
                f"{p[filt][1] / fts_p[False][filt][1]:.1f}× mot rene ord, "
                f"{p[filt][1] / fts_p[True][filt][1]:.1f}× mot prefiks"
            )

    # Inkrementell oppdatering: som etter lagring av en ny versjon (objektet byttes ut)
    print("\nInkrementell oppdatering (Sokeindeks.erstatt_objekt, avtale med 3 versjoner):")
    nye = Generator(fro=100).dokumenter(36)
    tider = []
    for i in range(12):
        versjoner = [indeksdokument(d) for d in nye[i * 3 : i * 3 + 3]]
        for v, dok in enumerate(versjoner, start=1):
            dok.objekt_id, dok.versjon, dok.id = 900_000 + i, v, f"ny{i}-v{v}"
            dok.gjeldende = v == 3
        indeks.sok("bolig", [ANSATTE])  # appen har en åpen søker
        t0 = time.perf_counter()
        indeks.erstatt_objekt("avtale", 900_000 + i, lambda versjoner=versjoner: versjoner)
        tider.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    indeks.sok("bolig", [ANSATTE])
    forste = (time.perf_counter() - t0) * 1000
    print(
        f"  median {statistics.median(tider[2:]):.0f} ms, maks {max(tider[2:]):.0f} ms; "
        f"første søk etterpå (ny søker, filtre og kolonner lastes) {forste:.0f} ms"
    )

    # Gjenfinning, i alle versjoner (de merkede formene står i tilfeldige versjoner)
    print(f"\nGjenfinning på {len(merket)} merkede par (treff i resultatmengden / blant topp 20):")
    ix = index.open_dir(aktiv / "alle")
    with ix.searcher() as s:
        parser = lag_parser(ix.schema)
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
    filt = ix.schema[DELORDFELT].analyzer.items[-1]
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
    indeks.lukk()


if __name__ == "__main__":
    main()
