"""Varsler: én regel for all e-post systemet sender til brukere og kontaktpersoner.

Domenene bestemmer hvem som skal ha beskjed og hva som står i den (bare det mottakeren
trenger; planer nevnes bare med nummer, aldri personen), og gir meldingene til
`utsending.send` etter commit. Den sender hver melding, registrerer den i tabellen varsel
(mottaker, hendelse, objekt, tidspunkt, sendt eller feilet med feilen; aldri meldingsteksten)
og gir tilbake feilene på norsk, så den som gjorde handlingen får se dem. En mottaker uten
e-postadresse er en feil, ikke en stille utelatelse.

Eier tabellen varsel. Importerer felles, infrastruktur, models og tjenester; alle domenene kan
importere herfra, aldri omvendt."""
