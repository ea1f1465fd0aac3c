"""The kiosk's ideas wall: approved ideas of the same consultation from other sessions.

Public like the session's questions (the join code is the capability) and cached by the kiosk's
service worker, so a tablet offline still shows the list it last saw.
"""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext as _

from ..errors import error_response
from ..extensions import limiter
from ..i18n import current_language
from ..plain_lines import plain_line
from ..ratelimits import join_code_misses
from ..services import encounters, idea_wall
from . import api_bp

# Enough for any room; the kiosk shows a handful of them to each participant.
MAX_IDEAS = 60


@api_bp.route("/sessions/<code>/ideas")
@limiter.limit(lambda: current_app.config["RATELIMIT_SESSION_LOOKUP"])
@join_code_misses
def session_ideas(code: str):
    encounter = encounters.by_code(code)
    if encounter is None:
        return error_response(404, _("No hay ninguna sesión con ese código."))
    lang = current_language()
    ideas = idea_wall.approved_ideas(
        encounter.consultation_id, exclude_encounter_id=encounter.id, limit=MAX_IDEAS
    )
    rows = []
    for idea in ideas:
        plain = plain_line(idea.line, lang)
        rows.append(
            {
                "id": idea.id,
                "text": idea.text,
                "line": idea.line,
                "line_name": plain["name"],
                "line_short": plain["short"],
                "icon": plain["icon"],
                "supports": idea.supports,
            }
        )
    return jsonify({"ideas": rows})
