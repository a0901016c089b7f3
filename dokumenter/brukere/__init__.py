"""Brukere: ansatte med roller, partnerbrukere hos en institusjon, innlogging med
begrensning av gjetting, og invitasjoner til partnerportalen.

Eier tabellene bruker, invitasjon og innloggingsforsok. Importerer felles, infrastruktur,
models og tjenester; aldri andre domener, web eller cli."""
