"""What the inbox page tests share (test_pages_inbox, test_pages_inbox_paging): the references an inbox page
lists, and a web case opened at a given moment. Their `mixed` fixture is in this folder's conftest.py."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from kintsugi.accounts.models import Organisation, Touchpoint
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel

REFERENCE = re.compile(r'class="case-ref">(K-\d{4}-\d{6})<')


def listed(response: Any) -> list[str]:
    """The case references of an inbox page, in the order shown."""
    assert response.status_code == 200
    return REFERENCE.findall(response.content.decode())


def open_web(org: Organisation, touchpoint: Touchpoint, at: datetime, **kwargs: Any) -> Case:
    channel = kwargs.pop("channel", Channel.WEB)
    description = kwargs.pop("description", "Phòng chưa được dọn.")
    return services.open_case(by=None, organisation=org, touchpoint=touchpoint, channel=channel,
                              description=description, at=at, **kwargs)
