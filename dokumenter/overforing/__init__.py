"""Overføring av ansvar når en ansatt slutter: avtaler (ansvarlig), åpne avvik (kommunens
oppfølger), planer (koordinator) og ventende signeringer flyttes til én eller flere
etterfølgere i én transaksjon, med en begrunnelse, og logges per sak; kalenderlenken trekkes,
og kontoen kan deaktiveres i samme steg.

Importerer domenene (avtaler, avvik, brukere, planer, signering) og varsler; ingen importerer
herfra unntatt sidene og nettet.
"""
