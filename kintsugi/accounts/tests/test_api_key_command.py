"""`manage.py create_api_key USERNAME`: prints a token once, stores only its hash, and the token works."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kintsugi.accounts import apiauth
from kintsugi.accounts.models import ApiToken, Organisation, User, hash_token


def create_key(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_token_is_printed_once_and_stored_hashed(agent: User) -> None:
    out, err = create_key("agent", "--name", "Zapier")

    raw = out.strip()
    token = ApiToken.objects.get()
    assert raw.startswith("kt_")
    assert len(raw) == 46
    assert token.user == agent
    assert token.name == "Zapier"
    assert token.prefix == raw[:10]
    assert token.token_hash == hash_token(raw)
    assert raw not in (token.token_hash, token.prefix, token.name)
    assert (token.last_used_at, token.revoked_at) == (None, None)
    assert err == f"Token {raw[:10]}… for agent (frontline). It will not be shown again.\n"


def test_each_call_makes_a_new_token(agent: User) -> None:
    first, _err = create_key("agent")
    second, _err = create_key("agent")

    assert first != second
    assert ApiToken.objects.filter(user=agent).count() == 2
    assert ApiToken.objects.get(token_hash=hash_token(first.strip())).name == ""


def test_the_printed_token_authenticates_as_the_user(client: Client, agent: User) -> None:
    apiauth.clear_cache()
    out, _err = create_key("agent")

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {out.strip()}"})

    assert response.status_code == 200
    assert response.json()["username"] == "agent"


def test_an_unknown_user_is_an_error(agent: User) -> None:
    with pytest.raises(CommandError, match=r"^No user called 'ghost'\.$"):
        create_key("ghost")

    assert ApiToken.objects.count() == 0


def test_a_user_outside_any_organisation_gets_no_token(org: Organisation) -> None:
    User.objects.create_user(username="root", password="x")

    with pytest.raises(CommandError, match=r"^root belongs to no organisation; API tokens act for one\.$"):
        create_key("root")

    assert ApiToken.objects.count() == 0
