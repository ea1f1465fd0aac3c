"""Every error reaches people as a clear, translated message: JSON for tablets, a page for staff."""

from __future__ import annotations

import logging
import re
import traceback

from flask import Flask, abort, jsonify, make_response, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

# A store that is away (restarting, locked, unreachable) is a 503 the kiosk retries, not a 500.
RETRY_AFTER_SECONDS = 5


def messages() -> dict[int, str]:
    return {
        400: _("La solicitud no se pudo leer."),
        403: _("No tienes permiso para ver esta página."),
        404: _("No encontramos lo que buscas."),
        405: _("Esta acción no está permitida aquí."),
        409: _("Esto entra en conflicto con algo que ya estaba guardado."),
        413: _("El contenido es demasiado grande."),
        422: _("Algunos datos no son válidos."),
        429: _("Demasiados intentos seguidos. Espera un momento y vuelve a intentarlo."),
        500: _("Algo salió mal de nuestro lado. No se guardó nada a medias."),
        503: _("El servicio no está disponible en este momento. Intenta de nuevo en un momento."),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, **extra):
    message = message or messages().get(status, messages()[500])
    if wants_json():
        return jsonify({"error": message, **extra}), status
    return render_template("errors/error.html", status=status, message=message), status


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text_only(value):
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_text_only(v) for v in value]
    if isinstance(value, dict):
        return {_text_only(k): _text_only(v) for k, v in value.items()}
    return value


class TextOnlyJSON(DefaultJSONProvider):
    """JSON allows lone surrogates ("\\ud800"), which are not text: a form that echoes one
    back cannot be encoded, a 500 that no error handler sees. They become U+FFFD on arrival."""

    def loads(self, s, **kwargs):
        return _text_only(super().loads(s, **kwargs))


def register(app: Flask) -> None:
    app.json = TextOnlyJSON(app)

    @app.before_request
    def _staff_forms_take_form_data():
        # Staff forms are HTML forms. Flask-WTF would also read a JSON body as their fields,
        # and hands file parts to text fields: numbers, lists or files where WTForms expects
        # text were a 500, not a refusal.
        if request.method in ("GET", "HEAD", "OPTIONS") or wants_json():
            return
        if request.is_json or not set(request.files) <= _file_field_names():
            abort(400)

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return error_response(
            400,
            _(
                "El formulario caducó o no es válido. Vuelve a cargar la página e inténtalo de nuevo."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return error_response(exc.code or 500)

    @app.errorhandler(DataError)
    def _unstorable(exc: DataError):
        # The database refused a value the request carried (a NUL byte in a text, an id beyond
        # its integer range): nothing can exist under it, and nothing was written.
        _rollback()
        log.warning(
            "value refused by the database on %s: %s", request.url_rule, type(exc.orig).__name__
        )
        return error_response(404 if request.method in ("GET", "HEAD") else 422)

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def _store_away(exc: Exception):
        # Connection refused or lost, "database is locked", a server shutting down, no free
        # connection: the transaction was rolled back whole, so the tablet may safely resend.
        _rollback()
        log.warning("database unavailable: %s", type(getattr(exc, "orig", exc)).__name__)
        response = make_response(error_response(503))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(DBAPIError)
    def _store_error(exc: DBAPIError):
        # Any error on a connection the pool has just invalidated (psycopg's "the connection
        # is closed" is an InterfaceError) is the store going away, not a bug.
        if exc.connection_invalidated:
            return _store_away(exc)
        return _unexpected(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Type and frames only: the message could echo participant text or SQL parameters.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("unhandled %s on %s\n%s", type(exc).__name__, request.url_rule, frames)
        _rollback()
        return error_response(500)


def _file_field_names() -> set[str]:
    """The names under which some staff form declares a file upload."""
    from flask_wtf import FlaskForm
    from wtforms.fields import FileField
    from wtforms.fields.core import UnboundField

    names, pending = set(), list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for klass in form.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, UnboundField) and issubclass(value.field_class, FileField):
                    names.add(name)
    return names


def _rollback() -> None:
    """A failed statement leaves the transaction unusable, and the error page reads the
    signed-in user: roll back first, or the error page itself fails."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection itself may be gone
        log.warning("rollback after an error failed")
