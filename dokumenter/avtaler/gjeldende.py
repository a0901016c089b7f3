"""Avtaleversjonen som gjelder mellom partene, og det avvik og skjemaer henter fra den:
paragrafene (§§) slik de står i versjonens DOCX, datoen avtalen gjelder fra, og kommunens
enhet. Den som gjelder, er den siste versjonen med en signert kopi; før noe er signert,
gjeldende versjon."""

from __future__ import annotations

import functools
import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles.tid import som_utc
from dokumenter.infrastruktur.sammenligning import avsnitt_fra_docx
from dokumenter.models import Avtale, AvtaleVersjon, SignertKopi
from dokumenter.tjenester import Tjenester

_PARAGRAF = re.compile(r"^§\s*(\d+[a-z]?)\b")


def versjon(s: Session, avtale: Avtale) -> AvtaleVersjon | None:
    """Versjonen som gjelder: den siste som er signert, ellers gjeldende versjon."""
    signert = s.scalar(
        select(SignertKopi.versjon_nummer)
        .where(SignertKopi.avtale_id == avtale.id)
        .order_by(SignertKopi.id.desc())
        .limit(1)
    )
    nummer = signert or avtale.gjeldende_versjon
    return next((v for v in avtale.versjoner if v.nummer == nummer), avtale.siste_versjon)


def gjelder_fra(v: AvtaleVersjon | None) -> date:
    """Datoen avtalen gjelder fra (feltet «gyldig_fra»), ellers datoen versjonen ble laget."""
    if v is None:
        return date.today()
    try:
        return date.fromisoformat(str(v.feltverdier.get("gyldig_fra") or ""))
    except ValueError:
        return som_utc(v.opprettet).date()


def kommunens_enhet(v: AvtaleVersjon | None) -> str:
    """«Rana kommune ved Rustjenesten» (kommunen og enheten som følger opp avtalen)."""
    verdier = v.feltverdier if v else {}
    kommune = verdier.get("kommune_navn") or "Kommunen"
    enhet = verdier.get("kommune_enhet") or ""
    return f"{kommune} ved {enhet}" if enhet else kommune


@functools.lru_cache(maxsize=64)
def _paragrafer_i(docx: bytes) -> tuple[str, ...]:
    return tuple(
        " ".join(tekst.split())
        for stil, tekst in avsnitt_fra_docx(docx)
        if stil.casefold().startswith(("heading 1", "overskrift 1")) and _PARAGRAF.match(tekst)
    )


def paragrafer(tj: Tjenester, avtale_id: int) -> list[str]:
    """Paragrafene i versjonen som gjelder, slik de står i DOCX-en («§ 6 Varsling før
    løslatelse»), i rekkefølge."""
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        v = versjon(s, avtale) if avtale else None
        docx = v.dokument("docx") if v else None
        sha = docx.sha256 if docx else None
    return list(_paragrafer_i(tj.lager.les(sha))) if sha else []


def finn_paragraf(paragrafer_: list[str], valgt: str) -> str | None:
    """Paragrafen som er valgt: hele overskriften (uten hensyn til mellomrom og store
    bokstaver) eller bare nummeret («§ 6», «6»). None når den ikke finnes i avtalen."""
    tekst = " ".join(str(valgt or "").split()).casefold()
    if not tekst:
        return None
    for p in paragrafer_:
        if p.casefold() == tekst:
            return p
    nummer = tekst.removeprefix("§").strip()
    for p in paragrafer_:
        m = _PARAGRAF.match(p)
        if m and m.group(1).casefold() == nummer:
            return p
    return None
