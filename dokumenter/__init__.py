"""Domenekjernen: brukstilfellene web og kommandolinjen kaller, og det de bygger på.

Lagene (se docs/architecture.md og tests/test_importretning.py): `felles` → `infrastruktur`
og `models` → `tjenester` → domenene (`brukere`, `parter`, `signering`, `sok`, `avtaler`,
`avvik`, `evaluering`, `planer`, `drift`) → `noark` (arkivet; domenene når det bare
gjennom porten `Tjenester.journal`) → `sider` (lesemodeller på tvers) → `cli`.
Ingenting her importerer `web`.
"""
