"""URL-encoded bodies parse to exactly the QueryDict Django builds, malformed ones included; page requests use it."""

from __future__ import annotations

import random
import re
import urllib.parse
from typing import Any

import pytest
from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.test import Client, RequestFactory, override_settings

from kintsugi.accounts.models import Touchpoint
from kintsugi.cases.models import Case, SlaPolicy
from kintsugi.lib.formparse import URLENCODED, FormRequest, parse_urlencoded, unquote_plus
from kintsugi.lib.middleware import CsrfViewMiddleware

THAI = "ห้องน้ำสกปรกมาก และพนักงานไม่สุภาพ"
VIETNAMESE = "Phòng tắm bẩn, nhân viên không lịch sự. Tôi đã đợi 45 phút!"

TRICKY = [
    b"",
    b"&",
    b"&&=&",
    b"=",
    b"a",
    b"a=",
    b"=b",
    b"a=1&a=2&b=&c",
    b"a=1&&b=2&",
    b"a=b=c",
    b"a+b=c+d",
    b"a%2Bb=c%2bd+%2B",
    b"plus=1+1%3D2",
    b"pct=100%25",
    b"x=%",
    b"x=%%",
    b"x=%4",
    b"x=%4g",
    b"x=%g4",
    b"x=%%41",
    b"x=%41%",
    b"x=%zz%41%",
    b"x=abc%",
    b"%=%&%%=%%%",
    b"x=%e0%b8%aa",
    b"x=%E0%B8%AA%E0%B8",  # cut in the middle of a character
    b"x=%E0%B8%E0%B8%AA",
    b"x=%ff%fe%00%80",
    b"x=%C3%28",
    b"x=%ED%A0%80",  # a UTF-8-encoded surrogate
    b"x=%F0%9F%98%80+%F0%9F%98",
    b"x=%00%0a%0D%09",
    b"x=a\\b",
    b"x=a\\x41",
    b"x=\\%41",
    b"x=%5C%78%34%31",
    b"x=%5Cx41",
    b"x=\\n%41\\u0041\\N{DIGIT ONE}",
    b"x=line\nbreak\r\n%41",
    b"x=\x01\x7f%41",
    "x=caf\u00e9%20%C3%A9".encode(),  # raw UTF-8 beside escapes
    "x=ภาษา%20ไทย+%E0%B8%AA".encode(),
    b"x=caf\xe9%41",  # not UTF-8: the whole body is read as Latin-1
    b"x=\xff\xfe&y=%41",
    b"\xe0\xb8=\xaa",
    b"x=%uD83D%u00e9",
    b"x=%C0%AF%E0%80%AF",  # overlong forms
    b"x=a;b=c",
    b"x=a%26b%3Dc",
    b"%78=%79&%78=%7a",
    b"csrfmiddlewaretoken=abc&description=" + urllib.parse.quote_plus(THAI).encode() + b"&severity=3&email=",
    b"description=" + urllib.parse.quote_plus(VIETNAMESE).encode() + b"&website=&line_id=",
    b"description=" + urllib.parse.quote(VIETNAMESE).encode().lower(),
]


def as_django(body: bytes) -> QueryDict:
    return QueryDict(body, encoding="utf-8")


def same(ours: QueryDict, django: QueryDict) -> None:
    assert list(ours.lists()) == list(django.lists())
    assert ours.encoding == django.encoding == "utf-8"
    with pytest.raises(AttributeError):
        ours["new"] = "value"  # immutable, as request.POST is


@pytest.mark.parametrize("body", TRICKY)
def test_a_body_parses_as_django_parses_it(body: bytes) -> None:
    same(parse_urlencoded(body), as_django(body))


def test_random_bodies_of_awkward_pieces_parse_as_django_parses_them() -> None:
    pieces = [
        b"%", b"%4", b"%41", b"%e0", b"%B8", b"%zz", b"%%", b"+", b"&", b"=", b"\\", b"\\x", b"a", b"Z", b"0",
        b"f", b" ", b"\n", b"\x00", b"\x80", b"\xc3", b"\xa9", b"\xff", "ไ".encode(), "đ".encode(),
    ]
    rng = random.Random(20240611)
    for _ in range(3000):
        body = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 24)))
        same(parse_urlencoded(body), as_django(body))


