"""The benchmark's new customers: every run of the load generator on one database makes guests no other run
made, with phone numbers the product accepts, so later rounds are not repeat failures of earlier ones."""

from __future__ import annotations

import json
import re

from bench.harness import GUEST_PHONE_PREFIXES, guests_for
from bench.load import GUEST_MARK, GUEST_PHONE_MARK, with_guest
from bench.run import python_form_requests, python_post_requests
from kintsugi.cases.services import normalise_phone


def _body(raw: bytes) -> tuple[int, bytes]:
    head, _sep, body = raw.partition(b"\r\n\r\n")
    found = re.search(rb"Content-Length: (\d+)", head)
    assert found is not None
    return int(found.group(1)), body


def test_each_load_run_has_its_own_guest_tag_and_phone_prefix() -> None:
    runs = [guests_for(41_234, invocation) for invocation in range(1, len(GUEST_PHONE_PREFIXES) + 1)]
    assert len({g.tag for g in runs}) == len(runs)
    assert len({g.phone_prefix for g in runs}) == len(runs)
    # Not the regulars' prefix (90) nor the seeded customers' (92).
    assert not {"90", "92"} & {g.phone_prefix for g in runs}


def test_every_guest_prefix_makes_numbers_the_product_accepts() -> None:
    for prefix in GUEST_PHONE_PREFIXES:
        for tail in ("0000000", "1999999", "9999999"):
            assert normalise_phone(f"+84{prefix}{tail}") == f"+84{prefix}{tail}"


def test_the_fallback_fills_in_a_new_guest_per_request_with_the_right_length() -> None:
    requests = python_post_requests("127.0.0.1", "/api/v1/cases", "token", ["HN"], n=400)
    marked = [r for r in requests if GUEST_MARK in r or GUEST_PHONE_MARK in r]
    assert 0.75 * len(requests) < len(marked) < 0.95 * len(requests)  # 15 % regulars
    seen_emails: set[str] = set()
    seen_phones: set[str] = set()
    for invocation in (1, 2):
        g = guests_for(41_234, invocation)
        guests = {"tag": g.tag, "phone_prefix": g.phone_prefix}
        for connection in range(16):
            for n, template in enumerate(marked[:40], start=1):
                length, body = _body(with_guest(template, guests, connection, n))
                assert length == len(body)
                customer = json.loads(body)["customer"]
                if "email" in customer:
                    assert customer["email"] not in seen_emails
                    seen_emails.add(customer["email"])
                if "phone" in customer:
                    assert normalise_phone(customer["phone"]) == customer["phone"]
                    assert customer["phone"] not in seen_phones
                    seen_phones.add(customer["phone"])
    assert len(seen_emails) > 500
    assert len(seen_phones) > 500


def test_the_form_fallback_marks_its_guests_unescaped() -> None:
    requests = python_form_requests("127.0.0.1", "csrftoken=x", ["abc"], "x", n=100)
    with_email = [r for r in requests if "guest-form-" in r]
    assert with_email
    assert all(GUEST_MARK in r for r in with_email)
    length, body = _body(with_guest(with_email[0], {"tag": "7-3", "phone_prefix": "93"}, 5, 9))
    assert length == len(body)
    assert b"email=guest-form-7-3-5-9%40example.com" in body
