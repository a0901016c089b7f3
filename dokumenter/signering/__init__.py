"""Signering: runder med fast rekkefølge, engangskoder, den forseglede kopien og skannede
kopier, felles for alt som signeres (avtaler og individuelle planer).

Eier tabellene signeringsrunde, signatar og engangskode. Kjenner ikke avtaler eller planer:
de kobler seg på gjennom `Signerbar`. Importerer felles, infrastruktur, models og tjenester."""
