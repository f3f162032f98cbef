from __future__ import annotations

import pytest

from kintsugi.accounts.models import ApiToken, Organisation, User
from kintsugi.recovery import services
from kintsugi.recovery.models import Playbook

VI_PARTS = {  # written for the case, not the examples shown beside the parts (those count as unwritten)
    "restore": "Chúng tôi đã chuyển quý khách sang phòng 304 đã được dọn sạch và hoàn lại tiền đêm đầu tiên.",
    "responsibility": "Đây là lỗi của khách sạn và chúng tôi hoàn toàn chịu trách nhiệm.",
    "explanation": "Nhân viên buồng phòng ca chiều đã đánh dấu nhầm phòng của quý khách là đã dọn.",
    "prevention": "Từ tối nay, trưởng ca sẽ kiểm tra từng phòng trước khi giao cho khách.",
    "regret": "Chúng tôi rất tiếc vì quý khách đã mất buổi tối nghỉ ngơi sau chuyến bay dài từ Hà Nội.",
}


@pytest.fixture
def vi_parts() -> dict[str, str]:
    return dict(VI_PARTS)


def bearer(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def playbooks(org: Organisation) -> dict[str, Playbook]:
    """The organisation's copies of the built-ins (LATTE the default), by code."""
    services.ensure_builtins(org)
    return {p.code: p for p in Playbook.objects.filter(organisation=org)}
