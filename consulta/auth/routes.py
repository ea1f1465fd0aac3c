"""Login, logout and the staff home page, which sends each role to its work."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import login_manager
from ..ratelimits import login_attempts, public_page
from ..redirects import local_path
from ..services import accounts
from . import bp
from .forms import LoginForm

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id: str):
    return accounts.load_user(user_id)


@bp.route("/")
@public_page()
def home():
    if not current_user.is_authenticated:
        return render_template("auth/landing.html")
    if current_user.role == "facilitator":
        return redirect(url_for("facilitate.index"))
    if current_user.role == "analyst":
        return redirect(url_for("analyze.index"))
    from ..admin.forms import role_labels

    return render_template("auth/home.html", role_label=role_labels()[current_user.role])


@bp.route("/login", methods=["GET", "POST"])
@public_page()
@login_attempts()
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user, problem = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            if problem == "locked":
                flash(
                    _("Demasiados intentos fallidos. La cuenta está bloqueada por unos minutos."),
                    "error",
                )
            else:
                flash(_("Correo o contraseña incorrectos."), "error")
            return render_template("auth/login.html", form=form), 401
        lang = session.get("lang")
        session.clear()  # a fresh session at login: no fixation
        if lang:
            session["lang"] = lang
        session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
        login_user(user)
        return redirect(_safe_next() or url_for("auth.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("Cerraste tu sesión."), "info")
    return redirect(url_for("auth.login"))


def _safe_next() -> str | None:
    return local_path(request.args.get("next", ""))
