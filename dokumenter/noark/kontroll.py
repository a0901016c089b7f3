"""Kontroll av et arkivuttrekk (`dokumenter arkiv kontroller-uttrekk DIR`, og siste trinn i
`arkiv uttrekk`): hver XML-fil mot skjemaet sitt, hver fil mot sjekksummen i
arkivuttrekk.xml, hver referanseDokumentfil mot sjekksummen og størrelsen i
arkivstruktur.xml, og antallene i arkivuttrekk.xml mot XML-en (og mot databasen, når den er
gitt). Skjemaene er prosjektets egne kopier; skjemaene i uttrekket må være like dem.

XML-en leses fortløpende (lxml `iterparse` med skjemaet), så hukommelsen er flat uansett
størrelse. Kontrollen trenger ingen database: en arkivar kan kontrollere en kopi hvor som helst.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from arkiv.kontroll import sha256_av_fil
from dokumenter.noark.xml import NOARK5, NS, skjema

MAKS_PROBLEMER = 50
LESERE = 4  # filer som leses og kontrolleres samtidig
XMLFILER = {
    "arkivstruktur": ("arkivstruktur.xsd", ("mappe", "registrering", "dokumentbeskrivelse",
                                            "dokumentobjekt")),
    "endringslogg": ("endringslogg.xsd", ("endring",)),
    "loependeJournal": ("loependeJournal.xsd", ("journalregistrering",)),
    "offentligJournal": ("offentligJournal.xsd", ("journalregistrering",)),
}  # fmt: skip
SKJEMAER = ("arkivstruktur.xsd", "metadatakatalog.xsd", "endringslogg.xsd",
            "loependeJournal.xsd", "offentligJournal.xsd", "addml.xsd")  # fmt: skip


@dataclass
class Kontrollrapport:
    problemer: list[str] = field(default_factory=list)
    antall: dict[str, int] = field(default_factory=dict)  # «arkivstruktur/mappe» -> antall
    filer: int = 0
    bytes_lest: int = 0
    sekunder: float = 0.0

    @property
    def ren(self) -> bool:
        return not self.problemer

    def problem(self, tekst: str) -> None:
        if len(self.problemer) < MAKS_PROBLEMER:
            self.problemer.append(tekst)


def _gjennom(
    sti: Path,
    xsd: Path,
    r: Kontrollrapport,
    merker: tuple[str, ...],
    behandle: Callable[[etree._Element, str], None],
    fjernes: tuple[str, ...] = (),
) -> bool:
    """Les filen fortløpende og valider hele mot skjemaet (i libxml2); `behandle` får bare
    elementene med navnene i `merker` (navnerom ignoreres). Et ferdig element i `fjernes`
    tømmes, og søsknene før det fjernes, så treet aldri vokser."""
    try:
        navnerom = _navnerom(sti)
        tagger = tuple(f"{{{navnerom}}}{m}" for m in merker)
        for _, el in etree.iterparse(
            str(sti), events=("end",), tag=tagger, schema=skjema(xsd), huge_tree=True
        ):
            navn = el.tag.rpartition("}")[2]
            behandle(el, navn)
            if navn in fjernes:
                el.clear(keep_tail=True)
                forelder = el.getparent()
                while forelder is not None and el.getprevious() is not None:
                    del forelder[0]
    except (etree.XMLSyntaxError, etree.DocumentInvalid) as e:
        r.problem(f"{sti.name} er ikke gyldig mot {xsd.name}: {e}")
        return False
    return True


def _navnerom(sti: Path) -> str:
    """Rotelementets navnerom, fra starten av filen."""
    for _, el in etree.iterparse(str(sti), events=("start",)):
        return etree.QName(el).namespace or ""
    return ""


def kontroller(
    mappe: Path,
    forventet: dict[str, int] | None = None,
    fremdrift: Callable[[int], None] | None = None,
) -> Kontrollrapport:
    """Kontroller uttrekket i `mappe`. `forventet` er antallene databasen har (mappe,
    registrering, dokumentbeskrivelse, dokumentobjekt)."""
    t0 = time.perf_counter()
    r = Kontrollrapport()
    if not mappe.is_dir():
        r.problem(f"{mappe} finnes ikke eller er ikke en mappe.")
        return r
    _skjemaene(mappe, r)
    addml = _les_addml(mappe / "arkivuttrekk.xml", r)
    dokumenter: dict[str, tuple[str, int]] = {}  # sti -> (sjekksum, størrelse)
    for navn, (xsd, telles) in XMLFILER.items():
        sti = mappe / f"{navn}.xml"
        if not sti.is_file():
            r.problem(f"{sti.name} mangler.")
            continue
        _xmlfil(sti, NOARK5 / xsd, navn, telles, r, dokumenter)
        sha, n = sha256_av_fil(sti)
        r.bytes_lest += n
        ventet = addml.filer.get(sti.name)
        if ventet is None:
            r.problem(f"{sti.name} står ikke i arkivuttrekk.xml.")
        elif ventet.lower() != sha:
            r.problem(f"{sti.name}: SHA-256 er {sha}, men arkivuttrekk.xml sier {ventet}.")
    r.antall["dokumenter/dokumentfil"] = len(dokumenter)
    _antallene(r, addml.antall, forventet)
    _dokumentfilene(mappe, dokumenter, addml.filer, r, fremdrift)
    r.sekunder = time.perf_counter() - t0
    return r


def _skjemaene(mappe: Path, r: Kontrollrapport) -> None:
    for navn in SKJEMAER:
        sti = mappe / navn
        if not sti.is_file():
            r.problem(f"Skjemaet {navn} mangler i uttrekket.")
        elif sha256_av_fil(sti)[0] != sha256_av_fil(NOARK5 / navn)[0]:
            r.problem(f"Skjemaet {navn} i uttrekket er ikke Arkivverkets (det er endret).")


@dataclass
class _Addml:
    filer: dict[str, str] = field(default_factory=dict)  # filnavn -> sjekksum
    antall: dict[str, int] = field(default_factory=dict)  # «arkivstruktur/mappe» -> antall


def _egenskaper(el: etree._Element) -> dict[str, etree._Element]:
    indre = el.find(f"{{{NS['addml']}}}properties")
    if indre is None:
        return {}
    return {p.get("name"): p for p in indre}


def _verdi(el: etree._Element | None) -> str:
    if el is None:
        return ""
    v = el.find(f"{{{NS['addml']}}}value")
    return (v.text or "").strip() if v is not None else ""


def _les_addml(sti: Path, r: Kontrollrapport) -> _Addml:
    a = _Addml()
    if not sti.is_file():
        r.problem("arkivuttrekk.xml mangler.")
        return a
    P = f"{{{NS['addml']}}}"

    def behandle(el: etree._Element, _navn: str) -> None:
        """Et ferdig dataObject: filene (med skjemaene) og antallene i egenskapene sine."""
        for fil in el.iterfind(f"{P}properties//{P}property[@name='file']"):
            e = _egenskaper(fil)
            sjekksum = _egenskaper(e["checksum"]) if "checksum" in e else {}
            a.filer[_verdi(e.get("name"))] = _verdi(sjekksum.get("value"))
        for antall in el.iterfind(f"{P}properties//{P}property[@name='numberOfOccurrences']"):
            try:
                verdi = int(_verdi(_egenskaper(antall).get("value")))
            except ValueError:
                verdi = -1
            a.antall[f"{el.get('name')}/{_verdi(antall)}"] = verdi
        egenskaper = el.find(f"{P}properties")
        if egenskaper is not None:  # lest: fjernes, så treet ikke vokser med filene
            el.remove(egenskaper)

    _gjennom(sti, NOARK5 / "addml.xsd", r, ("dataObject",), behandle, fjernes=())
    return a


def _xmlfil(
    sti: Path,
    xsd: Path,
    navn: str,
    telles: tuple[str, ...],
    r: Kontrollrapport,
    dokumenter: dict[str, tuple[str, int]],
) -> None:
    antall = dict.fromkeys(telles, 0)
    oppgitt: list[int] = []

    def behandle(el: etree._Element, lokal: str) -> None:
        if lokal in antall:
            antall[lokal] += 1
        if lokal == "dokumentobjekt":
            ns = el.tag[1:].partition("}")[0]
            ref = el.findtext(f"{{{ns}}}referanseDokumentfil") or ""
            sjekksum = (el.findtext(f"{{{ns}}}sjekksum") or "").lower()
            storrelse = int(el.findtext(f"{{{ns}}}filstoerrelse") or -1)
            kjent = dokumenter.setdefault(ref, (sjekksum, storrelse))
            if kjent != (sjekksum, storrelse):
                r.problem(f"{ref} har to ulike sjekksummer eller størrelser i {sti.name}.")
        elif lokal == "antallJournalposter":
            oppgitt.append(int(el.text or -1))

    merker = (*telles, "antallJournalposter")
    fjernes = ("registrering", "mappe", "journalregistrering", "endring")
    if _gjennom(sti, xsd, r, merker, behandle, fjernes):
        for n, v in antall.items():
            r.antall[f"{navn}/{n}"] = v
        if oppgitt and oppgitt[0] != antall.get("journalregistrering"):
            r.problem(
                f"{sti.name}: journalhodet sier {oppgitt[0]} journalposter, men filen har "
                f"{antall.get('journalregistrering')}."
            )


def _antallene(r: Kontrollrapport, addml: dict[str, int], forventet: dict[str, int] | None) -> None:
    for nokkel, i_xml in sorted(r.antall.items()):
        oppgitt = addml.get(nokkel)
        if oppgitt is None:
            r.problem(f"arkivuttrekk.xml oppgir ikke antallet for {nokkel}.")
        elif oppgitt != i_xml:
            r.problem(f"arkivuttrekk.xml sier {oppgitt} for {nokkel}, men XML-en har {i_xml}.")
    for navn, antall in (forventet or {}).items():
        i_xml = r.antall.get(f"arkivstruktur/{navn}")
        if i_xml is not None and i_xml != antall:
            r.problem(f"Databasen har {antall} {navn} i utvalget, men arkivstruktur.xml {i_xml}.")


def _en_fil(
    r: Kontrollrapport,
    ref: str,
    sjekksum: str,
    storrelse: int,
    svar: tuple[str, int] | None,
    addml: dict[str, str],
) -> None:
    if svar is None:
        r.problem(f"{ref} mangler (referanseDokumentfil i arkivstruktur.xml).")
        return
    sha, n = svar
    r.filer += 1
    r.bytes_lest += n
    if sha != sjekksum:
        r.problem(f"{ref}: SHA-256 er {sha}, men sjekksummen er {sjekksum}.")
    elif n != storrelse:
        r.problem(f"{ref}: {n} byte, men filstoerrelse er {storrelse}.")
    if addml.get(ref, "").lower() != sjekksum:
        r.problem(f"{ref} står ikke med samme sjekksum i arkivuttrekk.xml.")


def _dokumentfilene(
    mappe: Path,
    dokumenter: dict[str, tuple[str, int]],
    addml: dict[str, str],
    r: Kontrollrapport,
    fremdrift: Callable[[int], None] | None,
) -> None:
    rot = mappe.resolve()

    def les(ref: str) -> tuple[str, int] | None:
        sti = (mappe / ref).resolve()
        if not sti.is_relative_to(rot) or not sti.is_file():
            return None
        return sha256_av_fil(sti)

    rekke = sorted(dokumenter.items())
    # Flere filer leses samtidig (hashlib slipper GIL-en); svarene kommer i fast rekkefølge.
    with ThreadPoolExecutor(max_workers=LESERE) as pool:
        lest = pool.map(les, [ref for ref, _ in rekke])
        for (ref, (sjekksum, storrelse)), svar in zip(rekke, lest, strict=True):
            _en_fil(r, ref, sjekksum, storrelse, svar, addml)
            if fremdrift:
                fremdrift(1)
    i_mappen = {
        p.relative_to(mappe).as_posix() for p in (mappe / "dokumenter").rglob("*") if p.is_file()
    }
    for fremmed in sorted(i_mappen - set(dokumenter))[:10]:
        r.problem(f"{fremmed} ligger i uttrekket, men ingen referanseDokumentfil viser dit.")
