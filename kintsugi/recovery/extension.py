"""What recovery does at the case core's moments (kintsugi.cases.hooks), registered from RecoveryConfig.ready():
a new case's first playbook step due time, the playbook bound and its due time kept as steps complete, the
resolve rule, and the follow-up after resolving and its timer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from kintsugi.accounts.models import User
from kintsugi.cases.hooks import CaseExtension
from kintsugi.cases.models import Case, EventKind, Timer, TimerKind
from kintsugi.recovery import selectors
from kintsugi.recovery import services as recovery

# Events after which the case's playbook due time is recomputed (they complete or skip playbook steps, or open or
# close the case); recovery/rules.py says which kind completes which step.
PLAYBOOK_KINDS = frozenset({
    EventKind.MESSAGE_OUT, EventKind.APOLOGY_SENT, EventKind.THANKS_SENT, EventKind.REMEDY_GRANTED,
    EventKind.REMEDY_APPROVED, EventKind.FOLLOW_UP_ANSWERED, EventKind.STEP_DONE, EventKind.STEP_OVERRIDE,
    EventKind.RESOLVED, EventKind.REOPENED, EventKind.CLOSED,
})


class RecoveryExtension(CaseExtension):
    name = "recovery"

    def first_step_due(self, case: Case) -> datetime | None:
        # From a per-process cache: no query per case.
        minutes = selectors.first_due_minutes(case.organisation_id, case.category_id)
        return case.created_at + timedelta(minutes=minutes) if minutes is not None else None

    def before_event(self, case: Case, kind: str, at: datetime) -> None:
        if kind in PLAYBOOK_KINDS:
            recovery.bind(case, at=at)  # the first time a step can move, the case's playbook is fixed

    def after_event(self, case: Case, kind: str, at: datetime) -> None:
        if kind in PLAYBOOK_KINDS:
            recovery.refresh_due(case, at=at)  # the steps this event completes move the playbook's due time

    def check_resolve(self, case: Case, *, by: User, override_reason: str, at: datetime) -> None:
        recovery.check_resolve(case, by=by, override_reason=override_reason, at=at)

    def resolve_blockers(self, case: Case, *, by: User) -> list[str]:
        # Supervisors and above may resolve anyway with a reason (the resolve form asks for it): no blocker.
        if by.is_supervisor_or_above:
            return []
        if not selectors.page_checklist(case).blocking:
            return []
        return [_("Required playbook steps are still open.")]

    def after_resolve(self, case: Case, *, by: User, at: datetime) -> None:
        recovery.schedule_follow_up(case, by=by, at=at)

    def fire_timer(self, timer: Timer, at: datetime) -> bool | None:
        if timer.kind == TimerKind.FOLLOW_UP:
            return recovery.send_follow_up(timer, at=at)
        if timer.kind == TimerKind.FOLLOW_UP_EXPIRY:
            return recovery.expire_follow_up(timer, at=at)
        return None
