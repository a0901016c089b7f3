"""Overgangen fra institusjon til bolig: overgang (faser, kontakter, overlapp), møter,
oppgaver, boligutfall på faste punkter, overgangsskjemaet og kartleggingen (kategori og
behovsnivå) med historikk. Avvik får oppdagelsesdato, alvorlighet og begrunnelse for sen
sending; samtykker får omfang, formål, form, vitne og skannet kopi.

overgangsskjema og kartlegging kan bare få nye rader (som planversjon og planlogg i 0005),
og slettes bare når planen er merket «slettes».

Revision ID: 0011
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)
TOM = sa.text("''")  # tom tekst som standardverdi for radene som finnes
BARE_TILLEGG = ("overgangsskjema", "kartlegging")


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _bruker(navn: str, nullable: bool = False) -> sa.Column:
    return sa.Column(navn, sa.Integer(), sa.ForeignKey("bruker.id"), nullable=nullable)


def _overgang_id() -> sa.Column:
    return sa.Column("overgang_id", sa.Integer(), sa.ForeignKey("overgang.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "overgang",
        _id(),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False, unique=True),
        sa.Column("motefrekvens_maneder", sa.Integer(), nullable=False),
        sa.Column("neste_samarbeidsmote", sa.Date()),
        sa.Column("samarbeidsmote_paminnet", TID),
        sa.Column("forventet_losladt", sa.Date()),
        sa.Column("tilbud_dato", sa.Date()),
        sa.Column("bolig_kryptert", sa.Text(), nullable=False),
        sa.Column("visning_dato", sa.Date()),
        sa.Column("kontrakt_dato", sa.Date()),
        sa.Column("innflytting_dato", sa.Date()),
        sa.Column("overlapp_fra", sa.Date()),
        sa.Column("overlapp_til", sa.Date()),
        sa.Column("overlapp_betaler", sa.String(200), nullable=False),
        _bruker("primaerkontakt_id", nullable=True),
        _bruker("booppfolger_id", nullable=True),
        _bruker("sekundaerkontakt_id", nullable=True),
        sa.Column("kontakt_varslet", sa.JSON(), nullable=False),
        sa.Column("utfall_paminnet", TID),
        _bruker("opprettet_av_id"),
        sa.Column("opprettet", TID, nullable=False),
        sa.Column("endret", TID, nullable=False),
    )
    op.create_index("ix_overgang_neste_samarbeidsmote", "overgang", ["neste_samarbeidsmote"])
    op.create_table(
        "overgangsmote",
        _id(),
        _overgang_id(),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("deltakere", sa.Text(), nullable=False),
        sa.Column("oppfolgingsniva", sa.String(20), nullable=False),
        sa.Column("merknad", sa.Text(), nullable=False),
        _bruker("registrert_av_id"),
        sa.Column("registrert", TID, nullable=False),
    )
    op.create_table(
        "overgangsoppgave",
        _id(),
        _overgang_id(),
        sa.Column("tittel", sa.String(200), nullable=False),
        sa.Column("standard", sa.String(40), nullable=False),
        _bruker("ansvarlig_id", nullable=True),
        sa.Column("ansvarlig_tekst", sa.String(200), nullable=False),
        sa.Column("frist", sa.Date()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("fullfort", sa.Date()),
        sa.Column("paminnet", TID),
        sa.Column("rekkefolge", sa.Integer(), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_overgangsoppgave_frist", "overgangsoppgave", ["frist"])
    op.create_table(
        "boligutfall",
        _id(),
        _overgang_id(),
        sa.Column("punkt", sa.String(20), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("utfall", sa.String(20), nullable=False),
        sa.Column("arsak", sa.Text(), nullable=False),
        _bruker("registrert_av_id"),
        sa.Column("registrert", TID, nullable=False),
        sa.UniqueConstraint("overgang_id", "punkt"),
    )
    op.create_index("ix_boligutfall_dato", "boligutfall", ["dato"])
    op.create_table(
        "overgangsskjema",
        _id(),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False),
        _overgang_id(),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("feltverdier_kryptert", sa.Text(), nullable=False),
        sa.Column("mal_versjon", sa.Integer(), nullable=False),
        sa.Column("mal_sha256", sa.String(64), nullable=False),
        _bruker("opprettet_av_id"),
        sa.Column("opprettet", TID, nullable=False),
        sa.UniqueConstraint("overgang_id", "nummer"),
    )
    op.create_table(
        "kartlegging",
        _id(),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("gyldig_fra", sa.Date(), nullable=False),
        sa.Column("kategori", sa.String(40), nullable=False),
        sa.Column("underkategori", sa.String(60), nullable=False),
        sa.Column("behovsniva", sa.Integer(), nullable=False),
        _bruker("registrert_av_id"),
        sa.Column("registrert", TID, nullable=False),
    )
    for tabell, kolonne in (
        ("overgangsmote", "overgang_id"),
        ("overgangsoppgave", "overgang_id"),
        ("boligutfall", "overgang_id"),
        ("overgangsskjema", "plan_id"),
        ("overgangsskjema", "overgang_id"),
        ("kartlegging", "plan_id"),
    ):
        op.create_index(f"ix_{tabell}_{kolonne}", tabell, [kolonne])

    # avvik har ingen triggere; nye kolonner med standardverdi for radene som finnes.
    op.add_column("avvik", sa.Column("oppdaget", sa.Date()))
    op.add_column(
        "avvik", sa.Column("alvorlighet", sa.String(20), nullable=False, server_default=TOM)
    )
    op.add_column(
        "avvik", sa.Column("sen_begrunnelse", sa.Text(), nullable=False, server_default=TOM)
    )
    # samtykke har ingen triggere. SQLite bygger tabellen om for fremmednøkkelen (batch);
    # env.py slår av fremmednøklene imens.
    with op.batch_alter_table("samtykke") as b:
        b.add_column(sa.Column("omfang", sa.Text(), nullable=False, server_default=TOM))
        b.add_column(sa.Column("formal", sa.Text(), nullable=False, server_default=TOM))
        b.add_column(sa.Column("form", sa.String(20), nullable=False, server_default=TOM))
        b.add_column(sa.Column("vitne", sa.String(200), nullable=False, server_default=TOM))
        b.add_column(sa.Column("dokument_id", sa.Integer()))
        b.create_foreign_key("fk_samtykke_dokument_id", "plandokument", ["dokument_id"], ["id"])
    _bare_tillegg_til_sletting()


def _bare_tillegg_til_sletting() -> None:
    """Samme regel som planversjon og planlogg (0005): ingen UPDATE, DELETE bare når planen
    er merket «slettes». PostgreSQL bruker funksjonen plan_bare_tillegg() fra 0005."""
    if op.get_bind().dialect.name == "postgresql":
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
    with op.batch_alter_table("samtykke") as b:
        b.drop_constraint("fk_samtykke_dokument_id", type_="foreignkey")
        for kolonne in ("dokument_id", "vitne", "form", "formal", "omfang"):
            b.drop_column(kolonne)
    with op.batch_alter_table("avvik") as b:
        for kolonne in ("sen_begrunnelse", "alvorlighet", "oppdaget"):
            b.drop_column(kolonne)
    for tabell in (
        "kartlegging",
        "overgangsskjema",
        "boligutfall",
        "overgangsoppgave",
        "overgangsmote",
        "overgang",
    ):
        op.drop_table(tabell)
