"""The tablet API (v1). Its contract is documented in README.md; keep both in step.

The join code is the capability: no login and no cookie. Bodies are read with a hard cap so that
an oversize request is refused before it is parsed.
"""

from __future__ import annotations

import json

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from ..devolucion.links import public_url, qr_data_uri
from ..errors import error_response
from ..extensions import csrf, limiter
from ..i18n import current_language
from ..profiles import profile_options
from ..ratelimits import join_code_misses
from ..services import encounters, help_requests, submissions
from ..services.instruments import definition_of
from . import api_bp

csrf.exempt(api_bp)


def _code_key() -> str:
    return "session:" + encounters.normalise_code(request.view_args.get("code", ""))


@api_bp.route("/sessions/<code>")
@limiter.limit(lambda: current_app.config["RATELIMIT_SESSION_LOOKUP"])
@join_code_misses
def session_detail(code: str):
    encounter = encounters.by_code(code)
    if encounter is None:
        return error_response(404, _("No hay ninguna sesión con ese código."))
    lang = current_language()
    definition = definition_of(encounter.instrument)
    devolucion = public_url(encounter.consultation_id, children=True, lang=lang)
    return jsonify(
        {
            "code": encounter.code,
            "status": encounter.status,
            "population": encounter.population,
            "instrument": {
                "slug": definition.slug,
                "version": definition.version,
                "title": definition.title.get(lang) or definition.title["es"],
                "intro": definition.intro.get(lang) or definition.intro["es"],
                "layout": definition.layout,
                "questions": definition.api_questions(lang),
            },
            "profile": profile_options(encounter.population),
            # The children's devolución page, and its QR for the thank-you screen (kept offline).
            "devolucion_url": devolucion,
            "devolucion_qr": qr_data_uri(devolucion),
        }
    )


@api_bp.route("/sessions/<code>/submissions", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SUBMISSIONS"], key_func=_code_key)
@join_code_misses
def submit(code: str):
    limit = current_app.config["API_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        return error_response(413, _("El envío supera el tamaño máximo de 64 KiB."))
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        return error_response(413, _("El envío supera el tamaño máximo de 64 KiB."))
    encounter = encounters.by_code(code)
    if encounter is None:
        return error_response(404, _("No hay ninguna sesión con ese código."))
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return error_response(400, _("El envío no está codificado en UTF-8."))
    except (ValueError, RecursionError):
        return error_response(400, _("El envío no es un JSON válido."))
    try:
        accepted = submissions.receive(encounter, payload)
    except submissions.Rejection as rejection:
        extra = {"fields": rejection.fields} if rejection.fields else {}
        if rejection.reason:
            extra["reason"] = rejection.reason
        return error_response(rejection.status, rejection.message, **extra)
    status = 201 if accepted.created else 200
    return jsonify({"id": accepted.submission_id, "stored": True}), status


@api_bp.route("/sessions/<code>/help", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SUBMISSIONS"], key_func=_code_key)
@join_code_misses
def help_request(code: str):
    """Someone on a tablet asked to talk to an adult: no answer travels with it."""
    encounter = encounters.by_code(code)
    if encounter is None:
        return error_response(404, _("No hay ninguna sesión con ese código."))
    try:
        payload = json.loads(request.stream.read(4096).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return error_response(400, _("El envío no es un JSON válido."))
    try:
        request_id, created = help_requests.record(encounter, payload)
    except submissions.Rejection as rejection:
        extra = {"fields": rejection.fields} if rejection.fields else {}
        if rejection.reason:
            extra["reason"] = rejection.reason
        return error_response(rejection.status, rejection.message, **extra)
    return jsonify({"id": request_id, "stored": True}), 201 if created else 200
