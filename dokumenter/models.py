"""Datamodellen: brukere, parter med kontaktpersoner, avtaler med versjoner og dokumenter,
signering, avvik, evalueringer, individuelle planer og overgangen fra institusjon til bolig.

Skjemaet står samlet i én fil (over 400 linjer) med vilje: det er én helhet med fremmednøkler
mellom alle delene, Alembic og testen av skjemadrift leser det som ett, og en leser ser hele
databasen på ett sted. Domenene eier hver sine tabeller (se pakkenes __init__).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from dokumenter.felles.tid import naa

# Standardverdien i basen for tekstkolonner lagt til på tabeller som alt har rader (tom tekst).
TOM = text("''")


class Base(DeclarativeBase):
    pass


class Bruker(Base):
    __tablename__ = "bruker"

    id: Mapped[int] = mapped_column(primary_key=True)
    brukernavn: Mapped[str] = mapped_column(String(254), unique=True)  # partnere: e-post
    navn: Mapped[str] = mapped_column(String(200))
    epost: Mapped[str] = mapped_column(String(254), default="")
    telefon: Mapped[str] = mapped_column(String(40), default="", server_default=text("''"))
    rolle: Mapped[str] = mapped_column(String(20))
    passord_hash: Mapped[str] = mapped_column(String(200))
    aktiv: Mapped[bool] = mapped_column(default=True)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    # Hemmelig nøkkel for brukerens kalenderabonnement (.ics); bare SHA-256 lagres. En unik
    # indeks (ix_bruker_kalender_nokkel_hash, som migrering 0004 lager), ikke en UNIQUE-regel.
    kalender_nokkel_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    # Partnerbrukere (rolle "partner") hører til én institusjon; ansatte har ingen.
    part_id: Mapped[int | None] = mapped_column(ForeignKey("part.id"), index=True)

    part: Mapped[Part | None] = relationship(foreign_keys=[part_id])


class Okt(Base):
    """En økt på nettsidene (innlogget eller anonym). Informasjonskapselen har bare en tilfeldig
    nøkkel; her står SHA-256 av den og øktens data (hvem som er logget inn, CSRF-nøkkel,
    meldinger). Raden slettes ved utlogging, og alle brukerens rader når passordet eller
    rollen endres eller kontoen deaktiveres."""

    __tablename__ = "okt"

    id: Mapped[int] = mapped_column(primary_key=True)
    nokkel_hash: Mapped[str] = mapped_column(String(64), unique=True)
    bruker_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"), index=True)
    art: Mapped[str] = mapped_column(String(10))  # "ansatt" | "partner" | "anonym"
    data: Mapped[str] = mapped_column(Text, default="")
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    sist_brukt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa, index=True)
    utloper: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # absolutt


class Kontologg(Base):
    """Hva som er gjort med en brukerkonto: innlogging, utlogging, passordbytte, ny rolle,
    deaktivering. Kan bare få nye rader (triggere i basen)."""

    __tablename__ = "kontologg"

    id: Mapped[int] = mapped_column(primary_key=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    handling: Mapped[str] = mapped_column(String(40))
    utfort_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    ip: Mapped[str] = mapped_column(String(64), default="")
    fra: Mapped[str] = mapped_column(String(100), default="")
    detaljer: Mapped[dict] = mapped_column(JSON, default=dict)
    tidspunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Kontolenke(Base):
    """Engangslenke for en konto: nytt passord (satt i gang av en administrator) eller
    bekreftelse av en ny e-postadresse (sendt til den nye adressen). Bare SHA-256 av nøkkelen
    lagres; en ny lenke av samme slag gjør eldre, ubrukte lenker ugyldige."""

    __tablename__ = "kontolenke"

    id: Mapped[int] = mapped_column(primary_key=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    formal: Mapped[str] = mapped_column(String(20))  # "passord" | "epost"
    nokkel_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ny_epost: Mapped[str] = mapped_column(String(254), default="")
    utloper: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    brukt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opprettet_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    bruker: Mapped[Bruker] = relationship(foreign_keys=[bruker_id])


class Varsel(Base):
    """Én e-post systemet har sendt eller prøvd å sende (dokumenter.varsler): til hvem, om
    hvilken hendelse og hvilket objekt, når, og om den gikk (med feilen). Ingen meldingstekst:
    den kan ha personopplysninger. Kan bare få nye rader (triggere i basen)."""

    __tablename__ = "varsel"

    id: Mapped[int] = mapped_column(primary_key=True)
    bruker_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"), index=True)
    adresse: Mapped[str] = mapped_column(String(254), default="")
    hendelse: Mapped[str] = mapped_column(String(40))
    objekt_type: Mapped[str] = mapped_column(String(20), default="")  # avtale|avvik|plan|bruker
    objekt_id: Mapped[int | None] = mapped_column(Integer)
    utlost_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    status: Mapped[str] = mapped_column(String(10))  # "sendt" | "feilet"
    feil: Mapped[str] = mapped_column(Text, default="")
    tidspunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa, index=True)

    __table_args__ = (Index("ix_varsel_objekt", "objekt_type", "objekt_id"),)


class Part(Base):
    __tablename__ = "part"

    id: Mapped[int] = mapped_column(primary_key=True)
    navn: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    orgnr: Mapped[str] = mapped_column(String(9), unique=True)
    adresse: Mapped[str] = mapped_column(String(300), default="")
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    endret: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    kontaktpersoner: Mapped[list[Kontaktperson]] = relationship(
        back_populates="part", cascade="all, delete-orphan", order_by="Kontaktperson.id"
    )
    avtaler: Mapped[list[Avtale]] = relationship(back_populates="part", order_by="Avtale.id")


class Kontaktperson(Base):
    __tablename__ = "kontaktperson"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id", ondelete="CASCADE"), index=True)
    navn: Mapped[str] = mapped_column(String(200))
    rolle: Mapped[str] = mapped_column(String(200), default="")
    epost: Mapped[str] = mapped_column(String(254), default="")
    telefon: Mapped[str] = mapped_column(String(40), default="")

    part: Mapped[Part] = relationship(back_populates="kontaktpersoner")


class Avtale(Base):
    __tablename__ = "avtale"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    mal_navn: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_begrunnelse: Mapped[str] = mapped_column(Text, default="")
    avsluttet_dato: Mapped[date | None] = mapped_column(Date)
    # Årlig evaluering: neste dato settes når avtalen blir inngått og etter hver evaluering.
    neste_evaluering: Mapped[date | None] = mapped_column(Date, index=True)
    evaluering_paminnet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ansvarlig_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    gjeldende_versjon: Mapped[int] = mapped_column(Integer, default=0)
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    endret_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    endret: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    part: Mapped[Part] = relationship(back_populates="avtaler")
    ansvarlig: Mapped[Bruker] = relationship(foreign_keys=[ansvarlig_id])
    opprettet_av: Mapped[Bruker] = relationship(foreign_keys=[opprettet_av_id])
    endret_av: Mapped[Bruker] = relationship(foreign_keys=[endret_av_id])
    versjoner: Mapped[list[AvtaleVersjon]] = relationship(
        back_populates="avtale", order_by="AvtaleVersjon.nummer"
    )
    ansvarshistorikk: Mapped[list[Ansvarsoverforing]] = relationship(
        back_populates="avtale", order_by="Ansvarsoverforing.id"
    )
    hendelser: Mapped[list[Hendelse]] = relationship(order_by="Hendelse.id", viewonly=True)
    # Bare gjeldende versjon, for sider som ikke skal laste alle versjonene (det kan være
    # tusenvis); `siste_versjon` laster hele listen.
    gjeldende: Mapped[AvtaleVersjon | None] = relationship(
        primaryjoin="and_(Avtale.id == foreign(AvtaleVersjon.avtale_id), "
        "Avtale.gjeldende_versjon == foreign(AvtaleVersjon.nummer))",
        viewonly=True,
        uselist=False,
    )

    @property
    def siste_versjon(self) -> AvtaleVersjon | None:
        return self.versjoner[-1] if self.versjoner else None


class AvtaleVersjon(Base):
    """Én lagret utgave av avtalens innhold; skrives én gang og endres aldri."""

    __tablename__ = "avtaleversjon"
    __table_args__ = (UniqueConstraint("avtale_id", "nummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    avtale_id: Mapped[int] = mapped_column(ForeignKey("avtale.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    feltverdier: Mapped[dict] = mapped_column(JSON)
    variant: Mapped[str] = mapped_column(String(40))
    mal_versjon: Mapped[int] = mapped_column(Integer)
    mal_sha256: Mapped[str] = mapped_column(String(64))
    grunn: Mapped[str] = mapped_column(String(500), default="")
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    # Engangsnøkkelen fra skjemaet som lagret versjonen: samme skjema sendt igjen gir denne.
    skjema_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)

    avtale: Mapped[Avtale] = relationship(back_populates="versjoner")
    opprettet_av: Mapped[Bruker] = relationship()
    dokumenter: Mapped[list[Dokument]] = relationship(
        back_populates="versjon", order_by="Dokument.id"
    )

    def dokument(self, format: str) -> Dokument | None:
        return next((d for d in self.dokumenter if d.format == format), None)


class Dokument(Base):
    """En produsert fil, lagret i arkivet under sin SHA-256."""

    __tablename__ = "dokument"
    __table_args__ = (UniqueConstraint("versjon_id", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    versjon_id: Mapped[int] = mapped_column(ForeignKey("avtaleversjon.id"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    variant: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storrelse: Mapped[int] = mapped_column(Integer)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    versjon: Mapped[AvtaleVersjon] = relationship(back_populates="dokumenter")


class Versjonstekst(Base):
    """Teksten i en avtaleversjons DOCX, hentet ut én gang (ved lagring, eller første gang
    søkeindeksen trenger den), så ingen DOCX leses to ganger. Avledet av en uforanderlig fil:
    en rad endres aldri, men kan slettes og hentes ut på nytt."""

    __tablename__ = "versjonstekst"

    versjon_id: Mapped[int] = mapped_column(ForeignKey("avtaleversjon.id"), primary_key=True)
    tekst: Mapped[str] = mapped_column(Text)


class Ansvarsoverforing(Base):
    __tablename__ = "ansvarsoverforing"

    id: Mapped[int] = mapped_column(primary_key=True)
    avtale_id: Mapped[int] = mapped_column(ForeignKey("avtale.id"), index=True)
    fra_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    til_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    merknad: Mapped[str] = mapped_column(String(500), default="")
    utfort_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    tidspunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    avtale: Mapped[Avtale] = relationship(back_populates="ansvarshistorikk")
    fra: Mapped[Bruker | None] = relationship(foreign_keys=[fra_id])
    til: Mapped[Bruker] = relationship(foreign_keys=[til_id])
    utfort_av: Mapped[Bruker] = relationship(foreign_keys=[utfort_av_id])


class Hendelse(Base):
    """Revisjonslogg: én rad per hendelse på en avtale. Kan bare legges til (triggere i basen)."""

    __tablename__ = "hendelse"

    id: Mapped[int] = mapped_column(primary_key=True)
    avtale_id: Mapped[int] = mapped_column(ForeignKey("avtale.id"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    bruker_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    fra: Mapped[str] = mapped_column(String(100), default="")
    detaljer: Mapped[dict] = mapped_column(JSON, default=dict)
    tidspunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    bruker: Mapped[Bruker | None] = relationship()


class Malfil(Base):
    """En versjon av en mal slik den ble brukt: DOCX-en ligger i arkivet under sin SHA-256."""

    __tablename__ = "malfil"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    navn: Mapped[str] = mapped_column(String(64))
    versjon: Mapped[int] = mapped_column(Integer)
    manifest: Mapped[str] = mapped_column(Text)
    storrelse: Mapped[int] = mapped_column(Integer)
    registrert: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Invitasjon(Base):
    """Engangslenke til en partnerbruker for å sette passord. Bare SHA-256 av nøkkelen lagres."""

    __tablename__ = "invitasjon"

    id: Mapped[int] = mapped_column(primary_key=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    nokkel_hash: Mapped[str] = mapped_column(String(64), unique=True)
    utloper: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    brukt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    bruker: Mapped[Bruker] = relationship(foreign_keys=[bruker_id])


class Signeringsrunde(Base):
    """Én runde der bestemte personer signerer én bestemt versjon, i fast rekkefølge."""

    __tablename__ = "signeringsrunde"

    id: Mapped[int] = mapped_column(primary_key=True)
    # En runde gjelder én avtale eller (plan_id) én individuell plan.
    avtale_id: Mapped[int | None] = mapped_column(ForeignKey("avtale.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), index=True)
    versjon_nummer: Mapped[int] = mapped_column(Integer)
    dokument_sha256: Mapped[str] = mapped_column(String(64))  # PDF/A-en som signeres
    status: Mapped[str] = mapped_column(String(20), index=True)  # aktiv|pauset|fullfort|...
    frist: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paminnelse_dager: Mapped[int] = mapped_column(Integer)
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    avsluttet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    grunn: Mapped[str] = mapped_column(Text, default="")
    # Feil engangskoder i runden siden den startet eller sist ble gjenopptatt; ved grensen
    # settes runden «pauset» (signering.koder).
    feil_koder: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    avtale: Mapped[Avtale | None] = relationship()
    opprettet_av: Mapped[Bruker] = relationship()
    signatarer: Mapped[list[Signatar]] = relationship(
        back_populates="runde", order_by="Signatar.rekkefolge", cascade="all, delete-orphan"
    )


class Signatar(Base):
    """En som skal signere i en runde: for kommunen (ansatt) eller for parten (partnerbruker)."""

    __tablename__ = "signatar"
    __table_args__ = (UniqueConstraint("runde_id", "rekkefolge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runde_id: Mapped[int] = mapped_column(ForeignKey("signeringsrunde.id"), index=True)
    rekkefolge: Mapped[int] = mapped_column(Integer)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    side: Mapped[str] = mapped_column(String(10))  # "kommune" | "part"
    rolle: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="venter")  # venter|signert|avvist
    varslet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sist_paminnet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signert: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str] = mapped_column(String(64), default="")
    avvist_grunn: Mapped[str] = mapped_column(Text, default="")

    runde: Mapped[Signeringsrunde] = relationship(back_populates="signatarer")
    bruker: Mapped[Bruker] = relationship()


class Engangskode(Base):
    """Kode sendt på e-post for å bekrefte identiteten før signering; lagres som hash."""

    __tablename__ = "engangskode"

    id: Mapped[int] = mapped_column(primary_key=True)
    signatar_id: Mapped[int] = mapped_column(ForeignKey("signatar.id"), index=True)
    kode_hash: Mapped[str] = mapped_column(String(200))
    utloper: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    forsok: Mapped[int] = mapped_column(Integer, default=0)
    brukt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class SignertKopi(Base):
    """Den signerte kopien av en versjon: forseglet PDF fra en runde, eller en skannet PDF."""

    __tablename__ = "signert_kopi"

    id: Mapped[int] = mapped_column(primary_key=True)
    avtale_id: Mapped[int] = mapped_column(ForeignKey("avtale.id"), index=True)
    versjon_nummer: Mapped[int] = mapped_column(Integer)
    runde_id: Mapped[int | None] = mapped_column(ForeignKey("signeringsrunde.id"))
    type: Mapped[str] = mapped_column(String(20))  # "forseglet" | "skannet"
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storrelse: Mapped[int] = mapped_column(Integer)
    opprettet_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    avtale: Mapped[Avtale] = relationship()


class Kommentar(Base):
    """Partens (eller kommunens) kommentar til en versjon som er sendt til gjennomgang."""

    __tablename__ = "kommentar"

    id: Mapped[int] = mapped_column(primary_key=True)
    avtale_id: Mapped[int] = mapped_column(ForeignKey("avtale.id"), index=True)
    versjon_nummer: Mapped[int] = mapped_column(Integer)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    tekst: Mapped[str] = mapped_column(Text)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    bruker: Mapped[Bruker] = relationship()


class Innloggingsforsok(Base):
    """Mislykkede innlogginger (og feil nåværende passord ved passordbytte), for å begrense
    gjetting per brukernavn og adresse, per brukernavn og per adresse (brukere.innlogging)."""

    __tablename__ = "innloggingsforsok"

    id: Mapped[int] = mapped_column(primary_key=True)
    brukernavn: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    tidspunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa, index=True)


class Avvik(Base):
    """Et brudd på avtalen, meldt av den ene parten og besvart av den andre."""

    __tablename__ = "avvik"

    id: Mapped[int] = mapped_column(primary_key=True)
    avtale_id: Mapped[int] = mapped_column(ForeignKey("avtale.id"), index=True)
    nummer: Mapped[str] = mapped_column(String(20), unique=True)  # «2026-004»
    meldt_av_side: Mapped[str] = mapped_column(String(10))  # "kommune" | "part"
    paragraf: Mapped[str] = mapped_column(String(100))
    kategori: Mapped[str] = mapped_column(String(40), index=True)
    hendelsesdato: Mapped[date] = mapped_column(Date)
    # Når avviket ble oppdaget (avtalens § 9: skjemaet sendes innen fem virkedager etter det);
    # tom for avvik meldt før feltet fantes.
    oppdaget: Mapped[date | None] = mapped_column(Date)
    alvorlighet: Mapped[str] = mapped_column(String(20), default="", server_default=TOM)
    # Hvorfor skjemaet ble sendt senere enn fem virkedager etter at avviket ble oppdaget.
    sen_begrunnelse: Mapped[str] = mapped_column(Text, default="", server_default=TOM)
    hva_skjedde: Mapped[str] = mapped_column(Text)
    konsekvens: Mapped[str] = mapped_column(Text, default="")
    strakstiltak: Mapped[str] = mapped_column(Text, default="")
    # Personopplysning: vises bare for ansatte med skrivetilgang; aldri i skjema eller søk.
    person_ref: Mapped[str] = mapped_column(String(200), default="")
    meldt_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    meldt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    status: Mapped[str] = mapped_column(String(20), index=True)  # aapen|sendt|besvart|lukket
    svarfrist: Mapped[date | None] = mapped_column(Date)
    sendt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    svar_forklaring: Mapped[str] = mapped_column(Text, default="")
    svar_tiltak: Mapped[str] = mapped_column(Text, default="")
    besvart_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    besvart: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lukket: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lukket_merknad: Mapped[str] = mapped_column(Text, default="")
    lukket_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    sist_paminnet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Den som følger opp avviket for kommunen: den ansatte som meldte det, ellers den
    # ansvarlige for avtalen da parten meldte det. Flyttes ved overføring av ansvar.
    oppfolger_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"), index=True)

    avtale: Mapped[Avtale] = relationship()
    meldt_av: Mapped[Bruker] = relationship(foreign_keys=[meldt_av_id])
    oppfolger: Mapped[Bruker | None] = relationship(foreign_keys=[oppfolger_id])
    besvart_av: Mapped[Bruker | None] = relationship(foreign_keys=[besvart_av_id])
    skjemaer: Mapped[list[Avviksskjema]] = relationship(order_by="Avviksskjema.nummer")


class Avviksskjema(Base):
    """Ett generert avviksskjema (DOCX og PDF/A i arkivet); nytt ved sending, svar og lukking."""

    __tablename__ = "avviksskjema"
    __table_args__ = (UniqueConstraint("avvik_id", "nummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    avvik_id: Mapped[int] = mapped_column(ForeignKey("avvik.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    anledning: Mapped[str] = mapped_column(String(20))  # sendt|besvart|lukket
    docx_sha256: Mapped[str] = mapped_column(String(64), index=True)
    docx_storrelse: Mapped[int] = mapped_column(Integer)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdf_storrelse: Mapped[int] = mapped_column(Integer)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Evaluering(Base):
    """Den årlige evalueringen av en avtale, med rapporten (DOCX og PDF/A) i arkivet."""

    __tablename__ = "evaluering"

    id: Mapped[int] = mapped_column(primary_key=True)
    avtale_id: Mapped[int] = mapped_column(ForeignKey("avtale.id"), index=True)
    dato: Mapped[date] = mapped_column(Date)
    periode_fra: Mapped[date] = mapped_column(Date)
    periode_til: Mapped[date] = mapped_column(Date)
    deltakere_kommune: Mapped[str] = mapped_column(Text)
    deltakere_part: Mapped[str] = mapped_column(Text)
    fungert: Mapped[str] = mapped_column(Text, default="")
    ikke_fungert: Mapped[str] = mapped_column(Text, default="")
    beslutning: Mapped[str] = mapped_column(String(20))  # viderefores|revideres|sies_opp
    begrunnelse: Mapped[str] = mapped_column(Text, default="")
    neste_evaluering: Mapped[date | None] = mapped_column(Date)
    avsluttet_dato: Mapped[date | None] = mapped_column(Date)
    antall_avvik: Mapped[int] = mapped_column(Integer)
    statistikk: Mapped[dict] = mapped_column(JSON)
    docx_sha256: Mapped[str] = mapped_column(String(64), index=True)
    docx_storrelse: Mapped[int] = mapped_column(Integer)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdf_storrelse: Mapped[int] = mapped_column(Integer)
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    avtale: Mapped[Avtale] = relationship()


# --- Individuelle planer -------------------------------------------------------------------
# Personens navn og fødselsdato og innholdet i hver versjon lagres kryptert
# (infrastruktur.kryptering); filene i arkivet likeså. Hvem som kan åpne en plan, avgjøres
# bare av planer.tilgang.


class Plan(Base):
    """En individuell plan for én person, knyttet til institusjonen (og avtalen med den)."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    nummer: Mapped[str] = mapped_column(String(20), unique=True)  # «IP-2026-003»
    navn_kryptert: Mapped[str] = mapped_column(Text)
    fodselsdato_kryptert: Mapped[str] = mapped_column(Text)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    avtale_id: Mapped[int | None] = mapped_column(ForeignKey("avtale.id"), index=True)
    koordinator_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # utkast|til_signering|...
    gjeldende_versjon: Mapped[int] = mapped_column(Integer, default=0)
    neste_evaluering: Mapped[date | None] = mapped_column(Date, index=True)
    evaluering_paminnet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    avsluttet_dato: Mapped[date | None] = mapped_column(Date)
    avsluttet_grunn: Mapped[str] = mapped_column(Text, default="")
    slettes_etter: Mapped[date | None] = mapped_column(Date, index=True)
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    endret: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    part: Mapped[Part] = relationship()
    avtale: Mapped[Avtale | None] = relationship()
    koordinator: Mapped[Bruker] = relationship(foreign_keys=[koordinator_id])
    versjoner: Mapped[list[PlanVersjon]] = relationship(order_by="PlanVersjon.nummer")
    medlemmer: Mapped[list[Ansvarsgruppemedlem]] = relationship(
        order_by="Ansvarsgruppemedlem.id", cascade="all, delete-orphan"
    )
    samtykker: Mapped[list[Samtykke]] = relationship(order_by="Samtykke.id")
    tilganger: Mapped[list[Plantilgang]] = relationship(order_by="Plantilgang.id")
    dokumenter: Mapped[list[Plandokument]] = relationship(order_by="Plandokument.id")


