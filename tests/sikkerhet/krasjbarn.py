"""Hjelp for krasjtestene i denne pakken: et barn som lagrer versjoner av én avtale i løkke
til det blir drept, med en stubb i stedet for LibreOffice (konvertereren er ikke det som
testes her, og en ekte en ville tatt sekunder å starte for hvert barn)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap

from pypdf import PdfWriter

from dokumenter.felles.innstillinger import REPO_ROT


class StubbKonverterer:
    """Gir en ekte, liten PDF (én tom side) som er unik for hvert dokument; ingen prosess å
    rydde. Ekte, fordi avtalens PDF får avviksskjemaet lagt bak seg (`legg_ved`)."""

    def til_pdfa(self, docx: bytes, timeout: float = 60) -> bytes:
        skriver = PdfWriter()
        skriver.add_blank_page(72, 72)
        skriver.add_metadata({"/Subject": hashlib.sha256(docx).hexdigest()})
        ut = io.BytesIO()
        skriver.write(ut)
        return ut.getvalue()

    def lukk(self) -> None:
        pass


BARN = textwrap.dedent(
    """
    import json
    import os
    import sys
    from pathlib import Path
    from dokumenter.felles.innstillinger import S3Oppsett
    from dokumenter.avtaler import produksjon, skriving
    from dokumenter.cli.demo import AVTALEFELT
    from dokumenter.tjenester import apne
    from tests.stotte.oppsett import lag_innstillinger
    from tests.sikkerhet.krasjbarn import StubbKonverterer

    inn = lag_innstillinger(Path(sys.argv[1]))
    if os.environ.get("TEST_S3_OPPSETT"):  # arkivet i objektlageret (start_barn)
        inn = inn.med(s3=S3Oppsett(**json.loads(os.environ["TEST_S3_OPPSETT"])))
    tj = apne(inn)
    tj.konverterer = StubbKonverterer()
    avtale_id, bruker_id = int(sys.argv[2]), int(sys.argv[3])
    verdier = {**tj.mal(produksjon.MAL).standardverdier(), **AVTALEFELT}
    print("KLAR", flush=True)
    n = 0
    while True:
        n += 1
        skriving.lagre_versjon(tj, avtale_id, {**verdier, "varslingsfrist_dager": n}, bruker_id)
    """
)


def start_barn(instans, avtale_id: int, bruker_id: int, env: dict | None = None, s3=None):
    """Barnet over instansmappen `instans`; med `s3` (S3Oppsett) er arkivet i objektlageret."""
    miljo = {**os.environ, **(env or {})}
    if s3 is not None:
        miljo["TEST_S3_OPPSETT"] = json.dumps(dataclasses.asdict(s3))
    barn = subprocess.Popen(
        [sys.executable, "-c", BARN, str(instans), str(avtale_id), str(bruker_id)],
        cwd=REPO_ROT,
        env=miljo,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert barn.stdout.readline().strip() == "KLAR"
    return barn
