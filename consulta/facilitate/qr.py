"""QR codes that open the kiosk of a session, rendered by segno as SVG."""

from __future__ import annotations

import io

import segno
from flask import current_app, request


def kiosk_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + f"/k/{code}"


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, dark="#1b1b1b", xmldecl=False, title="QR"
    )
    return buffer.getvalue()
