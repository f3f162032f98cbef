from __future__ import annotations

from typing import Any

import pytest

from kintsugi.accounts.models import Location, Organisation
from kintsugi.comms.models import ChannelConnection


@pytest.fixture
def mailbox(org: Organisation, hanoi: Location) -> ChannelConnection:
    connection = ChannelConnection(organisation=org, channel="email", name="Care", address="care@hotel.example",
                                   location=hanoi, config={"imap_host": "127.0.0.1"})
    connection.set_secrets({"imap_password": "app-password-1234"})
    connection.save()
    return connection


def mail(subject: str = "Phòng bẩn", body: str = "Phòng 204 rất bẩn, khăn tắm có vết ố.", *,
         sender: str = "Lan Nguyen <lan@example.vn>", message_id: str = "m1@example.vn",
         headers: dict[str, str] | None = None, **more: Any) -> bytes:
    lines = [f"From: {sender}", "To: care@hotel.example", f"Subject: {subject}", f"Message-ID: <{message_id}>",
             "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n" + body + "\r\n").encode()
