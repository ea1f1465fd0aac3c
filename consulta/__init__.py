"""Consulta: participatory consultation for Medellín's plan against ESCNNA."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.routing import IntegerConverter

from .config import config_class, database_url


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    env = (config or {}).get("CONSULTA_ENV") or os.environ.get("CONSULTA_ENV")
    app.config.from_object(config_class(env))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
        os.environ.get("DATABASE_URL"), app.instance_path
    )
    if config:
        app.config.update(config)

    from . import logs, security

    logs.configure(app)
    security.configure(app)  # refuses a production start without a real SECRET_KEY
    app.url_map.converters["int"] = KeyConverter
    _init_extensions(app)
    _register_blueprints(app)

    from . import cli, errors, i18n

    errors.register(app)
    i18n.register(app)
    cli.register(app)
    return app


class KeyConverter(IntegerConverter):
    """Ids in paths are 32-bit keys: a larger number matches no route (404) rather than
    overflowing the database driver."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    from . import database
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale

    db.init_app(app)
    database.configure_engine(app)
    migrations = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .analyze import bp as analyze_bp
    from .auth import bp as auth_bp
    from .devolucion import bp as devolucion_bp
    from .facilitate import bp as facilitate_bp
    from .facilitate.alerts import lead_bp as safeguarding_bp
    from .facilitate.alerts_cli import alerts_cli
    from .ideas import bp as ideas_bp
    from .participate import api_bp
    from .participate import bp as participate_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(facilitate_bp, url_prefix="/sesiones")
    app.register_blueprint(safeguarding_bp)
    app.cli.add_command(alerts_cli)
    app.register_blueprint(analyze_bp, url_prefix="/analisis")
    app.register_blueprint(participate_bp)
    app.register_blueprint(ideas_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(devolucion_bp)
