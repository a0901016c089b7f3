"""Fyll en DOCX-mal (docxtpl) med avtaleparten og feltverdiene; brukertekst escapes."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import Environment, TemplateError

from dokumenter.felles import formatering
from dokumenter.infrastruktur.maler import STANDARD_BILDEBREDDE_MM, Mal, MalFeil, Variant


@dataclass(frozen=True)
class PartData:
    """Det malen får vite om avtaleparten."""

    navn: str
    type: str
    type_navn: str
    orgnr: str
    adresse: str
    kontaktpersoner: tuple[SimpleNamespace, ...] = ()


@dataclass(frozen=True)
class Bilde:
    """Et bildefelt i konteksten; `render_docx` gjør det om til et docxtpl-`InlineImage`
    (som trenger selve malen og derfor ikke kan lages her)."""

    png: bytes
    bredde_mm: float
    alt: str = ""


def kontekst(
    mal: Mal, part: PartData, verdier: dict[str, Any], variant: Variant, dagens_dato: date
) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "part": SimpleNamespace(
            navn=part.navn,
            type_navn=part.type_navn,
            orgnr=formatering.orgnr(part.orgnr),
            adresse=part.adresse,
            kontaktpersoner=list(part.kontaktpersoner),
        ),
        "variant": variant.navn,
        "ord": variant.ord,
        "dato_generert": formatering.dato_lang(dagens_dato),
    }
    for f in mal.felt:
        verdi = verdier.get(f.navn)
        if f.type == "liste":
            # SimpleNamespace, så kolonnenavn som «items» ikke treffer dict-metoder i malen.
            ctx[f.navn] = [SimpleNamespace(**rad) for rad in verdi or []]
        elif f.type == "bilde" and verdi:
            alt = str(verdier.get(f.alt_felt) or "") if f.alt_felt else ""
            ctx[f.navn] = Bilde(bytes(verdi), f.bredde_mm or STANDARD_BILDEBREDDE_MM, alt)
        elif verdi is None or verdi == "":
            ctx[f.navn] = ""
        elif f.type == "dato":
            ctx[f.navn] = formatering.dato_lang(date.fromisoformat(verdi))
        elif f.type == "heltall":
            ctx[f.navn] = formatering.tall(verdi)
        elif f.type == "langtekst":
            ctx[f.navn] = Listing(verdi)
        else:
            ctx[f.navn] = str(verdi)
    return ctx


class _Jinjamiljo(Environment):
    """Jinja-miljø som husker kompilerte maler (docxtpl kompilerer ellers XML-en hver gang)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._kompilert: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        mal = self._kompilert.get(source)
        if mal is None:
            if len(self._kompilert) >= 64:
                self._kompilert.clear()
            mal = self._kompilert[source] = super().from_string(source)
        return mal


class _DocxMal(DocxTemplate):
    """docxtpl med hurtigbuffer for XML-forbehandlingen (ren funksjon av XML-teksten)."""

    def patch_xml(self, src_xml: str) -> str:
        return _forbehandlet(src_xml)


@functools.lru_cache(maxsize=64)
def _forbehandlet(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)  # type: ignore[arg-type]


_MILJO = _Jinjamiljo(autoescape=True)


class _Bildeinnsetting(InlineImage):
    """docxtpl-bilde med tekstalternativ (`descr` på wp:docPr, som Word og LibreOffice leser)."""

    def __init__(self, tpl: DocxTemplate, bilde: Bilde) -> None:
        super().__init__(tpl, io.BytesIO(bilde.png), width=Mm(bilde.bredde_mm))
        self.alt = bilde.alt

    def _insert_image(self) -> str:
        self.image_descriptor.seek(0)
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height
        )
        if self.alt:
            inline.docPr.set("descr", self.alt)
        return (
            f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
            '<w:t xml:space="preserve">'
        )


def render_docx(
    mal: Mal, ctx: dict[str, Any], malfil: bytes | None = None, tittel: str | None = None
) -> bytes:
    """Fyll malen; `malfil` er malens bytes når de allerede er lest (samme som arkiveres).
    `tittel` blir dokumentets tittel (core.xml), som LibreOffice fører videre til PDF/A-ens
    Title og XMP (dc:title); uten den står malens egen tittel der."""
    tpl = _DocxMal(io.BytesIO(malfil) if malfil is not None else str(mal.fil))
    ctx = {n: _Bildeinnsetting(tpl, v) if isinstance(v, Bilde) else v for n, v in ctx.items()}
    try:
        tpl.render(ctx, jinja_env=_MILJO, autoescape=True)
    except TemplateError as e:
        linje = f", linje {e.lineno}" if getattr(e, "lineno", None) else ""
        raise MalFeil(f"Malen {mal.fil.name} kunne ikke fylles ut{linje}: {e}") from e
    if tittel is not None:
        tpl.docx.core_properties.title = " ".join(tittel.split())[:255]
    ut = io.BytesIO()
    tpl.save(ut)
    return ut.getvalue()
