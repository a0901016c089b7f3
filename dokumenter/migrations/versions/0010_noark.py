"""Noark 5: arkiv, arkivdeler, klasser, saksmapper, journalposter, dokumentbeskrivelser og
dokumentobjekter, skjerming, endringer som ellers ville forsvunnet, utboksen til sak/arkiv
(Fiks Arkiv) og arkivuttrekk startet fra nettsiden.

Arkivet og de tre arkivdelene lages her, med systemID-er som aldri endres. Journalposter og
skjermingsendringer kan bare få nye rader (triggere; PostgreSQL bruker `bare_tillegg()` fra
0002).

Revision ID: 0010
Revises: 0008
"""

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)
BARE_TILLEGG = ("journalpost", "skjermingsendring")
ARKIVDELER = (
    ("samarbeidsavtaler", "Samarbeidsavtaler"),
    ("avvik_og_evalueringer", "Avvik og evalueringer"),
    ("individuelle_planer", "Individuelle planer"),
)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _system_id() -> sa.Column:
    return sa.Column("system_id", sa.String(36), nullable=False, unique=True)


def _bruker(navn: str) -> sa.Column:
    return sa.Column(navn, sa.Integer(), sa.ForeignKey("bruker.id"))


def _tid(navn: str, nullable: bool = False) -> sa.Column:
    return sa.Column(navn, TID, nullable=nullable)


def _tekst(navn: str, lengde: int | None = None) -> sa.Column:
    return sa.Column(navn, sa.String(lengde) if lengde else sa.Text(), nullable=False)


def _tall(navn: str, nullable: bool = False) -> sa.Column:
    return sa.Column(navn, sa.Integer(), nullable=nullable)


