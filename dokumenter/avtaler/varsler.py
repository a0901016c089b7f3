"""E-post om avtaler som en motpart må gjøre noe med: utkastet er sendt til gjennomgang (til
partens portalbrukere), parten har kommentert (til den ansvarlige i kommunen), og kommunen har
fått en ny ansvarlig (til partens portalbrukere, så de vet hvem de skal kontakte). Signering
varsles av rundemotoren (`avtaler.signering`). Sendes etter commit gjennom `varsler`."""

from __future__ import annotations

from dokumenter.brukere.roller import PARTNER
from dokumenter.models import Avtale, Bruker
from dokumenter.tjenester import Tjenester
from dokumenter.varsler import utsending
from dokumenter.varsler.utsending import Melding, Mottaker

# Avtaler parten ikke har sett (utkast) eller som er over, får ikke beskjed om ny ansvarlig.
UTEN_KONTAKTVARSEL = ("utkast", "ikke_inngaatt", "avsluttet")


def _portalbrukere(s, avtale: Avtale) -> list[Mottaker]:
    return utsending.brukere_som_mottakere(
        s, Bruker.rolle == PARTNER, Bruker.part_id == avtale.part_id
    )


def til_gjennomgang(tj: Tjenester, avtale_id: int, utlost_av: int | None) -> list[str]:
    """Partens aktive portalbrukere får lenken til versjonen som er sendt til gjennomgang."""
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        part, versjon = avtale.part.navn, avtale.gjeldende_versjon
        mottakere = _portalbrukere(s, avtale)
    if not mottakere:
        feil = (
            f"Ingen hos {part} har tilgang til portalen ennå, så ingen der har fått beskjed. "
            "Inviter en kontaktperson fra partens side."
        )
        utsending.registrer_uten_mottaker(
            tj, "til_gjennomgang", "avtale", avtale_id, feil, utlost_av
        )
        return [feil]
    lenke = tj.lenker.avtale(avtale_id, partner=True)
    return utsending.send(
        tj,
        [
            Melding(
                mottaker=m,
                hendelse="til_gjennomgang",
                objekt_type="avtale",
                objekt_id=avtale_id,
                emne=f"Samarbeidsavtale med {part} til gjennomgang",
                tekst=(
                    f"Hei {m.navn},\n\nKommunen har sendt versjon {versjon} av "
                    f"samarbeidsavtalen med {part} til gjennomgang hos dere. Les den, og "
                    f"kommenter i portalen hvis noe bør endres:\n{lenke}\n"
                ),
            )
            for m in mottakere
        ],
        utlost_av,
    )


def kommentert(tj: Tjenester, avtale_id: int, utlost_av: int) -> list[str]:
    """Den ansvarlige i kommunen får beskjed om en ny kommentar (uten teksten, som står i
    avtalen)."""
    with tj.sesjoner() as s:
        avtale = s.get(Avtale, avtale_id)
        part, versjon = avtale.part.navn, avtale.gjeldende_versjon
        ansvarlig = Mottaker.bruker(avtale.ansvarlig)
    return utsending.send(
        tj,
        [
            Melding(
                mottaker=ansvarlig,
                hendelse="kommentar",
                objekt_type="avtale",
                objekt_id=avtale_id,
                emne=f"Kommentar fra {part} til samarbeidsavtalen",
                tekst=(
                    f"{part} har kommentert versjon {versjon} av samarbeidsavtalen. "
                    f"Kommentaren står på avtalesiden:\n{tj.lenker.avtale(avtale_id)}\n"
                ),
            )
        ],
        utlost_av,
    )


def ny_ansvarlig(tj: Tjenester, avtale_ider: list[int], utlost_av: int) -> list[str]:
    """Partens portalbrukere får vite hvem som nå er kommunens kontaktperson for avtalen
    (etter en overføring av ansvar). Ingen portalbrukere: ingen e-post, og ingen feil."""
    meldinger = []
    with tj.sesjoner() as s:
        for avtale_id in avtale_ider:
            avtale = s.get(Avtale, avtale_id)
            if avtale.status in UTEN_KONTAKTVARSEL:
                continue
            ny = avtale.ansvarlig
            kontakt = f"{ny.navn} ({ny.epost})" if ny.epost else ny.navn
            lenke = tj.lenker.avtale(avtale_id, partner=True)
            meldinger += [
                Melding(
                    mottaker=m,
                    hendelse="ny_kontaktperson",
                    objekt_type="avtale",
                    objekt_id=avtale_id,
                    emne=f"Ny kontaktperson i kommunen for avtalen med {avtale.part.navn}",
                    tekst=(
                        f"Hei {m.navn},\n\nKommunens kontaktperson for samarbeidsavtalen med "
                        f"{avtale.part.navn} er nå {kontakt}. Avtalen står i portalen:\n{lenke}\n"
                    ),
                )
                for m in _portalbrukere(s, avtale)
            ]
    return utsending.send(tj, meldinger, utlost_av) if meldinger else []
