"""Arkivet: lagring som aldri mister en byte."""
