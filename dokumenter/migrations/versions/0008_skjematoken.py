"""Lagring som tåler å sendes to ganger: avtale- og planversjoner får skjemaets engangsnøkkel
(`skjema_token`, valgfri og unik). Et skjema som sendes på nytt med samme nøkkel (svaret
gikk tapt etter commit), gir den versjonen som alt er lagret, ikke en konflikt.

Kolonnen legges til med ADD COLUMN (ingen ombygging av tabellen), så triggerne som gjør
tabellene til bare-tillegg, blir stående urørt på både SQLite og PostgreSQL.

Revision ID: 0008
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABELLER = ("avtaleversjon", "planversjon")


def upgrade() -> None:
    for tabell in TABELLER:
        op.add_column(tabell, sa.Column("skjema_token", sa.String(64), nullable=True))
        op.create_index(f"ix_{tabell}_skjema_token", tabell, ["skjema_token"], unique=True)


def downgrade() -> None:
    for tabell in TABELLER:
        op.drop_index(f"ix_{tabell}_skjema_token", tabell)
        if op.get_bind().dialect.name == "sqlite":
            # SQLite 3.35+ kan DROP COLUMN uten ombygging (ingen indeks står igjen på den).
            op.execute(f"ALTER TABLE {tabell} DROP COLUMN skjema_token")
        else:
            op.drop_column(tabell, "skjema_token")
