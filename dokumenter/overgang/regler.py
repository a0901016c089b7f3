"""Overgangens faste regler: fasene og hvordan de leses ut av datoene, møtetypene og nivåene
for oppfølging (Oslo-rutinen), minstelisten over oppgaver, punktene for boligutfall, og
kategoriene og behovsnivåene i kartleggingen (Kongsvinger)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from dokumenter.felles import etiketter
from dokumenter.models import Boligutfall, Overgang

# Overgangsperioden er fire uker fra bolig er tilbudt eller tildelt (Oslo-rutinen).
OVERGANG_DAGER = 28
MOTEFREKVENSER = {1: "Hver måned", 2: "Annenhver måned", 3: "Hver tredje måned"}
STANDARD_MOTEFREKVENS = 3  # «hver tredje måned vil være gjennomførbart og tilstrekkelig»
OVERLAPP_MAKS_DAGER = 31  # vanligvis inntil to uker; mer må avtales særskilt
MAKS_TEKST = 2000

MOTETYPER = etiketter.MOTETYPE
# Nivåene for deltakelse i overgangen, slik Oslo-rapporten beskriver dem.
OPPFOLGINGSNIVAER = {
    "minimum": (
        "Minimum",
        (
            "Personen går på visning alene og møtes av utleier; bydelens boligkonsulent er til "
            "stede. Ingen fast oppfølging etter innflytting."
        ),
    ),
    "middels": (
        "Middels",
        (
            "Institusjonen og/eller bydelen er med på visning, kontrakt og innflytting og hjelper "
            "med det praktiske fram til personen har flyttet inn."
        ),
    ),
    "tett": (
        "Tett",
        (
            "Bydelskontakten kobles inn når bolig tildeles, det inngås en samarbeidsavtale om "
            "oppfølging i boligen, og en primærkontakt i booppfølgingen følger personen."
        ),
    ),
}
KONTAKTROLLER = {
    "primaerkontakt": "Primærkontakt i institusjonen",
    "booppfolger": "Booppfølger eller kontakt i bydelen",
    "sekundaerkontakt": "Sekundærkontakt",
}


@dataclass(frozen=True)
class Standardoppgave:
    nokkel: str
    tittel: str
    dager_etter_tilbud: int
    rolle: str  # kontaktrollen som har ansvaret


# Rutinens minsteliste. Fristene regnes fra datoen bolig ble tilbudt eller tildelt.
MINSTELISTE = (
    Standardoppgave("mobler", "Søknad om møbler og etableringsstønad sendt NAV", 3, "booppfolger"),
    Standardoppgave(
        "okonomi", "Økonomi avklart: depositum eller garanti, og bostøtte søkt", 7, "booppfolger"
    ),
    Standardoppgave(
        "husleie", "Betaling av husleie avtalt (fast trekk eller avtalegiro)", 10, "booppfolger"
    ),
    Standardoppgave("strom", "Strømavtale opprettet i personens navn", 14, "booppfolger"),
    Standardoppgave("husorden", "Husordensreglene gjennomgått med personen", 14, "booppfolger"),
    Standardoppgave(
        "inventar", "Inventarliste og tilstandsrapport gjennomgått og signert", 14, "booppfolger"
    ),
    Standardoppgave(
        "adresse", "Adresseendring meldt (Folkeregisteret, NAV og posten)", 21, "primaerkontakt"
    ),
    Standardoppgave(
        "innflytting",
        "Nøkler, transport og hvem som møter personen på innflyttingsdagen avtalt",
        21,
        "primaerkontakt",
    ),
    Standardoppgave(
        "hjemmebesok", "Første hjemmebesøk (senest én uke etter innflytting)", 28, "booppfolger"
    ),
    Standardoppgave(
        "institusjonsplass",
        "Institusjonsplassen levert tilbake (inventarliste ved utflytting)",
        28,
        "primaerkontakt",
    ),
)
OPPGAVESTATUSER = etiketter.OPPGAVESTATUS

# --- Boligutfall -----------------------------------------------------------------------------

LOSLADT = "losladt"
PUNKTER = {
    LOSLADT: "Løslatelses- eller utskrivningsdagen",
    "4_uker": "Etter 4 uker",
    "3_mnd": "Etter 3 måneder",
    "6_mnd": "Etter 6 måneder",
    "12_mnd": "Etter 12 måneder",
}
_ETTER = {
    "4_uker": relativedelta(days=OVERGANG_DAGER),
    "3_mnd": relativedelta(months=3),
    "6_mnd": relativedelta(months=6),
    "12_mnd": relativedelta(months=12),
}
UTFALL_LOSLADT = {
    "fast_bolig": "I fast bolig",
    "midlertidig": "I midlertidig botilbud",
    "uten_bolig": "Uten bolig",
}
UTFALL_SENERE = {
    "beholdt": "Har beholdt boligen",
    "mistet": "Har mistet boligen",
    "institusjon": "Tilbake i institusjon",
}
# Utfall der årsaken må skrives (det § 10 og rutinen vil vite mer om).
KREVER_ARSAK = ("midlertidig", "uten_bolig", "mistet", "institusjon")


def utfallsvalg(punkt: str) -> dict[str, str]:
    return UTFALL_LOSLADT if punkt == LOSLADT else UTFALL_SENERE


def punkt_dato(punkt: str, losladt: date) -> date:
    """Datoen et oppfølgingspunkt forfaller, regnet fra løslatelses-/utskrivningsdagen."""
    return losladt if punkt == LOSLADT else losladt + _ETTER[punkt]


def forfalte_punkter(o: Overgang, idag: date) -> list[tuple[str, date]]:
    """Punktene som er forfalt uten at utfallet er registrert: (punkt, dato)."""
    registrert = {u.punkt: u for u in o.utfall}
    losladt = registrert.get(LOSLADT)
    if losladt is None:
        frist = o.forventet_losladt
        return [(LOSLADT, frist)] if frist is not None and frist <= idag else []
    return [
        (p, punkt_dato(p, losladt.dato))
        for p in PUNKTER
        if p != LOSLADT and p not in registrert and punkt_dato(p, losladt.dato) <= idag
    ]


def utfall_for(o: Overgang, punkt: str) -> Boligutfall | None:
    return next((u for u in o.utfall if u.punkt == punkt), None)


# --- Fasene ----------------------------------------------------------------------------------

FASER = {
    "institusjon": "I institusjonen",
    "tilbud": "Bolig tilbudt eller tildelt",
    "boligmote": "Boligmøte og utflyttingsmøte",
    "visning": "Visning og kontrakt",
    "innflytting": "Innflytting",
    "overgangsperiode": "De fire ukene",
    "oppfolging": "Oppfølging etter fire uker",
}


@dataclass(frozen=True)
class Fase:
    nokkel: str
    navn: str
    status: str  # ferdig | pagar | venter
    detalj: str


def overgang_slutt(o: Overgang) -> date | None:
    """Siste dag i de fire ukene (eller None før bolig er tilbudt)."""
    if o.tilbud_dato is None:
        return None
    return o.tilbud_dato + timedelta(days=OVERGANG_DAGER - 1)


def gjeldende_fase(o: Overgang, idag: date) -> str:
    if o.tilbud_dato is None:
        return "institusjon"
    if idag <= overgang_slutt(o):
        return "overgangsperiode"
    return "oppfolging"


def faser(o: Overgang, idag: date, dato_tekst) -> list[Fase]:
    """Hver fase med status og det som er registrert; `dato_tekst` formaterer datoer."""

    def d(x: date | None) -> str:
        return dato_tekst(x) if x else ""

    naa = gjeldende_fase(o, idag)
    samarbeid = [m for m in o.moter if m.type == "samarbeidsmote"]
    bolig = [m for m in o.moter if m.type in ("boligmote", "utflyttingsmote")]
    slutt = overgang_slutt(o)
    tilbudt = o.tilbud_dato is not None

    def status(ferdig: bool, pagar: bool = False) -> str:
        return "ferdig" if ferdig else ("pagar" if pagar else "venter")

    neste = f"; neste {d(o.neste_samarbeidsmote)}" if o.neste_samarbeidsmote and not tilbudt else ""
    ut = [
        Fase(
            "institusjon",
            FASER["institusjon"],
            status(tilbudt, naa == "institusjon"),
            f"{len(samarbeid)} samarbeidsmøte(r) ({MOTEFREKVENSER[o.motefrekvens_maneder].lower()})"
            + neste,
        ),
        Fase(
            "tilbud",
            FASER["tilbud"],
            status(tilbudt),
            f"{d(o.tilbud_dato)}; de fire ukene varer til {d(slutt)}" if tilbudt else "",
        ),
        Fase(
            "boligmote",
            FASER["boligmote"],
            status(bool(bolig), tilbudt and not bolig),
            "; ".join(
                f"{MOTETYPER[m.type]} {d(m.dato)}"
                + (
                    f", oppfølging: {OPPFOLGINGSNIVAER[m.oppfolgingsniva][0].lower()}"
                    if m.oppfolgingsniva
                    else ""
                )
                for m in bolig
            ),
        ),
        Fase(
            "visning",
            FASER["visning"],
            status(o.kontrakt_dato is not None, o.visning_dato is not None),
            ", ".join(
                t
                for t in (
                    f"visning {d(o.visning_dato)}" if o.visning_dato else "",
                    f"kontrakt {d(o.kontrakt_dato)}" if o.kontrakt_dato else "",
                )
                if t
            ),
        ),
        Fase(
            "innflytting",
            FASER["innflytting"],
            status(o.innflytting_dato is not None and o.innflytting_dato <= idag),
            d(o.innflytting_dato),
        ),
        Fase(
            "overgangsperiode",
            FASER["overgangsperiode"],
            status(naa == "oppfolging", naa == "overgangsperiode"),
            (f"{d(o.tilbud_dato)}–{d(slutt)}" if tilbudt else "")
            + (
                f"; overlapp i institusjonsplassen {d(o.overlapp_fra)}–{d(o.overlapp_til)}"
                + (f" (betales av {o.overlapp_betaler})" if o.overlapp_betaler else "")
                if o.overlapp_fra
                else ""
            ),
        ),
        Fase(
            "oppfolging",
            FASER["oppfolging"],
            status(False, naa == "oppfolging"),
            ", ".join(f"{PUNKTER[u.punkt].lower()}: {_utfallsnavn(u)}" for u in o.utfall),
        ),
    ]
    return ut


def _utfallsnavn(u: Boligutfall) -> str:
    return utfallsvalg(u.punkt).get(u.utfall, u.utfall).lower()


def oppfolgingsniva(o: Overgang) -> str:
    """Nivået det siste boligmøtet eller utflyttingsmøtet besluttet ("" før det)."""
    for m in sorted(o.moter, key=lambda m: (m.dato, m.id), reverse=True):
        if m.type in ("boligmote", "utflyttingsmote") and m.oppfolgingsniva:
            return m.oppfolgingsniva
    return ""


# --- Kartleggingen (Kongsvinger): kategorier og behovsnivå ------------------------------------
# Hovedkategoriene og underkategoriene følger NOU 2011:15 «Rom for alle» og de nasjonale
# kartleggingene av bostedsløse (NIBR/Husbanken). «bosatt» er ikke en av dem, men trengs for
# å registrere at personen ikke lenger er vanskeligstilt (bevegelsen ut av oversikten).

KATEGORIER: dict[str, tuple[str, dict[str, str]]] = {
    "uten_bolig": (
        "Uten eid eller leid bolig",
        {
            "natt": "Uten sted å sove kommende natt",
            "akutt": "Akutt eller midlertidig botilbud (hospits, hotell, campinghytte)",
            "venner": "Bor midlertidig hos venner, kjente eller familie",
            "institusjon": "I institusjon, skal ut innen to måneder uten bolig",
            "fengsel": "Under kriminalomsorgen, løslates innen to måneder uten bolig",
        },
    ),
    "fare": (
        "I fare for å miste boligen",
        {
            "fravikelse": "Begjæring om fravikelse eller varsel om utkastelse",
            "restanse": "Restanser på husleie eller boliglån",
            "oppsagt": "Leieforholdet er sagt opp eller går ut uten ny bolig",
            "bomiljo": "Konflikter i bomiljøet som truer leieforholdet",
        },
    ),
    "uegnet": (
        "Bor i uegnet bolig",
        {
            "helse": "Boligen passer ikke med helse eller funksjonsevne",
            "trangbodd": "Trangbodd",
            "standard": "Dårlig standard eller uegnet bomiljø",
        },
    ),
    "bosatt": ("I egnet bolig (ikke lenger vanskeligstilt)", {"bosatt": "I egnet bolig"}),
}
BEHOVSNIVAER = {
    1: ("Nivå 1 (grønn)", "Råd og veiledning; klarer seg i hovedsak på egen hånd."),
    2: ("Nivå 2 (gul)", "Enkle tiltak med eller uten vedtak; kartlegging og målplan."),
    3: (
        "Nivå 3 (rød)",
        "Vedtak og individuell plan (eller målplan); målet er å mestre livet på egen hånd.",
    ),
    4: (
        "Nivå 4 (rød)",
        "Vedtak og individuell plan; målet er et verdig liv og å mestre mest mulig selv.",
    ),
}


def kategorinavn(kategori: str) -> str:
    return KATEGORIER.get(kategori, (kategori, {}))[0]


def underkategorinavn(kategori: str, underkategori: str) -> str:
    return KATEGORIER.get(kategori, ("", {}))[1].get(underkategori, underkategori)
