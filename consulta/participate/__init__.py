"""Everything participants touch: the kiosk pages and the tablet API. No login, no cookies."""

from flask import Blueprint

bp = Blueprint("participate", __name__)
api_bp = Blueprint("api", __name__)

from . import api, ideas_api, kiosk  # noqa: E402,F401
