"""Demodata: Rana-situasjonen fra rapportene, med fiktive kontaktpersoner og organisasjonsnumre."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.avvik import regler
from dokumenter.avvik import skriving as avvik_skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli.demo_overgang import demo_overgang
from dokumenter.felles.validering import kontrollsiffer
from dokumenter.models import Avtale, Bruker, Part
from dokumenter.parter import skriving as parter
from dokumenter.planer import ansvarsgruppe, lagring, samtykke
from dokumenter.sok import indeksering
from dokumenter.tjenester import Tjenester

DEMO_BRUKER = "prosjektleder"
DEMO_PASSORD = "rana-demo-fjellbekk-2026"
DEMO_EPOST = "prosjektleder@example.no"


def fiktivt_orgnr(lopenummer: int) -> str:
    """Et gyldig (mod-11), men fiktivt organisasjonsnummer i serien 9990xxxxx."""
    for n in range(10):
        grunn = f"9990{lopenummer:03d}{n}"
        if (kontroll := kontrollsiffer(grunn)) is not None:
            return grunn + str(kontroll)
    raise ValueError(f"Fant ikke gyldig organisasjonsnummer for løpenummer {lopenummer}")


# (navn, type, adresse, status, begrunnelse)
PARTER = [
    ("Friomsorgen i Nordland avd. Rana", "friomsorgskontor", "Mo i Rana", "inngaatt", ""),
    ("Mosjøen fengsel", "fengsel", "Mosjøen", "inngaatt", ""),
    ("Bodø fengsel", "fengsel", "Bodø", "inngaatt", ""),
    ("Bodø overgangsbolig", "overgangsbolig", "Bodø", "inngaatt", ""),
    ("Trondheim fengsel", "fengsel", "Trondheim", "inngaatt", ""),
    ("Nordlandsklinikken", "behandlingsinstitusjon", "Nordland", "inngaatt", ""),
    (
        "Sigma Nord",
        "behandlingsinstitusjon",
        "Nord-Norge",
        "ikke_inngaatt",
        "Utkast sendt; ikke besvart.",
    ),
    (
        "Tromsklinikken/Færingen",
        "behandlingsinstitusjon",
        "Troms",
        "ikke_inngaatt",
        "Avslått skriftlig.",
    ),
    (
        "Finnmarksklinikken",
        "behandlingsinstitusjon",
        "Finnmark",
        "ikke_inngaatt",
        "Avslått skriftlig: KS arbeider med avtaler, og egen avtale blir for kostbar nå.",
    ),
    ("Klinikk Nord", "behandlingsinstitusjon", "Finnmark", "ikke_inngaatt", "Avslått skriftlig."),
]

AVTALEFELT = {
    "kommune_navn": "Rana kommune",
    "kommune_enhet": "Rustjenesten",
    "kommune_adresse": "Postboks 173, 8601 Mo i Rana",
    "kommune_kontakt_navn": "Kari Fjellheim (fiktiv)",
    "kommune_kontakt_telefon": "75 14 50 00",
    "kommune_kontakt_epost": "rustjenesten@example.no",
    "gyldig_fra": "2008-01-01",
}


def last_demodata(tj: Tjenester, med_dokumenter: bool = True) -> tuple[int, int]:
    """Legg inn demobruker, parter og avtaler som mangler. Trygt å kjøre flere ganger.

    Returnerer (antall nye parter, antall nye avtaler).
    """
    with tj.sesjoner() as s:
        bruker = s.scalar(select(Bruker).where(Bruker.brukernavn == DEMO_BRUKER))
    if bruker is None:
        bruker = brukere.opprett_bruker(
            tj, DEMO_BRUKER, "Prosjektleder (demo)", "admin", DEMO_PASSORD, DEMO_EPOST
        )
    elif not bruker.epost:  # demoer laget før prosjektlederen fikk e-post (han skal signere)
        with tj.transaksjon() as s:
            s.get(Bruker, bruker.id).epost = DEMO_EPOST
    nye_parter = nye_avtaler = 0
    for i, (navn, type_, adresse, status, begrunnelse) in enumerate(PARTER, start=1):
        with tj.sesjoner() as s:
            part = s.scalar(select(Part).where(Part.navn == navn))
            har_avtale = part is not None and s.scalar(
                select(Avtale.id).where(Avtale.part_id == part.id).limit(1)
            )
        if part is None:
            part = parter.opprett_part(
                tj,
                {
                    "navn": navn,
                    "type": type_,
                    "orgnr": fiktivt_orgnr(i),
                    "adresse": adresse,
                    "kontaktpersoner": [
                        {
                            "navn": f"Kontaktperson {i} (fiktiv)",
                            "rolle": "Sosialkonsulent"
                            if type_ != "behandlingsinstitusjon"
                            else "Sosionom",
                            "epost": f"kontakt{i}@example.no",
                            "telefon": f"900 00 {i:03d}",
                        }
                    ],
                },
            )
            nye_parter += 1
        if har_avtale or not med_dokumenter:
            continue
        mal = tj.mal(produksjon.MAL)
        avtale = skriving.opprett_utkast(
            tj, part.id, {**mal.standardverdier(), **AVTALEFELT}, bruker.id, fra="demo"
        )
        if status == "inngaatt":
            # Avtalene fra 2007 ble signert på papir. I demoen står avtalens egen PDF/A i
            # stedet for den skannede kopien (samme vei som «last opp skannet signert kopi»).
            with tj.sesjoner() as s:
                pdf = s.get(Avtale, avtale.id).siste_versjon.dokument("pdf").sha256
            signering.last_opp_signert(tj, avtale.id, tj.lager.les(pdf), bruker.id, fra="demo")
        elif status != "utkast":
            skriving.sett_status(tj, avtale.id, status, bruker.id, begrunnelse, fra="demo")
        nye_avtaler += 1
    _demo_partner(tj)
    _demo_plan(tj, bruker.id)
    if nye_avtaler:
        _demo_avvik(tj, bruker.id)
        indeksering.reindekser(tj)  # ordlisten for sammensatte ord bygges fra de nye tekstene
    return nye_parter, nye_avtaler


DEMO_PARTNER = "kontakt3@example.no"  # kontaktpersonen hos Bodø fengsel
DEMO_PARTNER_PASSORD = "bodo-demo-havorn-2026"


def _demo_partner(tj: Tjenester) -> None:
    """En partnerbruker for Bodø fengsel, så portalen kan prøves uten e-post."""
    with tj.sesjoner() as s:
        if s.scalar(select(Bruker).where(Bruker.brukernavn == DEMO_PARTNER)):
            return
        part = s.scalar(select(Part).where(Part.navn == "Bodø fengsel"))
        if part is None:
            return
        navn = part.kontaktpersoner[0].navn if part.kontaktpersoner else "Kontaktperson"
        part_id = part.id
    brukere.opprett_partnerbruker(tj, part_id, navn, DEMO_PARTNER, DEMO_PARTNER_PASSORD)


DEMO_AVVIK = [
    # (part, paragraf, kategori, dager siden hendelsen, dager siden oppdaget, hva skjedde,
    #  send, begrunnelse når skjemaet sendes senere enn fem virkedager etter at det ble oppdaget)
    (
        "Bodø fengsel",
        "§ 6",
        "varsling",
        40,
        2,
        "Innsatt ble løslatt en fredag uten at kommunen var varslet. Varselet kom mandag etter.",
        True,
        "",
    ),
    (
        "Bodø fengsel",
        "§ 4",
        "bolig",
        12,
        12,
        "Søknad om kommunal bolig ble sendt to dager før løslatelse, ikke fire uker før.",
        False,
        "",
    ),
    (
        "Nordlandsklinikken",
        "§ 6",
        "varsling",
        75,
        70,
        "Pasient ble utskrevet uten at kommunen fikk epikrise eller kontaktperson.",
        True,
        "Oppdaget ved gjennomgang av saken; kontaktpersonen var i permisjon.",
    ),
]


def _demo_avvik(tj: Tjenester, bruker_id: int) -> None:
    """Noen avvik, så forsiden og avvikslisten har noe å vise (fiktive hendelser)."""
    melder = regler.Melder(bruker_id, "admin")
    for part_navn, paragraf, kategori, dager, oppdaget, tekst, send, sen in DEMO_AVVIK:
        with tj.sesjoner() as s:
            avtale_id = s.scalar(
                select(Avtale.id).join(Part).where(Part.navn == part_navn).limit(1)
            )
        if avtale_id is None:
            continue
        a = avvik_skriving.registrer(
            tj,
            avtale_id,
            {
                "paragraf": paragraf,
                "kategori": kategori,
                "alvorlighet": "gjentatt" if kategori == "varsling" else "",
                "hendelsesdato": date.today() - timedelta(days=dager),
                "oppdaget": date.today() - timedelta(days=oppdaget),
                "hva_skjedde": tekst,
                "konsekvens": "Personen sto uten avklart bosted de første dagene.",
                "strakstiltak": "Midlertidig botilbud ble ordnet samme dag.",
            },
            melder,
            fra="demo",
        )
        if send:
            avvik_skriving.send(tj, a.id, melder, fra="demo", sen_begrunnelse=sen)


DEMO_PERSON = "Demo Demosen"  # fiktiv person


def _demo_plan(tj: Tjenester, bruker_id: int) -> None:
    """Én individuell plan (fiktiv person) med prosjektlederen som koordinator og Bodø
    fengsels kontaktperson i ansvarsgruppen, med samtykke. Lages bare én gang."""
    from dokumenter.models import Plan

    with tj.sesjoner() as s:
        eksisterende = s.scalar(select(Plan.id).order_by(Plan.id).limit(1))
        partner = s.scalar(select(Bruker.id).where(Bruker.brukernavn == DEMO_PARTNER))
    if eksisterende is not None:
        if partner is not None:  # demoer laget før overgangen fantes, får den nå
            demo_overgang(tj, eksisterende, bruker_id, partner)
        return
    with tj.sesjoner() as s:
        part = s.scalar(select(Part).where(Part.navn == "Bodø fengsel"))
        partner = s.scalar(select(Bruker.id).where(Bruker.brukernavn == DEMO_PARTNER))
        if part is None or partner is None:
            return
        avtale_id = s.scalar(select(Avtale.id).where(Avtale.part_id == part.id).limit(1))
        part_id = part.id
    plan_id = lagring.opprett(
        tj, DEMO_PERSON, date(1990, 3, 14), part_id, bruker_id, avtale_id=avtale_id, fra="demo"
    )
    ansvarsgruppe.legg_til_medlem(tj, plan_id, partner, "", "Kontaktbetjent", bruker_id, "demo")
    samtykke.registrer_samtykke(
        tj,
        plan_id,
        part_id,
        date.today(),
        bruker_id,
        "demo",
        omfang="Opplysninger om bolig, helse, rus og oppfølging som trengs i planen",
        formal="Planlegge bolig og oppfølging før og etter løslatelse",
        form="skriftlig",
    )
    idag = date.today()
    innhold = {
        "maal": "Egen leilighet i Mo i Rana og jobb på dagtid innen et halvt år.",
        "ressurser": "Fagbrev som kokk. God kontakt med søsteren.",
        "tjenestebehov": "Bolig fra dag én, oppfølging i hjemmet og poliklinisk rusbehandling.",
        "deltakere": [
            {"navn": "Kontaktbetjent", "rolle": "Kontaktbetjent", "virksomhet": "Bodø fengsel"}
        ],
        "koordinator_navn": "Prosjektleder",
        "koordinator_tjeneste": "Boligsosialt arbeid",
        "koordinator_telefon": "75 14 50 00",
        "bidrag_person": "Møter på avtalte møter og betaler husleie.",
        "bidrag_tjenester": "Kommunen skaffer bolig; NAV bistår med økonomi.",
        "bidrag_parorende": "Søsteren hjelper til med flyttingen.",
        "tiltak": [
            {
                "hva": "Kommunal leilighet (2-roms)",
                "ansvarlig": "Boligkontoret",
                "fra": idag.isoformat(),
                "til": (idag + timedelta(days=30)).isoformat(),
                "status": "pagar",
            },
            {
                "hva": "Boveiledning (2 timer i uka)",
                "ansvarlig": "Rustjenesten",
                "fra": (idag + timedelta(days=30)).isoformat(),
                "til": (idag + timedelta(days=45)).isoformat(),
                "status": "ikke_startet",
            },
        ],
        "gjennomforing": "Ansvarsgruppen møtes hver måned det første halvåret.",
        "periode_fra": idag.isoformat(),
        "periode_til": (idag + timedelta(days=365)).isoformat(),
        "revideres": (idag + timedelta(days=180)).isoformat(),
        "fremdriftsplan": [
            {
                "hva": steg,
                "ansvarlig": ansvarlig,
                "fra": (idag + timedelta(days=d)).isoformat(),
                "til": "",
                "status": "ikke_startet",
            }
            for d, steg, ansvarlig in (
                (7, "Møte i ansvarsgruppen", "Koordinator"),
                (14, "Visning av bolig", "Boligkontoret"),
                (21, "Signering av leiekontrakt", "Personen"),
                (28, "Nøkler og innflytting", "Boligkontoret"),
            )
        ],
        "oppfolging_i_bolig": "Boveileder på besøk to ganger i uka de første tre månedene.",
        "egne_plikter": "Betale husleie, holde avtaler og si fra om endringer.",
        "samarbeid_andre": "Fastlege og NAV-kontoret.",
        "samtykke_plan_dato": idag.isoformat(),
        "antall_kopier": "3",
        "kopi_mottakere": [
            {"mottaker": "Personen"},
            {"mottaker": "Koordinator"},
            {"mottaker": "Bodø fengsel"},
        ],
    }
    lagring.lagre_versjon(tj, plan_id, innhold, bruker_id, 0, "Første versjon", "demo")
    demo_overgang(tj, plan_id, bruker_id, partner)
