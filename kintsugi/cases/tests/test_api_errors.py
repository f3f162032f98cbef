"""Bad input at every API endpoint: always a 4xx in the one error shape, never a 500 or an HTML page."""

from __future__ import annotations

import json
import random
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client, override_settings

from kintsugi.accounts.models import ApiToken, User
from kintsugi.cases.models import Case, CaseEvent, Category
from kintsugi.cases.schemas import CASE_FILTER_NAMES
from kintsugi.lib.apiresponse import ErrorOut

REF = "{ref}"
ENDPOINTS = [
    ("GET", "/api/v1/cases"),
    ("POST", "/api/v1/cases"),
    ("GET", f"/api/v1/cases/{REF}"),
    ("GET", f"/api/v1/cases/{REF}/events"),
    ("POST", f"/api/v1/cases/{REF}/events"),
    ("GET", "/api/v1/touchpoints"),
    ("GET", "/api/v1/me"),
]
POSTS = [path for method, path in ENDPOINTS if method == "POST"]
ALLOWED = {
    "/api/v1/cases": {"GET", "POST"},
    f"/api/v1/cases/{REF}": {"GET"},
    f"/api/v1/cases/{REF}/events": {"GET", "POST"},
    "/api/v1/touchpoints": {"GET"},
    "/api/v1/me": {"GET"},
}


