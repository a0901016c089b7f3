"""Malene i `maler/`: manifestet (felt, typer, varianter), validering av feltverdier og `sjekk`."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.felles.validering import epost_feil, lengde_feil, les_dato, rens_tekst, telefon_feil

FELTTYPER = ("tekst", "langtekst", "heltall", "dato", "epost", "telefon", "liste", "bilde")
STANDARD_MAKS = {"tekst": 200, "langtekst": 4000, "epost": 254, "telefon": 40}
# «liste»: rader (dict) med nøyaktig kolonnene i manifestet; hver celle er tekst på én linje
# med høyst `maks_lengde` tegn (standard 200). «bilde»: PNG-data (bytes), satt inn med
# bredden `bredde_mm`; `alt_felt` er et tekstfelt med tekstalternativet til bildet.
MAKS_RADER = 500
MAKS_BILDE = 5 * 1024 * 1024
STANDARD_BILDEBREDDE_MM = 160.0
PNG_SIGNATUR = b"\x89PNG\r\n\x1a\n"


class MalFeil(Arkivfeil):
    """Malen eller manifestet er ugyldig."""


@dataclass(frozen=True)
class Felt:
    navn: str
    etikett: str
    type: str
    paakrevd: bool = False
    standard: Any = None
    hjelp: str = ""
    min: int | None = None
    max: int | None = None
    maks_lengde: int | None = None
    kolonner: tuple[str, ...] = ()  # bare «liste»
    bredde_mm: float | None = None  # bare «bilde»
    alt_felt: str | None = None  # bare «bilde»

    @property
    def lengdegrense(self) -> int:
        return self.maks_lengde or STANDARD_MAKS.get(self.type, 200)


@dataclass(frozen=True)
class Variant:
    navn: str
    tittel: str
    partstyper: tuple[str, ...]
    ord: dict[str, str]


@dataclass(frozen=True)
class Mal:
    navn: str
    tittel: str
    beskrivelse: str
    versjon: int
    fil: Path
    felt: tuple[Felt, ...]
    varianter: dict[str, Variant]
    systemfelt: dict[str, str] = field(default_factory=dict)
    manifest_tekst: str = ""

    def variant_for(self, partstype: str) -> Variant:
        for v in self.varianter.values():
            if partstype in v.partstyper:
                return v
        if "generell" in self.varianter:
            return self.varianter["generell"]
        raise MalFeil(f"Malen «{self.navn}» har ingen variant for partstypen «{partstype}».")

    def sha256(self) -> str:
        return hashlib.sha256(self.fil.read_bytes()).hexdigest()

    def standardverdier(self) -> dict[str, Any]:
        return {f.navn: f.standard for f in self.felt if f.standard is not None}

    def valider(self, verdier: dict[str, Any]) -> dict[str, Any]:
        """Sjekk og normaliser feltverdier; kaster Valideringsfeil med norske meldinger."""
        resultat: dict[str, Any] = {}
        feil: dict[str, str] = {}
        for f in self.felt:
            raa = verdier.get(f.navn)
            if f.type in ("liste", "bilde"):
                melding, verdi = (_tolk_liste if f.type == "liste" else _tolk_bilde)(f, raa)
                if melding:
                    feil[f.navn] = melding
                else:
                    resultat[f.navn] = verdi
                continue
            tekst = rens_tekst(raa, flerlinjet=f.type == "langtekst") if raa is not None else ""
            if tekst == "":
                if f.paakrevd:
                    feil[f.navn] = f"«{f.etikett}» må fylles ut."
                else:
                    resultat[f.navn] = None
                continue
            melding, verdi = _tolk(f, raa, tekst)
            if melding:
                feil[f.navn] = melding
            else:
                resultat[f.navn] = verdi
        ukjente = set(verdier) - {f.navn for f in self.felt}
        for navn in sorted(ukjente):
            feil[navn] = "Ukjent felt for denne malen."
        if feil:
            raise Valideringsfeil(feil)
        return resultat


def _tolk(f: Felt, raa: Any, tekst: str) -> tuple[str | None, Any]:
    if f.type == "heltall":
        try:
            tall = int(tekst) if not isinstance(raa, int) else raa
        except ValueError:
            return "Skriv et helt tall.", None
        if f.min is not None and tall < f.min:
            return f"Tallet må være minst {f.min}.", None
        if f.max is not None and tall > f.max:
            return f"Tallet kan være høyst {f.max}.", None
        return None, tall
    if f.type == "dato":
        try:
            d = les_dato(raa)
        except ValueError:
            return "Ugyldig dato (bruk dd.mm.åååå).", None
        if not date(1900, 1, 1) <= d <= date(2200, 12, 31):
            return "Datoen er utenfor gyldig område.", None
        return None, d.isoformat()
    melding = lengde_feil(tekst, f.lengdegrense)
    if melding is None and f.type == "epost":
        melding = epost_feil(tekst)
    if melding is None and f.type == "telefon":
        melding = telefon_feil(tekst)
    return melding, tekst


def _tolk_liste(f: Felt, raa: Any) -> tuple[str | None, Any]:
    """Rader som dict med nøyaktig kolonnene i manifestet; cellene renses som annen tekst."""
    if raa is None or raa == "":
        raa = []
    if not isinstance(raa, list | tuple):
        return "Må være en liste med rader.", None
    if not raa and f.paakrevd:
        return f"«{f.etikett}» må ha minst én rad.", None
    if len(raa) > MAKS_RADER:
        return f"For mange rader ({len(raa)}, maks {MAKS_RADER}).", None
    kolonner = set(f.kolonner)
    rader = []
    for nr, rad in enumerate(raa, start=1):
        if not isinstance(rad, dict):
            return f"Rad {nr} må ha kolonnene {', '.join(f.kolonner)}.", None
        ukjente = sorted(map(str, set(rad) - kolonner))
        if ukjente:
            return f"Rad {nr} har en ukjent kolonne «{ukjente[0]}».", None
        for k in f.kolonner:
            if k not in rad:
                return f"Rad {nr} mangler kolonnen «{k}».", None
        ren = {}
        for k in f.kolonner:
            celle = rad[k]
            if celle is not None and (isinstance(celle, bool) or not isinstance(celle, str | int)):
                return f"Rad {nr}, kolonnen «{k}»: må være tekst.", None
            ren[k] = rens_tekst(celle)
            melding = lengde_feil(ren[k], f.lengdegrense)
            if melding:
                return f"Rad {nr}, kolonnen «{k}»: {melding}", None
        rader.append(ren)
    return None, rader


def _tolk_bilde(f: Felt, raa: Any) -> tuple[str | None, Any]:
    if raa is None or raa == b"" or raa == "":
        return (f"«{f.etikett}» mangler.", None) if f.paakrevd else (None, None)
    if not isinstance(raa, bytes | bytearray):
        return "Bildet må være PNG-data (bytes).", None
    if not raa.startswith(PNG_SIGNATUR):
        return "Bildet må være en PNG-fil.", None
    if len(raa) > MAKS_BILDE:
        mb = len(raa) / (1024 * 1024)
        return f"Bildet er for stort ({mb:.1f} MB, maks {MAKS_BILDE // (1024 * 1024)} MB).", None
    return None, bytes(raa)


def les_mal(mappe: Path, navn: str) -> Mal:
    manifest = mappe / f"{navn}.toml"
    try:
        manifest_tekst = manifest.read_text(encoding="utf-8")
        data = tomllib.loads(manifest_tekst)
    except FileNotFoundError as e:
        raise MalFeil(f"Fant ikke manifestet {manifest}.") from e
    except tomllib.TOMLDecodeError as e:
        raise MalFeil(f"{manifest.name}: ugyldig TOML ({e}).") from e
    try:
        hode = data["mal"]
        felt = tuple(_les_felt(d, manifest.name) for d in data.get("felt", []))
        varianter = {
            n: Variant(
                n, v.get("tittel", n), tuple(v.get("partstyper", [])), dict(v.get("ord", {}))
            )
            for n, v in data.get("varianter", {}).items()
        }
        mal = Mal(
            navn=hode["navn"],
            tittel=hode["tittel"],
            beskrivelse=hode.get("beskrivelse", ""),
            versjon=int(hode["versjon"]),
            fil=mappe / hode["fil"],
            felt=felt,
            varianter=varianter,
            systemfelt=dict(data.get("systemfelt", {})),
            manifest_tekst=manifest_tekst,
        )
    except KeyError as e:
        raise MalFeil(f"{manifest.name}: mangler nøkkelen {e.args[0]!r}.") from e
    typer = {f.navn: f.type for f in felt}
    for f in felt:
        if f.alt_felt is not None and typer.get(f.alt_felt) not in ("tekst", "langtekst"):
            raise MalFeil(
                f"{manifest.name}: feltet {f.navn!r} har alt_felt {f.alt_felt!r}, som ikke er "
                "et tekstfelt i manifestet."
            )
    if not mal.fil.is_file():
        raise MalFeil(f"{manifest.name}: malfilen {mal.fil.name} finnes ikke.")
    return mal


def _les_felt(d: dict[str, Any], kilde: str) -> Felt:
    if d.get("type") not in FELTTYPER:
        raise MalFeil(f"{kilde}: feltet {d.get('navn')!r} har ukjent type {d.get('type')!r}.")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", d.get("navn", "")):
        raise MalFeil(f"{kilde}: ugyldig feltnavn {d.get('navn')!r} (bruk a–z, 0–9 og _).")
    kolonner = d.get("kolonner", [])
    if d["type"] == "liste" and (
        not isinstance(kolonner, list)
        or not kolonner
        or len(set(kolonner)) != len(kolonner)
        or not all(isinstance(k, str) and re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in kolonner)
    ):
        raise MalFeil(
            f"{kilde}: listefeltet {d['navn']!r} må ha «kolonner», en liste med ulike navn "
            "(a–z, 0–9 og _)."
        )
    bredde = d.get("bredde_mm", STANDARD_BILDEBREDDE_MM if d["type"] == "bilde" else None)
    if bredde is not None and (
        isinstance(bredde, bool) or not isinstance(bredde, int | float) or not 5 <= bredde <= 500
    ):
        raise MalFeil(f"{kilde}: feltet {d['navn']!r} har ugyldig bredde_mm {bredde!r}.")
    return Felt(
        navn=d["navn"],
        etikett=d.get("etikett", d["navn"]),
        type=d["type"],
        paakrevd=bool(d.get("paakrevd", False)),
        standard=d.get("standard"),
        hjelp=d.get("hjelp", ""),
        min=d.get("min"),
        max=d.get("max"),
        maks_lengde=d.get("maks_lengde"),
        kolonner=tuple(kolonner) if d["type"] == "liste" else (),
        bredde_mm=float(bredde) if bredde is not None else None,
        alt_felt=d.get("alt_felt"),
    )


def alle_maler(mappe: Path) -> list[str]:
    return sorted(p.stem for p in mappe.glob("*.toml"))


# --- sjekk ------------------------------------------------------------------------------

_DOCXTPL_TAGG = re.compile(r"([{][{%])\s*(?:p|tr|tc|r)\s+")


def avsnittslinjer(docx: Path) -> list[str]:
    """Malens tekst, ett avsnitt per linje (brødtekst, tabeller, topp- og bunntekst)."""
    doc = Document(str(docx))
    elementer = [doc.element.body]
    for seksjon in doc.sections:
        elementer += [seksjon.header._element, seksjon.footer._element]
    linjer = []
    for element in elementer:
        for p in element.iter(qn("w:p")):
            linjer.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return linjer


def sjekk(mal_mappe: Path, navn: str) -> list[str]:
    """Finn feil i en mal: syntaksfeil (med linje = avsnitt), udeklarerte og ubrukte felt."""
    try:
        mal = les_mal(mal_mappe, navn)
    except MalFeil as e:
        return [str(e)]
    linjer = avsnittslinjer(mal.fil)
    kilde = "\n".join(_DOCXTPL_TAGG.sub(r"\1 ", linje) for linje in linjer)
    try:
        tre = Environment().parse(kilde)
    except TemplateSyntaxError as e:
        avsnitt = linjer[e.lineno - 1] if 0 < e.lineno <= len(linjer) else ""
        return [f"{mal.fil.name}, linje {e.lineno} («{avsnitt[:80]}»): syntaksfeil: {e.message}"]
    brukt = meta.find_undeclared_variables(tre)
    brukt |= {f.alt_felt for f in mal.felt if f.alt_felt}  # brukt som tekstalternativ
    deklarert = {f.navn for f in mal.felt} | set(mal.systemfelt)
    feil = [
        f"{mal.fil.name}: feltet «{n}» brukes i malen, men er ikke deklarert i manifestet."
        for n in sorted(brukt - deklarert)
    ]
    feil += [
        f"{mal.fil.name}: feltet «{n}» er deklarert i manifestet, men brukes aldri i malen."
        for n in sorted(deklarert - brukt)
    ]
    feil += _kolonnefeil(mal, tre)
    ordnokler = {
        n.attr for n in tre.find_all(nodes.Getattr) if getattr(n.node, "name", "") == "ord"
    }
    for v in mal.varianter.values():
        for n in sorted(ordnokler - set(v.ord)):
            feil.append(f"{mal.fil.name}: varianten «{v.navn}» mangler ordet «{n}» i ordlisten.")
    return feil


def _kolonnefeil(mal: Mal, tre: nodes.Template) -> list[str]:
    """Kolonner som brukes i en løkke over et listefelt (`{%tr for r in liste %}` …
    `{{ r.kolonne }}`), men ikke er deklarert for feltet i manifestet."""
    kolonner = {f.navn: set(f.kolonner) for f in mal.felt if f.type == "liste"}
    feil = []
    for lokke in tre.find_all(nodes.For):
        liste = getattr(lokke.iter, "name", None)
        if liste not in kolonner or not isinstance(lokke.target, nodes.Name):
            continue
        rad = lokke.target.name
        brukt = {
            n.attr
            for del_ in lokke.body
            for n in del_.find_all(nodes.Getattr)
            if isinstance(n.node, nodes.Name) and n.node.name == rad
        }
        feil += [
            f"{mal.fil.name}: kolonnen «{k}» brukes i løkken over «{liste}», men er ikke "
            "deklarert for feltet i manifestet."
            for k in sorted(brukt - kolonner[liste])
        ]
    return feil
