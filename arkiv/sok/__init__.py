"""Fritekstsøk i arkivet."""
