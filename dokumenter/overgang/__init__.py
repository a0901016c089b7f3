"""Overgangen fra institusjon til bolig for personen en individuell plan gjelder: fasene og
møtene (samarbeidsmøter, boligmøte, utflyttingsmøte), kontaktene, de daterte oppgavene,
overgangsskjemaet som følger personen, boligutfallet på faste punkter, kartleggingen
(kategori og behovsnivå) og tallene som regnes ut av dem: avtalens § 10-tall til den årlige
evalueringen og oversikten over vanskeligstilte på boligmarkedet.

Overgangen hører til planen og følger planens tilgang: alt går gjennom
`planer.innsynslogg.apne_med_tilgang` og logges i planens innsynslogg; uten grunnlag «finnes»
verken planen eller overgangen. Tallene er bare opptellinger, og små tall skjermes
(`felles.smatall`), så ingen kan kjennes igjen i dem.

Eier tabellene overgang, overgangsmote, overgangsoppgave, boligutfall, overgangsskjema og
kartlegging. Importerer felles, infrastruktur, models, tjenester, brukere, parter, signering,
sok, avtaler og planer; aldri avvik, evaluering, sider, web eller cli. Evalueringen henter
§ 10-tallene herfra (`statistikk`)."""