@pytest.fixture
def headers(supervisor: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(supervisor)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def ref(case: Case, front_desk: Any) -> str:
    return case.reference


def url(path: str, ref: str) -> str:
    return path.replace(REF, ref)


def send(client: Client, method: str, path: str, headers: dict[str, str], body: bytes | str | None = None,
         content_type: str = "application/json", **extra: Any) -> Any:
    if body is None:
        return client.generic(method, path, headers=headers, **extra)
    return client.generic(method, path, body, content_type=content_type, headers=headers, **extra)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is `status` with the error shape (and `code`, when given)."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) <= {"code", "message", "details"}
    assert isinstance(body["error"]["code"], str)
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["code"]
    assert body["error"]["message"]
    ErrorOut.model_validate(body)
    if code is not None:
        assert body["error"]["code"] == code
    error: dict[str, Any] = body["error"]
    return error


# --------------------------------------------------------------------------------------------- authentication

BAD_CREDENTIALS = [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer "},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Token kt_abc"},
    {"Authorization": "kt_abc"},
    {"X-API-Key": ""},
]
INVALID_TOKENS = [
    {"Authorization": "Bearer kt_not-a-real-token"},
    {"Authorization": "Bearer " + "x" * 5000},
    {"Authorization": "Bearer kt_\u00e9\u00e8"},
    {"X-API-Key": "kt_not-a-real-token"},
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_needs_a_token(client: Client, ref: str, method: str, path: str) -> None:
    for credentials in BAD_CREDENTIALS:
        response = send(client, method, url(path, ref), credentials)

        assert_error(response, 401, "unauthenticated")
        assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_an_invalid_token_is_refused(client: Client, ref: str, method: str, path: str) -> None:
    for credentials in INVALID_TOKENS:
        response = send(client, method, url(path, ref), credentials)

        assert_error(response, 401, "invalid_token")
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


# --------------------------------------------------------------------------------------------- routes, methods


@pytest.mark.parametrize("path", list(ALLOWED))
def test_a_method_an_address_does_not_take_is_405(client: Client, headers: dict[str, str], ref: str,
                                                  path: str) -> None:
    for method in {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"} - ALLOWED[path]:
        response = send(client, method, url(path, ref), headers, b"{}")

        assert response.status_code == 405, method
        assert set(response["Allow"].split(", ")) == ALLOWED[path]
        if method != "HEAD":
            assert_error(response, 405, "method_not_allowed")


@pytest.mark.parametrize("path", [
    "/api/v1/", "/api/v1/nothing", "/api/v1/cases/", "/api/v1/me/", "/api/v1/cases/K-2026-000001/events/1",
    "/api/v1/cases/K-2026-000001/notes", "/api/v1/v2/cases", "/api/v1/%00", "/api/v1/" + "a/" * 200,
])
def test_an_unknown_address_is_404(headers: dict[str, str], path: str) -> None:
    client = Client(enforce_csrf_checks=True)
    for method in ("GET", "POST", "DELETE"):
        for credentials in (headers, {}):
            response = send(client, method, path, credentials, b'{"a": 1}')

            assert_error(response, 404, "not_found")


@pytest.mark.parametrize(("method", "path"), [
    ("GET", f"/api/v1/cases/{REF}"), ("GET", f"/api/v1/cases/{REF}/events"), ("POST", f"/api/v1/cases/{REF}/events"),
])
def test_an_unknown_reference_is_404(client: Client, headers: dict[str, str], case: Case, method: str,
                                     path: str) -> None:
    events = CaseEvent.objects.count()
    for reference in [
        "K-2026-999999", "K-0000-000000", "%00", "K%2F1", "x" * 300, quote("ก"), quote("' OR 1=1 --"),
        quote(f"{case.reference}\n"), quote(f" {case.reference}"), "..%2F..%2Fetc", "-",
    ]:
        response = send(client, method, url(path, reference), headers, b'{"type": "note", "body": "Hello"}')

        assert_error(response, 404, "not_found")
    assert CaseEvent.objects.count() == events


# --------------------------------------------------------------------------------------------- bodies

MALFORMED = [
    b"{", b"[", b"nul", b'{"description": }', b"{'a': 1}", b'{"a": 1,}', b"\xff\xfe{}", b"\xef\xbb\xbf{}",
    b"NaN", b'{"severity": NaN}', b'{"severity": Infinity}', b"[" * 20_000 + b"]" * 20_000, b"1" * 5000,
    b'{"a": "\xc3\x28"}', b"\x00", b"{}{}", b"undefined",
]


@pytest.mark.parametrize("path", POSTS)
def test_malformed_json_is_400(client: Client, headers: dict[str, str], ref: str, path: str) -> None:
    for body in MALFORMED:
        response = send(client, "POST", url(path, ref), headers, body)

        assert_error(response, 400, "malformed_json")


CONTENT_TYPES = [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
    "application/json; charset=latin-1", "application/jsonp", "", "json",
]


@pytest.mark.parametrize("path", POSTS)
def test_a_body_that_is_not_json_is_415(client: Client, headers: dict[str, str], ref: str, path: str) -> None:
    for content_type in CONTENT_TYPES:
        response = send(client, "POST", url(path, ref), headers, b'{"type": "note", "body": "x"}', content_type)

        assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("path", POSTS)
def test_json_with_a_suffix_type_or_utf8_charset_is_accepted(client: Client, headers: dict[str, str], ref: str,
                                                             path: str) -> None:
    for content_type in ("application/vnd.kintsugi+json", "application/json; charset=UTF-8"):
        response = send(client, "POST", url(path, ref), headers, b"{}", content_type)

        assert_error(response, 422, "validation_failed")


@pytest.mark.parametrize("path", POSTS)
def test_a_body_over_the_limit_is_413(client: Client, headers: dict[str, str], ref: str, path: str) -> None:
    before = (Case.objects.count(), CaseEvent.objects.count())
    big = json.dumps({"type": "note", "body": "x" * 70_000}).encode()

    assert_error(send(client, "POST", url(path, ref), headers, big), 413, "payload_too_large")
    assert_error(send(client, "POST", url(path, ref), headers, b"x" * 300_000, "text/plain"), 413)
    assert_error(send(client, "POST", url(path, ref), headers, b"{}", CONTENT_LENGTH="9999999999"), 413)
    assert_error(send(client, "POST", url(path, ref), headers, b"{}", CONTENT_LENGTH="9" * 5000), 413)
    assert_error(send(client, "POST", url(path, ref), {}, big), 413)  # before authentication
    assert (Case.objects.count(), CaseEvent.objects.count()) == before


@pytest.mark.parametrize("path", POSTS)
def test_the_limit_is_a_setting(client: Client, headers: dict[str, str], ref: str, path: str) -> None:
    exact = b'{"type": "note", "body": "' + b"y" * 50 + b'"}'
    with override_settings(API_MAX_BODY_BYTES=len(exact)):
        assert send(client, "POST", url(path, ref), headers, exact).status_code != 413
        assert_error(send(client, "POST", url(path, ref), headers, exact + b" "), 413)


@pytest.mark.parametrize("path", POSTS)
def test_a_garbled_content_length_is_400(client: Client, headers: dict[str, str], ref: str, path: str) -> None:
    for length in ("abc", "-1", "1e3", " 12", "\u0662", "0x10"):
        response = send(client, "POST", url(path, ref), headers, b"{}", CONTENT_LENGTH=length)

        assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("path", POSTS)
def test_an_empty_body_asks_for_one(client: Client, headers: dict[str, str], ref: str, path: str) -> None:
    error = assert_error(send(client, "POST", url(path, ref), headers, b""), 422, "validation_failed")

    assert error["details"][0]["code"] == "missing"


@pytest.mark.parametrize("path", POSTS)
def test_a_body_that_is_not_an_object_is_422(client: Client, headers: dict[str, str], ref: str, path: str) -> None:
    for body in (b"null", b"[]", b"[{}]", b'"text"', b"42", b"true"):
        error = assert_error(send(client, "POST", url(path, ref), headers, body), 422, "validation_failed")

        assert error["details"][0]["field"] == ""


VALID_CASE: dict[str, Any] = {"description": "The shower is broken.", "customer": {"name": "Emma"}}


WRONG_CASE_FIELDS: list[tuple[dict[str, Any], str, str]] = [
    ({"description": None}, "description", "string_type"),
    ({"description": 42}, "description", "string_type"),
    ({"description": ["a"]}, "description", "string_type"),
    ({"description": "x" * 10_001}, "description", "string_too_long"),
    ({"description": "bad\u0000text"}, "description", "value_error"),
    ({"description": "bad\ud800text"}, "description", "string_unicode"),
    ({"customer": None}, "customer", "model_type"),
    ({"customer": "Emma"}, "customer", "model_type"),
    ({"customer": {}}, "customer", "value_error"),
    ({"customer": {"language": "vi"}}, "customer", "value_error"),
    ({"customer": {"name": "  "}}, "customer", "value_error"),
    ({"customer": {"name": 7}}, "customer.name", "string_type"),
    ({"customer": {"name": "E", "email": "x" * 255}}, "customer.email", "string_too_long"),
    ({"customer": {"name": "E", "language": "fr"}}, "customer.language", "literal_error"),
    ({"customer": {"name": "E", "nickname": "Em"}}, "customer.nickname", "extra_forbidden"),
    ({"severity": "3"}, "severity", "int_type"),
    ({"severity": True}, "severity", "int_type"),
    ({"severity": 3.0}, "severity", "int_type"),
    ({"severity": 0}, "severity", "greater_than_equal"),
    ({"severity": 6}, "severity", "less_than_equal"),
    ({"severity": 10**30}, "severity", "less_than_equal"),
    ({"channel": "fax"}, "channel", "literal_error"),
    ({"channel": None}, "channel", "literal_error"),
    ({"language": "de"}, "language", "literal_error"),
    ({"failure_type": "boring"}, "failure_type", "literal_error"),
    ({"location": "Hà Nội"}, "location", "string_pattern_mismatch"),
    ({"location": ""}, "location", "string_pattern_mismatch"),
    ({"touchpoint": "a" * 51}, "touchpoint", "string_too_long"),
    ({"category": 5}, "category", "string_type"),
    ({"subject": "s" * 201}, "subject", "string_too_long"),
    ({"reference": "K-2026-000009"}, "reference", "extra_forbidden"),
    ({"status": "resolved"}, "status", "extra_forbidden"),
]


def test_wrong_fields_of_a_new_case_are_422(client: Client, headers: dict[str, str], hanoi: Any) -> None:
    for change, field, code in WRONG_CASE_FIELDS:
        body = json.dumps({**VALID_CASE, **change}).encode()

        error = assert_error(send(client, "POST", "/api/v1/cases", headers, body), 422, "validation_failed")

        assert {"field": field, "code": code} in [{"field": d["field"], "code": d["code"]} for d in error["details"]]
    assert Case.objects.count() == 0


WRONG_EVENT_FIELDS: list[tuple[dict[str, Any], str, str]] = [
    ({"body": "x"}, "type", "missing"),
    ({"type": "email", "body": "x"}, "type", "literal_error"),
    ({"type": "note", "body": 5}, "body", "string_type"),
    ({"type": "note", "body": "x" * 5001}, "body", "string_too_long"),
    ({"type": "note", "body": "a\u0000"}, "body", "value_error"),
    ({"type": "status"}, "", "value_error"),
    ({"type": "status", "status": "done"}, "status", "literal_error"),
    ({"type": "note", "body": "x", "status": "resolved"}, "", "value_error"),
    ({"type": "note", "body": "x", "visible": True}, "visible", "extra_forbidden"),
]


def test_wrong_fields_of_an_event_are_422(client: Client, headers: dict[str, str], case: Case) -> None:
    for body, field, code in WRONG_EVENT_FIELDS:
        response = send(client, "POST", f"/api/v1/cases/{case.reference}/events", headers, json.dumps(body).encode())

        error = assert_error(response, 422, "validation_failed")
        assert {"field": field, "code": code} in [{"field": d["field"], "code": d["code"]} for d in error["details"]]
    assert case.events.count() == 1


BAD_QUERIES: list[tuple[str, int, str]] = [
    ("limit=0", 422, "limit"),
    ("limit=101", 422, "limit"),
    ("limit=-5", 422, "limit"),
    ("limit=ten", 422, "limit"),
    ("limit=", 422, "limit"),
    ("limit=1e3", 422, "limit"),
    ("severity=0", 422, "severity"),
    ("severity=six", 422, "severity"),
    ("status=lost", 422, "status"),
    ("channel=fax", 422, "channel"),
    ("location=%00", 422, "location"),
    ("category=a%20b", 422, "category"),
    ("assignee=a%00b", 422, "assignee"),
    ("q=%00", 422, "q"),
    ("q=" + "q" * 201, 422, "q"),
    ("sort=-id", 422, "sort"),
    ("cursor=", 400, "cursor"),
    ("cursor=garbage", 400, "cursor"),
    ("cursor=" + "A" * 201, 422, "cursor"),
    ("cursor=WzFd", 400, "cursor"),  # [1]
    ("cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwtNV0", 400, "cursor"),  # negative id
    ("cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwxMDAwMDAwMDAwMDAwMDAwMDAwMDAwXQ", 400, "cursor"),  # huge id
    ("cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwxXQ", 400, "cursor"),  # naive datetime
    ("cursor=%FF%FE", 400, "cursor"),
]


def test_bad_list_parameters_are_refused(client: Client, headers: dict[str, str], case: Case) -> None:
    for query, status, field in BAD_QUERIES:
        response = client.get(f"/api/v1/cases?{query}", headers=headers)

        error = assert_error(response, status)
        assert field in [detail["field"] for detail in error["details"]], query


def test_a_service_refusal_uses_the_shape(client: Client, headers: dict[str, str], case: Case) -> None:
    response = send(client, "POST", f"/api/v1/cases/{case.reference}/events", headers,
                    b'{"type": "status", "status": "closed"}')

    assert_error(response, 409, "conflict")


# --------------------------------------------------------------------------------------------- random input

FIELD_NAMES = ["description", "customer", "location", "touchpoint", "category", "severity", "failure_type",
               "language", "channel", "subject", "type", "body", "status", "name", "email", "phone", "line_id"]
STRINGS = ["", " ", "note", "reply", "status", "resolved", "hanoi", "hn-desk", "rooms", "api", "vi", "x" * 300,
           "\u0000", "\ud800", "ก", "Phòng", "' OR 1=1 --", "<script>", "0912 345 678", "a@b.c", "@", "+84"]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, 1, 3, 5, 6, -1, 2**31, 2**63, -(2**64), 10**40])
    if kind == 3:
        return rng.choice([0.5, -1.5, 1e308, 3.0])
    if kind in (4, 5):
        return rng.choice(STRINGS) if rng.random() < 0.8 else "".join(
            chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(12))
        )
    if kind == 6:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = rng.sample(FIELD_NAMES, rng.randrange(1, 6)) + (["zzz"] if rng.random() < 0.1 else [])
    return {key: random_json(rng, depth + 1) for key in keys}


