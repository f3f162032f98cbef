"""Every state change of recovery: playbooks and their choice, the playbook bound to a case and its ticks, the
resolve rule, and the follow-up. Each checks permission and invariants, writes, and records on the case's
timeline through cases.services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts import access
from kintsugi.accounts.models import Organisation, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, Category, EventKind, Status, Timer, TimerKind, TimerState
from kintsugi.cases.selectors import calendar_for
from kintsugi.recovery import builtin, rules, selectors
from kintsugi.recovery.models import (
    CasePlaybook,
    CategoryRecovery,
    CompletesOn,
    Playbook,
    PlaybookStep,
    RecoverySettings,
)

MAX_NOTE = 1_000
MAX_REASON = 2_000


class StepsOpen(cases.InvalidTransition):
    """Resolving was refused: required playbook steps are still open (`steps`: their codes and names)."""

    code = "playbook_steps_open"

    def __init__(self, message: Any, steps: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.steps = steps


def _now(at: datetime | None) -> datetime:
    return at if at is not None else timezone.now()


def _changed(organisation_id: int) -> None:
    selectors.clear_caches()


# --------------------------------------------------------------------------------------------- playbooks


def ensure_builtins(organisation: Organisation) -> RecoverySettings:
    """Give the organisation its copies of LATTE, LEARN and HEART and its settings (LATTE the default), once."""
    settings = RecoverySettings.objects.filter(organisation=organisation).first()
    if settings is not None:
        return settings
    with transaction.atomic():
        existing = set(Playbook.objects.filter(organisation=organisation).values_list("code", flat=True))
        made: dict[str, Playbook] = {}
        for code, spec in builtin.PLAYBOOKS.items():
            if code in existing:
                continue
            playbook = Playbook.objects.create(organisation=organisation, code=code, name=spec["name"],
                                               description=spec["description"])
            PlaybookStep.objects.bulk_create(PlaybookStep(playbook=playbook, **row) for row in builtin.steps_of(code))
            made[code] = playbook
        default = made.get(builtin.DEFAULT_PLAYBOOK) or Playbook.objects.filter(
            organisation=organisation, code=builtin.DEFAULT_PLAYBOOK).first()
        settings, _created = RecoverySettings.objects.get_or_create(
            organisation=organisation, defaults={"default_playbook": default}
        )
    _changed(organisation.pk)
    return settings


def _require_editor(by: User, organisation_id: int) -> None:
    if by.organisation_id != organisation_id or not selectors.can_edit_playbooks(by):
        raise cases.NotAllowed(_("Only CX managers and administrators can change playbooks."))


@transaction.atomic
def choose_playbooks(
    organisation: Organisation,
    *,
    by: User,
    default: Playbook,
    follow_up_days: int,
    per_category: dict[Category, tuple[Playbook | None, int | None]] | None = None,
) -> RecoverySettings:
    """Set the organisation's default playbook and follow-up delay, and each category's own (None: the default)."""
    _require_editor(by, organisation.pk)
    settings = ensure_builtins(organisation)
    playbooks = [default, *(p for p, _days in (per_category or {}).values() if p is not None)]
    if any(p.organisation_id != organisation.pk for p in playbooks):
        raise cases.InvalidInput(_("Unknown playbook."))
    days = [follow_up_days, *(d for _p, d in (per_category or {}).values() if d is not None)]
    if any(not 1 <= d <= 60 for d in days):
        raise cases.InvalidInput(_("The follow-up delay must be between 1 and 60 days."))
    settings.default_playbook = default
    settings.follow_up_days = follow_up_days
    settings.save(update_fields=["default_playbook", "follow_up_days"])
    for category, (playbook, own_days) in (per_category or {}).items():
        if category.organisation_id != organisation.pk:
            raise cases.InvalidInput(_("Unknown category."))
        CategoryRecovery.objects.update_or_create(
            category=category, defaults={"playbook": playbook, "follow_up_days": own_days}
        )
    _changed(organisation.pk)
    return settings


@transaction.atomic
def create_playbook(organisation: Organisation, *, by: User, name: str, copy_of: Playbook | None = None,
                    at: datetime | None = None) -> Playbook:
    """A new playbook of the organisation, empty or with the steps of `copy_of`."""
    _require_editor(by, organisation.pk)
    ensure_builtins(organisation)
    name = name.strip()
    if not name:
        raise cases.InvalidInput(_("Please give the playbook a name."))
    if len(name) > 100:
        raise cases.InvalidInput(_("The name is too long (at most 100 characters)."))
    if copy_of is not None and copy_of.organisation_id != organisation.pk:
        raise cases.InvalidInput(_("Unknown playbook."))
    base = slugify(name)[:30] or "playbook"
    code, n = base, 1
    while Playbook.objects.filter(organisation=organisation, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    at = _now(at)
    playbook = Playbook.objects.create(organisation=organisation, code=code, name=name, created_at=at,
                                       updated_at=at)
    if copy_of is not None:
        fields = [f.name for f in PlaybookStep._meta.concrete_fields if f.name not in {"id", "playbook"}]
        PlaybookStep.objects.bulk_create(
            PlaybookStep(playbook=playbook, **{f: getattr(step, f) for f in fields}) for step in copy_of.steps.all()
        )
    _changed(organisation.pk)
    return playbook


def save_steps(playbook: Playbook, *, by: User, save: Any, at: datetime | None = None) -> Playbook:
    """Apply an edit of the playbook's steps (`save()` writes them, e.g. a formset's save) after the permission
    check, and refuse a playbook left without any step."""
    _require_editor(by, playbook.organisation_id)
    with transaction.atomic():
        save()
        if not playbook.steps.exists():
            raise cases.InvalidInput(_("A playbook needs at least one step."))
        playbook.updated_at = _now(at)
        playbook.save(update_fields=["updated_at"])
    _changed(playbook.organisation_id)
    return playbook


# --------------------------------------------------------------------------------------------- on a case


def bind(case: Case, *, at: datetime | None = None) -> CasePlaybook:
    """The case's playbook, bound now (steps frozen, PLAYBOOK_SET on the timeline) if it was not yet."""
    # Kept on the case object: a binding never changes, and every step event of a request asks for it again.
    binding = case.__dict__.get("_playbook_binding")
    if binding is None:
        binding = CasePlaybook.objects.filter(case=case).first()
    if binding is not None:
        case.__dict__["_playbook_binding"] = binding
        return binding
    at = _now(at)
    ensure_builtins(case.organisation)
    playbook = selectors.chosen_playbook(case)
    steps = [s.snapshot() for s in playbook.steps.all()] if playbook is not None else []
    binding = CasePlaybook.objects.create(case=case, playbook=playbook, name=playbook.name if playbook else "",
                                          steps=steps, bound_at=at)
    case.__dict__["_playbook_binding"] = binding
    # PLAYBOOK_SET is not one of the kinds that bring the timeline hook back here (cases.PLAYBOOK_KINDS).
    cases.record_event(case, EventKind.PLAYBOOK_SET, by=None, at=at,
                       data={"playbook_id": playbook.pk if playbook else None, "name": binding.name})
    return binding


