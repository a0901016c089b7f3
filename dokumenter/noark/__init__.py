"""Noark 5: arkivet, arkivdelene, klassene, saksmappene, journalpostene og dokumentene, lagt
oppå avtalene, avvikene, evalueringene og de individuelle planene som finnes (ikke et arkiv
ved siden av dem). Herfra kommer arkivuttrekket (`uttrekk`, kontrollert av `kontroll`) og
meldingene til kommunens sak/arkiv-system (Fiks Arkiv: `arkivmelding`, `utboks`, `transport`).

Domenene registrerer journalposter gjennom porten `Tjenester.journal` (se `tjenester.py`), i
samme transaksjon som hendelsen; implementasjonen står her (`registrering.Journalforing`) og
kobles til av skallene (`koble_til`). Eier tabellene arkiv, arkivdel, klasse, saksmappe,
journalpost, dokumentbeskrivelse, dokumentobjekt, skjermingsendring, metadataendring,
arkivmelding og uttrekksjobb. Importerer felles, infrastruktur, models, tjenester og domenene;
bare cli, web og sider importerer herfra. Skjemaene i `skjema/` er uendrede kopier (se
`skjema/NOTE.md`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dokumenter.tjenester import Tjenester


def koble_til(tj: Tjenester) -> Tjenester:
    """Koble arkivet (journalføringen) til tjenestene; skallene gjør det etter `apne()`."""
    from dokumenter.noark.registrering import Journalforing

    tj.journal = Journalforing(tj)
    return tj
