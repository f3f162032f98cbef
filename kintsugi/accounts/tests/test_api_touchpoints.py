"""GET /api/v1/touchpoints: each touchpoint with its public URL and QR code addresses, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from kintsugi.accounts.models import ApiToken, Location, Organisation, Touchpoint, User
from kintsugi.accounts.schemas import TouchpointList


@pytest.fixture(autouse=True)
def _site_url(settings: Settings) -> None:
    settings.SITE_URL = "https://care.lotus.example"


def bearer(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def test_touchpoints_carry_their_public_url_and_qr_codes(client: Client, agent: User, front_desk: Touchpoint,
                                                         bangkok_desk: Touchpoint) -> None:
    response = client.get("/api/v1/touchpoints", headers=bearer(agent))

    assert response.status_code == 200
    code = front_desk.public_code
    assert response.json() == {"items": [{
        "code": "hn-desk",
        "name": "Front desk",
        "kind": "front_desk",
        "is_active": True,
        "location": {"code": "hanoi", "name": "Lotus Hà Nội"},
        "public_url": f"https://care.lotus.example/t/{code}/",
        "qr_png_url": f"https://care.lotus.example/t/{code}/qr.png",
        "qr_svg_url": f"https://care.lotus.example/t/{code}/qr.svg",
    }]}
    TouchpointList.model_validate(response.json())


def test_the_qr_urls_in_the_api_answer(client: Client, agent: User, front_desk: Touchpoint) -> None:
    item = client.get("/api/v1/touchpoints", headers=bearer(agent)).json()["items"][0]

    for key, content_type in (("qr_png_url", "image/png"), ("qr_svg_url", "image/svg+xml")):
        path = item[key].removeprefix("https://care.lotus.example")
        response = client.get(path)
        assert (response.status_code, response["Content-Type"]) == (200, content_type)


def test_touchpoints_take_the_same_queries_for_two_or_forty(
    client: Client, supervisor: User, org: Organisation, hanoi: Location, bangkok: Location,
    django_assert_num_queries: Any,
) -> None:
    headers = bearer(supervisor)
    for n in range(2):
        Touchpoint.objects.create(organisation=org, location=hanoi, name=f"Room {n}", code=f"room-{n}")
    client.get("/api/v1/touchpoints", headers=headers)  # the token lookup is cached after the first call

    with django_assert_num_queries(1):  # the touchpoints with their locations (token and scope are cached)
        assert len(client.get("/api/v1/touchpoints", headers=headers).json()["items"]) == 2

    for n in range(2, 40):
        Touchpoint.objects.create(organisation=org, location=bangkok, name=f"Room {n}", code=f"room-{n}")
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/touchpoints", headers=headers).json()["items"]) == 40
