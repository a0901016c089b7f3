"""Funnene fra sikkerhets- og krasjtestene: én fil per funn, oppkalt etter det. Hver test
gjentar angrepet eller feilen og viser at det ikke lenger virker."""
