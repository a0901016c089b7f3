"""Innlogging og økten: hvem som er logget inn (Flask-Login), og hva som skjer med den som
ikke er det."""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin

from dokumenter.brukere.okter import Kontobilde
from dokumenter.models import Bruker
from dokumenter.tjenester import Tjenester

PORTALEN = ("portal", "planportal")  # blueprintene under /portal (partnernes innlogging og drakt)


class Innlogget(UserMixin):
    """Den innloggede brukeren slik Flask-Login ser den (et øyeblikksbilde, ikke en ORM-rad)."""

    def __init__(
        self, id: int, brukernavn: str, navn: str, rolle: str, part_id: int | None = None
    ) -> None:
        self.id, self.brukernavn, self.navn, self.rolle = id, brukernavn, navn, rolle
        self.part_id = part_id  # bare partnerbrukere: institusjonen de tilhører

    @classmethod
    def fra(cls, b: Bruker | Kontobilde) -> Innlogget:
        return cls(b.id, b.brukernavn, b.navn, b.rolle, b.part_id)


def sett_opp(app: Flask, tj: Tjenester) -> None:
    login = LoginManager(app)
    login.login_view = "auth.logg_inn"
    login.login_message = "Logg inn for å se denne siden."
    login.login_message_category = "info"

    @login.unauthorized_handler
    def ikke_innlogget():
        if request.path.startswith("/api/"):
            return jsonify({"feil": "Du må være logget inn."}), 401
        flash(login.login_message, "info")
        side = "portal.logg_inn" if request.blueprint in PORTALEN else "auth.logg_inn"
        return redirect(url_for(side, next=request.full_path.rstrip("?")))

    @login.user_loader
    def last_bruker(bruker_id: str) -> Innlogget | None:
        # Økten ble lest sammen med brukeren (web/oktlager.py): ikke et oppslag til.
        rad = getattr(session, "rad", None)
        if rad is not None and rad.bruker is not None and str(rad.bruker.id) == bruker_id:
            return Innlogget.fra(rad.bruker)
        with tj.sesjoner() as s:
            b = s.get(Bruker, int(bruker_id)) if bruker_id.isdigit() else None
            return Innlogget.fra(b) if b is not None and b.aktiv else None
