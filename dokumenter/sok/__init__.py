"""Søkeindeksen for domenet: hva hver art (avtale, avvik, evaluering, plan) indekserer,
oppdatering etter hver endring og gjenoppbygging (`indeksering`), og domenets felt
(`skjema`: hvilke som lagres, er fasetter og kan søkes med felt:verdi).

Den generelle søkemotoren ligger i `arkiv.sok`; søket med brukerens tilgangsgrupper er
lesemodellen `sider.sok`. Importerer felles, infrastruktur, models, tjenester og parter; aldri
web eller cli. `skjema` importerer bare arkiv, så `tjenester` kan bygge indeksen med
domenets felt.
"""
