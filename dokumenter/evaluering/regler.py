"""Evalueringens regler: beslutningene og hvilke avtaler som kan evalueres."""

from __future__ import annotations

BESLUTNINGER = {"viderefores": "Videreføres", "revideres": "Revideres", "sies_opp": "Sies opp"}
KAN_EVALUERES = ("inngaatt",)
MAKS_TEKST = 5000
