"""Søkeindeksens journal (`indeksjobb`), teksten i hver avtaleversjon hentet ut én gang
(`versjonstekst`), og innholdet i individuelle planer kryptert (`planversjon.feltverdier` →
`innhold_kryptert`, Fernet med plannøkkelen).

Eksisterende planversjoner krypteres her, så migreringen trenger plannøkkelen når det finnes
planer (`apne` gir den; se `db.oppgrader`). `planversjon` kan bare få nye rader: triggerne slås
av mens radene skrives om, og på igjen etterpå. SQLite bygger tabellen om uten den gamle
kolonnen (`secure_delete` nuller de frigjorte sidene); PostgreSQL skriver nye rader uten den,
og de gamle radversjonene forsvinner først ved `VACUUM` (driften bør kjøre `VACUUM FULL
planversjon` etter oppgraderingen).

Planene hører ikke lenger hjemme i søkeindeksen. En indeks bygd før denne migreringen har et
annet format og bygges på nytt av seg selv (uten planene) når appen starter.

Revision ID: 0012
Revises: 0011
"""

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TID = sa.DateTime(timezone=True)
TABELL = "planversjon"


def upgrade() -> None:
    op.create_table(
        "versjonstekst",
        sa.Column("versjon_id", sa.Integer(), sa.ForeignKey("avtaleversjon.id"), primary_key=True),
        sa.Column("tekst", sa.Text(), nullable=False),
    )
    op.create_table(
        "indeksjobb",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("art", sa.String(20), nullable=False),
        sa.Column("objekt_id", sa.Integer(), nullable=False),
        sa.Column("opprettet", TID, nullable=False),
        sa.Column("behandlet", TID),
    )
    op.create_index("ix_indeksjobb_behandlet", "indeksjobb", ["behandlet"])
    _bytt_kolonne(
        "feltverdier",
        sa.Column("innhold_kryptert", sa.Text()),
        lambda chiffer, verdi: chiffer.krypter_json(
            json.loads(verdi) if isinstance(verdi, str) else verdi
        ),
    )


def downgrade() -> None:
    _bytt_kolonne(
        "innhold_kryptert",
        sa.Column("feltverdier", sa.JSON()),
        lambda chiffer, verdi: json.dumps(chiffer.dekrypter_json(verdi), ensure_ascii=False),
    )
    op.drop_index("ix_indeksjobb_behandlet", "indeksjobb")
    op.drop_table("indeksjobb")
    op.drop_table("versjonstekst")


def _bytt_kolonne(gammel: str, ny: sa.Column, om) -> None:
    """Erstatt kolonnen `gammel` med `ny`, med hver verdi gjort om av `om(chiffer, verdi)`.
    Den gamle kolonnen fjernes før de nye verdiene skrives, så ingen ny radversjon har den."""
    bind = op.get_bind()
    rader = bind.execute(sa.text(f"SELECT id, {gammel} FROM {TABELL} ORDER BY id")).all()
    chiffer = _plannokkel() if rader else None
    nye = [{"i": i, "v": om(chiffer, verdi)} for i, verdi in rader]
    _triggere(av=True)
    op.add_column(TABELL, ny)
    with op.batch_alter_table(TABELL) as b:
        b.drop_column(gammel)
    if nye:
        bind.execute(sa.text(f"UPDATE {TABELL} SET {ny.name} = :v WHERE id = :i"), nye)
    with op.batch_alter_table(TABELL) as b:
        b.alter_column(ny.name, existing_type=ny.type, nullable=False)
    _triggere(av=False)


def _plannokkel():
    hent = context.config.attributes.get("plannokkel")
    if hent is None:
        raise RuntimeError(
            "Migrering 0012 krypterer innholdet i de individuelle planene og trenger "
            "plannøkkelen (DOKUMENTER_PLANNOKKEL eller <instans>/plannokkel). Oppgrader med "
            "«dokumenter init»."
        )
    return hent()


def _triggere(av: bool) -> None:
    """Slå av (eller på igjen) triggerne fra migrering 0005 som gjør tabellen «bare tillegg».
    SQLite: de slettes og lages på nytt (en ombygd tabell mister dem uansett)."""
    if op.get_bind().dialect.name == "postgresql":
        handling = "DISABLE" if av else "ENABLE"
        op.execute(f"ALTER TABLE {TABELL} {handling} TRIGGER {TABELL}_bare_tillegg")
        return
    if av:
        op.execute(f"DROP TRIGGER IF EXISTS {TABELL}_ingen_update")
        op.execute(f"DROP TRIGGER IF EXISTS {TABELL}_ingen_delete")
        return
    op.execute(
        f"CREATE TRIGGER {TABELL}_ingen_update BEFORE UPDATE ON {TABELL} BEGIN "
        f"SELECT RAISE(ABORT, 'Tabellen {TABELL} kan bare få nye rader'); END"
    )
    op.execute(
        f"CREATE TRIGGER {TABELL}_ingen_delete BEFORE DELETE ON {TABELL} "
        "WHEN (SELECT status FROM plan WHERE id = OLD.plan_id) IS NOT 'slettes' BEGIN "
        f"SELECT RAISE(ABORT, 'Tabellen {TABELL} kan bare få nye rader'); END"
    )
