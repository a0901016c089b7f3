"""Alembic-miljø: kjører migreringer mot URL-en i konfigurasjonen."""

from alembic import context

from dokumenter.infrastruktur.db import lag_motor
from dokumenter.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    motor = lag_motor(url)
    with motor.connect() as conn:
        sqlite = motor.dialect.name == "sqlite"
        if sqlite:
            # Batch-migreringer bygger tabeller om (kopi, DROP, RENAME). Med fremmednøkler på
            # ville DROP slette eller sperre rader som peker dit; de slås av utenfor
            # transaksjonen (der PRAGMA virker) og kontrolleres samlet etterpå.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                brudd = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if brudd:
                    raise RuntimeError(f"Migreringen brøt fremmednøkler: {brudd[:5]}")
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
    motor.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
