"""Devolución: what participants said and what the plan will do about it, in public pages.

Public pages (adults and children) need no login; admins write the plan's answer per line;
facilitators print a QR that leads to the children's page.
"""

from flask import Blueprint

bp = Blueprint("devolucion", __name__)

from . import admin, routes  # noqa: E402,F401
