"""Søk i arkivet: hva hver art (avtale, avvik, evaluering, plan) indekserer, oppdatering
etter hver endring, gjenoppbygging og søk med brukerens tilgangsgrupper.

Den generelle søkemotoren ligger i `arkiv.sok`; her er domenets felt. Importerer felles,
infrastruktur, models, tjenester og planer.tilgang; aldri web eller cli."""
