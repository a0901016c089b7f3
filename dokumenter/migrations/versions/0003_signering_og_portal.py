"""Signering og partnerportal: partnerbrukere, invitasjoner, signeringsrunder, signerte
kopier, kommentarer og innloggingsforsøk. Statusen «under_arbeid» blir «til_gjennomgang».

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BARE_TILLEGG = ("signert_kopi", "kommentar")
TID = sa.DateTime(timezone=True)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite kan legge til kolonne med REFERENCES
        op.execute("ALTER TABLE bruker ADD COLUMN part_id INTEGER REFERENCES part (id)")
    else:
        op.add_column("bruker", sa.Column("part_id", sa.Integer(), sa.ForeignKey("part.id")))
    op.create_index("ix_bruker_part_id", "bruker", ["part_id"])
    if op.get_bind().dialect.name == "postgresql":  # partnerbrukere har e-post som brukernavn
        op.alter_column("bruker", "brukernavn", type_=sa.String(254))
    op.add_column("avtale", sa.Column("avsluttet_dato", sa.Date()))
    op.execute("UPDATE avtale SET status = 'til_gjennomgang' WHERE status = 'under_arbeid'")

    op.create_table(
        "invitasjon",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bruker_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("nokkel_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("utloper", TID, nullable=False),
        sa.Column("brukt", TID),
        sa.Column("opprettet_av_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_invitasjon_bruker_id", "invitasjon", ["bruker_id"])
    op.create_table(
        "signeringsrunde",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("avtale_id", sa.Integer(), sa.ForeignKey("avtale.id"), nullable=False),
        sa.Column("versjon_nummer", sa.Integer(), nullable=False),
        sa.Column("dokument_sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("frist", TID, nullable=False),
        sa.Column("paminnelse_dager", sa.Integer(), nullable=False),
        sa.Column("opprettet_av_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
        sa.Column("avsluttet", TID),
        sa.Column("grunn", sa.Text(), nullable=False),
    )
    op.create_index("ix_signeringsrunde_avtale_id", "signeringsrunde", ["avtale_id"])
    op.create_index("ix_signeringsrunde_status", "signeringsrunde", ["status"])
    op.create_table(
        "signatar",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("runde_id", sa.Integer(), sa.ForeignKey("signeringsrunde.id"), nullable=False),
        sa.Column("rekkefolge", sa.Integer(), nullable=False),
        sa.Column("bruker_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("side", sa.String(10), nullable=False),
        sa.Column("rolle", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("varslet", TID),
        sa.Column("sist_paminnet", TID),
        sa.Column("signert", TID),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("avvist_grunn", sa.Text(), nullable=False),
        sa.UniqueConstraint("runde_id", "rekkefolge"),
    )
    op.create_index("ix_signatar_runde_id", "signatar", ["runde_id"])
    op.create_index("ix_signatar_bruker_id", "signatar", ["bruker_id"])
    op.create_table(
        "engangskode",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("signatar_id", sa.Integer(), sa.ForeignKey("signatar.id"), nullable=False),
        sa.Column("kode_hash", sa.String(200), nullable=False),
        sa.Column("utloper", TID, nullable=False),
        sa.Column("forsok", sa.Integer(), nullable=False),
        sa.Column("brukt", TID),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_engangskode_signatar_id", "engangskode", ["signatar_id"])
    op.create_table(
        "signert_kopi",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("avtale_id", sa.Integer(), sa.ForeignKey("avtale.id"), nullable=False),
        sa.Column("versjon_nummer", sa.Integer(), nullable=False),
        sa.Column("runde_id", sa.Integer(), sa.ForeignKey("signeringsrunde.id")),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storrelse", sa.Integer(), nullable=False),
        sa.Column("opprettet_av_id", sa.Integer(), sa.ForeignKey("bruker.id")),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_signert_kopi_avtale_id", "signert_kopi", ["avtale_id"])
    op.create_index("ix_signert_kopi_sha256", "signert_kopi", ["sha256"])
    op.create_table(
        "kommentar",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("avtale_id", sa.Integer(), sa.ForeignKey("avtale.id"), nullable=False),
        sa.Column("versjon_nummer", sa.Integer(), nullable=False),
        sa.Column("bruker_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_kommentar_avtale_id", "kommentar", ["avtale_id"])
    op.create_table(
        "innloggingsforsok",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("nokkel", sa.String(200), nullable=False),
        sa.Column("tidspunkt", TID, nullable=False),
    )
    op.create_index("ix_innloggingsforsok_nokkel", "innloggingsforsok", ["nokkel"])
    op.create_index("ix_innloggingsforsok_tidspunkt", "innloggingsforsok", ["tidspunkt"])

    # Som i 0002: signerte kopier og kommentarer kan bare legges til.
    if op.get_bind().dialect.name == "postgresql":
        for tabell in BARE_TILLEGG:
            op.execute(
                f"CREATE TRIGGER {tabell}_bare_tillegg BEFORE UPDATE OR DELETE ON {tabell} "
                "FOR EACH ROW EXECUTE FUNCTION bare_tillegg()"
            )
    else:
        for tabell in BARE_TILLEGG:
            for operasjon in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {tabell}_ingen_{operasjon.lower()} "
                    f"BEFORE {operasjon} ON {tabell} BEGIN "
                    f"SELECT RAISE(ABORT, 'Tabellen {tabell} kan bare få nye rader'); END"
                )


def downgrade() -> None:
    for tabell in ("innloggingsforsok", "kommentar", "signert_kopi", "engangskode", "signatar"):
        op.drop_table(tabell)
    for tabell in ("signeringsrunde", "invitasjon"):
        op.drop_table(tabell)
    op.execute("UPDATE avtale SET status = 'under_arbeid' WHERE status = 'til_gjennomgang'")
    with op.batch_alter_table("avtale") as b:
        b.drop_column("avsluttet_dato")
    with op.batch_alter_table("bruker") as b:
        b.drop_index("ix_bruker_part_id")
        b.drop_column("part_id")
