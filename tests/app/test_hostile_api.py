"""The tablet API under hostile input: never a 5xx, never a partial write, errors translated.

Hypothesis throws arbitrary JSON, raw bytes, hostile unicode, odd headers and odd join codes at
every tablet endpoint. A refused request leaves every participant table exactly as it was; an
accepted one adds exactly one submission, stored clean (no NUL, no lone surrogate).
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

from hypothesis import assume, given
from hypothesis import strategies as st

from consulta.extensions import db
from consulta.models import Answer
from consulta.services import encounters

from .helpers import first_question, submission
from .hostile import (
    HOSTILE,
    assert_clean_error,
    contains_surrogate,
    counts,
    hostile_text,
    json_values,
    reset_limits,
)

REFUSED = {400, 413, 422}


def _detail(client, code) -> dict:
    return client.get(f"/api/v1/sessions/{code}").get_json()


def _encode(payload: object, ascii_only: bool) -> bytes:
    # ensure_ascii=False with a lone surrogate gives bytes that are not UTF-8 (a broken client).
    return json.dumps(payload, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def _post(client, url: str, raw: bytes, lang: str = "es", **headers):
    query = "?lang=en" if lang == "en" else ""
    headers.setdefault("Content-Type", "application/json")
    return client.post(url + query, data=raw, headers=headers)


def _assert_unchanged_or_one_more(
    app, response, before: dict, lang: str, table: str = "submission"
) -> None:
    after = counts(app)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code == 201:
        assert after[table] == before[table] + 1
        return
    assert after == before, (response.status_code, before, after)
    if response.status_code >= 400:
        assert_clean_error(response, lang)


def _stored_texts_are_clean(app, submission_id: str) -> list[Answer]:
    with app.app_context():
        rows = db.session.scalars(db.select(Answer).filter_by(submission_id=submission_id)).all()
        for row in rows:
            values = row.value if isinstance(row.value, list) else [row.value]
            for value in values:
                assert value, "an empty answer is a skip and is not stored"
                assert "\x00" not in value and not contains_surrogate(value)
                assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in value)
        db.session.remove()
        return rows


@HOSTILE
@given(payload=json_values, ascii_only=st.booleans(), lang=st.sampled_from(["es", "en"]))
def test_arbitrary_json_is_refused_whole(app, client, session_code, payload, ascii_only, lang):
    reset_limits()
    for path in ("submissions", "help"):
        before = counts(app)
        response = _post(
            client, f"/api/v1/sessions/{session_code}/{path}", _encode(payload, ascii_only), lang
        )
        # Arbitrary JSON is never a valid submission or help request (no UUID id).
        assert response.status_code in REFUSED, (path, response.status_code, payload)
        _assert_unchanged_or_one_more(app, response, before, lang)


@HOSTILE
@given(
    raw=st.one_of(
        st.binary(max_size=300),
        st.binary(min_size=1, max_size=20).map(lambda b: b'{"id": "' + b"\xff\xfe" + b + b'"}'),
        st.sampled_from(
            [b"\xc0\xaf", b"\xed\xa0\x80", b'{"a": "\xe9"}', b"\x00" * 10, b"", b"[" * 50_000]
        ),
    ),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", "", "¿?"]
    ),
)
def test_raw_bytes_are_refused_whole(app, client, session_code, raw, content_type):
    reset_limits()
    for path in ("submissions", "help"):
        before = counts(app)
        url = f"/api/v1/sessions/{session_code}/{path}"
        response = client.post(url, data=raw, headers={"Content-Type": content_type})
        assert response.status_code in REFUSED, (path, response.status_code, raw)
        _assert_unchanged_or_one_more(app, response, before, "es")


@st.composite
def hostile_submissions(draw, detail: dict):
    """A well-formed envelope carrying hostile values, and whether it must be accepted."""
    valid = True
    answers = []
    for question in detail["instrument"]["questions"]:
        if not draw(st.booleans()):
            continue  # skipped
        options = [o["value"] for o in question["options"]]
        if question["type"] in ("open_text", "idea"):
            value = draw(hostile_text)
        elif draw(st.integers(0, 4)) == 0:
            value = draw(hostile_text | json_values)
            valid = valid and (
                value in options
                if question["type"] != "multiple_choice"
                else isinstance(value, list) and not value
            )
        elif question["type"] == "multiple_choice":
            value = draw(st.lists(st.sampled_from(options), unique=True, max_size=len(options)))
        else:
            value = draw(st.sampled_from(options))
        answers.append({"question": question["id"], "value": value})
    if draw(st.integers(0, 5)) == 0:
        answers.append({"question": draw(hostile_text), "value": draw(hostile_text)})
        valid = False
    payload = {"id": str(uuid.uuid4()), "answers": answers}
    if draw(st.integers(0, 5)) == 0:
        payload["id"] = draw(hostile_text)
        valid = False
    if draw(st.booleans()):
        # The facilitator's label for the tablet: cleaned or ignored, never a reason to refuse.
        payload["tablet"] = draw(hostile_text | json_values)
    if draw(st.integers(0, 3)) == 0:
        # Supports of other sessions' ideas: a list of up to 50 positive 32-bit ids.
        supports = draw(st.lists(st.integers(-3, 2**32), max_size=6) | json_values)
        payload["supports"] = supports
        valid = valid and (
            supports is None
            or isinstance(supports, list)
            and len(supports) <= 50
            and all(type(v) is int and 0 < v < 2**31 for v in supports)
        )
    if draw(st.integers(0, 5)) == 0:
        payload["profile"] = {"age_band": draw(hostile_text), "gender": None}
        valid = False
    return payload, valid


@HOSTILE
@given(data=st.data(), ascii_only=st.booleans(), lang=st.sampled_from(["es", "en"]))
def test_hostile_strings_in_a_valid_envelope(app, client, session_code, data, ascii_only, lang):
    reset_limits()
    payload, valid = data.draw(hostile_submissions(_detail(client, session_code)))
    raw = _encode(payload, ascii_only)
    broken_utf8 = not ascii_only and contains_surrogate(payload)
    before = counts(app)
    url = f"/api/v1/sessions/{session_code}/submissions"
    response = _post(client, url, raw, lang, **{"Accept-Language": "xx-ZZ;q=0.9, *;q=abc"})
    _assert_unchanged_or_one_more(app, response, before, lang)
    if broken_utf8:
        assert response.status_code == 400
    elif valid:
        # Emoji, joiners, RTL marks, NUL and surrogates in a text never cost a child an answer.
        assert response.status_code == 201, response.get_json()
    else:
        assert response.status_code == 422
    if response.status_code == 201:
        _stored_texts_are_clean(app, payload["id"])
        # The tablet retries after a lost reply: the same hostile content is recognised.
        again = counts(app)
        retry = _post(client, url, raw, lang)
        assert retry.status_code == 200 and counts(app) == again


@HOSTILE
@given(label=hostile_text, ascii_only=st.booleans())
def test_help_requests_with_hostile_labels_are_stored_once(
    app, client, session_code, label, ascii_only
):
    reset_limits()
    payload = {"id": str(uuid.uuid4()), "tablet": label}
    before = counts(app)
    url = f"/api/v1/sessions/{session_code}/help"
    response = _post(client, url, _encode(payload, ascii_only))
    _assert_unchanged_or_one_more(app, response, before, "es", table="help_request")
    if not ascii_only and contains_surrogate(label):
        assert response.status_code == 400
        return
    # A child's call for help is never refused because of what a tablet label contains.
    assert response.status_code == 201
    after = counts(app)
    assert after["help_request"] == before["help_request"] + 1
    assert after["safeguarding_alert"] == before["safeguarding_alert"] + 1
    assert after["submission"] == before["submission"]


def test_one_megabyte_strings_are_refused_before_parsing(app, client, session_code):
    question = first_question(client, session_code, "open_text")
    before = counts(app)
    huge = "😀" * 262_144  # 1 MiB of text
    body = {"id": str(uuid.uuid4()), "answers": [{"question": question["id"], "value": huge}]}
    response = _post(client, f"/api/v1/sessions/{session_code}/submissions", _encode(body, False))
    assert response.status_code == 413
    assert_clean_error(response)
    response = _post(client, f"/api/v1/sessions/{session_code}/help", _encode({"id": huge}, False))
    assert response.status_code in (400, 413)
    assert_clean_error(response)
    assert counts(app) == before


def test_text_just_over_the_limit_is_refused_with_its_field(app, client, session_code):
    question = first_question(client, session_code, "open_text")
    body = {"id": str(uuid.uuid4()), "answers": [{"question": question["id"], "value": "a" * 2001}]}
    before = counts(app)
    response = _post(
        client, f"/api/v1/sessions/{session_code}/submissions?lang=en", _encode(body, True)
    )
    assert response.status_code == 422
    data = assert_clean_error(response, "en")
    assert data["fields"][0]["field"] == "answers[0].value"
    assert counts(app) == before


def test_nul_bytes_and_surrogates_are_stripped_not_stored(app, client, session_code):
    """PostgreSQL refuses NUL in text and JSON: the app strips it (and lone surrogates)."""
    question = first_question(client, session_code, "open_text")
    body = {
        "id": str(uuid.uuid4()),
        "answers": [{"question": question["id"], "value": "hola\x00 mundo\ud800 bonito"}],
        "tablet": "Tableta\x00 2\udfff",
    }
    response = _post(client, f"/api/v1/sessions/{session_code}/submissions", _encode(body, True))
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        assert db.session.get(Answer, (body["id"], question["id"])).value == "hola mundo bonito"
    help_body = {"id": str(uuid.uuid4()), "tablet": "\x00\ud800"}
    response = _post(client, f"/api/v1/sessions/{session_code}/help", _encode(help_body, True))
    assert response.status_code == 201


# --- headers --------------------------------------------------------------------------------

header_value = st.one_of(
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
    st.sampled_from(["", "x" * 16_000, "999.999.999.999, ::1, <script>", "en;q=2, es;q=-1", "*"]),
)


@HOSTILE
@given(
    content_type=st.sampled_from(
        [
            "application/json",
            "application/json; charset=latin-1",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "",
            "application/json" + ";" * 500,
        ]
    ),
    accept_language=header_value,
    forwarded=header_value,
    extra=header_value,
)
def test_hostile_headers_do_not_change_the_outcome(
    app, client, session_code, content_type, accept_language, forwarded, extra
):
    reset_limits()
    headers = {
        "Content-Type": content_type,
        "Accept-Language": accept_language,
        "X-Forwarded-For": forwarded,
        "X-Real-IP": forwarded,
        "X-Junk": extra,
        "User-Agent": extra,
    }
    body = submission(client, session_code)
    before = counts(app)
    response = client.post(
        f"/api/v1/sessions/{session_code}/submissions", data=json.dumps(body), headers=headers
    )
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    assert counts(app)["submission"] == before["submission"] + 1
    # Participants choose the language with ?lang= only; a header never switches it.
    response = client.get("/api/v1/sessions/QQQQQQ", headers=headers)
    assert response.status_code == 404
    assert_clean_error(response, "es")
    response = client.get("/api/v1/sessions/QQQQQQ?lang=en", headers=headers)
    assert_clean_error(response, "en")


# --- join codes in paths --------------------------------------------------------------------

PATH_TRICKS = [
    "..",
    "%2e%2e",
    "..%2f..%2f",
    "%00",
    "AB%00CD",
    "\u202eFEDCBA",
    "ＡＣＤＥＦＧ",
    "ßßß",
    "ACD EFG",
    "<script>",
    "' OR '1'='1",
    "9" * 40,
    "😀" * 6,
]


def _code_strategy(real: str):
    near = st.text(st.sampled_from(encounters.CODE_ALPHABET + "abcxyz0158"), min_size=5, max_size=7)
    variants = st.sampled_from(
        [real.lower(), f" {real} ", real[:3] + "\u200b" + real[3:], real + "\x00", real[::-1]]
    )
    return st.one_of(near, variants, st.sampled_from(PATH_TRICKS), hostile_text)


def _api_code_routes(app) -> list[str]:
    """Every GET endpoint of the tablet API that takes a join code, present and future."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.arguments == {"code"} and "GET" in rule.methods
    )


