"""Revisjonslogg (hendelse), malversjoner (malfil) og triggere som gjør dem uforanderlige.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Tabeller der rader bare kan legges til: ingen UPDATE, ingen DELETE.
BARE_TILLEGG = ("hendelse", "avtaleversjon", "dokument", "malfil")


def upgrade() -> None:
    op.create_table(
        "hendelse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("avtale_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("bruker_id", sa.Integer(), nullable=True),
        sa.Column("fra", sa.String(length=100), nullable=False),
        sa.Column("detaljer", sa.JSON(), nullable=False),
        sa.Column("tidspunkt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["avtale_id"], ["avtale.id"]),
        sa.ForeignKeyConstraint(["bruker_id"], ["bruker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_hendelse_avtale_id", "hendelse", ["avtale_id"])
    op.create_table(
        "malfil",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("navn", sa.String(length=64), nullable=False),
        sa.Column("versjon", sa.Integer(), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("storrelse", sa.Integer(), nullable=False),
        sa.Column("registrert", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION bare_tillegg() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'Tabellen % kan bare få nye rader (%)', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END $$
            """
        )
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
    if op.get_bind().dialect.name == "postgresql":
        for tabell in BARE_TILLEGG:
            op.execute(f"DROP TRIGGER {tabell}_bare_tillegg ON {tabell}")
        op.execute("DROP FUNCTION bare_tillegg()")
    else:
        for tabell in BARE_TILLEGG:
            for operasjon in ("update", "delete"):
                op.execute(f"DROP TRIGGER {tabell}_ingen_{operasjon}")
    op.drop_table("malfil")
    op.drop_index("ix_hendelse_avtale_id", "hendelse")
    op.drop_table("hendelse")
