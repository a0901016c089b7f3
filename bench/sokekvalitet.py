"""Måler søkekvaliteten: gjenfinning av bøyde former og sammensatte ord, og presisjon blant de
ti første treffene, på merkede par (spørring → relevante dokumenter).

Kjør: `PYTHONPATH=. .venv/bin/python bench/sokekvalitet.py [--sett holdt_ute|justering]
[--detaljer]` (uten `PYTHONPATH=.` i en git worktree måles den installerte koden). Full
størrelse (standard): begge settene; rask runde (`make bench`): `--sett holdt_ute`.

To sett i `bench/sokekvalitet/`:
- `justering.toml` – avsnitt fra prosjektets egne kilderapporter (`../shared/seeds/`), med
  merkingen frosset i filen. Brukt til å justere analysen.
- `holdt_ute.toml` – tekster skrevet for evalueringen og aldri brukt til justering.

Hvert sett måles i to indekser bygd med appens egen `Sokeindeks`: «lagring for lagring» (ett
`erstatt_objekt` per dokument, slik en ny installasjon fyller indeksen) og «reindeksert»
(`bygg_pa_nytt` med ordlisten fra tekstene, slik `dokumenter arkiv reindekser` gjør).

Tallene:
- bøying: andelen par (spørring, dokument der ordet står selv i en eller annen form) som finnes;
- sammensatt: andelen par der ordet bare står som ledd i et sammensatt ord, som finnes;
- presisjon@10: snitt over spørringene av andelen riktige blant de (høyst ti) første treffene
  (dokumenter merket «uavgjort» telles ikke).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from arkiv.sok.analyse import Leksikon
from arkiv.sok.indeks import Indeksdokument, Sokeindeks
from dokumenter.sok.skjema import SOKESKJEMA, domenefelt

MAPPE = Path(__file__).resolve().parent / "sokekvalitet"
DATO = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Sok:
    sporring: str
    boying: list[str]
    sammensatt: list[str]
    uavgjort: list[str] = field(default_factory=list)

    @property
    def relevante(self) -> set[str]:
        return {*self.boying, *self.sammensatt}


@dataclass
class Sett:
    navn: str
    dokumenter: dict[str, str]
    sok: list[Sok]


def les_sett(navn: str) -> Sett:
    data = tomllib.loads((MAPPE / f"{navn}.toml").read_text(encoding="utf-8"))
    return Sett(
        navn,
        {d["id"]: d["tekst"] for d in data["dok"]},
        [Sok(**s) for s in data["sok"]],
    )


def indeksdokument(nummer: int, dok_id: str, tekst: str) -> Indeksdokument:
    return Indeksdokument(
        id=dok_id,
        art="avtale",
        objekt_id=nummer,
        versjon=1,
        gjeldende=True,
        tittel="",
        tekst=tekst,
        dato=DATO,
        felt=domenefelt(
            part="", partstype="fengsel", sektor="", status="utkast", ansvarlig="", dato=DATO
        ),
    )


def bygg(sett: Sett, mappe: Path, reindeksert: bool) -> Sokeindeks:
    indeks = Sokeindeks(mappe, SOKESKJEMA)
    doks = [indeksdokument(i, d, t) for i, (d, t) in enumerate(sett.dokumenter.items(), 1)]
    if reindeksert:
        indeks.bygg_pa_nytt(doks, leksikon=Leksikon.fra_tekster(d.tekst for d in doks))
    else:
        for d in doks:
            indeks.erstatt_objekt("avtale", d.objekt_id, lambda d=d: [d])
    return indeks


@dataclass
class Maling:
    boying: list[bool] = field(default_factory=list)
    sammensatt: list[bool] = field(default_factory=list)
    presisjon: list[float] = field(default_factory=list)
    bommet: list[str] = field(default_factory=list)
    feiltreff: list[str] = field(default_factory=list)

    @staticmethod
    def andel(verdier: list) -> float:
        return sum(verdier) / len(verdier) if verdier else float("nan")


def mal(sett: Sett, indeks: Sokeindeks) -> Maling:
    m = Maling()
    for s in sett.sok:
        treff = [t.id for t in indeks.sok(s.sporring, ["ansatte"], per_side=1000).treff]
        funnet = set(treff)
        for art, ider in (("bøying", s.boying), ("sammensatt", s.sammensatt)):
            for d in ider:
                (m.boying if art == "bøying" else m.sammensatt).append(d in funnet)
                if d not in funnet:
                    m.bommet.append(f"{art}: «{s.sporring}» fant ikke {d}")
        topp = [t for t in treff[:10] if t not in s.uavgjort]
        if topp:
            riktige = [t for t in topp if t in s.relevante]
            m.presisjon.append(len(riktige) / len(topp))
            m.feiltreff += [f"«{s.sporring}» → {t}" for t in topp if t not in s.relevante]
    return m


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sett", choices=("holdt_ute", "justering"), action="append")
    p.add_argument("--detaljer", action="store_true", help="vis bom og feiltreff")
    args = p.parse_args()
    for navn in args.sett or ("justering", "holdt_ute"):
        sett = les_sett(navn)
        par = sum(len(s.relevante) for s in sett.sok)
        print(f"\n{navn}: {len(sett.dokumenter)} dokumenter, {len(sett.sok)} spørringer, {par} par")
        for reindeksert in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                indeks = bygg(sett, Path(tmp) / "indeks", reindeksert)
                bygd = time.perf_counter() - start
                m = mal(sett, indeks)
                indeks.lukk()
            modus = "reindeksert       " if reindeksert else "lagring for lagring"
            print(
                f"  {modus}  bøying {m.andel(m.boying):.3f} ({sum(m.boying)}/{len(m.boying)})"
                f"  sammensatt {m.andel(m.sammensatt):.3f}"
                f" ({sum(m.sammensatt)}/{len(m.sammensatt)})"
                f"  presisjon@10 {m.andel(m.presisjon):.3f}  (bygd på {bygd:.1f} s)"
            )
            if args.detaljer:
                for linje in m.bommet + [f"feiltreff: {f}" for f in m.feiltreff]:
                    print(f"      {linje}")


if __name__ == "__main__":
    main()