def test_random_json_never_breaks_the_api(client: Client, headers: dict[str, str], case: Case) -> None:
    rng = random.Random(20261116)
    cases, events = "/api/v1/cases", f"/api/v1/cases/{case.reference}/events"
    seen: set[int] = set()
    for _ in range(400):
        mode = rng.randrange(3)
        if mode == 0:  # anything at all
            path, value = rng.choice([cases, events]), random_json(rng)
        elif mode == 1:  # a valid new case with one field replaced
            path, value = cases, {**VALID_CASE, rng.choice(FIELD_NAMES[:10]): random_json(rng)}
        else:  # a valid note with one field replaced
            path, value = events, {"type": "note", "body": "Hello", rng.choice(["type", "body", "status"]):
                                   random_json(rng)}
        response = send(client, "POST", path, headers, json.dumps(value).encode())

        seen.add(response.status_code)
        if response.status_code != 201:
            assert_error(response, response.status_code)
            assert 400 <= response.status_code < 500
    assert {201, 400, 422} <= seen


def test_random_query_strings_never_break_the_list(client: Client, headers: dict[str, str], case: Case) -> None:
    rng = random.Random(7)
    names = sorted(CASE_FILTER_NAMES)
    for _ in range(200):
        params = {rng.choice(names): str(random_json(rng)) for _ in range(rng.randrange(1, 4))}
        response = client.get("/api/v1/cases?" + urlencode(params, errors="surrogatepass"), headers=headers)

        if response.status_code != 200:
            assert_error(response, response.status_code)
            assert 400 <= response.status_code < 500


