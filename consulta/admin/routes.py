"""Admin pages: create consultations and staff accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..auth.roles import role_required
from ..extensions import db
from ..models import Consultation, User
from ..services import accounts
from ..timeutil import today_local
from . import bp
from .forms import ConsultationForm, UserForm, role_labels


@bp.route("/consultas", methods=["GET", "POST"])
@role_required("admin")
def consultations():
    form = ConsultationForm()
    if form.validate_on_submit():
        if form.retention_until.data <= today_local():
            flash(_("La fecha de conservación debe estar en el futuro."), "error")
        else:
            db.session.add(
                Consultation(
                    title=form.title.data.strip(),
                    purpose=form.purpose.data.strip(),
                    retention_until=form.retention_until.data,
                )
            )
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                flash(_("Ya existe una consulta con ese nombre."), "error")
            else:
                flash(_("Consulta creada."), "success")
                return redirect(url_for(".consultations"))
    rows = db.session.scalars(
        db.select(Consultation).order_by(Consultation.created_at.desc())
    ).all()
    status = 422 if request.method == "POST" else 200
    return render_template("admin/consultations.html", form=form, consultations=rows), status


@bp.route("/usuarios", methods=["GET", "POST"])
@role_required("admin")
def users():
    form = UserForm()
    if form.validate_on_submit():
        try:
            accounts.create_user(form.email.data, form.role.data, form.password.data)
        except accounts.AccountError:
            flash(_("No se pudo crear la cuenta: revisa el correo (puede que ya exista)."), "error")
        else:
            flash(_("Cuenta creada."), "success")
            return redirect(url_for(".users"))
    rows = db.session.scalars(db.select(User).order_by(User.email)).all()
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/users.html", form=form, users=rows, role_labels=role_labels()
    ), status
