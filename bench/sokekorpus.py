"""Det syntetiske arkivet til `bench/search.py`: avtaletekster satt sammen av setninger med
bøyde og sammensatte ord fra domenet, og et merket sett (`MERKET`) med former plantet i
enkeltdokumenter for å måle gjenfinning. Bare data og generatoren; målingen står i search.py.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from arkiv.sok.analyse import normaliser

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
