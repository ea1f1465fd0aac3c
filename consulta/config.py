"""Configuration read from the environment, with safe defaults for a laptop or a test run."""

from __future__ import annotations

import json
import os
from datetime import timedelta

DEV_SECRET_KEY = "dev-only-not-secret"
MIN_SECRET_KEY_LENGTH = 32


def database_url(raw: str | None, instance_path: str) -> str:
    """Any SQLAlchemy URL; plain ``postgresql://`` URLs are routed to psycopg 3."""
    if not raw:
        return "sqlite:///" + os.path.join(instance_path, "consulta.db")
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://") :]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://") :]
    return raw


class Config:
    # "production" turns on secure cookies, HSTS, HTTPS redirects and the proxy headers of nginx.
    CONSULTA_ENV = os.environ.get("CONSULTA_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    # JSON stored as readable UTF-8 (not \u escapes): search and privacy checks see real text.
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "json_serializer": lambda value: json.dumps(value, ensure_ascii=False),
    }
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Staff sessions: browser-session cookie, expires after 8 hours even if the tab stays open.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "America/Bogota"
    LANGUAGES = ("es", "en")

    # Bodies: the tablet API refuses more than 64 KiB; staff forms get a little more room.
    MAX_CONTENT_LENGTH = 1024 * 1024
    API_MAX_BODY = 64 * 1024
    MAX_TEXT_LENGTH = 2000

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_KEY_PREFIX = "consulta"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SUBMISSIONS = os.environ.get("RATELIMIT_SUBMISSIONS", "240 per minute")
    RATELIMIT_SESSION_LOOKUP = os.environ.get("RATELIMIT_SESSION_LOOKUP", "60 per minute")
    # Wrong join codes from one client, counted together on every page that takes a code.
    RATELIMIT_JOIN_MISSES = os.environ.get("RATELIMIT_JOIN_MISSES", "30 per minute")
    # Any other public page, per client and page (a school's tablets may share one address).
    RATELIMIT_PUBLIC_PAGES = os.environ.get("RATELIMIT_PUBLIC_PAGES", "300 per minute")
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute")

    # Security headers (consulta/security.py). HSTS and the HTTPS redirect are production-only.
    SECURITY_HSTS = False
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", str(365 * 24 * 3600)))
    HSTS_INCLUDE_SUBDOMAINS = os.environ.get("HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0 = none).
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))

    # Failed logins: after this many, the account waits LOGIN_LOCK_MINUTES.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15

    # Small-cell rule for every breakdown shown to staff.
    SMALL_CELL_K = int(os.environ.get("SMALL_CELL_K", "5"))
    # Shared tablets: reset after the thank-you screen, drop an abandoned participant's answers,
    # retry delivery with capped back-off, and ask the facilitator's PIN to leave the kiosk.
    KIOSK_RESET_SECONDS = int(os.environ.get("KIOSK_RESET_SECONDS", "20"))
    KIOSK_IDLE_SECONDS = int(os.environ.get("KIOSK_IDLE_SECONDS", "300"))
    KIOSK_RETRY_BASE_SECONDS = float(os.environ.get("KIOSK_RETRY_BASE_SECONDS", "2"))
    KIOSK_RETRY_CAP_SECONDS = float(os.environ.get("KIOSK_RETRY_CAP_SECONDS", "300"))
    KIOSK_REQUIRE_PIN = os.environ.get("KIOSK_REQUIRE_PIN", "1") == "1"
    # Safeguarding alerts keep their details (tablet, reasons, what was done) this many days.
    ALERT_DETAIL_DAYS = int(os.environ.get("ALERT_DETAIL_DAYS", "30"))
    # Base URL printed in QR codes (tablets on a LAN reach the server by its IP, not localhost).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")


class ProductionConfig(Config):
    """Behind nginx with TLS: cookies only over HTTPS, HSTS, and nginx's forwarded headers."""

    CONSULTA_ENV = "production"
    SESSION_COOKIE_SECURE = True
    # __Host-: the browser refuses the cookie unless Secure, Path=/ and no Domain (no subdomain
    # of the municipal domain can plant or read a staff session).
    SESSION_COOKIE_NAME = "__Host-consulta"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    PREFERRED_URL_SCHEME = "https"
    SECURITY_HSTS = True
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "1"))


class InsecureConfiguration(SystemExit):
    """Raised at start-up: the process exits non-zero with a message an operator can act on."""


def config_class(env: str | None):
    return ProductionConfig if env == "production" else Config


def secret_key_problem(key: str | None) -> str | None:
    """Why a SECRET_KEY is not fit for production, or None when it is."""
    if not key:
        return "SECRET_KEY is not set"
    if key == DEV_SECRET_KEY:
        return "SECRET_KEY is the development default"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY has {len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} are needed"
    if len(set(key)) < 8:
        return "SECRET_KEY repeats too few characters to be random"
    return None


def check_production(settings) -> None:
    """Refuse to start a production process that could forge staff sessions or CSRF tokens."""
    problem = secret_key_problem(settings.get("SECRET_KEY"))
    if problem:
        raise InsecureConfiguration(
            f"Consulta refuses to start in production: {problem}. Generate one with\n"
            "  python3 -c 'import secrets; print(secrets.token_urlsafe(48))'\n"
            "and put it in the environment file (see docs/deploy.md)."
        )