@HOSTILE
@given(data=st.data(), quoted=st.booleans())
def test_odd_join_codes_never_break_the_api(app, client, session_code, data, quoted):
    reset_limits()
    code = data.draw(_code_strategy(session_code))
    assume(code.strip("/"))
    raw = code.encode("utf-8", "surrogatepass")
    segment = quote(raw, safe="") if quoted else quote(raw, safe="/%.")
    before = counts(app)
    for rule in _api_code_routes(app):
        response = client.get(rule.replace("<code>", segment))
        assert response.status_code < 500, (rule, code, response.status_code)
        if response.status_code == 200:
            assert encounters.normalise_code(code) == session_code, (rule, code)
        elif response.status_code == 404:
            assert_clean_error(response)
    body = json.dumps({"id": str(uuid.uuid4())})
    for path in ("submissions", "help"):
        response = client.post(f"/api/v1/sessions/{segment}/{path}", data=body)
        assert response.status_code < 500, (path, code, response.status_code)
        if response.status_code == 404:
            assert_clean_error(response)
    kiosk = client.get(f"/k/{segment}")
    assert kiosk.status_code in (200, 302, 404, 405, 308), (code, kiosk.status_code)
    typed = client.get("/k", query_string={"code": code.encode("utf-8", "surrogatepass")})
    assert typed.status_code in (302, 404), (code, typed.status_code)  # the join page's box
    after = counts(app)
    # A code that is the real one (in another spelling) may store the empty submission once.
    assert after["submission"] - before["submission"] <= 1
    assert after["answer"] == before["answer"]


def test_path_tricks_are_not_found(client, session_code):
    for trick in PATH_TRICKS:
        response = client.get(f"/api/v1/sessions/{trick}")
        assert response.status_code in (404, 308), (trick, response.status_code)
        if response.status_code == 404:
            assert_clean_error(response)
