"""Individuelle planer: planer med kryptert navn og fødselsdato, versjoner, krypterte filer,
ansvarsgruppe, samtykker per part, tilganger med begrunnelse, innsynslogg og sletterapporter.
Signeringsrunder kan nå gjelde en plan i stedet for en avtale.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)
# Kan bare få nye rader; slettes bare når planen er merket «slettes» (oppbevaringstiden ute).
BARE_TILLEGG = ("planversjon", "plandokument", "planlogg")


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _plan_id() -> sa.Column:
    return sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False)


def _bruker(navn: str, nullable: bool = False) -> sa.Column:
    return sa.Column(navn, sa.Integer(), sa.ForeignKey("bruker.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "plan",
        _id(),
        sa.Column("nummer", sa.String(20), nullable=False, unique=True),
        sa.Column("navn_kryptert", sa.Text(), nullable=False),
        sa.Column("fodselsdato_kryptert", sa.Text(), nullable=False),
        sa.Column("part_id", sa.Integer(), sa.ForeignKey("part.id"), nullable=False),
        sa.Column("avtale_id", sa.Integer(), sa.ForeignKey("avtale.id")),
        _bruker("koordinator_id"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("gjeldende_versjon", sa.Integer(), nullable=False),
        sa.Column("neste_evaluering", sa.Date()),
        sa.Column("evaluering_paminnet", TID),
        sa.Column("avsluttet_dato", sa.Date()),
        sa.Column("avsluttet_grunn", sa.Text(), nullable=False),
        sa.Column("slettes_etter", sa.Date()),
        _bruker("opprettet_av_id"),
        sa.Column("opprettet", TID, nullable=False),
        sa.Column("endret", TID, nullable=False),
    )
    for kolonne in (
        "part_id",
        "avtale_id",
        "koordinator_id",
        "status",
        "neste_evaluering",
        "slettes_etter",
    ):
        op.create_index(f"ix_plan_{kolonne}", "plan", [kolonne])

    # SQLite bygger tabellen om (batch); env.py slår av fremmednøklene imens.
    with op.batch_alter_table("signeringsrunde") as b:
        b.alter_column("avtale_id", existing_type=sa.Integer(), nullable=True)
        b.add_column(sa.Column("plan_id", sa.Integer()))
        b.create_foreign_key("fk_signeringsrunde_plan_id", "plan", ["plan_id"], ["id"])
        b.create_index("ix_signeringsrunde_plan_id", ["plan_id"])

    op.create_table(
        "planversjon",
        _id(),
        _plan_id(),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("feltverdier", sa.JSON(), nullable=False),
        sa.Column("mal_versjon", sa.Integer(), nullable=False),
        sa.Column("mal_sha256", sa.String(64), nullable=False),
        sa.Column("grunn", sa.String(500), nullable=False),
        _bruker("opprettet_av_id"),
        sa.Column("opprettet", TID, nullable=False),
        sa.UniqueConstraint("plan_id", "nummer"),
    )
    op.create_table(
        "plandokument",
        _id(),
        _plan_id(),
        sa.Column("versjon_nummer", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storrelse", sa.Integer(), nullable=False),
        sa.Column("innhold_sha256", sa.String(64), nullable=False),
        sa.Column("runde_id", sa.Integer(), sa.ForeignKey("signeringsrunde.id")),
        _bruker("opprettet_av_id", nullable=True),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_plandokument_sha256", "plandokument", ["sha256"])
    op.create_table(
        "ansvarsgruppemedlem",
        _id(),
        _plan_id(),
        _bruker("bruker_id"),
        sa.Column("tjeneste", sa.String(200), nullable=False),
        sa.Column("rolle", sa.String(200), nullable=False),
        _bruker("lagt_til_av_id"),
        sa.Column("lagt_til", TID, nullable=False),
        sa.UniqueConstraint("plan_id", "bruker_id"),
    )
    op.create_index("ix_ansvarsgruppemedlem_bruker_id", "ansvarsgruppemedlem", ["bruker_id"])
    op.create_table(
        "samtykke",
        _id(),
        _plan_id(),
        sa.Column("part_id", sa.Integer(), sa.ForeignKey("part.id"), nullable=False),
        sa.Column("gitt", sa.Date(), nullable=False),
        _bruker("registrert_av_id"),
        sa.Column("registrert", TID, nullable=False),
        sa.Column("trukket", TID),
        _bruker("trukket_av_id", nullable=True),
    )
    op.create_index("ix_samtykke_part_id", "samtykke", ["part_id"])
    op.create_table(
        "plantilgang",
        _id(),
        _plan_id(),
        _bruker("bruker_id"),
        sa.Column("grunn", sa.String(500), nullable=False),
        _bruker("gitt_av_id"),
        sa.Column("gitt", TID, nullable=False),
        sa.Column("utloper", sa.Date()),
        sa.Column("trukket", TID),
        _bruker("trukket_av_id", nullable=True),
    )
    op.create_index("ix_plantilgang_bruker_id", "plantilgang", ["bruker_id"])
    op.create_table(
        "planlogg",
        _id(),
        _plan_id(),
        _bruker("bruker_id", nullable=True),
        sa.Column("handling", sa.String(40), nullable=False),
        sa.Column("grunnlag", sa.String(600), nullable=False),
        sa.Column("detaljer", sa.JSON(), nullable=False),
        sa.Column("fra", sa.String(100), nullable=False),
        sa.Column("tidspunkt", TID, nullable=False),
    )
    for tabell in ("planversjon", "plandokument", "samtykke", "plantilgang", "planlogg"):
        op.create_index(f"ix_{tabell}_plan_id", tabell, ["plan_id"])
    op.create_table(
        "plansletting",
        _id(),
        sa.Column("plan_nummer", sa.String(20), nullable=False),
        sa.Column("avsluttet_dato", sa.Date()),
        sa.Column("slettet", TID, nullable=False),
        sa.Column("rader", sa.JSON(), nullable=False),
        sa.Column("filer", sa.Integer(), nullable=False),
        sa.Column("indeksdokumenter", sa.Integer(), nullable=False),
        sa.Column("utfort_av", sa.String(100), nullable=False),
    )
    _bare_tillegg_til_sletting()


def _bare_tillegg_til_sletting() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION plan_bare_tillegg() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND
                   (SELECT status FROM plan WHERE id = OLD.plan_id) = 'slettes' THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'Tabellen % kan bare få nye rader (%)', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END $$
            """
        )
        for tabell in BARE_TILLEGG:
            op.execute(
                f"CREATE TRIGGER {tabell}_bare_tillegg BEFORE UPDATE OR DELETE ON {tabell} "
                "FOR EACH ROW EXECUTE FUNCTION plan_bare_tillegg()"
            )
        return
    for tabell in BARE_TILLEGG:
        op.execute(
            f"CREATE TRIGGER {tabell}_ingen_update BEFORE UPDATE ON {tabell} BEGIN "
            f"SELECT RAISE(ABORT, 'Tabellen {tabell} kan bare få nye rader'); END"
        )
        op.execute(
            f"CREATE TRIGGER {tabell}_ingen_delete BEFORE DELETE ON {tabell} "
            "WHEN (SELECT status FROM plan WHERE id = OLD.plan_id) IS NOT 'slettes' BEGIN "
            f"SELECT RAISE(ABORT, 'Tabellen {tabell} kan bare få nye rader'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for tabell in BARE_TILLEGG:
            op.execute(f"DROP TRIGGER {tabell}_bare_tillegg ON {tabell}")
        op.execute("DROP FUNCTION plan_bare_tillegg()")
    for tabell in (
        "plansletting",
        "planlogg",
        "plantilgang",
        "samtykke",
        "ansvarsgruppemedlem",
        "plandokument",
        "planversjon",
    ):
        op.drop_table(tabell)
    op.execute(
        "DELETE FROM signatar WHERE runde_id IN "
        "(SELECT id FROM signeringsrunde WHERE plan_id IS NOT NULL)"
    )
    op.execute("DELETE FROM signeringsrunde WHERE plan_id IS NOT NULL")
    with op.batch_alter_table("signeringsrunde") as b:
        b.drop_index("ix_signeringsrunde_plan_id")
        b.drop_constraint("fk_signeringsrunde_plan_id", type_="foreignkey")
        b.drop_column("plan_id")
        b.alter_column("avtale_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("plan")