class PlanVersjon(Base):
    """Én lagret utgave av planens innhold (uten navn og fødselsdato, som står kryptert på
    planen). Endres aldri; slettes bare med planen når oppbevaringstiden er ute."""

    __tablename__ = "planversjon"
    __table_args__ = (UniqueConstraint("plan_id", "nummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    # Feltverdiene (JSON) kryptert med plannøkkelen, som navnet; se `planer.regler.feltverdier`.
    innhold_kryptert: Mapped[str] = mapped_column(Text)
    mal_versjon: Mapped[int] = mapped_column(Integer)
    mal_sha256: Mapped[str] = mapped_column(String(64))
    grunn: Mapped[str] = mapped_column(String(500), default="")
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    skjema_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)


class Plandokument(Base):
    """En fil for en planversjon, kryptert i arkivet: DOCX, PDF/A, forseglet eller skannet."""

    __tablename__ = "plandokument"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    versjon_nummer: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))  # docx|pdf|forseglet|skannet
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # av den krypterte filen
    storrelse: Mapped[int] = mapped_column(Integer)
    innhold_sha256: Mapped[str] = mapped_column(String(64))  # av selve dokumentet
    runde_id: Mapped[int | None] = mapped_column(ForeignKey("signeringsrunde.id"))
    opprettet_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Ansvarsgruppemedlem(Base):
    """En i ansvarsgruppen: ansatt i en tjeneste eller partnerbruker hos en institusjon."""

    __tablename__ = "ansvarsgruppemedlem"
    __table_args__ = (UniqueConstraint("plan_id", "bruker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    tjeneste: Mapped[str] = mapped_column(String(200))  # «NAV Rana», «Bodø fengsel»
    rolle: Mapped[str] = mapped_column(String(200), default="")
    lagt_til_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    lagt_til: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    bruker: Mapped[Bruker] = relationship(foreign_keys=[bruker_id])


class Samtykke(Base):
    """Personens samtykke til å dele taushetsbelagte opplysninger med én navngitt part.
    Uten et gjeldende samtykke har ingen av partens brukere tilgang til planen."""

    __tablename__ = "samtykke"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    gitt: Mapped[date] = mapped_column(Date)
    registrert_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    registrert: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    trukket: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    trukket_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    # Avtalens § 8: hvilke opplysninger (omfang), til hvilket formål, og hvordan samtykket ble
    # gitt (skriftlig, eller muntlig med vitne). Et skriftlig samtykke lastes opp skannet
    # (kryptert, som planens andre filer).
    omfang: Mapped[str] = mapped_column(Text, default="", server_default=TOM)
    formal: Mapped[str] = mapped_column(Text, default="", server_default=TOM)
    form: Mapped[str] = mapped_column(String(20), default="", server_default=TOM)
    vitne: Mapped[str] = mapped_column(String(200), default="", server_default=TOM)
    dokument_id: Mapped[int | None] = mapped_column(ForeignKey("plandokument.id"))

    part: Mapped[Part] = relationship()


class Plantilgang(Base):
    """Lesetilgang gitt en ansatt utenfor ansvarsgruppen, med begrunnelse (og ev. sluttdato)."""

    __tablename__ = "plantilgang"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    grunn: Mapped[str] = mapped_column(String(500))
    gitt_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    gitt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    utloper: Mapped[date | None] = mapped_column(Date)
    trukket: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    trukket_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))

    bruker: Mapped[Bruker] = relationship(foreign_keys=[bruker_id])


