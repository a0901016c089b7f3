"""Visningene for ett avvik, felles for ansattsidene (`web/avvik.py`) og partnerportalen
(`web/portal.py`): siden, sending, svar, melding og skjemafilene. Det som skiller dem, er
endepunktene og hvem som er mottaker (`Avvikssider`); tilgangen avgjør brukstilfellene ut fra
hvem som handler (`Melder`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for

from dokumenter.avtaler import gjeldende
from dokumenter.avvik import lesing, skriving
from dokumenter.avvik.regler import (
    ALVORLIGHETER,
    KAN_MELDE_AVVIK,
    KATEGORIER,
    SEND_INNEN_VIRKEDAGER,
    STATUSER,
    er_forfalt,
    handlinger,
    sendes_for_sent,
    virkedager_siden_oppdaget,
)
from dokumenter.felles.feil import Arkivfeil, Valideringsfeil
from dokumenter.noark import lesing as arkivlesing
from web import avviksskjema as skjemaer
from web.arkiv import Skjermingsskjema
from web.signeringsskjema import Knappeskjema
from web.skjema import vis_feil
from web.svar import UGYLDIG_SKJEMA, epostfeil, kjente, uforanderlig_fil
from web.tilgang import fra, tj

FORMATER = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Avvikssider:
    vis: str  # endepunktet for avvikssiden
    send: str
    svar: str
    skjema: str  # nedlasting av avviksskjemaet
    avtale: str  # avtalesiden
    mottaker: str  # den andre parten, slik den nevnes i meldingene
    lukk: str | None = None  # bare kommunen lukker


ANSATTE = Avvikssider(
    "avvik.vis", "avvik.send", "avvik.besvar", "avvik.skjema", "avtaler.vis", "parten",
    lukk="avvik.lukk",
)  # fmt: skip
PORTALEN = Avvikssider(
    "portal.avvik", "portal.send_avvik", "portal.besvar_avvik", "portal.avviksskjema",
    "portal.avtale", "kommunen",
)  # fmt: skip


def _til_avviket(sider: Avvikssider, avvik_id: int):
    return redirect(url_for(sider.vis, avvik_id=avvik_id))


def side(
    sider: Avvikssider,
    avvik_id: int,
    svarskjema: skjemaer.Svarskjema | None = None,
    lukkeskjema: skjemaer.Lukkeskjema | None = None,
    http_status: int = 200,
):
    melder = skjemaer.melder()
    a = lesing.hent(tj(), avvik_id, melder)
    ansatt = sider.lukk is not None  # skjermingen er kommunens, ikke portalens
    return render_template(
        "avvik/vis.html",
        a=a,
        skjermet=arkivlesing.avvik_skjermet(tj(), avvik_id) if ansatt else None,
        skjermingsskjema=Skjermingsskjema(formdata=None),
        sider=sider,
        forfalt=er_forfalt(a),
        mulig=handlinger(a, melder),
        knappeskjema=Knappeskjema(formdata=None),
        svarskjema=svarskjema or skjemaer.Svarskjema(formdata=None),
        lukkeskjema=lukkeskjema or skjemaer.Lukkeskjema(formdata=None),
        STATUSER=STATUSER,
        KATEGORIER=KATEGORIER,
        ALVORLIGHETER=ALVORLIGHETER,
        sen=sendes_for_sent(a) and a.status == "aapen",
        virkedager=virkedager_siden_oppdaget(a),
        SEND_INNEN_VIRKEDAGER=SEND_INNEN_VIRKEDAGER,
    ), http_status


def send(sider: Avvikssider, avvik_id: int, sen_begrunnelse: str = "") -> bool:
    """Lag avviksskjemaet og send det til den andre parten; meldingene vises som flash."""
    try:
        feil = skriving.send(tj(), avvik_id, skjemaer.melder(), fra(), sen_begrunnelse)
    except Valideringsfeil as e:
        for melding in e.feil.values():
            flash(melding, "feil")
        return False
    except Arkivfeil as e:
        flash(f"Avviket er lagret, men ikke sendt: {e}", "feil")
        return False
    epostfeil(feil)
    return True


def send_knapp(sider: Avvikssider, avvik_id: int):
    """«Send avviket» på avvikssiden (også for et avvik som ble lagret, men ikke sendt)."""
    lesing.hent(tj(), avvik_id, skjemaer.melder())  # 404 for andres avvik før noe annet
    if not Knappeskjema().validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
    elif send(sider, avvik_id, request.form.get("sen_begrunnelse", "")):
        flash(
            f"Avviket er sendt. Avviksskjemaet er laget, og {sider.mottaker} har fått e-post.", "ok"
        )
    return _til_avviket(sider, avvik_id)


def besvar(sider: Avvikssider, avvik_id: int):
    lesing.hent(tj(), avvik_id, skjemaer.melder())
    skjema = skjemaer.Svarskjema()
    if not skjema.validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
        return side(sider, avvik_id, svarskjema=skjema, http_status=400)
    try:
        feil = skriving.besvar(
            tj(), avvik_id, skjema.forklaring.data, skjema.tiltak.data, skjemaer.melder(), fra()
        )
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return side(sider, avvik_id, svarskjema=skjema, http_status=400)
    except Arkivfeil as e:
        flash(str(e), "feil")
        return side(sider, avvik_id, svarskjema=skjema, http_status=500)
    if sider.mottaker == "kommunen":
        flash("Svaret er sendt til kommunen.", "ok")
    else:
        flash(f"Svaret er registrert, og {sider.mottaker} har fått e-post.", "ok")
    epostfeil(feil)
    return _til_avviket(sider, avvik_id)


def lukk(sider: Avvikssider, avvik_id: int):
    lesing.hent(tj(), avvik_id, skjemaer.melder())
    skjema = skjemaer.Lukkeskjema()
    if not skjema.validate_on_submit():
        flash(UGYLDIG_SKJEMA, "feil")
        return side(sider, avvik_id, lukkeskjema=skjema, http_status=400)
    try:
        skriving.lukk(tj(), avvik_id, skjema.merknad.data, skjemaer.melder(), fra())
    except Valideringsfeil as e:
        vis_feil(skjema, e)
        return side(sider, avvik_id, lukkeskjema=skjema, http_status=400)
    except Arkivfeil as e:
        flash(str(e), "feil")
        return side(sider, avvik_id, lukkeskjema=skjema, http_status=500)
    flash("Avviket er lukket.", "ok")
    return _til_avviket(sider, avvik_id)


def skjemafil(skjema_id: int, fmt: str):
    filnavn, data = lesing.les_skjema(
        tj(), skjema_id, fmt, skjemaer.melder(), fra(), kjente=kjente()
    )
    return uforanderlig_fil(data, filnavn, FORMATER[fmt])


def ny(sider: Avvikssider, avtale_id: int, avtale_navn: str, avtalestatus: str, portal: bool):
    """Meld et avvik. Fra portalen sendes det til kommunen med en gang; ansatte sender det
    fra avvikssiden når det er klart."""
    kan_melde = avtalestatus in KAN_MELDE_AVVIK
    paragrafer = gjeldende.paragrafer(tj(), avtale_id) if kan_melde else []
    skjema = (skjemaer.PartnerAvviksskjema if portal else skjemaer.Avviksskjema)(
        paragrafer=paragrafer
    )
    http_status = 200
    if kan_melde and skjema.validate_on_submit():
        try:
            a = skriving.registrer(
                tj(), avtale_id, skjema.data_til_brukstilfellet(), skjemaer.melder(), fra()
            )
        except Valideringsfeil as e:
            vis_feil(skjema, e)
            http_status = 400
        else:
            if not portal:
                flash(
                    f"Avvik {a.nummer} er registrert. Send det til parten når det er klart.", "ok"
                )
            elif send(sider, a.id):
                flash(f"Avvik {a.nummer} er sendt til kommunen.", "ok")
            skjemaer.flash_advarsler(skjema)
            return _til_avviket(sider, a.id)
    elif skjema.is_submitted():
        http_status = 400
        if kan_melde:
            flash(UGYLDIG_SKJEMA, "feil")
    return render_template(
        "avvik/ny.html",
        skjema=skjema,
        avtale_navn=avtale_navn,
        kan_melde=kan_melde,
        portal=portal,
        avbryt=url_for(sider.avtale, avtale_id=avtale_id),
    ), http_status
