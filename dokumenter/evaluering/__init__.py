"""Den årlige evalueringen av en inngått avtale: skjemaet med avvikene i perioden,
beslutningen, rapporten i arkivet, påminnelser og møteinnkalling (.ics).

Eier tabellen evaluering. Importerer felles, infrastruktur, models, tjenester, brukere, sok,
avtaler og avvik; aldri planer, web eller cli."""
