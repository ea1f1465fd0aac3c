"""The ideas wall: moderation for staff, and the public wall of approved ideas."""

from flask import Blueprint

bp = Blueprint("ideas", __name__)

from . import moderation, wall  # noqa: E402,F401
