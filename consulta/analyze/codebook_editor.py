"""The codebook editor (administrators): edit the YAML, preview its effect, save a new version.

Nothing is saved by a preview, and nothing is recoded by a save: stored texts change only when
someone runs ``flask analysis retag``, which the page tells the administrator to do.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import CodebookVersion
from ..services import codebooks
from ..services.exporting import theme_names
from . import bp
from .labels import line_names

RETAG_COMMAND = "flask analysis retag"


@bp.route("/libro-de-codigos")
@role_required("admin")
def codebook():
    version, content = codebooks.current_content()
    return _page(content, note="", current_version=version)


@bp.route("/libro-de-codigos/vista-previa", methods=["POST"])
@role_required("admin")
def codebook_preview():
    content = request.form.get("content", "")
    note = request.form.get("note", "")
    try:
        candidate = codebooks.validate(content)
    except codebooks.CodebookInputError as exc:
        return _page(content, note, error=str(exc), status=422)
    return _page(content, note, preview=codebooks.preview(candidate), candidate=candidate)


@bp.route("/libro-de-codigos/guardar", methods=["POST"])
@role_required("admin")
def codebook_save():
    content = request.form.get("content", "")
    note = request.form.get("note", "")
    try:
        saved = codebooks.save(content, note, current_user.id)
    except codebooks.CodebookInputError as exc:
        return _page(content, note, error=str(exc), status=422)
    flash(
        _(
            "Se guardó la versión %(version)s y ya codifica los textos nuevos. Para recodificar "
            "los textos guardados, ejecute en el servidor: %(command)s",
            version=saved.version,
            command=RETAG_COMMAND,
        ),
        "success",
    )
    return redirect(url_for("analyze.codebook", saved=saved.version))


def _page(
    content, note, error=None, preview=None, candidate=None, current_version=None, status=200
):
    versions = db.session.scalars(
        select(CodebookVersion).order_by(CodebookVersion.created_at.desc()).limit(20)
    ).all()
    if current_version is None:
        current_version = codebooks.current_content()[0]
    return (
        render_template(
            "analyze/codebook.html",
            content=content,
            note=note,
            error=error,
            preview=preview,
            candidate=candidate,
            current_version=current_version,
            versions=versions,
            help_text=codebooks.pattern_help(),
            lines=line_names(),
            names=theme_names(current_language()),
            saved=request.args.get("saved"),
            retag_command=RETAG_COMMAND,
            preview_cap=codebooks.PREVIEW_CAP,
        ),
        status,
    )
