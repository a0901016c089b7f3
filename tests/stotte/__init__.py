"""Hjelpere for testene. Fixturene står i tests/conftest.py; alt testfilene importerer, står her."""
