"""Domenekjernen: avtaler, maler, generering og brukstilfellene web og CLI kaller."""
