"""Overgangssidene over ekte HTTP (Flask test_client): starte overgangen, datoer som gir
fristene, overgangsskjemaet (LibreOffice) med nedlasting, skannet signert kopi, og en leser
som ser siden uten skjemaer å endre med."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from dokumenter.models import Journalpost
from tests.stotte.planverden import PERSON, klient_for, lag_planverden
from web import create_app

pytestmark = pytest.mark.libreoffice


def test_overgang_med_skjema_og_skannet_kopi(tj):
    v = lag_planverden(tj)
    app = create_app(tj, TESTING=True, WTF_CSRF_ENABLED=False)
    k = klient_for(app, "koordinator")
    side = f"/planer/{v.plan_id}/overgang"
    assert "Start overgangen" in k.get(side).get_data(as_text=True)
    assert k.post(side + "/start").status_code == 302
    tilbud = date.today() - timedelta(days=5)
    k.post(side + "/datoer", data={"tilbud_dato": tilbud.isoformat(), "bolig": "Storgata 1"})
    html = k.get(side).get_data(as_text=True)
    assert "Storgata 1" in html and "Forfalt" in html  # møbler: tre dager etter tilbudet
    assert "De fire ukene" in html

    skjema = k.get(side + "/skjema").get_data(as_text=True)
    assert 'id="husleie"' in skjema and 'id="person_navn"' not in skjema
    svar = k.post(side + "/skjema", data={"husleie": "", "ma_vite": "x"})
    assert svar.status_code == 200 and "«Husleie» må fylles ut." in svar.get_data(as_text=True)
    data = {
        "husleie": "8 000 kr den 1. hver måned, fast trekk.",
        "husordensregler": "Ro etter kl. 23.",
        "strom": "Avtale i personens navn.",
        "ma_vite": "Ring booppfølgeren ved problemer.",
        "avtaler": "05.01.2027 | Møte hos NAV | Nils",
        "inventar": "Seng | 1 | God",
        "tilstand": "Nymalt, ingen skader.",
    }
    assert k.post(side + "/skjema", data=data).status_code == 302
    html = k.get(side).get_data(as_text=True)
    assert "Versjon 1" in html
    filer = [
        k.get(f"/planer/{v.plan_id}/dokument/{i}") for i in re.findall(r"/dokument/(\d+)", html)
    ]
    pdf = next(f for f in filer if f.data.startswith(b"%PDF"))
    assert "Overgangsskjema IP-" in pdf.headers["Content-Disposition"]
    tekst = "".join(s.extract_text() for s in PdfReader(io.BytesIO(pdf.data)).pages)
    assert PERSON in tekst and "Storgata 1" in tekst and "Seng" in tekst
    assert "Sted og dato" in tekst  # signaturlinjene for personen og institusjonen
    # Planens egen dokumentliste viser ikke skjemaet.
    assert (
        "Overgangsskjema"
        not in k.get(f"/planer/{v.plan_id}")
        .get_data(as_text=True)
        .split("Dokumenter")[-1]
        .split("</section>")[0]
    )

    k.post(
        side + "/skjema/skannet",
        data={"fil": (io.BytesIO(pdf.data), "skannet.pdf")},
        content_type="multipart/form-data",
    )
    assert "Signert (skannet) PDF" in k.get(side).get_data(as_text=True)
    with tj.sesjoner() as s:  # journalført som inngående i planens sak
        poster = s.execute(select(Journalpost.tittel, Journalpost.journalposttype)).all()
    assert any(
        t.startswith("Overgangsskjema for individuell plan") and typ == "I" for t, typ in poster
    )

    # Revisoren har lesetilgang: ser siden, men ingen knapper; endringer gir 403.
    leser = klient_for(app, "tilgang")
    html = leser.get(side).get_data(as_text=True)
    assert "Storgata 1" in html and "Registrer møtet" not in html and "disabled" in html
    assert leser.post(side + "/moter", data={}).status_code == 403
