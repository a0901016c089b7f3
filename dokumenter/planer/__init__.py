"""Individuelle planer: opprettelse og versjoner, tilgang og innsynslogg, ansvarsgruppe,
samtykke, signering, avslutning og sletting etter oppbevaringstiden.

Eier tabellene plan, planversjon, plandokument, ansvarsgruppemedlem, samtykke, plantilgang,
planlogg og plansletting. `tilgang.py` er det eneste stedet som avgjør hvem som kan åpne en
plan. Planene er aldri i søkeindeksen (søket dekrypterer dem; se sider.sok). Importerer
felles, infrastruktur, models, tjenester, brukere, signering og avtaler (for partsdata); aldri
web eller cli."""
