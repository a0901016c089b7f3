"""Å tukle med et arkivlager forbi grensesnittet (som en feil på disken eller i bøtta ville
gjort), for mappen og objektlageret likt."""

from __future__ import annotations

from arkiv.lager import Fillager


def skriv_forbi(lager, sha: str, data: bytes) -> None:
    """Legg `data` under nøkkelen `sha` uten sjekk: en skadet eller fremmed fil."""
    if isinstance(lager, Fillager):
        sti = lager.sti(sha)
        sti.parent.mkdir(parents=True, exist_ok=True)
        sti.write_bytes(data)
    else:
        lager.klient.put_object(Bucket=lager.boks, Key=lager.nokkel(sha), Body=data)


def fjern_forbi(lager, sha: str) -> None:
    """Fjern filen uten at noen får vite det: en fil som mangler."""
    if isinstance(lager, Fillager):
        lager.sti(sha).unlink()
    else:
        lager.klient.delete_object(Bucket=lager.boks, Key=lager.nokkel(sha))
