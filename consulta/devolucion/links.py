"""Public addresses of the devolución, as printed in QR codes and shown by the kiosk."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import segno
from flask import current_app, request, url_for


def public_url(consultation_id: int, children: bool = True, lang: str = "es") -> str:
    """Absolute, on PUBLIC_BASE_URL when set (tablets and phones reach the server by that name)."""
    endpoint = "devolucion.children" if children else "devolucion.adults"
    path = url_for(endpoint, consultation_id=consultation_id, lang=lang)
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + path


@lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """The QR as a data: URI, so an offline tablet that kept the session JSON can still show it.

    Cached: every tablet's session lookup carries it and it only changes with the URL."""
    return "data:image/svg+xml;base64," + base64.b64encode(printable_qr_svg(url).encode()).decode(
        "ascii"
    )


def printable_qr_svg(url: str) -> str:
    """Like ``facilitate.qr.qr_svg`` but sized by its viewBox (the print sheet and the kiosk
    scale it) and with the full white quiet zone scanners expect."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=4,
        dark="#000000",
        light="#ffffff",
        xmldecl=False,
        title="QR",
        omitsize=True,
    )
    return buffer.getvalue().decode("utf-8")
