"""Skjemaene på avtalesidene: avtalen (bygd fra malens manifest), status, signering, skannet
kopi og ansvar."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from dokumenter.avtaler.livslop import STATUSER, manuelle_overganger
from dokumenter.infrastruktur.maler import Mal
from dokumenter.signering.runder import FRIST_DAGER, PAMINNELSE_DAGER, SIDER, Signatarvalg
from web.skjema import valg

_INPUTTYPE = {"heltall": "number", "dato": "date", "epost": "email", "telefon": "tel"}


def avtaleskjema(mal: Mal, velg_part: bool) -> type[FlaskForm]:
    """Et skjema med ett felt per felt i malens manifest."""
    attrs: dict = {}
    if velg_part:
        attrs["part_id"] = SelectField("Avtalepart", coerce=int, validate_choice=False)
    for f in mal.felt:
        kw = {"maxlength": f.lengdegrense} if f.type in ("tekst", "langtekst") else {}
        if f.type in _INPUTTYPE:
            kw["type"] = _INPUTTYPE[f.type]
        if f.type == "heltall":
            kw.update({k: v for k, v in (("min", f.min), ("max", f.max)) if v is not None})
        if f.paakrevd:
            kw["required"] = True
        felttype = TextAreaField if f.type == "langtekst" else StringField
        attrs[f.navn] = felttype(f.etikett, description=f.hjelp, render_kw=kw)
    attrs["grunn"] = StringField(
        "Kort begrunnelse for endringen",
        description="For eksempel «Endret varslingsfrist etter møte med Bodø fengsel».",
        render_kw={"maxlength": 500},
    )
    attrs["versjon"] = HiddenField()
    # Engangsnøkkel: samme skjema sendt to ganger (svaret gikk tapt) lagrer bare én gang.
    attrs["token"] = HiddenField()
    return type("Avtaleskjema", (FlaskForm,), attrs)


def sett_token(skjema: FlaskForm) -> None:
    """Gi skjemaet en ny engangsnøkkel om det ikke har en (første visning)."""
    if not skjema.token.data:
        skjema.token.data = secrets.token_urlsafe(24)


class Statusskjema(FlaskForm):
    # Valgene er de lovlige neste stegene fra avtalens status; brukstilfellet kontrollerer.
    status = SelectField("Ny status", validate_choice=False)
    begrunnelse = TextAreaField(
        "Begrunnelse",
        description="Påkrevd for «Ikke inngått» og «Avsluttet».",
        render_kw={"maxlength": 2000, "rows": 2},
    )
    avsluttet_dato = StringField(
        "Avsluttet dato",
        description="Bare for «Avsluttet». Tomt felt betyr i dag.",
        render_kw={"type": "date"},
    )


def statusskjema(status: str, **kw: object) -> Statusskjema:
    skjema = Statusskjema(**kw)
    skjema.status.choices = valg([(s, STATUSER[s]) for s in manuelle_overganger(status)])
    return skjema


ANTALL_SIGNATARRADER = 4


class Signatarrad(Form):
    person = SelectField("Person", validate_choice=False)
    rolle = StringField(
        "Rolle", description="For eksempel «Kommunalsjef».", render_kw={"maxlength": 200}
    )


class Signeringsskjema(FlaskForm):
    rader = FieldList(
        FormField(Signatarrad),
        min_entries=ANTALL_SIGNATARRADER,
        max_entries=ANTALL_SIGNATARRADER,
    )
    frist_dager = StringField(
        "Frist (dager)",
        default=str(FRIST_DAGER),
        description="Avtalen blir «Ikke inngått» hvis ikke alle har signert innen fristen.",
        render_kw={"type": "number", "min": 1, "max": 365, "inputmode": "numeric"},
    )
    paminnelse_dager = StringField(
        "Påminnelse etter (dager)",
        default=str(PAMINNELSE_DAGER),
        description="Den som står for tur, får en påminnelse på e-post så ofte.",
        render_kw={"type": "number", "min": 1, "max": 60, "inputmode": "numeric"},
    )


def signeringsskjema(
    kandidater: dict[str, list], bruker_id: int, innsendt: bool
) -> Signeringsskjema:
    """Skjemaet med kandidatene (kommunens signerere og partens portalbrukere) i hver rad;
    `innsendt` leser verdiene fra forespørselen, ellers foreslås en rekkefølge."""
    choices = [SelectChoice("", "Ingen")] + [
        SelectChoice(
            f"{side}:{b.id}",
            b.navn if b.epost else f"{b.navn} (mangler e-postadresse, kan ikke signere)",
            optgroup=SIDER[side],
        )
        for side in ("kommune", "part")
        for b in kandidater[side]
    ]
    skjema = Signeringsskjema() if innsendt else Signeringsskjema(formdata=None)
    for rad in skjema.rader:
        rad.person.choices = choices
    if not innsendt:
        # Forslag: deg selv først for kommunen, så partens eneste portalbruker.
        # Bare den som har e-postadresse (varselet og engangskoden går dit).
        if any(b.id == bruker_id and b.epost for b in kandidater["kommune"]):
            skjema.rader[0].person.data = f"kommune:{bruker_id}"
        if len(kandidater["part"]) == 1 and kandidater["part"][0].epost:
            skjema.rader[1].person.data = f"part:{kandidater['part'][0].id}"
    skjema.har_partbrukere = bool(kandidater["part"])
    skjema.uten_epost = [
        b.navn for side in ("kommune", "part") for b in kandidater[side] if not b.epost
    ]
    return skjema


def heltall(felt: StringField) -> int | None:
    verdi = (felt.data or "").strip()
    if verdi.isascii() and verdi.isdigit() and len(verdi) < 6:
        return int(verdi)
    felt.errors = [*felt.errors, "Skriv et helt tall."]
    return None


class Opplastingsskjema(FlaskForm):
    fil = FileField(
        "Skannet signert kopi (PDF)",
        description="Den våtsignerte avtalen skannet som én PDF, høyst 20 MB. Avtalen blir "
        "«Inngått», og en pågående signeringsrunde trekkes.",
        render_kw={"accept": ".pdf,application/pdf"},
    )


class Ansvarsskjema(FlaskForm):
    til = SelectField("Ny ansvarlig", coerce=int, validate_choice=False)
    merknad = StringField("Merknad", render_kw={"maxlength": 500})


def feltverdier(skjema: FlaskForm, mal: Mal) -> dict:
    return {f.navn: skjema[f.navn].data for f in mal.felt}


def signatarvalg(skjema: Signeringsskjema) -> list[Signatarvalg] | None:
    """Signererne i radenes rekkefølge (tomme rader hoppes over); None med feil ved feltene."""
    valgt: list[Signatarvalg] = []
    for rad in skjema.rader:
        side, _, bruker_id = (rad.person.data or "").partition(":")
        if side in SIDER and bruker_id.isascii() and bruker_id.isdigit():
            valgt.append(Signatarvalg(int(bruker_id), side, rad.rolle.data or ""))
        elif rad.person.data:
            rad.person.errors = ["Velg en person fra listen."]
    return None if any(r.person.errors for r in skjema.rader) else valgt
