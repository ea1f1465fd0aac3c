"""The analysts' workspace: overview, explorer, coding review, quality, exports, plan report."""

from flask import Blueprint

bp = Blueprint("analyze", __name__)

ANALYSIS_ROLES = ("analyst",)  # admins pass every role check

# One module per page family; each registers its routes on ``bp``.
from . import (  # noqa: E402,F401
    codebook_editor,
    explorer,
    exports,
    overview,
    quality,
    report,
    review,
    routes,
)