def refresh_due(case: Case, *, at: datetime | None = None) -> None:
    """Recompute Case.playbook_due_at from the case's timeline (cases.services calls this after each event that
    can complete a step): the earliest due open required step, None when none is open or the case is closed."""
    binding = bind(case, at=at)
    checklist = selectors.checklist(case, binding)
    due = rules.next_due(checklist.states) if case.is_open else None
    if due != case.playbook_due_at:
        case.playbook_due_at = due
        Case.objects.filter(pk=case.pk).update(playbook_due_at=due)


@transaction.atomic
def tick_step(case: Case, step: str, *, by: User, note: str = "", at: datetime | None = None) -> Any:
    """Mark a step of the case's playbook done by hand (Listen, Empathize; or an action done off the system, such
    as an apology in person), with an optional note."""
    at = _now(at)
    if not access.can_view_case(by, case):
        raise cases.NotAllowed(_("You do not have access to this case."))
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise cases.InvalidInput(_("The note is too long (at most %(max)d characters).") % {"max": MAX_NOTE})
    if not case.is_open:
        raise cases.InvalidTransition(_("Reopen the case to tick its steps."))
    binding = bind(case, at=at)
    checklist = selectors.checklist(case, binding)
    state = next((s for s in checklist.states if s.step.code == step), None)
    if state is None:
        raise cases.InvalidInput(_("This step is not in the case's playbook."))
    if state.step.completes_on == CompletesOn.FOLLOW_UP:
        raise cases.InvalidInput(_("Only the customer's answer to the follow-up completes this step."))
    if state.is_done:
        raise cases.InvalidTransition(_("This step is already done."))
    return cases.record_event(case, EventKind.STEP_DONE, by=by, at=at, body=note,
                              data={"step": step, "name": checklist.label(state, "en")})


