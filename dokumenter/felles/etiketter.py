"""Én norsk etikett for hver kode som lagres i databasen og kan nå en bruker: statusene,
beslutningene, kategoriene og hendelsene i loggene. Domenene bruker tabellene her (under sine
gamle navn, for eksempel `avtaler.livslop.STATUSER`), nettsidene filteret `etikett`, og PDF-ene,
søket og kalenderen funksjonen `etikett`.

En kode uten etikett er en programmeringsfeil: `etikett` sier fra med `UkjentKode`, og
`tests/test_etiketter.py` sjekker at hver kode domenene bruker, står her.
"""

from __future__ import annotations

AVTALESTATUS = {
    "utkast": "Utkast",
    "til_gjennomgang": "Til gjennomgang hos parten",
    "til_signering": "Til signering",
    "inngaatt": "Inngått",
    "til_revisjon": "Til revisjon",
    "ikke_inngaatt": "Ikke inngått",
    "avsluttet": "Avsluttet",
}
PLANSTATUS = {
    "utkast": "Utkast",
    "til_signering": "Til signering",
    "aktiv": "Signert og gjeldende",
    "avsluttet": "Avsluttet",
    "slettes": "Slettes",
}
AVVIKSSTATUS = {"aapen": "Åpen", "sendt": "Sendt", "besvart": "Besvart", "lukket": "Lukket"}
AVVIKSKATEGORI = {
    "varsling": "Varsling før løslatelse eller utskrivning",
    "bolig": "Bolig og botilbud",
    "oppfolging": "Oppfølging og tjenester",
    "informasjon": "Informasjonsutveksling og samtykke",
    "kontakt": "Kontaktpersoner og møter",
    "annet": "Annet",
}
# Avtalens § 9: gjentatte eller alvorlige avvik tas opp mellom partenes ledere.
ALVORLIGHET = {
    "": "Verken gjentatt eller alvorlig",
    "gjentatt": "Gjentatt",
    "alvorlig": "Alvorlig",
    "gjentatt_alvorlig": "Gjentatt og alvorlig",
}
BESLUTNING = {"viderefores": "Videreføres", "revideres": "Revideres", "sies_opp": "Sies opp"}
OPPGAVESTATUS = {"apen": "Åpen", "ferdig": "Ferdig", "bortfalt": "Bortfalt"}
MOTETYPE = {
    "samarbeidsmote": "Samarbeidsmøte",
    "boligmote": "Boligmøte",
    "utflyttingsmote": "Utflyttingsmøte",
}
SIGNATARSTATUS = {"venter": "Venter", "signert": "Signert", "avvist": "Avslått"}
RUNDESTATUS = {
    "aktiv": "Pågår",
    "pauset": "Satt på pause etter for mange feil engangskoder",
    "fullfort": "Fullført",
    "avvist": "Avslått",
    "trukket": "Trukket",
    "utlopt": "Utløpt",
}
KOPITYPE = {"forseglet": "Signert elektronisk (forseglet)", "skannet": "Skannet"}
VARSELSTATUS = {"sendt": "Sendt", "feilet": "Feilet"}
# Avtalens revisjonslogg (tabellen hendelse).
AVTALEHENDELSE = {
    "opprettet": "Opprettet",
    "ny_versjon": "Ny versjon",
    "generert": "Dokumenter laget",
    "lastet_ned": "Lastet ned",
    "status_endret": "Status endret",
    "ansvar_overfort": "Ansvar overført",
    "signering_startet": "Sendt til signering",
    "kode_sendt": "Engangskode sendt",
    "signert": "Signert",
    "avvik_overfort": "Avvik overført til ny oppfølger",
    "signerer_erstattet": "Signerer byttet (overføring av ansvar)",
    "signering_avvist": "Signering avslått",
    "signering_trukket": "Signeringsrunde trukket",
    "signering_pauset": "Signering satt på pause (for mange feil koder)",
    "signering_gjenopptatt": "Signering åpnet igjen",
    "signert_kopi": "Signert kopi",
    "kommentar": "Kommentar fra parten",
    "avvik_meldt": "Avvik meldt",
    "avvik_sendt": "Avvik sendt",
    "avvik_besvart": "Avvik besvart",
    "avvik_lukket": "Avvik lukket",
    "evaluert": "Evaluert",
    "skjerming_endret": "Skjerming endret",
}
# Planens innsynslogg (tabellen planlogg).
PLANHANDLING = {
    "opprettet": "Opprettet planen",
    "lest": "Åpnet planen",
    "listet": "Så planen i planlisten (navn og nummer)",
    "sokt_fram": "Så planen i et søkeresultat (nummer og utdrag)",
    "lastet_ned": "Lastet ned",
    "ny_versjon": "Lagret ny versjon",
    "medlem_lagt_til": "La til medlem i ansvarsgruppen",
    "medlem_fjernet": "Fjernet medlem fra ansvarsgruppen",
    "samtykke_gitt": "Registrerte samtykke",
    "samtykke_trukket": "Registrerte at samtykke er trukket",
    "tilgang_gitt": "Ga tilgang",
    "tilgang_trukket": "Trakk tilgang",
    "koordinator_byttet": "Byttet koordinator",
    "avsluttet": "Avsluttet planen",
    "innsyn_skrevet_ut": "Skrev ut innsynsloggen",
    "nektet": "Forsøkte å åpne planen uten tilgang (avvist)",
    "signering_startet": "Sendte planen til signering",
    "kode_sendt": "Ba om engangskode",
    "signert": "Signerte",
    "signering_avvist": "Avslo å signere",
    "signert_kopi": "Signert kopi registrert",
    "runde_trukket": "Signeringsrunden ble trukket",
    "signerer_erstattet": "Signerer byttet (overføring av ansvar)",
    "runde_utlopt": "Signeringsrunden utløp uten alle signaturer",
    "signering_pauset": "Signeringen ble satt på pause (for mange feil koder)",
    "signering_gjenopptatt": "Åpnet signeringen igjen",
    "evaluering_paminnet": "Påminnelse om revisjon sendt",
    "samtykke_skannet": "Lastet opp det skriftlige samtykket (skannet)",
    # Overgangen fra institusjon til bolig (dokumenter.overgang)
    "overgang_startet": "Startet overgangen fra institusjon til bolig",
    "overgang_lest": "Åpnet overgangen",
    "overgang_endret": "Endret overgangen",
    "mote_registrert": "Registrerte et møte i overgangen",
    "oppgave_endret": "Endret en oppgave i overgangen",
    "oppgaver_vist": "Så planens forfalte oppgaver på forsiden (nummer og oppgave)",
    "oppgaver_i_kalender": "Planens oppgaver ble hentet til kalenderen (nummer og oppgave)",
    "utfall_registrert": "Registrerte boligutfall",
    "utfall_rettet": "Rettet boligutfall",
    "kartlagt": "Registrerte kategori og behovsnivå",
    "skjema_laget": "Laget overgangsskjemaet",
    "kontakt_varslet": "Sekundærkontakten ble varslet om bytte av kontakt",
    "samarbeidsmote_paminnet": "Påminnelse om samarbeidsmøte sendt",
    "oppgave_paminnet": "Påminnelse om oppgave sendt",
    "utfall_paminnet": "Påminnelse om å registrere boligutfall sendt",
}
# Kontologgen (tabellen kontologg).
KONTOHANDLING = {
    "innlogget": "Logget inn",
    "logget_ut": "Logget ut (alle økter avsluttet)",
    "passord_byttet": "Byttet passord (andre økter avsluttet)",
    "rolle_endret": "Fikk ny rolle (alle økter avsluttet)",
    "deaktivert": "Deaktivert (alle økter avsluttet)",
    "aktivert": "Aktivert",
    "opprettet": "Konto opprettet",
    "ansvar_overfort": "Ansvar overført til etterfølger (kalenderlenken trukket)",
    "konto_endret": "Navn, e-post eller telefon endret",
    "passordlenke_sendt": "Lenke for nytt passord sendt",
    "epostlenke_sendt": "Lenke for å bekrefte ny e-postadresse sendt",
}
# Hva et e-postvarsel gjaldt (tabellen varsel), slik varselhistorikken viser det.
VARSELHENDELSE = {
    "til_gjennomgang": "Avtale sendt til gjennomgang",
    "kommentar": "Kommentar fra parten",
    "signering_tur": "Din tur til å signere",
    "signering_paminnelse": "Påminnelse om signering",
    "engangskode": "Engangskode for signering",
    "signert": "Alle har signert",
    "signering_avslatt": "Signering avslått",
    "signering_pauset": "Signering satt på pause",
    "avvik_sendt": "Avvik sendt",
    "avvik_besvart": "Avvik besvart",
    "avvik_paminnelse": "Påminnelse om svar på avvik",
    "evaluering_forfaller": "Årlig evaluering nærmer seg eller er forfalt",
    "plan_revisjon": "Plan skal revideres",
    "plan_delt": "Plan delt med institusjonen",
    "samtykke_trukket": "Samtykke til deling trukket",
    "invitasjon": "Invitasjon til portalen",
    "nytt_passord": "Lenke for å sette nytt passord",
    "bekreft_epost": "Bekreft ny e-postadresse",
    "epost_endret": "E-postadressen er endret",
    "ansvar_overfort": "Ansvar overført til deg",
    "ny_kontaktperson": "Ny kontaktperson i kommunen",
    "overgang_paminnelse": "Påminnelse i overgangen til bolig",
    "overgang_kontakt_byttet": "Ny kontakt i overgangen til bolig",
}
# Hva som ble lastet ned («format» i hendelsen lastet_ned).
NEDLASTING = {
    "docx": "DOCX",
    "pdf": "PDF/A",
    "signert pdf": "Signert PDF",
    "evalueringsrapport pdf": "Evalueringsrapport (PDF)",
    "evalueringsrapport docx": "Evalueringsrapport (DOCX)",
    "avviksskjema pdf": "Avviksskjema (PDF)",
    "avviksskjema docx": "Avviksskjema (DOCX)",
}

