"""Det alle deler: én feiltre (`feil`), én innstilling (`innstillinger`), tid, frister,
norsk formatering, validering av fritekst og lenkene e-post peker til.

Importerer ingenting annet fra prosjektet."""
