"""The facilitator's upload of a tablet's exported waiting answers (see services/tablet_import)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from ..auth.roles import role_required
from ..services import tablet_import
from . import bp
from .routes import _own_encounter

MAX_FILE = 5 * 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


@bp.route("/<int:encounter_id>/importar", methods=["POST"])
@role_required("facilitator")
def import_answers(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    back = redirect(url_for(".detail", encounter_id=encounter.id) + "#importar")
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Elija el archivo que exportó la tableta."), "error")
        return back
    try:
        items = tablet_import.read_export(form.file.data.read(MAX_FILE))
    except tablet_import.ImportFileError:
        flash(_("Ese archivo no es una exportación de respuestas de una tableta."), "error")
        return back
    summary = tablet_import.import_submissions(encounter, items)
    flash(
        _(
            "Importación: %(stored)s guardadas, %(already)s ya estaban guardadas, "
            "%(refused)s rechazadas, %(other)s de otra sesión.",
            stored=summary.stored,
            already=summary.already,
            refused=summary.refused,
            other=summary.other_session,
        ),
        "success",
    )
    return back
