"""Evalueringsrapporten: verdiene malen fylles med, med tabeller og diagrammer."""

from __future__ import annotations

from typing import Any

from dokumenter.avvik import regler as avvik
from dokumenter.felles import formatering, smatall
from dokumenter.infrastruktur import diagram
from dokumenter.overgang.statistikk import Paragraf10

MAL = "evalueringsrapport"


def _rapportverdier(
    rene: dict[str, Any], grunnlag: dict[str, Any], kommune: str, part: str, versjon: int
) -> dict[str, Any]:
    b = rene["beslutning"]
    if b == "viderefores":
        tekst = (
            f"Avtalen videreføres. Neste evaluering: "
            f"{formatering.dato_lang(rene['neste_evaluering'])}."
        )
    elif b == "revideres":
        tekst = "Avtalen revideres. Et nytt utkast lages fra gjeldende avtale og signeres på nytt."
    else:
        tekst = (
            f"Avtalen sies opp fra {formatering.dato_lang(rene['avsluttet_dato'])}. "
            f"Begrunnelse: {rene['begrunnelse']}"
        )
    return {
        "kommune_navn": kommune,
        "part_navn": part,
        "avtale_versjon": versjon,
        "evalueringsdato": rene["dato"].isoformat(),
        "periode_fra": grunnlag["periode_fra"].isoformat(),
        "periode_til": grunnlag["periode_til"].isoformat(),
        "deltakere_kommune": rene["deltakere_kommune"],
        "deltakere_part": rene["deltakere_part"],
        "fungert": rene["fungert"],
        "ikke_fungert": rene["ikke_fungert"],
        "beslutning_tekst": tekst,
        "antall_avvik": grunnlag["antall_avvik"],
        "avvik": [
            {
                "nummer": n,
                "dato": d.strftime("%d.%m.%Y"),
                "paragraf": p,
                "kategori": avvik.KATEGORIER.get(k, k),
                "status": avvik.STATUSER.get(st, st),
            }
            for n, d, p, k, st in grunnlag["avvik"]
        ],
        "per_paragraf": [
            {"navn": k, "antall": str(v)} for k, v in grunnlag["per_paragraf"].items()
        ],
        "per_kategori": [
            {"navn": k, "antall": str(v)} for k, v in grunnlag["per_kategori"].items()
        ],
        "diagram_kvartal": diagram.avvik_per_kvartal(grunnlag["per_kvartal"]),
        "diagram_kvartal_tekst": diagram.alt_tekst(grunnlag["per_kvartal"], "Avvik per kvartal"),
        "diagram_paragraf": diagram.avvik_per_paragraf(grunnlag["per_paragraf"]),
        "diagram_paragraf_tekst": diagram.alt_tekst(grunnlag["per_paragraf"], "Avvik per paragraf"),
        **_paragraf10(grunnlag["paragraf10"]),
    }


def _paragraf10(p10: Paragraf10) -> dict[str, Any]:
    """§ 10-tallene i rapporten: tabellen med definisjonene og diagrammet, skjermet. Uten
    planer knyttet til avtalen blir delen én setning."""
    if p10.tall("omfattet").tekst == "0":
        return {"paragraf10": [], "smatall_regel": "", "diagram_paragraf10": None}
    rader = [(etikett, t.verdi, t.tekst) for etikett, t in p10.diagram()]
    tittel = "Bolig fra dag én og etter 6 og 12 måneder"
    return {
        "paragraf10": [
            {"navn": r.etikett, "antall": r.tall.tekst, "definisjon": r.definisjon}
            for r in p10.rader
        ],
        "smatall_regel": smatall.REGEL,
        "diagram_paragraf10": diagram.personer(rader, tittel),
        "diagram_paragraf10_tekst": diagram.alt_tekst_personer(rader, tittel),
    }
