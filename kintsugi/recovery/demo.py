"""The demo organisation's playbooks (the lead wires this into the demo loader): the three built-ins, LATTE as the
default, HEART (with its follow-up) for what hurts a stay most, LEARN for billing; follow-ups after 3 days, 2 for
rooms. Idempotent: loading twice changes nothing."""

from __future__ import annotations

from typing import Any

from kintsugi.cases.models import Category
from kintsugi.recovery import selectors, services
from kintsugi.recovery.models import CategoryRecovery, Playbook, RecoverySettings

# category code -> (built-in playbook, follow-up days or None for the default)
CHOICES: dict[str, tuple[str, int | None]] = {
    "housekeeping": ("heart", 2),
    "air-conditioning": ("heart", 2),
    "noise": ("heart", 2),
    "staff-attitude": ("heart", None),
    "billing": ("learn", None),
}


def load(organisation: Any) -> dict[str, int]:
    """Give the organisation its playbooks and choices; returns how many playbooks and category choices it has.
    Call it before the demo's cases are replayed, and tick steps before resolving (the resolve rule applies)."""
    services.ensure_builtins(organisation)
    playbooks = {p.code: p for p in Playbook.objects.filter(organisation=organisation)}
    RecoverySettings.objects.filter(organisation=organisation).update(
        default_playbook=playbooks["latte"], follow_up_days=3)
    for category in Category.objects.filter(organisation=organisation, code__in=list(CHOICES)):
        code, days = CHOICES[category.code]
        CategoryRecovery.objects.update_or_create(
            category=category, defaults={"playbook": playbooks[code], "follow_up_days": days})
    selectors.clear_caches()
    return {"playbooks": len(playbooks),
            "categories": CategoryRecovery.objects.filter(category__organisation=organisation).count()}
