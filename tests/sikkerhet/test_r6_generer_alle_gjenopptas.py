"""R6: `dokumenter avtale generer-alle` kunne ikke gjenopptas: en ny kjøring etter et
avbrudd laget nye versjoner for partene som allerede var ferdige. Nå hoppes en part over som
«allerede oppdatert» når gjeldende versjon har nøyaktig de samme verdiene med samme mal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import zipfile

from sqlalchemy import func, select

from dokumenter.avtaler import batch
from dokumenter.cli.demo import AVTALEFELT, fiktivt_orgnr
from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.models import Avtale, AvtaleVersjon
from dokumenter.parter import skriving as parter
from tests.sikkerhet.krasjbarn import StubbKonverterer

NAVN = ["Bodø fengsel", "Mosjøen fengsel", "Ravneberget fengsel", "Trondheim fengsel"]

# Kjører generer-alle og dør brått (som ved SIGKILL) når den tredje partens avtale konverteres.
BARN = textwrap.dedent(
    """
    import io, os, sys, zipfile
    from pathlib import Path
    from dokumenter.avtaler import batch
    from dokumenter.cli.demo import AVTALEFELT
    from dokumenter.noark import koble_til
    from dokumenter.tjenester import apne
    from tests.stotte.oppsett import lag_innstillinger
    from tests.sikkerhet.krasjbarn import StubbKonverterer

    class Doende(StubbKonverterer):
        def til_pdfa(self, docx, timeout=60):
            with zipfile.ZipFile(io.BytesIO(docx)) as z:
                if "Ravneberget".encode() in z.read("word/document.xml"):
                    os._exit(9)
            return super().til_pdfa(docx, timeout)

    tj = koble_til(apne(lag_innstillinger(Path(sys.argv[1]))))
    tj.konverterer = Doende()
    batch.generer_alle(tj, "fengsel", int(sys.argv[2]), ekstra=AVTALEFELT)
    """
)


def _versjoner(tj) -> dict[str, int]:
    with tj.sesjoner() as s:
        return {
            a.part.navn: s.scalar(select(func.count()).where(AvtaleVersjon.avtale_id == a.id))
            for a in s.scalars(select(Avtale))
        }


def test_ny_kjoring_etter_avbrudd_lager_ingen_nye_versjoner_for_de_ferdige(tj, saksbehandler):
    tj.konverterer = StubbKonverterer()
    for nr, navn in enumerate(NAVN, start=1):
        parter.opprett_part(
            tj, {"navn": navn, "type": "fengsel", "orgnr": fiktivt_orgnr(nr), "adresse": "Gata 1"}
        )
    barn = subprocess.run(
        [sys.executable, "-c", BARN, str(tj.innstillinger.instans), str(saksbehandler.id)],
        cwd=REPO_ROT,
        env=dict(os.environ),
        timeout=120,
    )
    assert barn.returncode == 9
    assert _versjoner(tj) == {"Bodø fengsel": 1, "Mosjøen fengsel": 1}

    rapport = batch.generer_alle(tj, "fengsel", saksbehandler.id, ekstra=AVTALEFELT)
    assert sorted(rapport.ok) == ["Ravneberget fengsel", "Trondheim fengsel"]
    assert sorted(rapport.hoppet_over) == [
        ("Bodø fengsel", "allerede oppdatert"),
        ("Mosjøen fengsel", "allerede oppdatert"),
    ]
    assert rapport.feil == []
    assert _versjoner(tj) == dict.fromkeys(NAVN, 1)

    igjen = batch.generer_alle(tj, "fengsel", saksbehandler.id, ekstra=AVTALEFELT)
    assert igjen.ok == [] and len(igjen.hoppet_over) == 4
    assert _versjoner(tj) == dict.fromkeys(NAVN, 1)


def test_ny_malversjon_gir_ny_versjon(tj, saksbehandler, kopi_av_maler):
    tj.konverterer = StubbKonverterer()
    parter.opprett_part(
        tj, {"navn": NAVN[0], "type": "fengsel", "orgnr": fiktivt_orgnr(1), "adresse": "Gata 1"}
    )
    assert batch.generer_alle(tj, "fengsel", saksbehandler.id, ekstra=AVTALEFELT).ok == [NAVN[0]]
    # En endret malfil (samme felt): innholdshashen er en annen, så det lages en ny versjon.
    tj.innstillinger = tj.innstillinger.med(maler=kopi_av_maler)
    fil = kopi_av_maler / "samarbeidsavtale.docx"
    with zipfile.ZipFile(io.BytesIO(fil.read_bytes())) as inn, zipfile.ZipFile(fil, "w") as ut:
        for info in inn.infolist():  # samme innhold, nye tidsstempler: en annen SHA-256
            ut.writestr(zipfile.ZipInfo(info.filename, (2030, 1, 1, 0, 0, 0)), inn.read(info))
    rapport = batch.generer_alle(tj, "fengsel", saksbehandler.id, ekstra=AVTALEFELT)
    assert rapport.ok == [NAVN[0]], rapport
    assert _versjoner(tj) == {NAVN[0]: 2}
