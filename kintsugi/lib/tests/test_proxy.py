"""Behind a trusted proxy the client's address is the one it names; from anyone else the header is ignored."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import Settings

from kintsugi.accounts.models import Touchpoint
from kintsugi.intake.models import PublicRateLimit
from kintsugi.lib.proxy import client_address

TRUSTED = frozenset({"127.0.0.1", "::1"})


def test_the_proxys_word_is_taken_only_from_the_proxy() -> None:
    assert client_address("127.0.0.1", "203.0.113.7", TRUSTED) == "203.0.113.7"
    assert client_address("::1", " 2001:db8::5 ", TRUSTED) == "2001:db8::5"
    assert client_address("198.51.100.2", "203.0.113.7", TRUSTED) == "198.51.100.2"  # not a proxy: ignored
    assert client_address("127.0.0.1", "not-an-address", TRUSTED) == "127.0.0.1"
    assert client_address("127.0.0.1", None, TRUSTED) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.7", frozenset()) == "127.0.0.1"


@pytest.mark.django_db
def test_the_public_forms_limit_counts_each_customer_behind_the_proxy(
    settings: Settings, client: Client, front_desk: Touchpoint
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for address in ("203.0.113.7", "203.0.113.8"):
        client.post(f"/t/{front_desk.public_code}/en/", {"description": "The shower is broken and nobody came.",
                    "severity": "3", "website": "x"}, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=address)
    keys = PublicRateLimit.objects.exclude(key__startswith="touchpoint:").values_list("key", flat=True)
    assert sorted(keys) == ["ip:203.0.113.7", "ip:203.0.113.8"]  # two customers, not the proxy twice
