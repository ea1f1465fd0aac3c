"""Logging that never carries who a participant is.

Werkzeug's default access log prints the client address and the query string; it is replaced by
one line per request with the method, the route pattern, the status and the duration.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request

logger = logging.getLogger("consulta.requests")


def configure(app: Flask) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app_logger = logging.getLogger("consulta")
    app_logger.setLevel(logging.INFO)
    if not app_logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        app_logger.addHandler(handler)

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        logger.info("%s %s %s %.0fms", request.method, route, response.status_code, elapsed_ms)
        return response