TABELLER: dict[str, dict[str, str]] = {
    "avtalestatus": AVTALESTATUS,
    "planstatus": PLANSTATUS,
    "avviksstatus": AVVIKSSTATUS,
    "avvikskategori": AVVIKSKATEGORI,
    "alvorlighet": ALVORLIGHET,
    "beslutning": BESLUTNING,
    "oppgavestatus": OPPGAVESTATUS,
    "motetype": MOTETYPE,
    "signatarstatus": SIGNATARSTATUS,
    "rundestatus": RUNDESTATUS,
    "kopitype": KOPITYPE,
    "varselstatus": VARSELSTATUS,
    "avtalehendelse": AVTALEHENDELSE,
    "planhandling": PLANHANDLING,
    "kontohandling": KONTOHANDLING,
    "varselhendelse": VARSELHENDELSE,
    "nedlasting": NEDLASTING,
}
# Søkets fasett «status» blander avtalenes og planenes status, avvikenes status og
# evalueringenes beslutning (se `dokumenter.sok.arter`); ingen kode har to ulike etiketter.
SOKESTATUS = {**AVTALESTATUS, **PLANSTATUS, **AVVIKSSTATUS, **BESLUTNING}
TABELLER["sokestatus"] = SOKESTATUS
# Søketreffenes art -> tabellen treffets status står i.
STATUS_FOR_ART = {
    "avtale": "avtalestatus",
    "plan": "planstatus",
    "avvik": "avviksstatus",
    "evaluering": "beslutning",
}
INGEN = "–"  # vises for en kode som mangler (None)


class UkjentKode(KeyError):
    """En kode uten etikett: en feil i programmet, ikke i brukerens inndata."""


def etikett(tabell: str, kode: str | None) -> str:
    """Den norske etiketten for `kode` i `tabell` (se `TABELLER`); «–» for None.
    En ukjent tabell eller kode gir `UkjentKode`."""
    if tabell not in TABELLER:
        raise UkjentKode(f"Ingen etikettabell «{tabell}».")
    if kode is None:
        return INGEN
    try:
        return TABELLER[tabell][kode]
    except KeyError:
        raise UkjentKode(f"Koden «{kode}» har ingen etikett i «{tabell}».") from None
