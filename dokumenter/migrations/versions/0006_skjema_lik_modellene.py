"""Skjemaet likt modellene: indeksen på ansvarsgruppemedlem.plan_id som 0005 glemte, og
bruker.brukernavn på 254 tegn også i SQLite (0003 utvidet den bare i PostgreSQL).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ansvarsgruppemedlem_plan_id", "ansvarsgruppemedlem", ["plan_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite bygger tabellen om (batch); env.py slår av fremmednøklene imens. bruker har
        # ingen triggere. Partnerbrukere har e-post som brukernavn, som i PostgreSQL fra 0003.
        with op.batch_alter_table("bruker") as b:
            b.alter_column(
                "brukernavn",
                existing_type=sa.String(64),
                type_=sa.String(254),
                existing_nullable=False,
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite håndhever ikke lengden: ingenting kuttes
        with op.batch_alter_table("bruker") as b:
            b.alter_column(
                "brukernavn",
                existing_type=sa.String(254),
                type_=sa.String(64),
                existing_nullable=False,
            )
    op.drop_index("ix_ansvarsgruppemedlem_plan_id", "ansvarsgruppemedlem")
