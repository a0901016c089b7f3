"""Datamodellen: brukere, parter med kontaktpersoner, avtaler med versjoner og dokumenter."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def naa() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Bruker(Base):
    __tablename__ = "bruker"

    id: Mapped[int] = mapped_column(primary_key=True)
    brukernavn: Mapped[str] = mapped_column(String(64), unique=True)
    navn: Mapped[str] = mapped_column(String(200))
    epost: Mapped[str] = mapped_column(String(254), default="")
    rolle: Mapped[str] = mapped_column(String(20))
    passord_hash: Mapped[str] = mapped_column(String(200))
    aktiv: Mapped[bool] = mapped_column(default=True)
    opprettet: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=naa)


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
