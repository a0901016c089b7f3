"""Skjemaene for avvik, felles for ansattsidene og portalen: melding, svar og lukking."""

from __future__ import annotations

from datetime import date

from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from dokumenter.avvik import skriving
from dokumenter.avvik.regler import (
    ALVORLIGHETER,
    KATEGORIER,
    MAKS_TEKST,
    SEND_INNEN_VIRKEDAGER,
    Melder,
)
from web.skjema import valg

PERSONHINT = (
    "Ikke skriv navn eller andre personopplysninger her. Beskriv hendelsen uten å "
    "identifisere personen."
)
FRITEKST = ("hva_skjedde", "konsekvens", "strakstiltak")


class Avviksskjema(FlaskForm):
    paragraf = SelectField(
        "Paragraf i avtalen",
        description="Punktet i avtalen som ikke ble fulgt, slik det står i avtalen som gjelder.",
        choices=[],
        validate_choice=False,
    )
    kategori = SelectField(
        "Kategori",
        choices=valg([("", "Velg kategori …"), *KATEGORIER.items()]),
        validate_choice=False,
    )
    alvorlighet = SelectField(
        "Gjentatt eller alvorlig",
        description="Gjentatte eller alvorlige avvik tas opp mellom partenes ledere.",
        choices=valg(list(ALVORLIGHETER.items())),
        validate_choice=False,
    )
    hendelsesdato = StringField("Dato for hendelsen", render_kw={"type": "date"})
    oppdaget = StringField(
        "Oppdaget",
        description=(
            f"Datoen avviket ble oppdaget. Skjemaet sendes senest {SEND_INNEN_VIRKEDAGER} "
            "virkedager etter den."
        ),
        render_kw={"type": "date"},
    )
    sen_begrunnelse = TextAreaField(
        "Hvorfor sendes det senere enn fem virkedager etter at avviket ble oppdaget?",
        description="Bare når det er mer enn fem virkedager siden. Står i skjemaet og i loggen.",
        render_kw={"maxlength": MAKS_TEKST, "rows": 2},
    )
    hva_skjedde = TextAreaField(
        "Hva skjedde?", description=PERSONHINT, render_kw={"maxlength": MAKS_TEKST, "rows": 4}
    )
    konsekvens = TextAreaField(
        "Konsekvens", description=PERSONHINT, render_kw={"maxlength": MAKS_TEKST, "rows": 3}
    )
    strakstiltak = TextAreaField(
        "Strakstiltak", description=PERSONHINT, render_kw={"maxlength": MAKS_TEKST, "rows": 3}
    )
    person_ref = StringField(
        "Personreferanse (valgfri, personopplysning)",
        description=(
            "For eksempel et saksnummer i fagsystemet. Vises bare for kommunens saksbehandlere; "
            "står aldri i avviksskjemaet, i søket eller i e-post."
        ),
        render_kw={"maxlength": 200, "autocomplete": "off"},
    )

    def __init__(self, *args: object, paragrafer: list[str] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Datoene kan ikke være fram i tid (brukstilfellet sjekker det også).
        for felt in (self.hendelsesdato, self.oppdaget):
            felt.render_kw = {"type": "date", "max": date.today().isoformat()}
        self.paragraf.choices = valg([("", "Velg paragraf …"), *((p, p) for p in paragrafer)])

    def data_til_brukstilfellet(self) -> dict:
        navn = (
            "paragraf", "kategori", "alvorlighet", "hendelsesdato", "oppdaget", *FRITEKST,
            "sen_begrunnelse", "person_ref",
        )  # fmt: skip
        return {n: self[n].data for n in navn if n in self}


class PartnerAvviksskjema(Avviksskjema):
    # Personreferansen er kommunens (den vises aldri i portalen); parten beskriver uten.
    person_ref = None


class Svarskjema(FlaskForm):
    forklaring = TextAreaField(
        "Forklaring",
        description=f"Hvorfor skjedde avviket? {PERSONHINT}",
        render_kw={"maxlength": MAKS_TEKST, "rows": 4},
    )
    tiltak = TextAreaField(
        "Tiltak",
        description="Hva gjøres for at det ikke skal skje igjen?",
        render_kw={"maxlength": MAKS_TEKST, "rows": 3},
    )


class Lukkeskjema(FlaskForm):
    merknad = TextAreaField(
        "Merknad om oppfølgingen",
        description="Hvordan avviket er fulgt opp. Kommer med i det siste avviksskjemaet.",
        render_kw={"maxlength": MAKS_TEKST, "rows": 3},
    )


def melder() -> Melder:
    return Melder(current_user.id, current_user.rolle, current_user.part_id)


def flash_advarsler(skjema: Avviksskjema) -> None:
    """Hint om personopplysninger i fritekstfeltene; avviket er lagret uansett."""
    for navn in FRITEKST:
        for tekst in skriving.advarsler(skjema[navn].data or ""):
            flash(f"«{skjema[navn].label.text}»: {tekst}", "advarsel")
