"""Named rate limits for the public routes, so every public page says which one it uses.

Keys are the salted hash of the client address (``privacy.client_fingerprint``), held only in the
limiter's storage (process memory, or Redis with the window as expiry), or the session code for
the tablet API. ``tests/app/test_rate_limits.py`` fails for a public route without a limit.
"""

from __future__ import annotations

from flask import current_app

from .extensions import limiter


def _setting(name: str):
    return lambda: current_app.config[name]


def _missed(response) -> bool:
    return response.status_code == 404


# Join-code guessing: only wrong codes (404) count, from one client, across every route that
# takes a code, so a class typing its code right never meets the limit and a guesser does.
join_code_misses = limiter.shared_limit(
    _setting("RATELIMIT_JOIN_MISSES"), scope="join-code-misses", deduct_when=_missed
)


def public_page():
    """Any other public page: a generous per-client, per-page ceiling against floods."""
    return limiter.limit(_setting("RATELIMIT_PUBLIC_PAGES"))


def login_attempts():
    """Sign-in posts per client, on top of the per-account lock-out."""
    return limiter.limit(_setting("RATELIMIT_LOGIN"), methods=["POST"])
