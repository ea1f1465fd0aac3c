"""Client addresses exist only as salted hashes in rate-limit counters, never stored or logged."""

import hashlib
import hmac
import secrets

from flask import request

# A fresh salt per process: hashes cannot be joined across restarts or with any stored data.
_SALT = secrets.token_bytes(32)


def client_fingerprint() -> str:
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(_SALT, address, hashlib.sha256).hexdigest()[:32]
