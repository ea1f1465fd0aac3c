"""The room's projection: a control page for the facilitator and a screen for the projector.

The screen is opened with the facilitator's login on the projector's laptop, but it is drawn
for the room: no navigation, no staff controls, no reserved or hidden text, ever.
"""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.roles import role_required
from ..i18n import current_language
from ..services import projection
from . import bp
from .routes import _own_encounter

POLL_MILLISECONDS = 3000
# A new card waits this long on the screen before it shows, so that the facilitator (who sees it
# at once on the control page) can hide it first. PROJECTION_HOLD_SECONDS overrides it.
HOLD_SECONDS = 8
MAX_KEYS = 1000


@bp.route("/<int:encounter_id>/proyeccion", methods=["GET", "POST"])
@role_required("facilitator")
def projection_control(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    if request.method == "POST":
        viewed = _apply(encounter, request.form)
        target = url_for(".projection_control", encounter_id=encounter.id, pregunta=viewed)
        return redirect(target + "#respuestas")
    questions = projection.projectable_questions(encounter)
    viewed = projection.question_for(encounter, request.args.get("pregunta")) or (
        projection.question_for(encounter, encounter.projected_question)
        or (questions[0] if questions else None)
    )
    return render_template(
        "facilitate/projection_control.html",
        encounter=encounter,
        questions=questions,
        viewed=viewed,
        cards=projection.cards(encounter, viewed.id) if viewed else [],
        prompt=lambda q: projection.prompt(q, current_language()),
        hold=_hold_seconds(),
    )


def _apply(encounter, form) -> str | None:
    """One change from the control page; returns the question whose answers to show next."""
    action = form.get("action")
    try:
        if action == "question":
            projection.set_question(encounter, form.get("question", ""))
            flash(_("La pantalla se actualiza en unos segundos."), "success")
            return encounter.projected_question or None
        if action in ("hide", "show"):
            projection.set_hidden(
                encounter,
                form.get("submission_id", ""),
                form.get("question_id", ""),
                hidden=action == "hide",
            )
            return form.get("question_id") or None
        flash(_("No se entendió el cambio pedido. Intente de nuevo."), "error")
    except projection.ProjectionError as exc:
        flash(str(exc), "error")
    return None


@bp.route("/<int:encounter_id>/proyeccion/respuestas")
@role_required("facilitator")
def projection_answers(encounter_id: int):
    """The control page's answer list, re-fetched as answers arrive (HTML, with its forms)."""
    encounter = _own_encounter(encounter_id)
    viewed = projection.question_for(encounter, request.args.get("pregunta"))
    return render_template(
        "facilitate/_projection_answers.html",
        encounter=encounter,
        viewed=viewed,
        cards=projection.cards(encounter, viewed.id) if viewed else [],
    )


@bp.route("/<int:encounter_id>/proyeccion/pantalla")
@role_required("facilitator")
def projection_screen(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    return render_template(
        "facilitate/projection_screen.html",
        encounter=encounter,
        data=projection.screen_data(encounter, current_language()),
        poll=POLL_MILLISECONDS,
        hold=int(_hold_seconds() * 1000),
    )


@bp.route("/<int:encounter_id>/proyeccion/datos.json")
@role_required("facilitator")
def projection_data(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    response = jsonify(
        projection.screen_data(encounter, current_language(), _on_screen(request.args))
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _on_screen(args) -> set[str] | None:
    """The card keys the screen says it shows (``?mostradas=k1,k2``); None when not given."""
    raw = args.get("mostradas")
    if raw is None:
        return None
    return {key for key in raw.split(",")[:MAX_KEYS] if key}


def _hold_seconds() -> float:
    return float(current_app.config.get("PROJECTION_HOLD_SECONDS", HOLD_SECONDS))
