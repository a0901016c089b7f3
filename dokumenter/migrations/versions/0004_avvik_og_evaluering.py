"""Avvik med genererte avviksskjemaer, og datoen for neste årlige evaluering på avtalen.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("avtale", sa.Column("neste_evaluering", sa.Date()))
    op.create_index("ix_avtale_neste_evaluering", "avtale", ["neste_evaluering"])
    op.create_table(
        "avvik",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("avtale_id", sa.Integer(), sa.ForeignKey("avtale.id"), nullable=False),
        sa.Column("nummer", sa.String(20), nullable=False, unique=True),
        sa.Column("meldt_av_side", sa.String(10), nullable=False),
        sa.Column("paragraf", sa.String(100), nullable=False),
        sa.Column("kategori", sa.String(40), nullable=False),
        sa.Column("hendelsesdato", sa.Date(), nullable=False),
        sa.Column("hva_skjedde", sa.Text(), nullable=False),
        sa.Column("konsekvens", sa.Text(), nullable=False),
        sa.Column("strakstiltak", sa.Text(), nullable=False),
        sa.Column("person_ref", sa.String(200), nullable=False),
        sa.Column("meldt_av_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("meldt", TID, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("svarfrist", sa.Date()),
        sa.Column("sendt", TID),
        sa.Column("svar_forklaring", sa.Text(), nullable=False),
        sa.Column("svar_tiltak", sa.Text(), nullable=False),
        sa.Column("besvart_av_id", sa.Integer(), sa.ForeignKey("bruker.id")),
        sa.Column("besvart", TID),
        sa.Column("lukket", TID),
        sa.Column("lukket_merknad", sa.Text(), nullable=False),
        sa.Column("lukket_av_id", sa.Integer(), sa.ForeignKey("bruker.id")),
        sa.Column("sist_paminnet", TID),
    )
    op.create_index("ix_avvik_avtale_id", "avvik", ["avtale_id"])
    op.create_index("ix_avvik_kategori", "avvik", ["kategori"])
    op.create_index("ix_avvik_status", "avvik", ["status"])
    op.create_table(
        "avviksskjema",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("avvik_id", sa.Integer(), sa.ForeignKey("avvik.id"), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("anledning", sa.String(20), nullable=False),
        sa.Column("docx_sha256", sa.String(64), nullable=False),
        sa.Column("docx_storrelse", sa.Integer(), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("pdf_storrelse", sa.Integer(), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
        sa.UniqueConstraint("avvik_id", "nummer"),
    )
    op.create_index("ix_avviksskjema_avvik_id", "avviksskjema", ["avvik_id"])
    op.create_index("ix_avviksskjema_docx_sha256", "avviksskjema", ["docx_sha256"])
    op.create_index("ix_avviksskjema_pdf_sha256", "avviksskjema", ["pdf_sha256"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER avviksskjema_bare_tillegg BEFORE UPDATE OR DELETE ON avviksskjema "
            "FOR EACH ROW EXECUTE FUNCTION bare_tillegg()"
        )
    else:
        for operasjon in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER avviksskjema_ingen_{operasjon.lower()} "
                f"BEFORE {operasjon} ON avviksskjema BEGIN "
                "SELECT RAISE(ABORT, 'Tabellen avviksskjema kan bare få nye rader'); END"
            )


def downgrade() -> None:
    op.drop_table("avviksskjema")
    op.drop_table("avvik")
    op.drop_index("ix_avtale_neste_evaluering", "avtale")
    with op.batch_alter_table("avtale") as b:
        b.drop_column("neste_evaluering")
