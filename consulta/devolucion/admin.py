"""Admins write what the plan will do about each line; the public pages show it at once."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from analysis import LINES

from ..analyze.labels import line_names
from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Consultation
from ..plain_lines import plain_line
from . import bp, content, numbers, services
from .forms import DevolucionForm


def _initial(consultation_id: int) -> dict[str, dict]:
    rows = content.responses(consultation_id)
    return {
        line: {name: getattr(rows[line], name) for name in services.FIELDS}
        for line in LINES
        if line in rows
    }


@bp.route("/admin/devolucion/<int:consultation_id>", methods=["GET", "POST"])
@role_required("admin")
def edit(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = DevolucionForm(data=None if request.method == "POST" else _initial(consultation.id))
    if form.validate_on_submit():
        data = {line: form[line].data for line in LINES}
        changed = services.save_line_responses(consultation.id, data, current_user)
        flash(_("Devolución guardada. Líneas con cambios: %(n)s.", n=changed), "success")
        return redirect(url_for(".edit", consultation_id=consultation.id))
    if request.method == "POST":
        flash(_("Revise los campos marcados: no se guardó ningún cambio."), "error")
    figures = numbers.figures(consultation.id)
    official = line_names()
    plain = {line: plain_line(line, current_language()) for line in LINES}
    lines = [
        {
            "line": line,
            "form": form[line],
            "official": official[line],
            "plain": plain[line]["name"],
            "pictogram": plain[line]["icon"],
            "count": figures.by_line[line],
        }
        for line in LINES
    ]
    status = 422 if request.method == "POST" else 200
    return render_template(
        "devolucion/edit.html",
        consultation=consultation,
        form=form,
        lines=lines,
        k=numbers.small_cell_k(),
    ), status
