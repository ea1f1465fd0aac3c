"""Staff forms found by reading every staff page: their endpoints, field names and the values
each page offers. Shared by the hostile-form and CSRF tests, so a new form is covered at once."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from consulta import create_app

from .test_route_access import _url


def _post_endpoints() -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.endpoint.startswith("api.")
    )


POST_ENDPOINTS = _post_endpoints()
# Sign-in and sign-out are fuzzed on their own: they would end the walk's own login.
FUZZED = [e for e in POST_ENDPOINTS if e not in ("auth.login", "auth.logout")]


class _Forms(HTMLParser):
    """Each <form method=post>: its action and, per field, the values the page offers."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or self.page_url, "fields": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "button" and a.get("name"):
            fields.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "input" and name and name != "csrf_token":
            kind = (a.get("type") or "text").lower()
            value = a.get("value", "y" if kind == "checkbox" else "")
            fields.setdefault(name, []).append("<file>" if kind == "file" else value)
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select:
            fields[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.setdefault(name, [""])

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


_HARVESTED: dict[str, dict[str, list[str]]] = {}


def harvest(app, client, values) -> dict[str, dict[str, list[str]]]:
    """Field names and offered values of every POST form on every staff page, by endpoint.

    Read once per test run: the forms are the same on both backends."""
    if not _HARVESTED:
        _HARVESTED.update(_read_forms(app, client, values))
    return _HARVESTED


def _read_forms(app, client, values) -> dict[str, dict[str, list[str]]]:
    adapter = app.url_map.bind("localhost")
    found: dict[str, dict[str, list[str]]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "set_language"):
            continue
        if rule.endpoint.startswith(("api.", "analyze.export")):
            continue
        url = _url(app, rule, values)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        parser = _Forms(url)
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            try:
                endpoint, _args = adapter.match(urlsplit(form["action"]).path, method="POST")
            except Exception:  # noqa: BLE001 - a form posting elsewhere is not ours to fuzz
                continue
            for name, offered in form["fields"].items():
                found.setdefault(endpoint, {}).setdefault(name, []).extend(offered)
    return found
