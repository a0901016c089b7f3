"""`python -m web`: server appen på 127.0.0.1 med waitress (for `make run`).

E-post går til SMTP-tjeneren i DOKUMENTER_SMTP_*. I demo (DOKUMENTER_DEMO=1, som `make run`
setter) går den i stedet til en lokal SMTP-sink i samme prosess og kan leses på /demo/epost
(bare fra denne maskinen). Uten noen av dem starter ikke appen: invitasjoner og engangskoder
må nå fram.

Waitress avviser en forespørsel med større innhold enn den største lovlige opplastingen
(MAKS_FILOPPLASTING) med 413 før innholdet leses: Flask ville ellers fått hele kroppen lest
inn (og mellomlagret) før sin egen grense slo inn.
"""

import logging
import sys

from waitress import serve

from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.infrastruktur import loggoppsett, prosesser
from dokumenter.infrastruktur.smtpsink import SmtpSink
from dokumenter.sok import vedlikehold
from dokumenter.tjenester import apne
from web import MAKS_FILOPPLASTING, create_app

prosesser.avslutt_ved_signal()  # SIGTERM rydder som Ctrl+C: LibreOffice stoppes i `finally`
inn = Innstillinger.fra_miljo()
loggoppsett.sett_opp(inn.loggnivaa)
if inn.smtp is None and not inn.demo:
    sys.exit(
        "Appen starter ikke: e-post er ikke satt opp. Sett DOKUMENTER_SMTP_VERT (og resten av "
        "DOKUMENTER_SMTP_*), eller DOKUMENTER_DEMO=1 for en lokal demo-postkasse."
    )
tj = apne(inn)
sink, config = None, {}
if inn.demo:
    mappe = inn.instans / "epost"
    sink = SmtpSink(port=0, mappe=mappe).start()
    tj.smtp = sink.oppsett()
    config["DEMO_EPOSTMAPPE"] = mappe
    logging.getLogger("web").warning(
        "DEMO: e-post går til en lokal demo-postkasse: http://127.0.0.1:%s/demo/epost", inn.port
    )
app = create_app(tj, **config)
vedlikehold.start_jevnlig(tj, inn.indeks_intervall)  # søkeindeksens journal og helse
try:
    serve(
        app,
        host="127.0.0.1",
        port=inn.port,
        threads=8,
        # Waitress avviser når innholdet er >= grensen; en fil på nøyaktig maks er lovlig.
        max_request_body_size=MAKS_FILOPPLASTING + 1,
    )
finally:
    if sink is not None:
        sink.stopp()
    tj.lukk()
