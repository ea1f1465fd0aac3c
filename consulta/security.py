"""Security headers (flask-talisman), nginx's forwarded headers, and the production guard.

The Content-Security-Policy is on everywhere, tests and development included, so that the
browser tests catch an inline script or handler the day it is written. Scripts come only from
files on this origin; JSON data blocks (``type="application/json"``) are not executed and need
no allowance. The few inline ``<style>`` blocks carry the per-request nonce (``csp_nonce()``);
``style="..."`` attributes are refused, so templates use classes. HSTS and the HTTPS redirect
exist only in production, where nginx terminates TLS.
"""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import check_production

log = logging.getLogger(__name__)

SELF = "'self'"
CSP = {
    "default-src": SELF,
    "script-src": SELF,
    "style-src": SELF,  # plus the nonce, added by Talisman
    "img-src": f"{SELF} data:",
    "font-src": SELF,
    "connect-src": SELF,
    "worker-src": SELF,  # the kiosk's service worker, /k/sw.js
    "manifest-src": SELF,
    "media-src": SELF,
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": SELF,
    "frame-ancestors": "'none'",
}
# Nothing in Consulta uses these; speech synthesis (read-aloud) needs no permission.
PERMISSIONS = {
    feature: "()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "browsing-topics",
        "interest-cohort",
    )
}
# Blueprints whose pages children and other participants see (no login, no cookie).
PARTICIPANT_BLUEPRINTS = {"participate", "api"}
# Public pages of staff blueprints (their siblings are staff forms): participants read these.
PARTICIPANT_ENDPOINTS = {"devolucion.adults", "devolucion.children", "ideas.wall"}


def configure(app: Flask) -> None:
    production = app.config.get("CONSULTA_ENV") == "production"
    if production:
        check_production(app.config)
        _warn_about_production_gaps(app)
    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops:
        # nginx sets X-Forwarded-For and -Proto: the client's address (for the rate-limit hash,
        # never logged) and https, so that url_for, secure cookies and HSTS see the real scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    # One Talisman per app: it keeps its options on itself, and tests build several apps.
    app.extensions["talisman"] = _Talisman(
        app,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["style-src"],
        force_https=production,
        strict_transport_security=bool(app.config.get("SECURITY_HSTS")),
        strict_transport_security_max_age=int(app.config["HSTS_MAX_AGE"]),
        strict_transport_security_include_subdomains=bool(app.config["HSTS_INCLUDE_SUBDOMAINS"]),
        strict_transport_security_preload=False,
        frame_options="DENY",
        permissions_policy=PERMISSIONS,
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )

    @app.after_request
    def _isolate(response):
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class _Talisman(Talisman):
    def _set_referrer_policy_headers(self, headers):
        """A view's own Referrer-Policy wins; otherwise participants' pages send no Referer and
        staff pages send it to this origin only (Flask-WTF checks it on HTTPS form posts)."""
        if "Referrer-Policy" not in headers:
            participant = (
                request.blueprint in PARTICIPANT_BLUEPRINTS
                or request.endpoint in PARTICIPANT_ENDPOINTS
            )
            headers["Referrer-Policy"] = "no-referrer" if participant else "same-origin"


def _warn_about_production_gaps(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        log.warning("production on SQLite: set DATABASE_URL to PostgreSQL (docs/deploy.md)")
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory"):
        log.warning(
            "production without REDIS_URL: each gunicorn worker counts rate limits on its own"
        )
