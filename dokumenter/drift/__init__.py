"""Drift av instansen: kontroll av arkivet mot databasen, sikkerhetskopi og gjenoppretting.

Importerer felles, infrastruktur, models, tjenester, sok og arkiv; aldri web eller cli."""
