"""Bygger instansen `bench/web.py` måler: N avtaler (standard 10 000), hver med sin egen part,
laget gjennom de samme brukstilfellene som appen (slik `bench/archive.py` gjør): utkast,
nye versjoner, status, skannet signert kopi, avvik (meldt og sendt), evalueringer og noen
individuelle planer, med 50 saksbehandlere som de simulerte brukerne logger inn som.

For å bli ferdig på minutter, ikke timer, står en ferdig PDF/A (laget én gang av ekte
LibreOffice og gjort unik per kall, `bench.archive.FerdigPdf`) i for konverteringen, og
søkeindeksen bygges én gang til slutt (`reindekser`, samme innhold som om den var
oppdatert etter hver lagring; oppdateringen per lagring ville tatt ~1 s CPU per avtale her).
Alt annet er ekte: utfylling av malen, fillager med fsync, databasen og revisjonsloggen.

Instansen legges i `--mappe`, og en ferdig instans gjenbrukes (filen FERDIG). Kjør alene:
`.venv/bin/python -m bench.webdata --avtaler 10000 --mappe /var/tmp/bench-web`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench.archive import FerdigPdf
from dokumenter.avtaler import produksjon, signering, skriving
from dokumenter.avvik import regler
from dokumenter.avvik import skriving as avvik_skriving
from dokumenter.brukere import kontoer as brukere
from dokumenter.cli import demo
from dokumenter.evaluering import skriving as evaluering
from dokumenter.felles.innstillinger import REPO_ROT, Innstillinger
from dokumenter.felles.validering import kontrollsiffer
from dokumenter.infrastruktur import kryptering
from dokumenter.infrastruktur.konvertering import VarmKonverterer
from dokumenter.models import Avtale
from dokumenter.noark import koble_til
from dokumenter.parter import skriving as parter
from dokumenter.parter.typer import PARTSTYPER
from dokumenter.planer import lagring
from dokumenter.sok import indeksering
from dokumenter.tjenester import Tjenester, apne

PASSORD = "bench-passord-2026"
BRUKERE = 50  # saksbehandlere; de simulerte brukerne logger inn som hver sin
TUNG_AVTALE_VERSJONER = 120  # én avtale med mange versjoner og en lang revisjonslogg
FERDIG = "FERDIG"
INDEKSOPPDATERING = ("behandle_ventende",)  # jobbene venter; indeksen bygges til slutt
STEDER = [
    "Bodø", "Mo i Rana", "Mosjøen", "Narvik", "Tromsø", "Alta", "Hammerfest", "Harstad",
    "Trondheim", "Steinkjer", "Levanger", "Ålesund", "Molde", "Bergen", "Stavanger",
    "Kristiansand", "Arendal", "Skien", "Tønsberg", "Drammen", "Oslo", "Hamar", "Gjøvik",
    "Lillehammer", "Fredrikstad", "Sarpsborg", "Halden", "Moss", "Kongsvinger", "Elverum",
]  # fmt: skip
NAVN = {
    "fengsel": "{sted} fengsel, avdeling {n}",
    "friomsorgskontor": "Friomsorgskontoret i {sted} {n}",
    "overgangsbolig": "{sted} overgangsbolig {n}",
    "behandlingsinstitusjon": "Behandlingssenteret i {sted} {n}",
    "dps": "{sted} DPS, enhet {n}",
    "helseforetak": "Helse {sted}, klinikk {n}",
    "boligstiftelse": "Boligstiftelsen i {sted} {n}",
    "utleier": "Utleiebolig {sted} {n}",
    "annet": "Samarbeidspart {sted} {n}",
}
MANEDER = "januar februar mars april mai juni juli august september oktober november desember"
AVVIKSTEKSTER = [
    "Innsatt ble løslatt en fredag uten at kommunen var varslet. Varselet kom mandag etter.",
    "Søknad om kommunal bolig ble sendt to dager før løslatelsen, ikke fire uker før.",
    "Pasienten ble utskrevet uten at kommunen fikk epikrise eller kontaktperson.",
    "Samtykke til deling av opplysninger manglet da ansvarsgruppemøtet skulle holdes.",
    "Kontaktpersonen hos parten var ikke kjent for kommunen; ingen kom på møtet.",
]


def orgnr(lopenummer: int) -> str:
    """Et gyldig (mod-11), fiktivt organisasjonsnummer i serien 98xxxxxxx."""
    for n in range(10):
        grunn = f"98{lopenummer:05d}{n}"
        if (kontroll := kontrollsiffer(grunn)) is not None:
            return grunn + str(kontroll)
    raise ValueError(f"Fant ikke gyldig organisasjonsnummer for {lopenummer}")


def innstillinger(instans: Path, miljo: dict[str, str] | None = None) -> Innstillinger:
    """Instansens innstillinger; `miljo` (DATABASE_URL, DOKUMENTER_S3_* …) for en instans på
    PostgreSQL og objektlageret, som `bench/noder.py` bruker."""
    return Innstillinger.fra_miljo(instans, miljo=miljo or {}).med(passordprofil="produksjon")


def bygg(
    instans: Path, antall: int, fremdrift: bool = True, miljo: dict[str, str] | None = None
) -> None:
    """Bygg instansen i `instans` (som ikke må finnes fra før)."""
    rnd = random.Random(14)
    instans.mkdir(parents=True)
    inn = innstillinger(instans, miljo)
    kryptering.lag_nokkelfil(inn)
    tj = koble_til(apne(inn))
    t0 = time.monotonic()
    oppdater = {n: getattr(indeksering, n) for n in INDEKSOPPDATERING}
    for navn in INDEKSOPPDATERING:  # indeksen bygges til slutt (se over)
        setattr(indeksering, navn, lambda *_a, **_k: 0)
    ansatte = _brukere(tj)
    mal = tj.mal(produksjon.MAL)
    standard = {**mal.standardverdier(), **demo.AVTALEFELT}
    with VarmKonverterer(inn.uno_venv) as lo:  # én ekte PDF/A, så står FerdigPdf i
        tj.konverterer = lo
        forste = _ny_avtale(tj, 0, ansatte[0], standard)
        with tj.sesjoner() as s:
            pdf = s.get(Avtale, forste).siste_versjon.dokument("pdf").sha256
    tj.konverterer = FerdigPdf(tj.lager.les(pdf))
    inngatte: list[int] = []
    for i in range(1, antall):
        bruker = ansatte[i % len(ansatte)]
        verdier = {**standard, "evaluering_maaned": MANEDER.split()[i % 12]}
        avtale_id = _ny_avtale(tj, i, bruker, verdier)
        if rnd.random() < 0.2:  # noen har flere versjoner
            for v in range(rnd.randint(1, 3)):
                skriving.lagre_versjon(
                    tj, avtale_id, {**verdier, "varslingsfrist_dager": 20 + v}, bruker, "Justert"
                )
        _sett_status(tj, rnd, avtale_id, bruker, inngatte)
        if fremdrift and i % 250 == 0:
            print(f"  {i} avtaler, {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
    _avvik_og_evalueringer(tj, rnd, inngatte, ansatte)
    _tung_avtale(tj, ansatte[0], standard)
    _planer(tj, ansatte[0], inngatte[:30])
    for navn, funksjon in oppdater.items():
        setattr(indeksering, navn, funksjon)
    if fremdrift:
        print(f"  bygger søkeindeksen, {time.monotonic() - t0:.0f} s", file=sys.stderr)
    indeksering.reindekser(tj)
    tj.lukk()
    (instans / FERDIG).write_text(
        json.dumps({"avtaler": antall, "sekunder": round(time.monotonic() - t0)}) + "\n"
    )


def _brukere(tj: Tjenester) -> list[int]:
    brukere.opprett_bruker(tj, demo.DEMO_BRUKER, "Prosjektleder", "admin", PASSORD)
    return [
        brukere.opprett_bruker(tj, f"ansatt{n:02d}", f"Ansatt {n:02d}", "saksbehandler", PASSORD).id
        for n in range(1, BRUKERE + 1)
    ]


def _ny_avtale(tj: Tjenester, i: int, bruker: int, verdier: dict) -> int:
    typer = list(PARTSTYPER)
    type_ = typer[i % len(typer)]
    sted = STEDER[(i // len(typer)) % len(STEDER)]
    part = parter.opprett_part(
        tj,
        {
            "navn": NAVN[type_].format(sted=sted, n=i + 1),
            "type": type_,
            "orgnr": orgnr(i + 1),
            "adresse": sted,
            "kontaktpersoner": [
                {"navn": f"Kontakt {i + 1}", "rolle": "Sosialkonsulent", "epost": ""}
            ],
        },
    )
    return skriving.opprett_utkast(tj, part.id, verdier, bruker, fra="bench").id


def _sett_status(
    tj: Tjenester, rnd: random.Random, avtale_id: int, bruker: int, inngatte: list[int]
) -> None:
    """45 % inngått (skannet kopi), 15 % til gjennomgang, 5 % ikke inngått, 5 % avsluttet,
    resten utkast."""
    r = rnd.random()
    if r < 0.5:
        with tj.sesjoner() as s:
            pdf = s.get(Avtale, avtale_id).siste_versjon.dokument("pdf").sha256
        signering.last_opp_signert(tj, avtale_id, tj.lager.les(pdf), bruker, fra="bench")
        if r < 0.05:
            skriving.sett_status(
                tj, avtale_id, "avsluttet", bruker, "Erstattet av ny avtale.", "bench"
            )
        else:
            inngatte.append(avtale_id)
    elif r < 0.65:
        skriving.sett_status(tj, avtale_id, "til_gjennomgang", bruker, "", "bench")
    elif r < 0.70:
        skriving.sett_status(tj, avtale_id, "ikke_inngaatt", bruker, "Avslått skriftlig.", "bench")


def _avvik_og_evalueringer(
    tj: Tjenester, rnd: random.Random, inngatte: list[int], ansatte: list[int]
) -> None:
    """Avvik på hver tredje inngåtte avtale (de fleste sendt), og en evaluering på hver
    femtende av dem."""
    idag = date.today()
    for n, avtale_id in enumerate(inngatte[::3]):
        bruker = ansatte[n % len(ansatte)]
        melder = regler.Melder(bruker, "saksbehandler")
        for k in range(rnd.randint(1, 3)):
            a = avvik_skriving.registrer(
                tj,
                avtale_id,
                {
                    "paragraf": f"§ {rnd.randint(2, 9)}",
                    "kategori": rnd.choice(list(regler.KATEGORIER)),
                    "hendelsesdato": idag - timedelta(days=rnd.randint(1, 400)),
                    "oppdaget": idag,
                    "hva_skjedde": AVVIKSTEKSTER[(n + k) % len(AVVIKSTEKSTER)],
                    "konsekvens": "Personen sto uten avklart bosted de første dagene.",
                    "strakstiltak": "Midlertidig botilbud ble ordnet samme dag.",
                },
                melder,
                fra="bench",
            )
            if rnd.random() < 0.7:
                avvik_skriving.send(tj, a.id, melder, fra="bench")
        if n % 15 == 0:
            evaluering.evaluer(
                tj,
                avtale_id,
                {
                    "dato": idag.isoformat(),
                    "deltakere_kommune": "Ansatt, rustjenesten",
                    "deltakere_part": "Kontaktperson",
                    "fungert": "Varslingen før løslatelse har fungert godt.",
                    "ikke_fungert": "Boligsøknaden kommer for sent.",
                    "beslutning": "viderefores",
                },
                bruker,
                fra="bench",
            )


def _tung_avtale(tj: Tjenester, bruker: int, verdier: dict) -> None:
    """Avtale nummer 1 får mange versjoner (og dermed en lang revisjonslogg)."""
    for v in range(TUNG_AVTALE_VERSJONER):
        skriving.lagre_versjon(
            tj, 1, {**verdier, "varslingsfrist_dager": 1 + v % 300}, bruker, f"Runde {v}"
        )


def _planer(tj: Tjenester, koordinator: int, avtaler: list[int]) -> None:
    with tj.sesjoner() as s:
        parter_ = {a: s.get(Avtale, a).part_id for a in avtaler}
    for n, avtale_id in enumerate(avtaler):
        lagring.opprett(
            tj,
            f"Person {n + 1} Fiktiv",
            date(1980 + n % 20, 1 + n % 12, 1 + n % 28),
            parter_[avtale_id],
            koordinator,
            avtale_id=avtale_id,
            fra="bench",
        )


def sikre_instans(mappe: Path, antall: int) -> Path:
    """Instansen for `antall` avtaler i `mappe`: gjenbrukt om den er ferdig, ellers bygd."""
    instans = mappe / f"instans-{antall}"
    if (instans / FERDIG).exists():
        return instans
    if instans.exists():
        raise SystemExit(
            f"{instans} finnes, men er ikke ferdig bygd (avbrutt?). Slett mappen og kjør igjen."
        )
    print(f"Bygger {antall} avtaler i {instans} (én gang; gjenbrukes siden) …", file=sys.stderr)
    bygg(instans, antall)
    return instans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--avtaler", type=int, default=10_000)
    ap.add_argument("--mappe", type=Path, default=REPO_ROT / "bench" / "ut" / "web")
    args = ap.parse_args()
    instans = sikre_instans(args.mappe.resolve(), args.avtaler)
    print(instans, (instans / FERDIG).read_text().strip())


if __name__ == "__main__":
    main()
