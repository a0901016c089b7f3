"""Søk i arkivet: hva hver art (avtale, avvik, evaluering, plan) indekserer, oppdatering
etter hver endring, gjenoppbygging og søk med brukerens tilgangsgrupper.

Den generelle søkemotoren ligger i `arkiv.sok`; her er domenets felt (`skjema`: hvilke som
lagres, er fasetter og kan søkes med felt:verdi). Importerer felles, infrastruktur, models,
tjenester, parter.typer og planer.tilgang; aldri web eller cli. `skjema` importerer bare
arkiv, så `tjenester` kan bygge indeksen med domenets felt."""
