"""Funn 12: «Bodø fengsel» med et usynlig tegn bak seg slapp gjennom duplikatsjekken, og
retningsstyring (U+202E) nådde filnavnene ved nedlasting."""

from __future__ import annotations

import pytest

from dokumenter.cli.demo import fiktivt_orgnr
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.parter.skriving import opprett_part
from web.svar import trygt_filnavn


@pytest.mark.parametrize("usynlig", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066"])
def test_usynlige_tegn_gir_ikke_en_ny_part(tj, usynlig):
    opprett_part(tj, {"navn": "Bodø fengsel", "type": "fengsel", "orgnr": fiktivt_orgnr(1)})
    with pytest.raises(Valideringsfeil, match="allerede en part med dette navnet"):
        opprett_part(
            tj,
            {
                "navn": f"Bodø{usynlig} fengsel{usynlig}",
                "type": "fengsel",
                "orgnr": fiktivt_orgnr(2),
            },
        )


def test_filnavn_uten_retningsstyring_og_skrastreker():
    assert trygt_filnavn("Avtale \u202efdp.exe") == "Avtale fdp.exe"
    assert trygt_filnavn("../../etc/passwd") == "..-..-etc-passwd"
    assert trygt_filnavn("\x00\x07") == "dokument"
