"""Loggingen, satt opp én gang (`logging.config`) av skallene: `python -m web` og
kommandolinjen. Én linje per hendelse på stderr: tid, nivå, modul og en norsk melding.
Nivået kommer fra innstillingene (DOKUMENTER_LOGGNIVAA, standard INFO).

Nettsiden logger hver forespørsel med metode, rute (mønsteret, ikke adressen: nøkler i
invitasjons- og kalenderlenker havner aldri i loggen), status og tid, uten spørrestreng.
"""

from __future__ import annotations

import logging.config


def sett_opp(nivaa: str = "INFO") -> None:
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "standard": {
                    "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
                    "datefmt": "%Y-%m-%dT%H:%M:%S%z",
                }
            },
            "handlers": {
                "stderr": {
                    "class": "logging.StreamHandler",
                    "formatter": "standard",
                    "stream": "ext://sys.stderr",
                }
            },
            "root": {"level": nivaa, "handlers": ["stderr"]},
            "loggers": {
                # Tredjepartsbiblioteker snakker bare når noe er galt.
                "alembic": {"level": "WARNING"},
                "pyhanko": {"level": "ERROR"},
                "pyhanko_certvalidator": {"level": "ERROR"},
                "fontTools": {"level": "WARNING"},
                "matplotlib": {"level": "WARNING"},
                "PIL": {"level": "WARNING"},
            },
        }
    )
