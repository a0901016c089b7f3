"""Øktene i databasen: en Flask-`SessionInterface` der informasjonskapselen bare har en
tilfeldig nøkkel, og dataene (hvem som er logget inn, CSRF-nøkkelen, meldingene) står i
tabellen okt (`dokumenter.brukere.okter`, som også håndhever levetidene). En utlogging eller
en tilbakekalling virker dermed straks, på alle noder som deler databasen; ingenting om
øktene holdes i minnet.

Skrivingen holdes sjelden: dataene lagres bare når økten er endret, og sist_brukt oppdateres
høyst én gang i minuttet. En anonym økt lagres først når den får data (en CSRF-nøkkel eller en
melding). Nøkkelen byttes hver gang brukeren i økten byttes (innlogging, utlogging) og ved hver
innlogging, så en nøkkel fra før innloggingen aldri blir en innlogget økt (session fixation).
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, Request, Response, request, session
from flask.sessions import SecureCookieSession, SessionInterface, session_json_serializer

from dokumenter.brukere import okter
from dokumenter.brukere.okter import Oktrad
from dokumenter.tjenester import Tjenester


class Databaseokt(SecureCookieSession):
    """Øktens data, og raden den er lest fra (None: ingen rad ennå)."""

    def __init__(self, data: dict | None = None, rad: Oktrad | None = None) -> None:
        super().__init__(data or {})
        self.rad = rad
        self.ny_nokkel = False  # satt ved innlogging: ny nøkkel selv om brukeren er den samme
        self.uten_lagring = False  # statiske filer: ingen oppslag og ingen lagring


def ny_nokkel() -> None:
    """Kall ved innlogging: økten får en ny nøkkel når svaret sendes."""
    if isinstance(session, Databaseokt):
        session.ny_nokkel = True


def okt_id() -> int | None:
    """Raden den innloggede brukeren står i nå (den beholdes ved passordbytte)."""
    rad = getattr(session, "rad", None)
    return rad.id if rad is not None else None


def _bruker_id(data: Databaseokt) -> int | None:
    verdi = data.get("_user_id")  # Flask-Login
    return int(verdi) if isinstance(verdi, str) and verdi.isdigit() else None


class Oktlager(SessionInterface):
    serializer = session_json_serializer

    def __init__(self, tj: Tjenester) -> None:
        self.tj = tj

    def open_session(self, app: Flask, foresporsel: Request) -> Databaseokt:
        if app.static_url_path and foresporsel.path.startswith(app.static_url_path + "/"):
            okt = Databaseokt()
            okt.uten_lagring = True
            return okt
        nokkel = foresporsel.cookies.get(self.get_cookie_name(app), "")
        rad = okter.hent(self.tj, nokkel) if nokkel else None
        if rad is None:
            return Databaseokt()
        try:
            data = self.serializer.loads(rad.data) if rad.data else {}
        except (ValueError, TypeError):
            data = {}
        return Databaseokt(data, rad)

    def save_session(self, app: Flask, session: Databaseokt, response: Response) -> None:  # type: ignore[override]
        if getattr(session, "uten_lagring", False):
            return
        response.vary.add("Cookie")
        rad = session.rad
        bruker_id = _bruker_id(session)
        if rad is not None and (bruker_id != rad.bruker_id or session.ny_nokkel):
            okter.avslutt(self.tj, rad.id)  # ny bruker i økten: ny nøkkel, den gamle gjelder ikke
            rad = session.rad = None
        if rad is None:
            if session:
                data = self.serializer.dumps(dict(session))
                nokkel, utloper = okter.opprett(self.tj, data, bruker_id)
                self._sett_kapsel(app, response, nokkel, utloper)
            elif request.cookies.get(self.get_cookie_name(app)):
                self._slett_kapsel(app, response)  # utløpt, avsluttet eller ukjent nøkkel
            return
        if not session:
            okter.avslutt(self.tj, rad.id)
            self._slett_kapsel(app, response)
        elif session.modified:
            okter.lagre(self.tj, rad.id, self.serializer.dumps(dict(session)))
        elif rad.trenger_beroring:
            okter.beror(self.tj, rad.id)

    def _sett_kapsel(self, app: Flask, response: Response, nokkel: str, utloper: datetime) -> None:
        response.set_cookie(
            self.get_cookie_name(app),
            nokkel,
            expires=utloper,
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )

    def _slett_kapsel(self, app: Flask, response: Response) -> None:
        response.delete_cookie(
            self.get_cookie_name(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            httponly=self.get_cookie_httponly(app),
            samesite=self.get_cookie_samesite(app),
        )
