"""The demo organisation's remedies: a catalogue, authority limits and settings (VND for its Vietnamese
locations, THB for its Thai ones), and the remedies given before resolving. `load(organisation)` is idempotent;
the demo loader calls it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from kintsugi.accounts.models import Organisation, Role, User
from kintsugi.remedies.models import AuthorityLimit, RemedyOption, RemedySettings, RemedyStatus
from kintsugi.remedies.selectors import catalogue_for, suggestions_for
from kintsugi.remedies.services import approve_remedy, case_currency, propose_remedy

# kind, English, Vietnamese, Thai, default in VND, default in THB minor units (satang)
CATALOGUE = [
    ("refund", "Refund of the charge", "Hoàn lại khoản phí", "คืนเงินค่าบริการ", 0, 0),
    ("partial_refund", "Partial refund", "Hoàn tiền một phần", "คืนเงินบางส่วน", 300_000, 50_000),
    ("replacement", "Replace or exchange", "Đổi hoặc thay mới", "เปลี่ยนหรือแลกใหม่", 0, 0),
    ("reperform", "Do the service again", "Thực hiện lại dịch vụ", "ให้บริการใหม่อีกครั้ง", 0, 0),
    ("voucher", "Dinner voucher", "Phiếu ăn tối", "บัตรกำนัลอาหารค่ำ", 500_000, 100_000),
    ("upgrade", "Room upgrade", "Nâng hạng phòng", "อัปเกรดห้องพัก", 0, 0),
    ("gesture", "Fruit basket or drink", "Giỏ trái cây hoặc đồ uống", "ตะกร้าผลไม้หรือเครื่องดื่ม", 150_000, 30_000),
    ("apology", "Apology from the manager", "Lời xin lỗi từ quản lý", "คำขอโทษจากผู้จัดการ", 0, 0),
]
# role: (per remedy, per case, per day) in VND, then in THB minor units
LIMITS = {
    Role.FRONTLINE: ((500_000, 800_000, 2_000_000), (100_000, 150_000, 400_000)),
    Role.SUPERVISOR: ((3_000_000, 5_000_000, 15_000_000), (500_000, 800_000, 2_500_000)),
    Role.CX_MANAGER: ((20_000_000, 30_000_000, 100_000_000), (3_000_000, 5_000_000, 15_000_000)),
}


@transaction.atomic
def load(organisation: Organisation) -> None:
    """Give `organisation` the demo catalogue, limits and settings, unless it has a catalogue already."""
    if RemedyOption.objects.filter(organisation=organisation).exists():
        return
    for kind, name, name_vi, name_th, vnd, thb in CATALOGUE:
        for currency, amount in (("VND", vnd), ("THB", thb)):
            RemedyOption.objects.create(organisation=organisation, kind=kind, name=name, name_vi=name_vi,
                                        name_th=name_th, default_amount_minor=amount, currency=currency)
    for role, per_currency in LIMITS.items():
        for currency, (per_remedy, per_case, per_day) in zip(("VND", "THB"), per_currency, strict=True):
            AuthorityLimit.objects.create(organisation=organisation, role=role, currency=currency,
                                          per_remedy_minor=per_remedy, per_case_minor=per_case,
                                          per_day_minor=per_day)
    RemedySettings.objects.update_or_create(organisation=organisation, defaults={
        "currencies": ["VND", "THB"], "average_customer_value_minor": 4_500_000, "average_value_currency": "VND",
        "at_risk_days": 180,
    })


def before_resolving(case: Any, *, by: Any, at: datetime) -> None:
    """For the demo loader's "resolve" step: most failures that hurt (severity 3 and up) were put right with the
    first remedy the suggestion rule proposes, given by the resolver and approved by a supervisor when it was
    above the resolver's authority, so the cost-of-failure page and the "take action" steps have a history."""
    if case.severity < 3 or case.pk % 5 == 0:  # some were settled with words alone
        return
    currency = case_currency(case)
    suggested = suggestions_for(case, catalogue_for(case, currency), customer_costs=0)
    if not suggested:
        return
    suggestion, option = suggested[0]
    amount = suggestion.amount
    if suggestion.kind in ("refund", "partial_refund") and amount == 0:
        # A refund's default is "the charge": the demo's bills were a few hundred thousand dong or baht.
        amount = case.severity * (150_000 if currency == "VND" else 30_000)
    remedy = propose_remedy(case, kind=suggestion.kind, amount_minor=amount, currency=currency, by=by,
                            option=option, at=at)
    if remedy.status == RemedyStatus.PENDING_APPROVAL:
        approver = User.objects.filter(organisation_id=case.organisation_id, role__in=[Role.SUPERVISOR,
                                       Role.CX_MANAGER], is_active=True).exclude(pk=by.pk).order_by("pk").first()
        if approver is not None:
            approve_remedy(remedy, by=approver, reason="Demo: within the hotel's recovery budget.", at=at)
