"""Avtaleparter (institusjoner) og kontaktpersonene deres.

Eier tabellene part og kontaktperson. Importerer felles, models og tjenester; aldri andre
domener, web eller cli."""
