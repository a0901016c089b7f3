"""Indeksens skjema: motorens egne felt (`MOTORFELT`) og kallerens (`Skjemadefinisjon`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import fields

from arkiv.sok.analyse import Leksikon, delord_analyse, folde_analyse, norsk_analyse

MOTORENS_SOKBARE = ("tittel", "tekst", "versjon", "art")


def _motorfelt(leksikon: Leksikon | None) -> dict[str, fields.FieldType]:
    return {
        "id": fields.ID(unique=True, stored=True),
        "art": fields.ID(stored=True),
        "objekt": fields.ID(stored=True),  # "avtale:12": alle versjoner av ett objekt
        "objekt_id": fields.NUMERIC(stored=True),
        "versjon": fields.NUMERIC(stored=True),
        "gjeldende": fields.BOOLEAN(stored=True),
        "tittel": fields.TEXT(analyzer=norsk_analyse(), stored=True, field_boost=2.0),
        "tekst": fields.TEXT(analyzer=norsk_analyse(), stored=True, chars=True),
        "tekst_delord": fields.TEXT(analyzer=delord_analyse(leksikon), phrase=False),
        # Ordene foldet (bodo, loslatelse): et nytt felt gjør en eldre indeks foreldet (se
        # `Skjemadefinisjon.avvik`), og den bygges på nytt, som ved enhver endring av feltene.
        "tekst_foldet": fields.TEXT(analyzer=folde_analyse(), phrase=False),
        "dato": fields.DATETIME(stored=True, sortable=True),
        "tilgang": fields.KEYWORD(stored=False, commas=True),
        # «id|hash» av alt som indekseres (se Indeksdokument.merke), som kolonne: skriveren
        # ser hva som er endret uten å lese de lagrede feltene med hele teksten.
        "merke": fields.ID(stored=False, sortable=True),
    }


MOTORFELT = frozenset(_motorfelt(None))
_FELTNAVN = re.compile(r"[A-Za-zæøåÆØÅ_]+")  # det `felt:verdi` i søketeksten kjenner igjen


@dataclass(frozen=True)
class Felt:
    """Et felt kalleren legger til i skjemaet: en eksakt verdi (Whoosh ID) eller et heltall.

    `lagret`: kommer tilbake i `Treff.felt`. `fasett`: antall per verdi i
    `Resultat.fasetter`, og kan brukes i `filtre`. `sokbar`: kan søkes med `felt:verdi`."""

    navn: str
    tall: bool = False
    lagret: bool = True
    fasett: bool = False
    sokbar: bool = True

    def whoosh(self) -> fields.FieldType:
        if self.tall:
            return fields.NUMERIC(stored=self.lagret, sortable=self.fasett)
        return fields.ID(stored=self.lagret, sortable=self.fasett)


class Skjemadefinisjon:
    """Kallerens felt i indeksen, i tillegg til motorens egne (`MOTORFELT`). Rekkefølgen er
    rekkefølgen fasettene kommer i."""

    def __init__(self, *felt: Felt) -> None:
        navn = [f.navn for f in felt]
        doble = sorted({n for n in navn if navn.count(n) > 1})
        if doble:
            raise ValueError(f"Felt definert mer enn én gang: {', '.join(doble)}")
        for f in felt:
            if f.navn in MOTORFELT:
                raise ValueError(f"Feltet {f.navn} hører til søkemotoren selv")
            if not _FELTNAVN.fullmatch(f.navn):
                raise ValueError(f"Ugyldig feltnavn: {f.navn!r}")
        self.felt = felt
        self.navn = frozenset(navn)
        self.lagrede = tuple(f.navn for f in felt if f.lagret)
        self.fasetter = tuple(f.navn for f in felt if f.fasett)
        self.sokbare = MOTORENS_SOKBARE + tuple(f.navn for f in felt if f.sokbar)
        self.tall = frozenset(f.navn for f in felt if f.tall)

    def __repr__(self) -> str:
        return f"Skjemadefinisjon{self.felt!r}"

    def avvik(self, skjema: fields.Schema) -> list[str]:
        """Feltene et eksisterende skjema mangler, eller har med en annen type eller uten
        kolonnen en fasett trenger (indeksen er bygd med en annen definisjon)."""
        return [
            navn
            for navn, ventet in lag_skjema(self).items()
            if navn not in skjema
            or type(skjema[navn]) is not type(ventet)
            or (ventet.column_type is not None and skjema[navn].column_type is None)
        ]


def lag_skjema(definisjon: Skjemadefinisjon, leksikon: Leksikon | None = None) -> fields.Schema:
    """Motorens felt (med `leksikon` for delordfeltet) og kallerens."""
    return fields.Schema(**_motorfelt(leksikon), **{f.navn: f.whoosh() for f in definisjon.felt})
