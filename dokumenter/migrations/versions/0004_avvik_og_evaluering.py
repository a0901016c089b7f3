"""Avvik med genererte avviksskjemaer, årlige evalueringer med rapport, datoen for neste
evaluering på avtalen og brukerens kalendernøkkel.

Revision ID: 0004
Revises: 0003
"""

import json
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

from dokumenter.felles import frister

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("avtale", sa.Column("neste_evaluering", sa.Date()))
    op.add_column("avtale", sa.Column("evaluering_paminnet", TID))
    op.create_index("ix_avtale_neste_evaluering", "avtale", ["neste_evaluering"])
    _sett_neste_evaluering_for_inngatte()
    op.add_column("bruker", sa.Column("kalender_nokkel_hash", sa.String(64)))
    op.create_index(
        "ix_bruker_kalender_nokkel_hash", "bruker", ["kalender_nokkel_hash"], unique=True
    )
    op.create_table(
        "evaluering",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("avtale_id", sa.Integer(), sa.ForeignKey("avtale.id"), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("periode_fra", sa.Date(), nullable=False),
        sa.Column("periode_til", sa.Date(), nullable=False),
        sa.Column("deltakere_kommune", sa.Text(), nullable=False),
        sa.Column("deltakere_part", sa.Text(), nullable=False),
        sa.Column("fungert", sa.Text(), nullable=False),
        sa.Column("ikke_fungert", sa.Text(), nullable=False),
        sa.Column("beslutning", sa.String(20), nullable=False),
        sa.Column("begrunnelse", sa.Text(), nullable=False),
        sa.Column("neste_evaluering", sa.Date()),
        sa.Column("avsluttet_dato", sa.Date()),
        sa.Column("antall_avvik", sa.Integer(), nullable=False),
        sa.Column("statistikk", sa.JSON(), nullable=False),
        sa.Column("docx_sha256", sa.String(64), nullable=False),
        sa.Column("docx_storrelse", sa.Integer(), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("pdf_storrelse", sa.Integer(), nullable=False),
        sa.Column("opprettet_av_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
    )
    op.create_index("ix_evaluering_avtale_id", "evaluering", ["avtale_id"])
    op.create_index("ix_evaluering_docx_sha256", "evaluering", ["docx_sha256"])
    op.create_index("ix_evaluering_pdf_sha256", "evaluering", ["pdf_sha256"])
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
    for tabell in ("avviksskjema", "evaluering"):  # bare tillegg, som i 0002
        if op.get_bind().dialect.name == "postgresql":
            op.execute(
                f"CREATE TRIGGER {tabell}_bare_tillegg BEFORE UPDATE OR DELETE ON {tabell} "
                "FOR EACH ROW EXECUTE FUNCTION bare_tillegg()"
            )
        else:
            for operasjon in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {tabell}_ingen_{operasjon.lower()} "
                    f"BEFORE {operasjon} ON {tabell} BEGIN "
                    f"SELECT RAISE(ABORT, 'Tabellen {tabell} kan bare få nye rader'); END"
                )


def _sett_neste_evaluering_for_inngatte() -> None:
    """Avtaler som alt er inngått, får neste evaluering i måneden avtalen nevner, første gang
    fra i dag (ellers om ett år), så de kommer med på forsiden og i påminnelsene."""

    bind = op.get_bind()
    rader = bind.execute(
        sa.text(
            "SELECT a.id, v.feltverdier FROM avtale a JOIN avtaleversjon v "
            "ON v.avtale_id = a.id AND v.nummer = a.gjeldende_versjon "
            "WHERE a.status = 'inngaatt'"
        )
    ).all()
    idag = date.today()
    for avtale_id, verdier in rader:
        if isinstance(verdier, str):
            verdier = json.loads(verdier)
        maned = frister.maned_fra_navn((verdier or {}).get("evaluering_maaned"))
        fra = idag - timedelta(days=frister.MINSTE_DAGER_FAST_MANED) if maned else idag
        bind.execute(
            sa.text("UPDATE avtale SET neste_evaluering = :d WHERE id = :id"),
            {"d": frister.neste_evaluering(fra, maned), "id": avtale_id},
        )


def downgrade() -> None:
    op.drop_table("evaluering")
    op.drop_index("ix_bruker_kalender_nokkel_hash", "bruker")
    with op.batch_alter_table("bruker") as b:
        b.drop_column("kalender_nokkel_hash")
    op.drop_table("avviksskjema")
    op.drop_table("avvik")
    op.drop_index("ix_avtale_neste_evaluering", "avtale")
    with op.batch_alter_table("avtale") as b:
        b.drop_column("evaluering_paminnet")
        b.drop_column("neste_evaluering")
