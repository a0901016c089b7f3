"""Brukere: ansatte med roller, partnerbrukere hos en institusjon, passordregler, innlogging
med begrensning av gjetting, øktene på nettsidene (lagret i databasen), kontologgen og
invitasjoner til partnerportalen.

Eier tabellene bruker, invitasjon, innloggingsforsok, okt og kontologg. Importerer felles,
infrastruktur, models og tjenester; aldri andre domener, web eller cli."""
