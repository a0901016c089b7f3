"""Evalueringens regler: beslutningene og hvilke avtaler som kan evalueres."""

from __future__ import annotations

from dokumenter.felles import etiketter

BESLUTNINGER = etiketter.BESLUTNING
KAN_EVALUERES = ("inngaatt",)
MAKS_TEKST = 5000
