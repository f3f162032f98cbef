"""Playbooks and the playbook on a case: the organisation's playbooks and their choice per category, the playbook
bound to a case (steps frozen), ticking a step by hand, and the resolve rule. Each checks permission and
invariants, writes, and records on the case's timeline through cases.services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Organisation, User
from kintsugi.cases import access
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, Category, EventKind
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


def open_steps_of(case: Case) -> Sequence[rules.StepState]:
    return selectors.checklist(case).blocking