def check_resolve(case: Case, *, by: User, override_reason: str = "", at: datetime | None = None) -> None:
    """The resolve rule (cases.services.resolve calls it): refuse while a required step is open, unless a
    supervisor or above overrides with a reason, which is recorded as a STEP_OVERRIDE listing the skipped steps."""
    at = _now(at)
    override_reason = override_reason.strip()
    if override_reason and not by.is_supervisor_or_above:
        raise cases.NotAllowed(_("Only supervisors can resolve a case with playbook steps still open."))
    binding = bind(case, at=at)
    checklist = selectors.checklist(case, binding)
    open_steps = checklist.blocking
    if not open_steps:
        return
    listed = [{"code": s.step.code, "name": checklist.label(s, translation.get_language() or "en")}
              for s in open_steps]
    if not override_reason:
        raise StepsOpen(
            _("These playbook steps are still open: %(steps)s.") % {"steps": ", ".join(s["name"] for s in listed)},
            listed,
        )
    if len(override_reason) > MAX_REASON:
        raise cases.InvalidInput(_("The reason is too long (at most %(max)d characters).") % {"max": MAX_REASON})
    cases.record_event(case, EventKind.STEP_OVERRIDE, by=by, at=at, body=override_reason,
                       data={"steps": [s["code"] for s in listed],
                             "names": [checklist.label(s, "en") for s in open_steps]})


# --------------------------------------------------------------------------------------------- follow-up


def follow_up_due_at(case: Case, at: datetime) -> datetime:
    """`days` calendar days after `at` at the case's location, moved into its working hours."""
    days = selectors.follow_up_days(case)
    zone = ZoneInfo(case.location.timezone)
    local = at.astimezone(zone) + timedelta(days=days)
    return calendar_for(case.location).next_open(local.astimezone(ZoneInfo("UTC")))


def schedule_follow_up(case: Case, *, by: User | None, at: datetime) -> Timer:
    """On resolving (cases.services.resolve calls it): a FOLLOW_UP timer and FOLLOW_UP_SCHEDULED on the timeline."""
    Timer.objects.filter(case=case, kind=TimerKind.FOLLOW_UP, state=TimerState.PENDING).update(
        state=TimerState.CANCELLED)
    due = follow_up_due_at(case, at)
    timer = Timer.objects.create(case=case, organisation_id=case.organisation_id, kind=TimerKind.FOLLOW_UP,
                                 due_at=due)
    cases.record_event(case, EventKind.FOLLOW_UP_SCHEDULED, by=by, at=at, data={"due_at": due.isoformat()})
    return timer


def follow_up_text(case: Case, yes_url: str, no_url: str) -> str:
    """The follow-up message in the case's language."""
    from django.utils.translation import gettext

    with translation.override(case.language):
        name = case.customer.name if case.customer and case.customer.name else ""
        greeting = gettext("Hello %(name)s,") % {"name": name} if name else gettext("Hello,")
        return "\n".join([
            greeting,
            gettext("a few days ago we put right the problem you told us about (case %(reference)s). "
                    "Is everything all right now?") % {"reference": case.reference},
            gettext("Yes, all good: %(url)s") % {"url": yes_url},
            gettext("No, not yet: %(url)s") % {"url": no_url},
            gettext("Thank you, %(brand)s") % {"brand": case.organisation.name},
        ])


@transaction.atomic
def send_follow_up(timer: Timer, *, at: datetime | None = None) -> bool:
    """Fire a FOLLOW_UP timer (cases.services.fire_timer dispatches it here): ask the customer, on the case's
    channel and in their language, whether they are happy now, with yes/no links to a new status page link.
    Returns False when it no longer applies (the case was reopened)."""
    from kintsugi.intake.services import issue_link, status_url

    at = _now(at)
    case = Case.objects.select_related("organisation", "location", "customer").get(pk=timer.case_id)
    if case.status not in {Status.RESOLVED, Status.CLOSED}:
        return False
    _link, raw = issue_link(case, at=at)
    base = status_url(raw)
    body = follow_up_text(case, f"{base}?follow_up=yes#follow-up", f"{base}?follow_up=no#follow-up")
    cases.send_to_customer(case, body, by=None, at=at, kind=EventKind.FOLLOW_UP_SENT)
    return True


@transaction.atomic
def answer_follow_up(case: Case, *, happy: bool, at: datetime | None = None) -> Any:
    """The customer's answer from their status page: "yes" completes the Follow up step; "no" reopens the case
    and tells the assignee."""
    from kintsugi.comms.services import notify

    at = _now(at)
    case = Case.objects.select_related("organisation", "location").get(pk=case.pk)
    if selectors.pending_follow_up(case) is None:
        raise cases.InvalidTransition(_("There is no question waiting for your answer."))
    event = cases.record_event(case, EventKind.FOLLOW_UP_ANSWERED, by=None, at=at, visible=True,
                               data={"happy": happy})
    if not happy:
        if not case.is_open:  # one notification, the telling one, rather than "reopened" and "unhappy" both
            cases.reopen(case, by=None, reason="follow_up_unhappy", at=at, notification="follow_up_unhappy")
        elif case.assignee_id is not None:
            notify([case.assignee_id], "follow_up_unhappy", case, at=at)
    return event


def open_steps_of(case: Case) -> Sequence[rules.StepState]:
    return selectors.checklist(case).blocking
