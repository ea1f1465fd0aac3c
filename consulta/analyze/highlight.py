"""A stored text as HTML: evidence spans marked, placeholders as chips, everything else escaped.

Offsets come from the stored analysis (``evidence`` and ``redactions``, into the redacted text);
a span that does not fit the text is ignored rather than trusted.
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape


def highlight_labels() -> dict[str, str]:
    """Translated once per page, not once per span."""
    person = _("nombre")
    return {
        "NOMBRE": person,
        "TELÉFONO": _("teléfono"),
        "TELEFONO": _("teléfono"),
        "CORREO": _("correo"),
        "DOCUMENTO": _("documento"),
        "DIRECCIÓN": _("dirección"),
        "DIRECCION": _("dirección"),
        "ENLACE": _("enlace"),
        "PLACA": _("placa"),
        "USUARIO": _("usuario"),
        "": _("dato personal"),
        "hint": _("Dato personal retirado antes de guardar"),
        "evidence": _("Evidencia: %(themes)s"),
    }


def highlight(
    text: str, evidence: list, redactions: list, names: dict[str, str], labels: dict | None = None
) -> Markup:
    """The text, escaped, with evidence spans as <mark> and placeholders as chips.

    Offsets come from the stored analysis; any span that does not fit the text is ignored
    rather than trusted, and an evidence span never cuts a placeholder in two.
    """
    labels = labels or highlight_labels()
    hint = escape(labels["hint"])
    size = len(text)
    chips = []
    for r in redactions:
        start, end = _span(r, size)
        if start is not None and text[start] == "[" and text[end - 1] == "]":
            if not any(s < end and start < e for s, e, _k in chips):
                chips.append((start, end, str(r.get("type", ""))))
    marks = []
    for e in evidence:
        start, end = _span(e, size)
        if start is None:
            continue
        for cs, ce, _k in chips:
            start = cs if cs < start < ce else start
            end = ce if cs < end < ce else end
        marks.append((start, end, names.get(e.get("theme"), str(e.get("theme", "")))))
    cuts = sorted({0, size, *(p for s, e, _k in chips + marks for p in (s, e))})
    out: list[str] = []
    open_themes: tuple[str, ...] = ()
    for a, b in zip(cuts, cuts[1:], strict=False):
        themes = tuple(dict.fromkeys(t for s, e, t in marks if s <= a and b <= e))
        if themes != open_themes:
            if open_themes:
                out.append("</mark>")
            if themes:
                title = escape(labels["evidence"] % {"themes": ", ".join(themes)})
                out.append(f'<mark title="{title}">')
            open_themes = themes
        chip = next((c for c in chips if c[0] == a and c[1] == b), None)
        if chip:
            label = labels.get(chip[2], labels[""])
            out.append(f'<span class="redacted" title="{hint}">{escape(label)}</span>')
        else:
            out.append(str(escape(text[a:b])))
    if open_themes:
        out.append("</mark>")
    return Markup("".join(out))


def _span(item, size: int) -> tuple[int | None, int | None]:
    try:
        start, end = int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError):
        return None, None
    if 0 <= start < end <= size:
        return start, end
    return None, None
