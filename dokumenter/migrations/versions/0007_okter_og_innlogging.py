"""Økter i databasen (okt), kontologgen (kontologg, bare tillegg), innloggingsforsøk per
brukernavn og adresse, og telleren for feil engangskoder i en signeringsrunde.

innloggingsforsok bygges om: radene har ingen verdi etter noen timer, så de gamle (med én
sammensatt nøkkel) kastes i stedet for å tolkes.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)


def _bruker(navn: str, nullable: bool = False) -> sa.Column:
    return sa.Column(navn, sa.Integer(), sa.ForeignKey("bruker.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "okt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("nokkel_hash", sa.String(64), nullable=False, unique=True),
        _bruker("bruker_id", nullable=True),
        sa.Column("art", sa.String(10), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
        sa.Column("sist_brukt", TID, nullable=False),
        sa.Column("utloper", TID, nullable=False),
    )
    for kolonne in ("bruker_id", "sist_brukt", "utloper"):
        op.create_index(f"ix_okt_{kolonne}", "okt", [kolonne])

    op.create_table(
        "kontologg",
        sa.Column("id", sa.Integer(), primary_key=True),
        _bruker("bruker_id"),
        sa.Column("handling", sa.String(40), nullable=False),
        _bruker("utfort_av_id", nullable=True),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("fra", sa.String(100), nullable=False),
        sa.Column("detaljer", sa.JSON(), nullable=False),
        sa.Column("tidspunkt", TID, nullable=False),
    )
    op.create_index("ix_kontologg_bruker_id", "kontologg", ["bruker_id"])
    _bare_tillegg("kontologg")

    op.drop_table("innloggingsforsok")
    op.create_table(
        "innloggingsforsok",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("brukernavn", sa.String(254), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("tidspunkt", TID, nullable=False),
    )
    for kolonne in ("brukernavn", "ip", "tidspunkt"):
        op.create_index(f"ix_innloggingsforsok_{kolonne}", "innloggingsforsok", [kolonne])

    # ADD COLUMN med standardverdi: ingen ombygging av tabellen, heller ikke i SQLite.
    op.add_column(
        "signeringsrunde",
        sa.Column("feil_koder", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def _bare_tillegg(tabell: str) -> None:
    """Som 0002–0004: UPDATE og DELETE avvises (PostgreSQL-funksjonen er fra 0002)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {tabell}_bare_tillegg BEFORE UPDATE OR DELETE ON {tabell} "
            "FOR EACH ROW EXECUTE FUNCTION bare_tillegg()"
        )
        return
    for operasjon in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {tabell}_ingen_{operasjon.lower()} BEFORE {operasjon} ON {tabell} "
            f"BEGIN SELECT RAISE(ABORT, 'Tabellen {tabell} kan bare få nye rader'); END"
        )


def downgrade() -> None:
    with op.batch_alter_table("signeringsrunde") as b:
        b.drop_column("feil_koder")
    op.drop_table("innloggingsforsok")
    op.create_table(
        "innloggingsforsok",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("nokkel", sa.String(200), nullable=False),
        sa.Column("tidspunkt", TID, nullable=False),
    )
    op.create_index("ix_innloggingsforsok_nokkel", "innloggingsforsok", ["nokkel"])
    op.create_index("ix_innloggingsforsok_tidspunkt", "innloggingsforsok", ["tidspunkt"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER kontologg_bare_tillegg ON kontologg")
    else:
        for operasjon in ("update", "delete"):
            op.execute(f"DROP TRIGGER kontologg_ingen_{operasjon}")
    op.drop_table("kontologg")
    op.drop_table("okt")
