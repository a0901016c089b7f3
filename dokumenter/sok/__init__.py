"""Søket for domenet: hva hver art gir søket (`arter`: avtaler, avvik og evalueringer i
indeksen, planene dekryptert for hvert søk), journalen over endringer (`journal`), hvordan
indeksen holdes lik databasen og bygges på nytt (`indeksering`), indeksens helse
(`vedlikehold`), teksten i hver avtaleversjon (`tekster`) og domenets felt (`skjema`: hvilke
som lagres, er fasetter og kan søkes med felt:verdi).

Den generelle søkemotoren ligger i `arkiv.sok`; søket med brukerens tilgangsgrupper er
lesemodellen `sider.sok`. Importerer felles, infrastruktur, models, tjenester og parter; aldri
web eller cli. `skjema` importerer bare arkiv, så `tjenester` kan bygge indeksen med
domenets felt.
"""
