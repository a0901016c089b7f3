"""`python -m web`: server appen på 127.0.0.1 med waitress (for `make run`).

Uten DOKUMENTER_SMTP_VERT går e-posten til en lokal SMTP-sink i samme prosess, og kan leses
på /demo/epost (invitasjoner, engangskoder og varsler), så portalen kan prøves uten e-post.
"""

import os

from waitress import serve

from dokumenter.felles.innstillinger import Innstillinger
from dokumenter.infrastruktur.smtpsink import SmtpSink
from dokumenter.tjenester import apne
from web import create_app

PORT = int(os.environ.get("PORT", "5000"))

tj = apne(Innstillinger.fra_miljo())
sink = None
if not (os.environ.get("DOKUMENTER_SMTP_VERT") or "").strip():
    mappe = tj.innstillinger.instans / "epost"
    sink = SmtpSink(port=0, mappe=mappe).start()
    tj.smtp = sink.oppsett()
    os.environ["DOKUMENTER_DEMO_EPOSTMAPPE"] = str(mappe)
    print(
        f"E-post går til en lokal demo-postkasse: http://127.0.0.1:{PORT}/demo/epost",
        flush=True,
    )
try:
    serve(create_app(tj), host="127.0.0.1", port=PORT, threads=8)
finally:
    if sink is not None:
        sink.stopp()
    tj.lukk()
