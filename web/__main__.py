"""`python -m web`: server appen på 127.0.0.1 (for `make run`) med én arbeidsprosess per
kjerne (DOKUMENTER_ARBEIDERE), hver med waitress og sin egen varme LibreOffice; se
`web/arbeidere.py`.

E-post går til SMTP-tjeneren i DOKUMENTER_SMTP_*. I demo (DOKUMENTER_DEMO=1, som `make run`
setter) går den i stedet til en lokal SMTP-sink som kjører én gang, i hovedprosessen;
arbeiderne sender til den, og den kan leses på /demo/epost (bare fra denne maskinen). Uten
noen av dem starter ikke appen: invitasjoner og engangskoder må nå fram.

Waitress avviser en forespørsel med større innhold enn den største lovlige opplastingen
(MAKS_FILOPPLASTING) med 413 før innholdet leses: Flask ville ellers fått hele kroppen lest
inn (og mellomlagret) før sin egen grense slo inn.
"""

import logging
import sys

from dokumenter.felles.feil import Oppsettsfeil
from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.infrastruktur import loggoppsett
from dokumenter.infrastruktur.smtpsink import SmtpSink
from dokumenter.sok import vedlikehold
from dokumenter.tjenester import Tjenester
from web import MAKS_FILOPPLASTING, arbeidere, create_app

inn = Innstillinger.fra_miljo()
loggoppsett.sett_opp(inn.loggnivaa)
if inn.smtp is None and not inn.demo:
    sys.exit(
        "Appen starter ikke: e-post er ikke satt opp. Sett DOKUMENTER_SMTP_VERT (og resten av "
        "DOKUMENTER_SMTP_*), eller DOKUMENTER_DEMO=1 for en lokal demo-postkasse."
    )
sink, config = None, {}
if inn.demo:
    mappe = inn.instans / "epost"
    sink = SmtpSink(port=0, mappe=mappe).start()
    config["DEMO_EPOSTMAPPE"] = mappe
    logging.getLogger("web").warning(
        "DEMO: e-post går til en lokal demo-postkasse: http://127.0.0.1:%s/demo/epost", inn.port
    )


def lag_app(tj: Tjenester):
    """Appen i én arbeider; i demo sender den e-post til hovedprosessens sink. Hver arbeider
    utfører søkeindeksens journal jevnlig (jobbene tas under indeksens lås, så to arbeidere
    gjør ikke det samme to ganger)."""
    vedlikehold.start_jevnlig(tj, inn.indeks_intervall)
    if sink is not None:
        tj.smtp = sink.oppsett()
    return create_app(tj, **config)


try:
    arbeidere.kjor(
        inn,
        lag_app,
        # Waitress avviser når innholdet er >= grensen; en fil på nøyaktig maks er lovlig.
        maks_innhold=MAKS_FILOPPLASTING + 1,
        ved_slutt=sink.stopp if sink is not None else lambda: None,
    )
except Oppsettsfeil as e:  # f.eks. et objektlager (DOKUMENTER_S3_*) som ikke svarer
    if sink is not None:
        sink.stopp()
    sys.exit(f"Appen starter ikke: {e}")
