"""Remedy fixtures: the Lotus catalogue and authority limits (VND for Hà Nội, THB for Bangkok)."""

from __future__ import annotations

from typing import Any

import pytest

from kintsugi.accounts.models import Location, Organisation, Role
from kintsugi.remedies.models import AuthorityLimit, RemedyOption, RemedySettings

# Minor units. VND has none; THB has two (50000 = ฿500.00).
VND_LIMITS: dict[str, tuple[int, int, int]] = {
    Role.FRONTLINE: (500_000, 800_000, 1_500_000),
    Role.SUPERVISOR: (3_000_000, 5_000_000, 10_000_000),
    Role.CX_MANAGER: (20_000_000, 30_000_000, 50_000_000),
    Role.ADMIN: (20_000_000, 30_000_000, 50_000_000),
}
THB_LIMITS: dict[str, tuple[int, int, int]] = {
    Role.FRONTLINE: (50_000, 80_000, 150_000),
    Role.SUPERVISOR: (300_000, 500_000, 1_000_000),
    Role.CX_MANAGER: (2_000_000, 3_000_000, 5_000_000),
    Role.ADMIN: (2_000_000, 3_000_000, 5_000_000),
}


@pytest.fixture
def limits(org: Organisation) -> list[AuthorityLimit]:
    rows = []
    for currency, table in (("VND", VND_LIMITS), ("THB", THB_LIMITS)):
        for role, (per_remedy, per_case, per_day) in table.items():
            rows.append(AuthorityLimit.objects.create(
                organisation=org, role=role, currency=currency, per_remedy_minor=per_remedy,
                per_case_minor=per_case, per_day_minor=per_day,
            ))
    return rows


@pytest.fixture
def remedy_settings(org: Organisation) -> RemedySettings:
    return RemedySettings.objects.create(organisation=org, currencies=["VND", "THB"],
                                         average_customer_value_minor=2_000_000, average_value_currency="VND",
                                         at_risk_days=90)


@pytest.fixture
def catalogue(org: Organisation) -> list[RemedyOption]:
    entries = [
        ("refund", "Refund", "Hoàn tiền", "คืนเงิน", 300_000),
        ("replacement", "Replacement", "Đổi mới", "เปลี่ยนใหม่", 0),
        ("reperform", "Clean the room again", "Dọn lại phòng", "ทำความสะอาดห้องใหม่", 0),
        ("voucher", "Dinner voucher", "Phiếu ăn tối", "บัตรกำนัลอาหารค่ำ", 500_000),
        ("gesture", "Fruit basket", "Giỏ trái cây", "ตะกร้าผลไม้", 150_000),
        ("apology", "Apology", "Lời xin lỗi", "คำขอโทษ", 0),
    ]
    return [RemedyOption.objects.create(organisation=org, kind=kind, name=name, name_vi=vi, name_th=th,
                                        default_amount_minor=amount, currency="VND")
            for kind, name, vi, th, amount in entries]


@pytest.fixture
def hanoi_override(org: Organisation, hanoi: Location, limits: Any) -> AuthorityLimit:
    """Hà Nội's frontline may give more than the organisation-wide frontline limit."""
    return AuthorityLimit.objects.create(organisation=org, role=Role.FRONTLINE, location=hanoi, currency="VND",
                                         per_remedy_minor=1_000_000, per_case_minor=1_000_000,
                                         per_day_minor=2_000_000)
