"""Avvik: brudd på en signert avtale, meldt av den ene parten og besvart av den andre, med
avviksskjemaet i arkivet, svarfrister og påminnelser.

Eier tabellene avvik og avviksskjema. Importerer felles, infrastruktur, models, tjenester,
brukere, sok og avtaler; aldri evaluering, planer, web eller cli."""
