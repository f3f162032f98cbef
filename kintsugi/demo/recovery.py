"""The demo organisation's playbooks (the demo loader calls `load`): the three built-ins, LATTE as the
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


def before_resolving(case: Any, *, by: Any, at: Any) -> None:
    """For the demo loader's "resolve" step (call it just before services.resolve): the steps the demo's story
    did not record as events (listening, a gesture given in person, the thanks said at the desk) are ticked by
    the resolver, so the replayed history obeys the resolve rule like a real one."""
    for state in services.open_steps_of(case):
        services.tick_step(case, state.step.code, by=by, note="Done in person.", at=at)
