"""Filer som er adressert med sin SHA-256 (dokumenter, signerte kopier, avviksskjemaer og
evalueringsrapporter, for ansatte og i portalen), får ETag = SHA-256 og kan ligge i
nettleserens buffer i et år; med If-None-Match svarer de 304 uten å lese filen eller logge en
ny nedlasting, men først etter at tilgangen er sjekket. Planenes filer bufres aldri."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from dokumenter.brukere import kontoer as brukere
from dokumenter.models import Avtale, Avviksskjema, Evaluering, Hendelse, Plandokument, SignertKopi
from dokumenter.parter import skriving as parter
from tests.stotte.web import logg_inn, portal_inn
from tests.stotte.ytelsesverden import PARTNER, PARTNERPASSORD, Verden, lag_verden, orgnr
from web.svar import UFORANDERLIG

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def verden(tj) -> Verden:
    return lag_verden(tj, 3)


def _adresser(tj, v: Verden) -> dict[str, tuple[str, str]]:
    """Nedlastingene: navn -> (adresse for ansatte, adresse i portalen eller "")."""
    with tj.sesjoner() as s:
        pdf = s.get(Avtale, v.fokus).gjeldende.dokument("pdf")
        kopi = s.scalar(select(SignertKopi.id).where(SignertKopi.avtale_id == v.fokus))
        skjema = s.scalar(select(Avviksskjema.id).where(Avviksskjema.avvik_id == v.avvik))
        rapport = s.scalar(select(Evaluering.id).where(Evaluering.avtale_id == v.fokus))
    return {
        "dokument": (f"/avtaler/dokument/{pdf.id}", f"/portal/dokument/{pdf.id}"),
        "signert kopi": (f"/avtaler/signert/{kopi}", f"/portal/signert/{kopi}"),
        "avviksskjema": (f"/avvik/skjema/{skjema}.pdf", f"/portal/avvik/skjema/{skjema}.pdf"),
        "evalueringsrapport": (f"/evaluering/{rapport}.pdf", ""),
    }


def _nedlastinger(tj) -> int:
    with tj.sesjoner() as s:
        return s.scalar(
            select(func.count()).select_from(Hendelse).where(Hendelse.type == "lastet_ned")
        )


def test_filene_far_etag_og_304_uten_ny_lesing_eller_logg(tj, app, verden):
    ansatt = app.test_client()
    logg_inn(ansatt, "kari")
    partner, _ = portal_inn(app, PARTNER, PARTNERPASSORD)
    for navn, adresser in _adresser(tj, verden).items():
        for klient, adresse in zip((ansatt, partner), adresser, strict=True):
            if not adresse:
                continue
            svar = klient.get(adresse)
            assert svar.status_code == 200, (navn, adresse)
            sha = hashlib.sha256(svar.data).hexdigest()
            assert svar.headers["ETag"] == f'"{sha}"', navn
            assert svar.headers["Cache-Control"] == UFORANDERLIG, navn
            for_304 = _nedlastinger(tj)
            igjen = klient.get(adresse, headers={"If-None-Match": f'"{sha}"'})
            assert igjen.status_code == 304, (navn, adresse)
            assert igjen.data == b""
            assert igjen.headers["ETag"] == f'"{sha}"'
            assert igjen.headers["Cache-Control"] == UFORANDERLIG
            assert _nedlastinger(tj) == for_304, f"{navn}: 304 skal ikke logges som nedlasting"
            # En annen ETag: filen sendes (og logges) som vanlig.
            annen = klient.get(adresse, headers={"If-None-Match": '"' + "0" * 64 + '"'})
            assert annen.status_code == 200 and annen.data == svar.data
            assert _nedlastinger(tj) == for_304 + 1


def test_tilgangen_sjekkes_for_304(tj, app, verden):
    """Den som kjenner SHA-256 av en fil, men ikke har tilgang, får 404, ikke 304."""
    annen_part = parter.opprett_part(
        tj, {"navn": "Annen part", "type": "fengsel", "orgnr": orgnr(999)}
    )
    brukere.opprett_partnerbruker(
        tj, annen_part.id, "Ola Annen", "ola@annen.example", "Annen-part-lykt-91"
    )
    fremmed, _ = portal_inn(app, "ola@annen.example", "Annen-part-lykt-91")
    ansatt = app.test_client()
    logg_inn(ansatt, "kari")
    for navn, (for_ansatte, i_portalen) in _adresser(tj, verden).items():
        sha = hashlib.sha256(ansatt.get(for_ansatte).data).hexdigest()
        hode = {"If-None-Match": f'"{sha}"'}
        if i_portalen:
            assert fremmed.get(i_portalen, headers=hode).status_code == 404, navn
        assert fremmed.get(for_ansatte, headers=hode).status_code == 403, navn


def test_planfiler_bufres_ikke(tj, app, verden):
    ansatt = app.test_client()
    logg_inn(ansatt, "kari")
    with tj.sesjoner() as s:
        dok = s.scalar(select(Plandokument.id).where(Plandokument.plan_id == verden.plan))
    svar = ansatt.get(f"/planer/{verden.plan}/dokument/{dok}")
    assert svar.status_code == 200
    assert svar.headers["Cache-Control"] == "no-store"
    assert "ETag" not in svar.headers
