"""Reads of recovery: which playbook a case follows, its checklist, the per-process due-time cache used when cases
are opened, and the follow-ups staff must watch."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from kintsugi.accounts import access
from kintsugi.accounts.models import Role, User
from kintsugi.cases import access as case_access
from kintsugi.cases.models import Case, CaseEvent, EventKind, Status, Timer, TimerKind, TimerState
from kintsugi.recovery import builtin, rules
from kintsugi.recovery.models import CasePlaybook, CategoryRecovery, Playbook, PlaybookStep, RecoverySettings

_lock = threading.Lock()
# organisation id -> (monotonic time read, {category id or None (the default): minutes to the first due step})
_due_minutes: dict[int, tuple[float, dict[int | None, int | None]]] = {}
DUE_CACHE_SECONDS = 30.0


def clear_caches() -> None:
    with _lock:
        _due_minutes.clear()


def _first_due(steps: list[tuple[int, bool, str]]) -> int | None:
    minutes = [m for m, required, completes_on in steps if required and completes_on != "follow_up"]
    return min(minutes) if minutes else None


def _load_due_minutes(organisation_id: int) -> dict[int | None, int | None]:
    settings = RecoverySettings.objects.filter(organisation_id=organisation_id).first()
    if settings is None:
        # Nothing chosen yet: the built-in default is what the organisation will get on first use.
        return {None: builtin.first_due_minutes(builtin.DEFAULT_PLAYBOOK)}
    by_playbook: dict[int, list[tuple[int, bool, str]]] = {}
    for playbook_id, minutes, required, completes_on in PlaybookStep.objects.filter(
        playbook__organisation_id=organisation_id
    ).values_list("playbook_id", "target_minutes", "is_required", "completes_on"):
        by_playbook.setdefault(playbook_id, []).append((minutes, required, completes_on))
    found: dict[int | None, int | None] = {
        None: _first_due(by_playbook.get(settings.default_playbook_id or 0, []))
    }
    for category_id, playbook_id in CategoryRecovery.objects.filter(
        category__organisation_id=organisation_id, playbook__isnull=False
    ).values_list("category_id", "playbook_id"):
        found[category_id] = _first_due(by_playbook.get(playbook_id, []))
    return found


def first_due_minutes(organisation_id: int, category_id: int | None) -> int | None:
    """Minutes from opening to the first required step of the playbook a new case of this category will follow;
    cached per process (cleared when playbooks change here, re-read every 30 s for the other processes)."""
    now = time.monotonic()
    cached = _due_minutes.get(organisation_id)
    if cached is None or now - cached[0] > DUE_CACHE_SECONDS:
        found = _load_due_minutes(organisation_id)
        with _lock:
            _due_minutes[organisation_id] = (now, found)
    else:
        found = cached[1]
    if category_id is not None and category_id in found:
        return found[category_id]
    return found.get(None)


def can_edit_playbooks(user: User) -> bool:
    """CX managers and administrators shape the playbooks; everyone else may read them."""
    return access.is_staff_member(user) and user.role in {Role.CX_MANAGER, Role.ADMIN}


def playbooks_of(organisation_id: int) -> QuerySet[Playbook]:
    return Playbook.objects.filter(organisation_id=organisation_id).prefetch_related("steps")


def chosen_playbook(case: Case) -> Playbook | None:
    """The playbook a case would follow now: its category's, else the organisation's default."""
    if case.category_id is not None:
        own = CategoryRecovery.objects.filter(category_id=case.category_id, playbook__isnull=False).first()
        if own is not None:
            return own.playbook
    settings = RecoverySettings.objects.filter(organisation_id=case.organisation_id).first()
    return settings.default_playbook if settings is not None else None


def follow_up_days(case: Case) -> int:
    if case.category_id is not None:
        own = CategoryRecovery.objects.filter(category_id=case.category_id, follow_up_days__isnull=False).first()
        if own is not None and own.follow_up_days is not None:
            return own.follow_up_days
    settings = RecoverySettings.objects.filter(organisation_id=case.organisation_id).first()
    return settings.follow_up_days if settings is not None else builtin.DEFAULT_FOLLOW_UP_DAYS


def happenings(case: Case) -> list[rules.Happening]:
    """The case's events that can complete or skip steps, oldest first."""
    rows = CaseEvent.objects.filter(case=case, kind__in=rules.RELEVANT_KINDS).order_by("created_at", "id")
    return [rules.Happening(kind=e.kind, at=e.created_at, data=e.data or {}, actor_id=e.actor_id, event_id=e.pk,
                            body=e.body) for e in rows]


def step_rules(steps: list[dict[str, Any]]) -> list[rules.Step]:
    return [rules.Step(code=s["code"], completes_on=s["completes_on"], target_minutes=int(s["target_minutes"]),
                       is_required=bool(s["is_required"])) for s in steps]