def test_every_byte_escaped_and_unescaped_reads_as_urllib_reads_it() -> None:
    for byte in range(256):
        for text in (f"%{byte:02x}", f"%{byte:02X}", f"a%{byte:02X}b+", chr(byte), f"{chr(byte)}%41"):
            assert unquote_plus(text) == urllib.parse.unquote_plus(text), text


@pytest.mark.parametrize(("limit", "fields"), [(3, 3), (3, 4), (1, 1), (1, 2), (0, 0), (None, 5000)])
def test_the_number_of_fields_is_limited_as_django_limits_it(limit: int | None, fields: int) -> None:
    body = "&".join(f"f{i}=%41" for i in range(fields)).encode()
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=limit):
        if limit is not None and fields > limit:
            with pytest.raises(TooManyFieldsSent) as by_django:
                as_django(body)
            with pytest.raises(TooManyFieldsSent) as by_us:
                parse_urlencoded(body)
            assert str(by_us.value) == str(by_django.value)
            assert type(by_us.value.__cause__) is type(by_django.value.__cause__) is ValueError
        else:
            same(parse_urlencoded(body), as_django(body))


def test_empty_fields_count_towards_the_limit_as_in_django() -> None:
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2), pytest.raises(TooManyFieldsSent):
        as_django(b"a=1&&")
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2), pytest.raises(TooManyFieldsSent):
        parse_urlencoded(b"a=1&&")


def through_csrf_middleware(request: WSGIRequest) -> HttpRequest:
    seen: list[HttpRequest] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse("ok")

    middleware = CsrfViewMiddleware(view)
    middleware(request)
    return seen[0]


def form_post(body: bytes, content_type: str = URLENCODED, **extra: Any) -> WSGIRequest:
    return RequestFactory().generic("POST", "/t/CODE/vi/", body, content_type=content_type, **extra)


def test_a_page_request_reads_its_form_as_django_would() -> None:
    body = TRICKY[-3]
    plain = form_post(body)
    request = through_csrf_middleware(form_post(body))

    assert type(request) is FormRequest
    assert list(request.POST.lists()) == list(plain.POST.lists())
    assert list(request.FILES.lists()) == list(plain.FILES.lists()) == []
    assert request.body == body  # still readable after the form
    assert request.POST is request.POST  # parsed once


def test_an_api_request_is_left_as_it_is() -> None:
    request = RequestFactory().post("/api/v1/cases", b"a=%41", content_type="application/x-www-form-urlencoded")
    assert type(through_csrf_middleware(request)) is WSGIRequest


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"a": "%41"}'),
        ("text/plain", b"a=%41"),
        ("multipart/form-data; boundary=B", b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n%41\r\n--B--\r\n'),
        ("application/x-www-form-urlencoded; charset=utf-8", b"a=%41+%E0%B8%AA"),
    ],
)
def test_other_bodies_are_read_by_django_itself(content_type: str, body: bytes) -> None:
    plain = form_post(body, content_type)
    request = through_csrf_middleware(form_post(body, content_type))
    assert list(request.POST.lists()) == list(plain.POST.lists())


def test_a_get_has_no_form_as_in_django() -> None:
    request = through_csrf_middleware(RequestFactory().get("/t/CODE/", {"a": "%41"}))
    assert type(request) is FormRequest
    assert list(request.POST.lists()) == []
    assert request.GET["a"] == "%41"


def test_a_form_in_another_charset_is_refused_as_django_refuses_it() -> None:
    for target in (form_post(b"a=%41"), through_csrf_middleware(form_post(b"a=%41"))):
        target.encoding = "latin-1"
        with pytest.raises(BadRequest):
            _ = target.POST


def test_a_body_read_as_a_stream_first_gives_an_empty_form_as_in_django() -> None:
    for request in (form_post(b"a=%41"), through_csrf_middleware(form_post(b"a=%41"))):
        assert request.read(1) == b"a"
        assert list(request.POST.lists()) == []


def test_the_public_form_sent_url_encoded_passes_its_csrf_check_and_keeps_its_text(
    front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    strict = Client(enforce_csrf_checks=True)
    url = f"/t/{front_desk.public_code}/th/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', strict.get(url).content.decode())
    assert token is not None
    text = THAI + " + 100% & =%41"

    refused = strict.post(url, urllib.parse.urlencode({"description": text}), content_type=URLENCODED)
    response = strict.post(url, urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "description": text}),
                           content_type=URLENCODED)

    assert refused.status_code == 403
    assert response.status_code == 303
    assert type(response.wsgi_request) is FormRequest
    assert Case.objects.get().description == text
