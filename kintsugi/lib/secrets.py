"""Credentials kept sealed at rest: a mailbox's password, a chat provider's access token. Fernet (AES-128-CBC with
HMAC-SHA256, from `cryptography`) under the keys of `KINTSUGI_CREDENTIALS_KEYS` (settings.CREDENTIALS_KEYS):
the first seals, every one unseals, so a key is rotated by putting the new one first and re-saving
(`manage.py reseal_credentials`). Without the setting (development, tests) the key is derived from SECRET_KEY;
production refuses to start without it (kintsugi/settings.py).

`manage.py shell -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"` makes a key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["CannotUnseal", "seal", "seal_json", "unseal", "unseal_json"]


class CannotUnseal(ValueError):
    """The sealed value was made under a key that is no longer configured, or it was altered."""


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(b"kintsugi credentials " + secret_key.encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.CREDENTIALS_KEYS), settings.SECRET_KEY)


def seal(value: str) -> str:
    return _current().encrypt(value.encode()).decode()


def unseal(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise CannotUnseal("sealed under another key (check KINTSUGI_CREDENTIALS_KEYS)") from exc


def reseal(token: str) -> str:
    """The same value sealed under the first key (rotation)."""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise CannotUnseal("sealed under another key (check KINTSUGI_CREDENTIALS_KEYS)") from exc


def seal_json(value: dict[str, Any]) -> str:
    return seal(json.dumps(value, separators=(",", ":")))


def unseal_json(token: str) -> dict[str, Any]:
    value = json.loads(unseal(token))
    if not isinstance(value, dict):
        raise CannotUnseal("not a sealed object")
    return value
