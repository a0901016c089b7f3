"""Cron-jobbene kjører én om gangen, også fra flere noder: en rådgivende lås i PostgreSQL, en
flock ved siden av SQLite-filen."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dokumenter.felles.innstillinger import REPO_ROT
from dokumenter.infrastruktur.jobblas import jobblas, lasnokkel


def _motor(tj):
    return tj.sesjoner.kw["bind"]


def test_lasnokkelen_er_stabil_og_skiller_jobbene():
    assert lasnokkel("avvik paminn") == lasnokkel("avvik paminn")
    assert lasnokkel("avvik paminn") != lasnokkel("plan paminn")
    assert -(2**63) <= lasnokkel("avvik paminn") < 2**63


@pytest.mark.begge_databaser
def test_bare_en_kjoring_far_jobben_om_gangen(tj):
    motor = _motor(tj)
    with (
        jobblas(motor, "avvik paminn") as forste,
        jobblas(motor, "avvik paminn") as andre,
        jobblas(motor, "plan paminn") as annen,
    ):
        assert (forste, andre, annen) == (True, False, True)
    with jobblas(motor, "avvik paminn") as igjen:
        assert igjen  # sluppet når den første var ferdig


@pytest.mark.begge_databaser
def test_cron_kommandoen_hopper_over_nar_en_annen_node_kjorer_den(tj):
    inn = tj.innstillinger
    env = {
        **os.environ,
        "DOKUMENTER_INSTANS": str(inn.instans),
        "DATABASE_URL": inn.database_url,
    }

    def paminn() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dokumenter", "avvik", "paminn"],
            cwd=REPO_ROT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    with jobblas(_motor(tj), "avvik paminn"):
        r = paminn()
    assert r.returncode == 0, r.stderr
    assert "kjører allerede et annet sted; hopper over" in r.stdout
    assert "Påminnet" not in r.stdout

    r = paminn()
    assert r.returncode == 0, r.stderr
    assert "Påminnet om 0 forfalte avvik." in r.stdout