@dataclass(frozen=True, slots=True)
class Checklist:
    """A case's playbook with each step's state: what the case page and the resolve rule read."""

    name: str
    steps: list[dict[str, Any]]  # the frozen step specs
    states: list[rules.StepState]
    is_bound: bool

    @property
    def blocking(self) -> list[rules.StepState]:
        return rules.blocking(self.states)

    def spec(self, state: rules.StepState) -> dict[str, Any]:
        return self.steps[self.states.index(state)]

    def label(self, state: rules.StepState, language: str) -> str:
        names = self.spec(state)["name"]
        return str(names.get(language) or names.get("en") or state.step.code)


def checklist(case: Case, binding: CasePlaybook | None = None) -> Checklist:
    """The case's checklist: from its bound playbook, or (not bound yet) from the one it would follow now."""
    if binding is None:
        binding = CasePlaybook.objects.filter(case=case).first()
    if binding is not None:
        name, steps, bound = binding.name, binding.steps, True
    else:
        playbook = chosen_playbook(case)
        if playbook is not None:
            name, steps = playbook.name, [s.snapshot() for s in playbook.steps.all()]
        else:
            name = builtin.PLAYBOOKS[builtin.DEFAULT_PLAYBOOK]["name"]
            steps = [_builtin_snapshot(row) for row in builtin.steps_of(builtin.DEFAULT_PLAYBOOK)]
        bound = False
    states = rules.progress(step_rules(steps), happenings(case), case.created_at)
    return Checklist(name=name, steps=steps, states=states, is_bound=bound)


def page_checklist(case: Case) -> Checklist:
    """The case's checklist, read once per case object: the page's playbook card, resolve form and resolve rule."""
    found: Checklist | None = getattr(case, "_recovery_checklist", None)
    if found is None:
        found = checklist(case)
        case._recovery_checklist = found  # type: ignore[attr-defined]
    return found


def _builtin_snapshot(row: dict[str, Any]) -> dict[str, Any]:
    return PlaybookStep(**row).snapshot()


# --------------------------------------------------------------------------------------------- follow-ups


def _answered_after(sent: QuerySet[CaseEvent], kind: str = EventKind.FOLLOW_UP_ANSWERED) -> Any:
    return Exists(CaseEvent.objects.filter(case_id=OuterRef("case_id"), kind=kind,
                                           created_at__gte=OuterRef("created_at")))


def follow_ups_due(user: User, *, now: datetime | None = None) -> list[Timer]:
    """Follow-ups of the user's cases still to be sent that fall due by the end of today (overdue included)."""
    now = now or timezone.now()
    end_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return list(
        Timer.objects.filter(kind=TimerKind.FOLLOW_UP, state=TimerState.PENDING, due_at__lt=end_of_day,
                             case__in=case_access.visible_cases(user))
        .select_related("case", "case__customer", "case__location", "case__assignee").order_by("due_at", "id")
    )


def follow_ups_unanswered(user: User) -> list[CaseEvent]:
    """The follow-ups sent on the user's cases that the customer has not answered yet and that have not expired,
    oldest first."""
    sent = CaseEvent.objects.filter(
        kind=EventKind.FOLLOW_UP_SENT, case__in=case_access.visible_cases(user),
        case__status__in=[Status.RESOLVED, Status.CLOSED],
    )
    return list(
        sent.filter(~_answered_after(sent), ~_answered_after(sent, EventKind.FOLLOW_UP_EXPIRED))
        .select_related("case", "case__customer", "case__location", "case__assignee").order_by("created_at", "id")
    )


def follow_ups_expired(user: User, *, limit: int = 50) -> list[CaseEvent]:
    """The latest follow-ups that expired unanswered on the user's cases (their FOLLOW_UP_EXPIRED events), newest
    first; `data["sent_at"]` says when the question was sent."""
    return list(
        CaseEvent.objects.filter(kind=EventKind.FOLLOW_UP_EXPIRED, case__in=case_access.visible_cases(user))
        .select_related("case", "case__customer", "case__location").order_by("-created_at", "-id")[:limit]
    )


def pending_follow_up(case: Case) -> CaseEvent | None:
    """The latest follow-up sent on the case if the customer has not answered it yet and it has not expired."""
    sent = case.events.filter(kind=EventKind.FOLLOW_UP_SENT).order_by("-created_at", "-id").first()
    if sent is None:
        return None
    closed = case.events.filter(kind__in=(EventKind.FOLLOW_UP_ANSWERED, EventKind.FOLLOW_UP_EXPIRED),
                                created_at__gte=sent.created_at, id__gt=sent.pk).exists()
    return None if closed else sent
