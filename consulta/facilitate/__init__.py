"""Facilitators' tools: create a session, open it on tablets, follow it, write the relatoría."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__)

from . import alerts, projection, routes, tablet_import  # noqa: E402,F401
