"""Client addresses exist only as salted hashes in rate-limit counters, never stored or logged.

The salt must be the same in every gunicorn worker (and every server) that shares the Redis
counters, or each worker would count a client under a different key and the limits would be
multiplied by the number of workers. It is therefore derived from SECRET_KEY and the UTC day,
not drawn at random per process: workers agree without talking to each other, and the day in
the derivation rotates it daily, so a hash cannot be followed from one day to the next. The
counters themselves expire within their window (a minute for most limits); nothing else keeps
the hash, and it is never written next to an answer.
"""

import hashlib
import hmac
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app, request


@lru_cache(maxsize=4)
def _salt(secret: str, day: str) -> bytes:
    return hmac.new(secret.encode(), b"consulta-ratelimit:" + day.encode(), hashlib.sha256).digest()


def todays_salt() -> bytes:
    day = datetime.now(UTC).date().isoformat()
    return _salt(str(current_app.config["SECRET_KEY"]), day)


def client_fingerprint() -> str:
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(todays_salt(), address, hashlib.sha256).hexdigest()[:32]