class Planlogg(Base):
    """Innsynsloggen: hver lesing, nedlasting og endring av en plan, med hvem, når og på
    hvilket grunnlag. Kan bare legges til; slettes bare sammen med planen (triggere)."""

    __tablename__ = "planlogg"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    bruker_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    handling: Mapped[str] = mapped_column(String(40))
    grunnlag: Mapped[str] = mapped_column(String(600), default="")
    detaljer: Mapped[dict] = mapped_column(JSON, default=dict)
    fra: Mapped[str] = mapped_column(String(100), default="")
    tidspunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    bruker: Mapped[Bruker | None] = relationship()


class Plansletting(Base):
    """Sletterapport: hva som ble slettet da oppbevaringstiden var ute. Uten personopplysninger."""

    __tablename__ = "plansletting"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_nummer: Mapped[str] = mapped_column(String(20))
    avsluttet_dato: Mapped[date | None] = mapped_column(Date)
    slettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    rader: Mapped[dict] = mapped_column(JSON)  # tabell -> antall
    filer: Mapped[int] = mapped_column(Integer)
    indeksdokumenter: Mapped[int] = mapped_column(Integer)
    utfort_av: Mapped[str] = mapped_column(String(100))


# --- Noark 5 (dokumenter.noark) ------------------------------------------------------------
# Arkivstrukturen over avtalene og planene: arkiv → arkivdel → klasse → saksmappe →
# journalpost → dokumentbeskrivelse → dokumentobjekt. Hver arkivenhet har en systemID (UUID)
# som settes én gang og aldri endres. Saksstatus, saksansvarlig og avslutning leses fra
# avtalen eller planen; bare det som ellers ville forsvunnet når en plan kasseres, står her.


