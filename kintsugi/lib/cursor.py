"""Opaque keyset-pagination cursors: base64url of the JSON pair [ISO datetime, id].

Pure standard library, shared by the staff inbox and the API. A cursor names the last row of a page by its
(sort value, primary key); the next page is every row strictly after it in that order.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

__all__ = ["MAX_TOKEN_LENGTH", "decode_cursor", "encode_cursor"]

# A real cursor is about 60 characters; anything much longer is garbage and not worth decoding.
MAX_TOKEN_LENGTH = 200


def encode_cursor(sort_value: datetime, pk: int) -> str:
    """The cursor naming the row (sort_value, pk); sort_value must be timezone-aware."""
    if sort_value.tzinfo is None or sort_value.utcoffset() is None:
        raise ValueError("cursor sort value must be a timezone-aware datetime")
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise ValueError("cursor id must be an integer")
    raw = json.dumps([sort_value.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int]:
    """The (sort value, id) a cursor names; ValueError with a short message for anything else."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise ValueError("invalid cursor")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("invalid cursor") from None
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("invalid cursor")
    stamp, pk = value
    if not isinstance(stamp, str) or isinstance(pk, bool) or not isinstance(pk, int):
        raise ValueError("invalid cursor")
    try:
        sort_value = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError("invalid cursor") from None
    if sort_value.tzinfo is None or sort_value.utcoffset() is None:
        raise ValueError("invalid cursor")
    return sort_value, pk
