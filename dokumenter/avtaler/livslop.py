"""Avtalens livsløp: statusene, de lovlige overgangene og hvordan en overgang registreres.

Alle statusendringer går gjennom `bytt_status` (i samme transaksjon som resten av endringen),
så regelen håndheves her og ikke i nettsidene, og hver overgang havner i revisjonsloggen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokumenter.felles import etiketter, frister
from dokumenter.felles.feil import Valideringsfeil
from dokumenter.felles.tid import naa
from dokumenter.models import Avtale, Hendelse, Signeringsrunde, SignertKopi
from dokumenter.sok import indeksering

STATUSER = etiketter.AVTALESTATUS
FOR_SIGNERING = ("utkast", "til_gjennomgang", "til_signering")
OVERGANGER: dict[str, tuple[str, ...]] = {
    "utkast": ("til_gjennomgang", "til_signering", "inngaatt", "ikke_inngaatt"),
    "til_gjennomgang": ("utkast", "til_signering", "inngaatt", "ikke_inngaatt"),
    "til_signering": ("utkast", "inngaatt", "ikke_inngaatt"),
    "inngaatt": ("til_revisjon", "avsluttet"),
    "til_revisjon": ("til_gjennomgang", "til_signering", "inngaatt", "avsluttet"),
    "ikke_inngaatt": ("utkast",),
    "avsluttet": (),
}
# Bare systemet setter «inngått»: når siste signatur er på plass, eller når en skannet
# signert kopi lastes opp. Unntak: en revisjon som avbrytes uten ny versjon (den gjeldende
# versjonen er allerede signert) kan ansatte sette tilbake til «inngått».
KREVER_BEGRUNNELSE = ("ikke_inngaatt", "avsluttet")
# «Til signering» settes når en signeringsrunde startes, «inngått» når den er fullført (eller
# en skannet kopi lastes opp); ingen av dem kan velges for hånd.
BARE_SYSTEMET = ("til_signering", "inngaatt")
# Innholdet kan endres i disse statusene; endring under signering trekker runden.
KAN_ENDRES = ("utkast", "til_gjennomgang", "til_signering", "til_revisjon")
# En ny signeringsrunde kan startes herfra (fra «til signering» må runden trekkes først).
KAN_SENDES_TIL_SIGNERING = ("utkast", "til_gjennomgang", "til_revisjon")
PARTEN_SER = ("til_gjennomgang", "til_signering")  # parten ser gjeldende versjon da


class UlovligOvergang(Valideringsfeil):
    def __init__(self, fra: str, til: str, grunn: str = "") -> None:
        lov = ", ".join(f"«{STATUSER[s]}»" for s in OVERGANGER.get(fra, ())) or "ingen"
        melding = grunn or (
            f"En avtale med status «{STATUSER.get(fra, fra)}» kan ikke settes til "
            f"«{STATUSER.get(til, til)}». Lovlige neste steg: {lov}."
        )
        super().__init__({"status": melding})


def manuelle_overganger(fra: str) -> list[str]:
    """Overgangene en ansatt kan velge selv (ikke de som bare systemet gjør)."""
    return [
        til
        for til in OVERGANGER.get(fra, ())
        if til not in BARE_SYSTEMET or (til == "inngaatt" and fra == "til_revisjon")
    ]


def sjekk_overgang(
    fra: str, til: str, av_systemet: bool = False, gjeldende_er_signert: bool = False
) -> None:
    if til not in STATUSER:
        raise Valideringsfeil({"status": "Ukjent status."})
    if til not in OVERGANGER.get(fra, ()):
        raise UlovligOvergang(fra, til)
    if til == "til_signering" and not av_systemet:
        raise UlovligOvergang(
            fra, til, "En avtale blir «Til signering» når du sender den til signering."
        )
    if til == "inngaatt" and not av_systemet and not gjeldende_er_signert:
        raise UlovligOvergang(
            fra,
            til,
            "En avtale blir «Inngått» når siste signatur er på plass, eller når en skannet "
            "signert kopi lastes opp.",
        )


def logg(
    s: Session, avtale_id: int, type_: str, bruker_id: int | None, fra: str, **detaljer: Any
) -> None:
    """Skriv én hendelse i revisjonsloggen (i samme transaksjon som endringen)."""
    s.add(
        Hendelse(
            avtale_id=avtale_id, type=type_, bruker_id=bruker_id, fra=fra[:100], detaljer=detaljer
        )
    )


def bytt_status(
    s: Session,
    avtale: Avtale,
    til: str,
    bruker_id: int | None,
    fra: str,
    begrunnelse: str = "",
    av_systemet: bool = False,
    avsluttet_dato: date | None = None,
) -> None:
    """Kontroller og registrer én overgang. Forlater avtalen «til signering», trekkes runden."""
    signert = til == "inngaatt" and s.scalar(
        select(SignertKopi.id).where(
            SignertKopi.avtale_id == avtale.id,
            SignertKopi.versjon_nummer == avtale.gjeldende_versjon,
        )
    )
    sjekk_overgang(avtale.status, til, av_systemet, bool(signert))
    if til in KREVER_BEGRUNNELSE and not begrunnelse:
        raise Valideringsfeil({"begrunnelse": f"Skriv en begrunnelse for «{STATUSER[til]}»."})
    detaljer: dict[str, Any] = {"fra_status": avtale.status, "til_status": til}
    if begrunnelse:
        detaljer["begrunnelse"] = begrunnelse
    if til in ("avsluttet", "ikke_inngaatt"):
        avtale.neste_evaluering = None  # ingen evaluering av en avtale som ikke gjelder
    if til == "avsluttet":
        avsluttet_dato = avsluttet_dato or date.today()
        detaljer["avsluttet_dato"] = avsluttet_dato.isoformat()
        avtale.avsluttet_dato = avsluttet_dato
    if til == "inngaatt" and av_systemet:
        # Ny signert avtale (eller signert revisjon): første evaluering ett år fram, eller i
        # måneden avtalen selv nevner.
        verdier = avtale.siste_versjon.feltverdier if avtale.siste_versjon else {}
        maned = frister.maned_fra_navn(verdier.get("evaluering_maaned"))
        avtale.neste_evaluering = frister.neste_evaluering(date.today(), maned)
        detaljer["neste_evaluering"] = avtale.neste_evaluering.isoformat()
    if avtale.status == "til_signering" and til != "inngaatt":
        trekk_runde(s, avtale.id, bruker_id, fra, f"Avtalen ble satt til «{STATUSER[til]}».")
    logg(s, avtale.id, "status_endret", bruker_id, fra, **detaljer)
    indeksering.meld(s, "avtale", avtale.id)  # «status» i indeksen
    avtale.status = til
    avtale.status_begrunnelse = begrunnelse
    if bruker_id is not None:
        avtale.endret_av_id = bruker_id
    avtale.endret = naa()


def aktiv_runde(s: Session, avtale_id: int) -> Signeringsrunde | None:
    return s.scalar(
        select(Signeringsrunde).where(
            Signeringsrunde.avtale_id == avtale_id,
            Signeringsrunde.status.in_(("aktiv", "pauset")),
        )
    )


def trekk_runde(s: Session, avtale_id: int, bruker_id: int | None, fra: str, grunn: str) -> bool:
    """Trekk en aktiv signeringsrunde (signaturene i den gjelder ikke lenger)."""
    runde = aktiv_runde(s, avtale_id)
    if runde is None:
        return False
    runde.status, runde.avsluttet, runde.grunn = "trukket", naa(), grunn
    logg(s, avtale_id, "signering_trukket", bruker_id, fra, runde=runde.id, grunn=grunn)
    return True
