"""Helpers for tests of any app that needs a case ready to resolve: its open playbook steps ticked by hand, as
staff would after doing them off the system (the resolve rule itself is not switched off)."""

from __future__ import annotations

from datetime import datetime

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case
from kintsugi.recovery import services


def complete_steps(case: Case, *, by: User, at: datetime | None = None) -> None:
    """Tick every open required step of the case's playbook (a note says it was done in person), by default at
    the moment the case was opened (so the ticks come before whatever a test does next)."""
    for state in services.open_steps_of(case):
        services.tick_step(case, state.step.code, by=by, note="Done in person.", at=at or case.created_at)