def upgrade() -> None:
    arkiv = op.create_table("arkiv", _id(), _system_id(), _tid("opprettet"))
    arkivdel = op.create_table(
        "arkivdel",
        _id(),
        _tekst("kode", 40),
        _system_id(),
        sa.Column("klassifikasjonssystem_id", sa.String(36), nullable=False, unique=True),
        _tekst("tittel", 200),
        _tekst("status", 40),
        sa.Column("periode_start", sa.Date(), nullable=False),
        sa.Column("periode_slutt", sa.Date()),
        _tid("opprettet"),
        sa.UniqueConstraint("kode"),
    )
    op.create_table(
        "klasse",
        _id(),
        _system_id(),
        sa.Column("arkivdel_id", sa.Integer(), sa.ForeignKey("arkivdel.id"), nullable=False),
        _tekst("klasse_id", 40),
        _tekst("tittel", 200),
        _tid("opprettet"),
        sa.UniqueConstraint("arkivdel_id", "klasse_id"),
    )
    op.create_table(
        "saksmappe",
        _id(),
        _system_id(),
        sa.Column("arkivdel_id", sa.Integer(), sa.ForeignKey("arkivdel.id"), nullable=False),
        sa.Column("klasse_id", sa.Integer(), sa.ForeignKey("klasse.id"), nullable=False),
        _tall("saksaar"),
        _tall("sakssekvensnummer"),
        sa.Column("avtale_id", sa.Integer(), sa.ForeignKey("avtale.id"), unique=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), unique=True),
        sa.Column("plan_nummer", sa.String(20)),
        sa.Column("part_id", sa.Integer(), sa.ForeignKey("part.id"), nullable=False),
        _tekst("tittel", 300),
        _tekst("offentlig_tittel", 300),
        _tall("siste_journalpostnummer"),
        _tid("opprettet"),
        _bruker("opprettet_av_id"),
        _tekst("kassasjonsvedtak", 20),
        _tekst("kassasjonshjemmel", 300),
        _tall("bevaringstid", nullable=True),
        _tid("kassert", nullable=True),
        _tekst("kassert_av", 100),
        sa.Column("kassasjonsdato", sa.Date()),
        _tid("avsluttet", nullable=True),
        _tekst("avsluttet_av", 200),
        _tekst("saksansvarlig", 200),
        sa.UniqueConstraint("saksaar", "sakssekvensnummer"),
    )
    op.create_index("ix_saksmappe_arkivdel_id", "saksmappe", ["arkivdel_id"])
    op.create_index("ix_saksmappe_klasse_id", "saksmappe", ["klasse_id"])
    op.create_table(
        "journalpost",
        _id(),
        _system_id(),
        sa.Column("saksmappe_id", sa.Integer(), sa.ForeignKey("saksmappe.id"), nullable=False),
        sa.Column("arkivdel_id", sa.Integer(), sa.ForeignKey("arkivdel.id"), nullable=False),
        _tall("journalaar"),
        _tall("journalsekvensnummer"),
        _tall("journalpostnummer"),
        _tekst("journalposttype", 1),
        _tekst("journalstatus", 40),
        sa.Column("journaldato", sa.Date(), nullable=False),
        sa.Column("dokumentets_dato", sa.Date(), nullable=False),
        _tekst("hendelse", 40),
        sa.Column("kilde", sa.String(60)),
        _tekst("tittel", 300),
        _tekst("offentlig_tittel", 300),
        sa.Column("avvik_id", sa.Integer(), sa.ForeignKey("avvik.id")),
        _tekst("korrespondanseparttype", 40),
        _tekst("korrespondansepart", 200),
        _tekst("kontaktperson", 200),
        _tid("opprettet"),
        _bruker("opprettet_av_id"),
        sa.UniqueConstraint("journalaar", "journalsekvensnummer"),
        sa.UniqueConstraint("saksmappe_id", "journalpostnummer"),
    )
    for kolonne in ("saksmappe_id", "journaldato", "avvik_id", "kilde"):
        op.create_index(f"ix_journalpost_{kolonne}", "journalpost", [kolonne])
    op.create_table(
        "dokumentbeskrivelse",
        _id(),
        _system_id(),
        sa.Column("journalpost_id", sa.Integer(), sa.ForeignKey("journalpost.id"), nullable=False),
        _tall("dokumentnummer"),
        _tekst("dokumenttype", 60),
        _tekst("tittel", 300),
        _tid("opprettet"),
        _bruker("opprettet_av_id"),
        _tid("kassert", nullable=True),
        _tekst("kassert_av", 100),
        sa.UniqueConstraint("journalpost_id", "dokumentnummer"),
    )
    op.create_index(
        "ix_dokumentbeskrivelse_journalpost_id", "dokumentbeskrivelse", ["journalpost_id"]
    )
    op.create_table(
        "dokumentobjekt",
        _id(),
        _system_id(),
        sa.Column(
            "dokumentbeskrivelse_id",
            sa.Integer(),
            sa.ForeignKey("dokumentbeskrivelse.id"),
            nullable=False,
        ),
        _tall("versjonsnummer"),
        _tekst("variantformat", 40),
        _tekst("filtype", 10),
        _tekst("format", 20),
        _tekst("format_detaljer", 100),
        sa.Column("konvertert", sa.Boolean(), nullable=False),
        _tekst("lager_sha256", 64),
        sa.Column("kryptert", sa.Boolean(), nullable=False),
        _tekst("sjekksum", 64),
        _tall("filstoerrelse"),
        _tid("opprettet"),
        _bruker("opprettet_av_id"),
        sa.UniqueConstraint("dokumentbeskrivelse_id", "variantformat"),
    )
    op.create_index(
        "ix_dokumentobjekt_dokumentbeskrivelse_id", "dokumentobjekt", ["dokumentbeskrivelse_id"]
    )
    op.create_index("ix_dokumentobjekt_lager_sha256", "dokumentobjekt", ["lager_sha256"])
    op.create_table(
        "skjermingsendring",
        _id(),
        sa.Column("saksmappe_id", sa.Integer(), sa.ForeignKey("saksmappe.id")),
        sa.Column("avvik_id", sa.Integer(), sa.ForeignKey("avvik.id")),
        sa.Column("skjermet", sa.Boolean(), nullable=False),
        _tekst("grunn"),
        sa.Column("bruker_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        _tid("tidspunkt"),
    )
    for kolonne in ("saksmappe_id", "avvik_id"):
        op.create_index(f"ix_skjermingsendring_{kolonne}", "skjermingsendring", [kolonne])
    op.create_table(
        "metadataendring",
        _id(),
        _tekst("arkivenhet", 36),
        _tekst("metadata_navn", 60),
        _tekst("tidligere_verdi"),
        _tekst("ny_verdi"),
        _tekst("endret_av", 200),
        _tid("endret"),
    )
    op.create_index("ix_metadataendring_arkivenhet", "metadataendring", ["arkivenhet"])
    op.create_table(
        "arkivmelding",
        _id(),
        sa.Column("meldings_id", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "journalpost_id",
            sa.Integer(),
            sa.ForeignKey("journalpost.id"),
            nullable=False,
            unique=True,
        ),
        _tekst("meldingstype", 100),
        _tekst("xml"),
        sa.Column("filer", sa.JSON(), nullable=False),
        _tekst("status", 20),
        _tall("forsok"),
        _tekst("feil"),
        _tid("opprettet"),
        _tid("sendt", nullable=True),
        _tid("kvittert", nullable=True),
        _tekst("arkivets_saksnummer", 40),
        _tekst("arkivets_journalpostnummer", 40),
    )
    op.create_index("ix_arkivmelding_status", "arkivmelding", ["status"])
    op.create_table(
        "uttrekksjobb",
        _id(),
        _tekst("status", 20),
        sa.Column("fra", sa.Date()),
        sa.Column("til", sa.Date()),
        _tekst("arkivdel", 200),
        sa.Column("startet_av_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        _tid("opprettet"),
        _tid("oppdatert"),
        _tid("ferdig", nullable=True),
        _tekst("trinn", 100),
        _tall("gjort"),
        _tall("totalt"),
        _tekst("melding"),
        _tekst("fil", 300),
        sa.Column("storrelse", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_uttrekksjobb_status", "uttrekksjobb", ["status"])
    _bare_tillegg()
    _arkiv_og_arkivdeler(arkiv, arkivdel)


def _arkiv_og_arkivdeler(arkiv: sa.Table, arkivdel: sa.Table) -> None:
    """Arkivet og arkivdelene, med periode fra den eldste avtalen eller planen som finnes."""
    naa = datetime.now(UTC)
    eldste = [
        op.get_bind().scalar(sa.text(f"SELECT MIN(opprettet) FROM {tabell}"))
        for tabell in ("avtale", "plan")
    ]
    datoer = [_dato(t) for t in eldste if t is not None]
    start = min([*datoer, naa.date()])
    op.bulk_insert(arkiv, [{"system_id": str(uuid.uuid4()), "opprettet": naa}])
    op.bulk_insert(
        arkivdel,
        [
            {
                "kode": kode,
                "system_id": str(uuid.uuid4()),
                "klassifikasjonssystem_id": str(uuid.uuid4()),
                "tittel": tittel,
                "status": "Aktiv periode",
                "periode_start": start,
                "opprettet": naa,
            }
            for kode, tittel in ARKIVDELER
        ],
    )


def _dato(verdi: object) -> date:
    """SQLite gir tekst tilbake fra MIN(), PostgreSQL et tidspunkt."""
    if isinstance(verdi, datetime):
        return verdi.date()
    return date.fromisoformat(str(verdi)[:10])


def _bare_tillegg() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for tabell in BARE_TILLEGG:
            op.execute(
                f"CREATE TRIGGER {tabell}_bare_tillegg BEFORE UPDATE OR DELETE ON {tabell} "
                "FOR EACH ROW EXECUTE FUNCTION bare_tillegg()"
            )
        return
    for tabell in BARE_TILLEGG:
        for operasjon in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {tabell}_ingen_{operasjon.lower()} "
                f"BEFORE {operasjon} ON {tabell} BEGIN "
                f"SELECT RAISE(ABORT, 'Tabellen {tabell} kan bare få nye rader'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for tabell in BARE_TILLEGG:
            op.execute(f"DROP TRIGGER {tabell}_bare_tillegg ON {tabell}")
    for tabell in (
        "uttrekksjobb",
        "arkivmelding",
        "metadataendring",
        "skjermingsendring",
        "dokumentobjekt",
        "dokumentbeskrivelse",
        "journalpost",
        "saksmappe",
        "klasse",
        "arkivdel",
        "arkiv",
    ):
        op.drop_table(tabell)
