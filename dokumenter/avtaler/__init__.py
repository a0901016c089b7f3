"""Samarbeidsavtaler: utkast og versjoner, livsløpet, ansvar, sammenligning, signering,
partnerportalen og oversikten på forsiden.

Eier tabellene avtale, avtaleversjon, dokument, ansvarsoverforing, hendelse (revisjonsloggen),
malfil, kommentar og signert_kopi. Importerer felles, infrastruktur, models, tjenester,
parter, brukere, signering og sok; aldri avvik, evaluering, planer, web eller cli."""
