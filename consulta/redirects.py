"""Where a ``?next=`` may send someone: only a path on this site, never another host."""

from __future__ import annotations


def local_path(target: str | None) -> str | None:
    """The target when it is a plain same-site path, else None.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
    ``/<TAB>/evil.example`` and ``/\\evil.example`` both mean ``//evil.example``: a target with
    any of them is refused, not cleaned.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return None
    return target
