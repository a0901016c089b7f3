"""Lesemodeller for sider som viser flere domener samtidig: avtalesiden (avtale, signering,
avvik, evalueringer, planer, saken i arkivet) og søket med brukerens tilgangsgrupper (`sok`).
Hver side er én funksjon som gir det siden trenger, med reglene for hva brukeren kan gjøre;
nettsiden bare viser det.

Importerer domenene, felles, infrastruktur, models og tjenester; aldri web eller cli. Ingen
domene importerer herfra.
"""
