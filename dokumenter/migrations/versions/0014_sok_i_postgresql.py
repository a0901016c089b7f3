"""Søket i PostgreSQL: `sokedokument` (én rad per indeksert versjon, med ordene som `tsvector`
og tilgangsgruppene som `text[]`, begge med GIN-indeks), `sokeord` (ordlisten for sammensatte
ord) og `soketilstand`.

Tabellene lages i begge databasene, så skjemaet er det samme; i SQLite er kolonnetypene tekst og
JSON, indeksene vanlige, og tabellene står tomme (søket går i Whoosh). Når appen kjører mot
PostgreSQL, er tabellen tom etter migreringen og bygges fra arkivet av seg selv (vedlikeholdet
ser at antallet ikke stemmer), eller med `dokumenter arkiv reindekser`.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sokedokument",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("art", sa.String(20), nullable=False),
        sa.Column("objekt_id", sa.Integer(), nullable=False),
        sa.Column("versjon", sa.Integer(), nullable=False),
        sa.Column("gjeldende", sa.Boolean(), nullable=False),
        sa.Column("tittel", sa.Text(), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("dato", TID, nullable=False),
        sa.Column("felt", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column(
            "tilgang", sa.Text().with_variant(ARRAY(sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("vektor", sa.Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
        sa.Column("merke", sa.String(64), nullable=False),
    )
    op.create_index("ix_sokedokument_objekt", "sokedokument", ["art", "objekt_id"])
    op.create_index("ix_sokedokument_vektor", "sokedokument", ["vektor"], postgresql_using="gin")
    op.create_index("ix_sokedokument_tilgang", "sokedokument", ["tilgang"], postgresql_using="gin")
    op.create_index("ix_sokedokument_dato", "sokedokument", ["dato"])
    op.create_table("sokeord", sa.Column("ord", sa.String(100), primary_key=True))
    op.create_table(
        "soketilstand",
        sa.Column("nokkel", sa.String(40), primary_key=True),
        sa.Column("verdi", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("soketilstand")
    op.drop_table("sokeord")
    op.drop_table("sokedokument")
