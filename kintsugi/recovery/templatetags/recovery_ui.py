"""The playbook on the staff case page (a guided checklist), the open steps in the resolve form, the reply box's
template picker, and the follow-up question on the customer's status page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.db.models import Case as When_
from django.db.models import IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind, Status
from kintsugi.recovery import rules, selectors, services
from kintsugi.recovery.models import ReplyTemplate

register = template.Library()


@register.filter
def follow_up_expires(sent_at: datetime) -> datetime:
    """When a follow-up sent at `sent_at` expires unanswered: {{ event.created_at|follow_up_expires|moment }}."""
    return services.expiry_of(sent_at)


@register.filter
def sent_at(event: CaseEvent) -> datetime | None:
    """When the follow-up a FOLLOW_UP_EXPIRED event closed was sent (None when the event does not say)."""
    try:
        return datetime.fromisoformat(str(event.data.get("sent_at")))
    except ValueError:
        return None


def _via(happening: rules.Happening) -> str:
    if happening.kind == EventKind.STEP_DONE:
        return _("ticked by hand")
    return str(EventKind(happening.kind).label) if happening.kind in EventKind.values else happening.kind


def _checklist(case: Case) -> selectors.Checklist:
    # Read once per page: the checklist card, the resolve form and the resolve rule all show it.
    return selectors.page_checklist(case)


def checklist_rows(case: Case, language: str) -> dict[str, Any]:
    """The checklist as plain values: each step's name, state, due time, and who completed it, when and how."""
    checklist = _checklist(case)
    now = timezone.now()
    actor_ids = {s.done_by.actor_id for s in checklist.states if s.done_by and s.done_by.actor_id}
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=actor_ids)} if actor_ids else {}
    current = rules.current(checklist.states)
    rows = []
    for state in checklist.states:
        spec = checklist.spec(state)
        done = state.done_by
        rows.append({
            "code": state.step.code,
            "name": checklist.label(state, language),
            "required": state.step.is_required,
            "state": "done" if done else "skipped" if state.skipped else "overdue" if state.is_overdue(now)
            else "open",
            "due_at": state.due_at,
            "after_resolution": state.comes_after_resolution,
            "is_current": state is current,
            "done_at": done.at if done else None,
            "done_by": names.get(done.actor_id or 0, "") if done else "",
            "via": _via(done) if done else "",
            "note": done.body if done and done.kind == EventKind.STEP_DONE else "",
            "guidance": spec["guidance"].get(language) or spec["guidance"].get("en", ""),
            "phrases": spec["phrases"].get(case.language) or spec["phrases"].get("en", []),
            "can_tick": case.is_open and state.is_open and not state.comes_after_resolution,
            "is_manual": state.step.completes_on == "manual",
        })
    return {"rows": rows, "name": checklist.name, "done": sum(1 for r in rows if r["state"] == "done")}


@register.inclusion_tag("recovery/case_playbook.html", takes_context=True)
def case_playbook(context: template.Context, case: Case) -> dict[str, Any]:
    """The case's playbook as a guided checklist, with what to say now in the case's language."""
    language = (get_language() or "en")[:2]
    return {"case": case, "csrf_token": context.get("csrf_token"), **checklist_rows(case, language)}


@register.inclusion_tag("recovery/resolve_steps.html", takes_context=True)
def resolve_steps(context: template.Context, case: Case) -> dict[str, Any]:
    """Inside the resolve form: the required steps still open and, for supervisors and above, the override."""
    user = context.get("user")
    checklist = _checklist(case)
    language = (get_language() or "en")[:2]
    blocking = [checklist.label(s, language) for s in checklist.blocking]
    drafts = context.get("drafts") or {}
    return {
        "open_steps": blocking,
        "can_override": isinstance(user, User) and user.is_supervisor_or_above,
        "override_reason": drafts.get("override_reason", ""),
    }


@register.inclusion_tag("recovery/messages/template_picker.html")
def reply_template_picker(case: Case) -> dict[str, Any]:
    """The organisation's templates in the case's language, those of the case's category first."""
    rank = When_(When(category_id=case.category_id, then=Value(0)), When(category__isnull=True, then=Value(1)),
                 default=Value(2), output_field=IntegerField()) if case.category_id else Value(0)
    templates = list(
        ReplyTemplate.objects.filter(organisation_id=case.organisation_id, language=case.language)
        .select_related("category").annotate(rank=rank).order_by("rank", "name", "id")
    )
    return {"case": case, "templates": templates}


@register.inclusion_tag("recovery/follow_up_question.html", takes_context=True)
def follow_up_question(context: template.Context, case: Case, token: str) -> dict[str, Any]:
    """On the customer's status page: "Is everything all right now?" with a yes and a no button, while a
    follow-up waits for its answer."""
    language = (get_language() or case.language or "en")[:2]
    # Only a resolved or closed case can have a question waiting: an open one costs the page no query.
    pending = selectors.pending_follow_up(case) if case.status in {Status.RESOLVED, Status.CLOSED} else None
    request = context.get("request")
    chosen = request.GET.get("follow_up", "") if request is not None else ""
    return {
        "pending": pending is not None,
        "action": reverse("follow_up_answer", args=[token, language]),
        "chosen": chosen if chosen in {"yes", "no"} else "",
        "csrf_token": context.get("csrf_token"),
        "answered": request is not None and request.GET.get("answered") in {"yes", "no"},
        "answer": request.GET.get("answered", "") if request is not None else "",
    }
