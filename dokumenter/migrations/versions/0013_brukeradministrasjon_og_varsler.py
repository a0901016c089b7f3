"""Brukeradministrasjon og varsler: telefon på brukeren, engangslenker for nytt passord og ny
e-postadresse (kontolenke), varselloggen (varsel, bare tillegg) og hvem som følger opp et
avvik for kommunen (avvik.oppfolger_id, så det kan overføres når noen slutter).

Eksisterende avvik får oppfølgeren fra det som gjaldt før: den ansatte som meldte det, ellers
den ansvarlige for avtalen.

Revision ID: 0013
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)


def _bruker(navn: str, nullable: bool = False) -> sa.Column:
    return sa.Column(navn, sa.Integer(), sa.ForeignKey("bruker.id"), nullable=nullable)


def upgrade() -> None:
    # ADD COLUMN med standardverdi: ingen ombygging av tabellen, heller ikke i SQLite.
    op.add_column(
        "bruker",
        sa.Column("telefon", sa.String(40), nullable=False, server_default=sa.text("''")),
    )

    op.create_table(
        "kontolenke",
        sa.Column("id", sa.Integer(), primary_key=True),
        _bruker("bruker_id"),
        sa.Column("formal", sa.String(20), nullable=False),
        sa.Column("nokkel_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("ny_epost", sa.String(254), nullable=False),
        sa.Column("utloper", TID, nullable=False),
        sa.Column("brukt", TID),
        _bruker("opprettet_av_id", nullable=True),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_kontolenke_bruker_id", "kontolenke", ["bruker_id"])

    op.create_table(
        "varsel",
        sa.Column("id", sa.Integer(), primary_key=True),
        _bruker("bruker_id", nullable=True),
        sa.Column("adresse", sa.String(254), nullable=False),
        sa.Column("hendelse", sa.String(40), nullable=False),
        sa.Column("objekt_type", sa.String(20), nullable=False),
        sa.Column("objekt_id", sa.Integer()),
        _bruker("utlost_av_id", nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("feil", sa.Text(), nullable=False),
        sa.Column("tidspunkt", TID, nullable=False),
    )
    op.create_index("ix_varsel_bruker_id", "varsel", ["bruker_id"])
    op.create_index("ix_varsel_tidspunkt", "varsel", ["tidspunkt"])
    op.create_index("ix_varsel_objekt", "varsel", ["objekt_type", "objekt_id"])
    _bare_tillegg("varsel")

    # SQLite bygger avvik om (batch); env.py slår av fremmednøklene imens. avvik har ingen
    # triggere (det har avviksskjema, som ikke røres).
    with op.batch_alter_table("avvik") as b:
        b.add_column(sa.Column("oppfolger_id", sa.Integer()))
        b.create_foreign_key("fk_avvik_oppfolger_id", "bruker", ["oppfolger_id"], ["id"])
        b.create_index("ix_avvik_oppfolger_id", ["oppfolger_id"])
    op.execute(
        "UPDATE avvik SET oppfolger_id = CASE WHEN meldt_av_side = 'kommune' THEN meldt_av_id "
        "ELSE (SELECT ansvarlig_id FROM avtale WHERE avtale.id = avvik.avtale_id) END"
    )


def _bare_tillegg(tabell: str) -> None:
    """Som 0007: UPDATE og DELETE avvises (PostgreSQL-funksjonen er fra 0002)."""
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
    with op.batch_alter_table("avvik") as b:
        b.drop_index("ix_avvik_oppfolger_id")
        b.drop_constraint("fk_avvik_oppfolger_id", type_="foreignkey")
        b.drop_column("oppfolger_id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER varsel_bare_tillegg ON varsel")
    else:
        for operasjon in ("update", "delete"):
            op.execute(f"DROP TRIGGER varsel_ingen_{operasjon}")
    op.drop_table("varsel")
    op.drop_table("kontolenke")
    with op.batch_alter_table("bruker") as b:
        b.drop_column("telefon")
