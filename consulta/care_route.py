"""The local care route (fixtures/care_route.yaml): the disclosure checklist and whom to call.

Admins edit the file, not the code. A malformed file must fail loudly when the app starts (and in
tests), never in front of a facilitator who has a child waiting, so it is validated whole and
cached once per path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_FILE = Path(__file__).parent / "fixtures" / "care_route.yaml"
LANGS = ("es", "en")
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


class CareRouteError(ValueError):
    """The care route file cannot be used as it is."""


@dataclass(frozen=True)
class Step:
    key: str
    text: dict[str, str]

    def label(self, lang: str) -> str:
        return self.text.get(lang) or self.text["es"]


@dataclass(frozen=True)
class Contact:
    key: str
    name: dict[str, str]
    where: dict[str, str]
    when: dict[str, str]
    phone: str | None = None

    def text(self, part: str, lang: str) -> str:
        values = getattr(self, part)
        return values.get(lang) or values["es"]


@dataclass(frozen=True)
class CareRoute:
    checklist: tuple[Step, ...]
    contacts: tuple[Contact, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.contacts)

    def contact(self, key: str) -> Contact | None:
        return next((c for c in self.contacts if c.key == key), None)


def _key(raw: object, where: str, seen: set[str]) -> str:
    if not isinstance(raw, str) or not raw or set(raw) - KEY_CHARS:
        raise CareRouteError(f"{where}: 'key' must be lower-case letters, digits or '_'")
    if raw in seen:
        raise CareRouteError(f"{where}: key '{raw}' is repeated")
    seen.add(raw)
    return raw


def _texts(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) - set(LANGS):
        raise CareRouteError(f"{where}: expected a mapping with the languages {LANGS}")
    for lang in LANGS:
        value = raw.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise CareRouteError(f"{where}: missing the '{lang}' text")
    return {lang: " ".join(raw[lang].split()) for lang in LANGS}


def _mapping(raw: object, where: str, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(raw, dict):
        raise CareRouteError(f"{where}: expected a mapping")
    if unknown := set(raw) - allowed:
        raise CareRouteError(f"{where}: unknown fields {sorted(unknown)}")
    if missing := required - set(raw):
        raise CareRouteError(f"{where}: missing fields {sorted(missing)}")
    return raw


def parse(data: object, source: str = "care route") -> CareRoute:
    root = _mapping(data, source, {"checklist", "contacts"}, {"checklist", "contacts"})
    for part in ("checklist", "contacts"):
        if not isinstance(root[part], list) or not root[part]:
            raise CareRouteError(f"{source}: '{part}' must be a non-empty list")
    seen: set[str] = set()
    steps = []
    for i, raw in enumerate(root["checklist"]):
        where = f"{source}: checklist[{i}]"
        item = _mapping(raw, where, {"key", *LANGS}, {"key", *LANGS})
        key = _key(item["key"], where, seen)
        steps.append(Step(key, _texts({lang: item[lang] for lang in LANGS}, where)))
    seen = set()
    contacts = []
    for i, raw in enumerate(root["contacts"]):
        where = f"{source}: contacts[{i}]"
        fields = {"key", "name", "where", "when"}
        item = _mapping(raw, where, fields | {"phone"}, fields)
        key = _key(item["key"], where, seen)
        phone = item.get("phone")
        if phone is not None and (not isinstance(phone, str) or not phone.strip()):
            raise CareRouteError(f"{where}: 'phone' must be quoted text, e.g. \"141\"")
        contacts.append(
            Contact(
                key=key,
                name=_texts(item["name"], f"{where}.name"),
                where=_texts(item["where"], f"{where}.where"),
                when=_texts(item["when"], f"{where}.when"),
                phone=phone.strip() if phone else None,
            )
        )
    return CareRoute(tuple(steps), tuple(contacts))


@lru_cache(maxsize=4)
def load(path: str | None = None) -> CareRoute:
    """The route in ``path`` (default: the shipped fixture), parsed and checked once."""
    file = Path(path) if path else DEFAULT_FILE
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CareRouteError(f"{file}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise CareRouteError(f"{file}: is not valid YAML ({exc})") from exc
    return parse(data, str(file))
