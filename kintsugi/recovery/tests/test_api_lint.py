"""POST /api/v1/apology/lint: warnings with spans, the organisation's own phrases (never another's), 422 on bad
input and 401 without a token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kintsugi.accounts.models import User
from kintsugi.recovery.services import messages

from .conftest import bearer

URL = "/api/v1/apology/lint"


def post(client: Client, headers: dict[str, str], payload: Any) -> Any:
    return client.post(URL, data=payload, content_type="application/json", headers=headers)


def test_lint_answers_warnings_with_spans_in_the_token_users_language(client: Client, agent: User) -> None:
    response = post(client, bearer(agent), {"language": "en", "text": "Sorry, it was due to our supplier."})
    assert response.status_code == 200
    assert response.json() == {"warnings": [{
        "start": 14, "end": 33, "phrase": "due to our supplier", "kind": "blame",
        "suggestion": "Do not blame the customer or a third party; take responsibility for it yourself.",
    }]}


def test_thai_text_gets_spans_in_code_points(client: Client, agent: User) -> None:
    text = "ขออภัยหากทำให้คุณไม่สะดวก"
    response = post(client, bearer(agent), {"language": "th", "text": text})
    warnings = response.json()["warnings"]
    assert [(w["start"], w["end"], w["phrase"], w["kind"]) for w in warnings] == [
        (0, 9, "ขออภัยหาก", "conditional")]
    assert text[0:9] == "ขออภัยหาก"


def test_a_good_apology_has_no_warnings(client: Client, agent: User) -> None:
    text = "We have refunded your first night. This was our mistake, and we take full responsibility for it."
    assert post(client, bearer(agent), {"language": "en", "text": text}).json() == {"warnings": []}


def test_organisation_phrases_count_for_their_organisation_only(
    client: Client, agent: User, manager: User, outsider: User
) -> None:
    messages.add_apology_phrase(by=manager, language="vi", phrase="đêm đó đông", kind="excuse")
    payload = {"language": "vi", "text": "Xin lỗi, đêm đó đông."}
    ours = post(client, bearer(agent), payload).json()["warnings"]
    assert [(w["phrase"], w["kind"]) for w in ours] == [("đêm đó đông", "excuse")]
    assert post(client, bearer(outsider), payload).json() == {"warnings": []}


@pytest.mark.parametrize("payload", [
    {"language": "fr", "text": "pardon"}, {"language": "en"}, {"text": "sorry"}, {"language": "en", "text": 3},
    {"language": "en", "text": "x", "extra": 1}, {"language": "en", "text": "x" * 20_001}, [],
])
def test_bad_input_is_422_in_the_error_shape(client: Client, agent: User, payload: Any) -> None:
    response = post(client, bearer(agent), payload)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


def test_without_a_token_it_is_401(client: Client, agent: User) -> None:
    response = post(client, {}, {"language": "en", "text": "sorry"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