class Arkiv(Base):
    """Kommunens arkiv i dette systemet (én rad, laget av migrering 0010). Navnet kommer fra
    innstillingene (DOKUMENTER_ARKIV_NAVN)."""

    __tablename__ = "arkiv"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[str] = mapped_column(String(36), unique=True)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Arkivdel(Base):
    """En arkivdel per dokumentart (samarbeidsavtaler, avvik og evalueringer, individuelle
    planer), med sitt eget klassifikasjonssystem (systemID-en står her)."""

    __tablename__ = "arkivdel"

    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(40), unique=True)
    system_id: Mapped[str] = mapped_column(String(36), unique=True)
    klassifikasjonssystem_id: Mapped[str] = mapped_column(String(36), unique=True)
    tittel: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40))
    periode_start: Mapped[date] = mapped_column(Date)
    periode_slutt: Mapped[date | None] = mapped_column(Date)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Klasse(Base):
    """En klasse i kommunens ordning (fra klassifikasjonsfilen), laget første gang den brukes."""

    __tablename__ = "klasse"
    __table_args__ = (UniqueConstraint("arkivdel_id", "klasse_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[str] = mapped_column(String(36), unique=True)
    arkivdel_id: Mapped[int] = mapped_column(ForeignKey("arkivdel.id"))
    klasse_id: Mapped[str] = mapped_column(String(40))
    tittel: Mapped[str] = mapped_column(String(200))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Saksmappe(Base):
    """Én sak per avtale og per individuelle plan. Saksnummeret (saksår/sekvensnummer) gis én
    gang og brukes aldri igjen; raden står også etter at en plan er kassert."""

    __tablename__ = "saksmappe"
    __table_args__ = (UniqueConstraint("saksaar", "sakssekvensnummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[str] = mapped_column(String(36), unique=True)
    arkivdel_id: Mapped[int] = mapped_column(ForeignKey("arkivdel.id"), index=True)
    klasse_id: Mapped[int] = mapped_column(ForeignKey("klasse.id"), index=True)
    saksaar: Mapped[int] = mapped_column(Integer)
    sakssekvensnummer: Mapped[int] = mapped_column(Integer)
    avtale_id: Mapped[int | None] = mapped_column(ForeignKey("avtale.id"), unique=True)
    # Settes til NULL når planen kasseres (raden for planen slettes); nummeret står igjen.
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), unique=True)
    plan_nummer: Mapped[str | None] = mapped_column(String(20))
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"))
    tittel: Mapped[str] = mapped_column(String(300))
    offentlig_tittel: Mapped[str] = mapped_column(String(300))
    siste_journalpostnummer: Mapped[int] = mapped_column(Integer, default=0)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    opprettet_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    # Kassasjon: vedtak (Bevares for avtaler, Kasseres for planer), hjemmel og bevaringstid
    # settes når saken opprettes. Kassasjonsdatoen er planens «slettes etter».
    kassasjonsvedtak: Mapped[str] = mapped_column(String(20))
    kassasjonshjemmel: Mapped[str] = mapped_column(String(300), default="")
    bevaringstid: Mapped[int | None] = mapped_column(Integer)
    # Det som står igjen etter kassasjonen, når planen selv er slettet: når og av hvem, og
    # planens kassasjonsdato, avslutning og saksansvarlig slik de var.
    kassert: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kassert_av: Mapped[str] = mapped_column(String(100), default="")
    kassasjonsdato: Mapped[date | None] = mapped_column(Date)
    avsluttet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    avsluttet_av: Mapped[str] = mapped_column(String(200), default="")
    saksansvarlig: Mapped[str] = mapped_column(String(200), default="")


class Journalpost(Base):
    """Ett dokument som gikk ut (U), kom inn (I) eller ble laget internt (N, X). Kan bare
    legges til (triggere i basen)."""

    __tablename__ = "journalpost"
    __table_args__ = (
        UniqueConstraint("journalaar", "journalsekvensnummer"),
        UniqueConstraint("saksmappe_id", "journalpostnummer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[str] = mapped_column(String(36), unique=True)
    saksmappe_id: Mapped[int] = mapped_column(ForeignKey("saksmappe.id"), index=True)
    # Dokumentarten (referanseArkivdel): avvik og evalueringer ligger i avtalens sak.
    arkivdel_id: Mapped[int] = mapped_column(ForeignKey("arkivdel.id"))
    journalaar: Mapped[int] = mapped_column(Integer)
    journalsekvensnummer: Mapped[int] = mapped_column(Integer)
    journalpostnummer: Mapped[int] = mapped_column(Integer)
    journalposttype: Mapped[str] = mapped_column(String(1))  # U|I|N|X
    journalstatus: Mapped[str] = mapped_column(String(40))
    journaldato: Mapped[date] = mapped_column(Date, index=True)
    dokumentets_dato: Mapped[date] = mapped_column(Date)
    hendelse: Mapped[str] = mapped_column(String(40))
    # Raden dokumentet står i («avtale/signert_kopi:12»), så ingenting journalføres to ganger.
    kilde: Mapped[str | None] = mapped_column(String(60), index=True)
    tittel: Mapped[str] = mapped_column(String(300))
    offentlig_tittel: Mapped[str] = mapped_column(String(300))
    avvik_id: Mapped[int | None] = mapped_column(ForeignKey("avvik.id"), index=True)
    korrespondanseparttype: Mapped[str] = mapped_column(String(40))
    korrespondansepart: Mapped[str] = mapped_column(String(200))
    kontaktperson: Mapped[str] = mapped_column(String(200), default="")
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    opprettet_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))


class Dokumentbeskrivelse(Base):
    """Et dokument i en journalpost. `kassert` settes når dokumentet er kassert; da er
    dokumentobjektene (filene) borte, men beskrivelsen står."""

    __tablename__ = "dokumentbeskrivelse"
    __table_args__ = (UniqueConstraint("journalpost_id", "dokumentnummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[str] = mapped_column(String(36), unique=True)
    journalpost_id: Mapped[int] = mapped_column(ForeignKey("journalpost.id"), index=True)
    dokumentnummer: Mapped[int] = mapped_column(Integer)
    dokumenttype: Mapped[str] = mapped_column(String(60))
    tittel: Mapped[str] = mapped_column(String(300))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    opprettet_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    kassert: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kassert_av: Mapped[str] = mapped_column(String(100), default="")


class Dokumentobjekt(Base):
    """En fil i en dokumentbeskrivelse: DOCX (produksjonsformat) eller PDF/A (arkivformat).
    `lager_sha256` er nøkkelen i fillageret (planenes filer er krypterte der); `sjekksum` og
    `filstoerrelse` gjelder filen slik den avleveres (dekryptert)."""

    __tablename__ = "dokumentobjekt"
    __table_args__ = (UniqueConstraint("dokumentbeskrivelse_id", "variantformat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[str] = mapped_column(String(36), unique=True)
    dokumentbeskrivelse_id: Mapped[int] = mapped_column(
        ForeignKey("dokumentbeskrivelse.id"), index=True
    )
    versjonsnummer: Mapped[int] = mapped_column(Integer)
    variantformat: Mapped[str] = mapped_column(String(40))
    filtype: Mapped[str] = mapped_column(String(10))  # docx|pdf
    format: Mapped[str] = mapped_column(String(20))  # PRONOM-koden
    format_detaljer: Mapped[str] = mapped_column(String(100), default="")
    konvertert: Mapped[bool] = mapped_column(default=False)  # PDF/A laget fra DOCX-en
    lager_sha256: Mapped[str] = mapped_column(String(64), index=True)
    kryptert: Mapped[bool] = mapped_column(default=False)
    sjekksum: Mapped[str] = mapped_column(String(64))
    filstoerrelse: Mapped[int] = mapped_column(Integer)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    opprettet_av_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))


class Skjermingsendring(Base):
    """At en ansatt skjermet eller opphevet skjermingen av en sak (saksmappe) eller et avvik
    (avvikets journalposter), med begrunnelse. Den siste raden gjelder. Kan bare legges til."""

    __tablename__ = "skjermingsendring"

    id: Mapped[int] = mapped_column(primary_key=True)
    saksmappe_id: Mapped[int | None] = mapped_column(ForeignKey("saksmappe.id"), index=True)
    avvik_id: Mapped[int | None] = mapped_column(ForeignKey("avvik.id"), index=True)
    skjermet: Mapped[bool] = mapped_column()
    grunn: Mapped[str] = mapped_column(Text)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    tidspunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Metadataendring(Base):
    """En endring i endringsloggen som ellers ville forsvunnet: kassasjonen selv, og en
    kassert plans bytte av koordinator og avslutning (planens egen logg slettes med den)."""

    __tablename__ = "metadataendring"

    id: Mapped[int] = mapped_column(primary_key=True)
    arkivenhet: Mapped[str] = mapped_column(String(36), index=True)  # systemID
    metadata_navn: Mapped[str] = mapped_column(String(60))
    tidligere_verdi: Mapped[str] = mapped_column(Text)
    ny_verdi: Mapped[str] = mapped_column(Text)
    endret_av: Mapped[str] = mapped_column(String(200))
    endret: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Arkivmelding(Base):
    """Utboksen: én Fiks Arkiv-melding (arkivmelding.xml og filene) per journalpost, til
    kommunens sak/arkiv-system. Går ny → sendt → kvittert, eller feilet (med feil og antall
    forsøk, og prøves igjen)."""

    __tablename__ = "arkivmelding"

    id: Mapped[int] = mapped_column(primary_key=True)
    meldings_id: Mapped[str] = mapped_column(String(36), unique=True)
    journalpost_id: Mapped[int] = mapped_column(ForeignKey("journalpost.id"), unique=True)
    meldingstype: Mapped[str] = mapped_column(String(100))
    xml: Mapped[str] = mapped_column(Text)
    filer: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    forsok: Mapped[int] = mapped_column(Integer, default=0)
    feil: Mapped[str] = mapped_column(Text, default="")
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    sendt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kvittert: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Fra kvitteringen: arkivets saksnummer og journalpostnummer.
    arkivets_saksnummer: Mapped[str] = mapped_column(String(40), default="")
    arkivets_journalpostnummer: Mapped[str] = mapped_column(String(40), default="")


class Uttrekksjobb(Base):
    """Et arkivuttrekk startet fra nettsiden: kjøres i bakgrunnen, skriver framdriften hit, og
    ender i en TAR-fil i instansmappen."""

    __tablename__ = "uttrekksjobb"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # venter|kjorer|ferdig|feilet
    fra: Mapped[date | None] = mapped_column(Date)
    til: Mapped[date | None] = mapped_column(Date)
    arkivdel: Mapped[str] = mapped_column(String(200), default="")
    startet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    oppdatert: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    ferdig: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    trinn: Mapped[str] = mapped_column(String(100), default="")
    gjort: Mapped[int] = mapped_column(Integer, default=0)
    totalt: Mapped[int] = mapped_column(Integer, default=0)
    melding: Mapped[str] = mapped_column(Text, default="")
    fil: Mapped[str] = mapped_column(String(300), default="")
    storrelse: Mapped[int] = mapped_column(BigInteger, default=0)


# --- Overgangen fra institusjon til bolig ----------------------------------------------------
# Hører til en individuell plan og følger planens tilgang (dokumenter.overgang). Slettes med
# planen når oppbevaringstiden er ute.


class Overgang(Base):
    """Personens overgang fra institusjon til bolig: datoene for hver fase, kontaktene og
    overlappen i institusjonsplassen. Fasen regnes ut fra datoene (overgang.regler)."""

    __tablename__ = "overgang"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), unique=True)
    motefrekvens_maneder: Mapped[int] = mapped_column(Integer, default=3)
    neste_samarbeidsmote: Mapped[date | None] = mapped_column(Date, index=True)
    samarbeidsmote_paminnet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    forventet_losladt: Mapped[date | None] = mapped_column(Date)
    tilbud_dato: Mapped[date | None] = mapped_column(Date)  # starter de fire ukene
    bolig_kryptert: Mapped[str] = mapped_column(Text, default="")  # adresse/beskrivelse
    visning_dato: Mapped[date | None] = mapped_column(Date)
    kontrakt_dato: Mapped[date | None] = mapped_column(Date)
    innflytting_dato: Mapped[date | None] = mapped_column(Date)
    overlapp_fra: Mapped[date | None] = mapped_column(Date)
    overlapp_til: Mapped[date | None] = mapped_column(Date)
    overlapp_betaler: Mapped[str] = mapped_column(String(200), default="")
    primaerkontakt_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    booppfolger_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    sekundaerkontakt_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    # Kontakter sekundærkontakten alt er varslet om at har falt fra: {rolle: bruker-id}.
    kontakt_varslet: Mapped[dict] = mapped_column(JSON, default=dict)
    utfall_paminnet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    endret: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    plan: Mapped[Plan] = relationship()
    primaerkontakt: Mapped[Bruker | None] = relationship(foreign_keys=[primaerkontakt_id])
    booppfolger: Mapped[Bruker | None] = relationship(foreign_keys=[booppfolger_id])
    sekundaerkontakt: Mapped[Bruker | None] = relationship(foreign_keys=[sekundaerkontakt_id])
    moter: Mapped[list[Overgangsmote]] = relationship(
        order_by="Overgangsmote.dato", cascade="all, delete-orphan"
    )
    oppgaver: Mapped[list[Overgangsoppgave]] = relationship(
        order_by="Overgangsoppgave.rekkefolge", cascade="all, delete-orphan"
    )
    utfall: Mapped[list[Boligutfall]] = relationship(
        order_by="Boligutfall.id", cascade="all, delete-orphan"
    )


class Overgangsmote(Base):
    """Et møte i overgangen: samarbeidsmøte under oppholdet, boligmøte eller utflyttingsmøte
    (der nivået på oppfølgingen avgjøres)."""

    __tablename__ = "overgangsmote"

    id: Mapped[int] = mapped_column(primary_key=True)
    overgang_id: Mapped[int] = mapped_column(ForeignKey("overgang.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))  # samarbeidsmote|boligmote|utflyttingsmote
    dato: Mapped[date] = mapped_column(Date)
    deltakere: Mapped[str] = mapped_column(Text, default="")
    oppfolgingsniva: Mapped[str] = mapped_column(String(20), default="")  # minimum|middels|tett
    merknad: Mapped[str] = mapped_column(Text, default="")
    registrert_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    registrert: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Overgangsoppgave(Base):
    """En datert oppgave i overgangen med en ansvarlig (møbler, strøm, adresseendring …)."""

    __tablename__ = "overgangsoppgave"

    id: Mapped[int] = mapped_column(primary_key=True)
    overgang_id: Mapped[int] = mapped_column(ForeignKey("overgang.id"), index=True)
    tittel: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(40), default="")  # nøkkel i minstelisten
    ansvarlig_id: Mapped[int | None] = mapped_column(ForeignKey("bruker.id"))
    ansvarlig_tekst: Mapped[str] = mapped_column(String(200), default="")
    frist: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="apen")  # apen|ferdig|bortfalt
    fullfort: Mapped[date | None] = mapped_column(Date)
    paminnet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rekkefolge: Mapped[int] = mapped_column(Integer, default=0)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)

    ansvarlig: Mapped[Bruker | None] = relationship()


class Boligutfall(Base):
    """Boligsituasjonen på et fast punkt: løslatelses-/utskrivningsdagen (fast bolig,
    midlertidig, uten bolig), og etter 4 uker, 3, 6 og 12 måneder (beholdt, mistet, tilbake i
    institusjon), med årsak. Grunnlaget for avtalens § 10-tall."""

    __tablename__ = "boligutfall"
    __table_args__ = (UniqueConstraint("overgang_id", "punkt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    overgang_id: Mapped[int] = mapped_column(ForeignKey("overgang.id"), index=True)
    punkt: Mapped[str] = mapped_column(String(20))  # losladt|4_uker|3_mnd|6_mnd|12_mnd
    dato: Mapped[date] = mapped_column(Date, index=True)
    utfall: Mapped[str] = mapped_column(String(20))
    arsak: Mapped[str] = mapped_column(Text, default="")
    registrert_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    registrert: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Overgangsskjema(Base):
    """En versjon av skjemaet som følger personen fra institusjonen inn i boligen (plikter,
    kontakter, de første ukenes avtaler, inventarliste og tilstandsrapport). Innholdet er
    kryptert; filene ligger i plandokument (typene skjema_*). Kan bare få nye rader."""

    __tablename__ = "overgangsskjema"
    __table_args__ = (UniqueConstraint("overgang_id", "nummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    overgang_id: Mapped[int] = mapped_column(ForeignKey("overgang.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    feltverdier_kryptert: Mapped[str] = mapped_column(Text)
    mal_versjon: Mapped[int] = mapped_column(Integer)
    mal_sha256: Mapped[str] = mapped_column(String(64))
    opprettet_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Kartlegging(Base):
    """Personens boligsituasjon på en dato (kategori og underkategori for vanskeligstilte på
    boligmarkedet) og behovsnivået 1–4. En datert historikk: kan bare få nye rader."""

    __tablename__ = "kartlegging"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    gyldig_fra: Mapped[date] = mapped_column(Date)
    kategori: Mapped[str] = mapped_column(String(40))
    underkategori: Mapped[str] = mapped_column(String(60))
    behovsniva: Mapped[int] = mapped_column(Integer)
    registrert_av_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"))
    registrert: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


class Indeksjobb(Base):
    """Søkeindeksens journal: «dette objektet er endret», skrevet i samme transaksjon som
    endringen. Jobben utføres etter commit, og står til den er utført (ved oppstart, jevnlig og
    før en ny indeksgenerasjon tas i bruk). Utførte jobber ryddes bort etter et døgn."""

    __tablename__ = "indeksjobb"

    id: Mapped[int] = mapped_column(primary_key=True)
    art: Mapped[str] = mapped_column(String(20))  # avtale | avvik | evaluering
    objekt_id: Mapped[int] = mapped_column(Integer)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)
    behandlet: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


# --- Søket i PostgreSQL (arkiv/sok/postgres.py) -----------------------------------------------
# Tabellene finnes i begge databasene (skjemaet er det samme), men brukes bare når søket går i
# PostgreSQL; i SQLite står de tomme. Motoren skriver og leser dem med egen SQL (arkiv importerer
# ikke prosjektet); modellene her er for migreringene og testen av skjemadrift.
TSV = Text().with_variant(TSVECTOR(), "postgresql")
TEKSTLISTE = Text().with_variant(ARRAY(Text()), "postgresql")
JSONVERDI = JSON().with_variant(JSONB(), "postgresql")


class Sokedokument(Base):
    """Én versjon av ett arkivobjekt i søket: teksten (for utdrag), domenets felt (`felt`, for
    fasetter og filtre), tilgangsgruppene og ordene slik prosjektets norske analyse gir dem
    (`vektor`: tittel A, tekst B, ledd i sammensatte ord C)."""

    __tablename__ = "sokedokument"
    __table_args__ = (
        Index("ix_sokedokument_objekt", "art", "objekt_id"),
        Index("ix_sokedokument_vektor", "vektor", postgresql_using="gin"),
        Index("ix_sokedokument_tilgang", "tilgang", postgresql_using="gin"),
        Index("ix_sokedokument_dato", "dato"),
    )

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # «avtale:12:3»
    art: Mapped[str] = mapped_column(String(20))
    objekt_id: Mapped[int] = mapped_column(Integer)
    versjon: Mapped[int] = mapped_column(Integer)
    gjeldende: Mapped[bool] = mapped_column(Boolean)
    tittel: Mapped[str] = mapped_column(Text)
    tekst: Mapped[str] = mapped_column(Text)
    dato: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    felt: Mapped[dict] = mapped_column(JSONVERDI)
    tilgang: Mapped[list[str]] = mapped_column(TEKSTLISTE)
    vektor: Mapped[str] = mapped_column(TSV)
    merke: Mapped[str] = mapped_column(String(64))


class Sokeord(Base):
    """Ordlisten for sammensatte ord i PostgreSQL-søket: ordene fra arkivets tekster som
    grunnordlisten ikke har (se arkiv/sok/leksikon.py)."""

    __tablename__ = "sokeord"

    ord: Mapped[str] = mapped_column(String(100), primary_key=True)


class Soketilstand(Base):
    """Søkets tilstand i PostgreSQL (for eksempel «foreldet»: grunnen til at det må bygges på
    nytt), delt av alle nettnodene."""

    __tablename__ = "soketilstand"

    nokkel: Mapped[str] = mapped_column(String(40), primary_key=True)
    verdi: Mapped[str] = mapped_column(Text)