def test_random_bytes_never_break_the_api(client: Client, headers: dict[str, str], case: Case) -> None:
    rng = random.Random(99)
    for _ in range(100):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        path = rng.choice(["/api/v1/cases", f"/api/v1/cases/{case.reference}/events"])
        response = send(client, "POST", path, headers, body)

        assert_error(response, response.status_code)
        assert response.status_code in {400, 422}


def test_too_many_query_parameters_is_400(client: Client, headers: dict[str, str], case: Case) -> None:
    response = client.get("/api/v1/cases?" + "&".join(f"limit={n}" for n in range(1500)), headers=headers)

    assert_error(response, 400, "bad_request")


@pytest.mark.django_db(transaction=True)
def test_a_write_race_is_a_409_and_the_retry_looks_again(client: Client, headers: dict[str, str], hanoi: Any,
                                                         org: Any) -> None:
    Category.objects.create(organisation=org, code="pool", name="Pool")
    with_category = json.dumps({**VALID_CASE, "category": "pool"}).encode()
    assert send(client, "POST", "/api/v1/cases", headers, with_category).status_code == 201
    # Another process removes the category after this worker last looked it up (and kept it).
    Case.objects.all().delete()
    Category.objects.filter(code="pool").delete()

    response = send(client, "POST", "/api/v1/cases", headers, with_category)

    assert_error(response, 409, "conflict")
    assert Case.objects.count() == 0
    retry = assert_error(send(client, "POST", "/api/v1/cases", headers, with_category), 400, "invalid")
    assert retry["details"][0]["field"] == "category"


def test_even_a_bug_answers_in_the_shape(client: Client, headers: dict[str, str], hanoi: Any,
                                         monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("kintsugi.cases.api._open_grouped", broken)  # a bug, anywhere below the view

    response = send(client, "POST", "/api/v1/cases", headers, json.dumps(VALID_CASE).encode())

    assert_error(response, 500, "server_error")
    assert "boom" not in response.content.decode()
    assert "API error on POST /api/v1/cases" in caplog.text
