"""The case page and its actions.

Each action is a POST to its own small view: permission-checked fetch, one service call, then either the
case page's HTMX fragment or a redirect back to the page (post/redirect/get); `act` does that for any app's
action on a case (recovery's steps too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts.models import User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import access as case_access
from kintsugi.cases import selectors, services
from kintsugi.cases.forms import DetailsForm
from kintsugi.cases.hooks import outbox
from kintsugi.cases.models import Case, Category, Channel, EventKind, Status
from kintsugi.cases.templatetags.kintsugi_ui import describe_event, label_of

# Statuses staff set directly from the case page; the rest have their own actions.
SIMPLE_STATUSES = (Status.IN_PROGRESS, Status.AWAITING_CUSTOMER)


def categories_for(organisation_id: int | None, keep: int | None = None) -> list[Category]:
    if organisation_id is None:
        return []
    wanted = Q(is_active=True) | Q(pk=keep) if keep else Q(is_active=True)
    return list(Category.objects.filter(wanted, organisation_id=organisation_id))


def _case_context(user: User, case: Case, drafts: dict[str, str] | None = None) -> dict[str, Any]:
    categories = categories_for(case.organisation_id, keep=case.category_id)
    events = list(selectors.timeline(case))
    message_ids = [
        int(e.data["message_id"]) for e in events if e.kind == EventKind.MESSAGE_OUT and e.data.get("message_id")
    ]
    deliveries = outbox().delivery_states(message_ids) if message_ids else {}
    labels = {c.pk: c.label() for c in categories}
    details_form = DetailsForm(
        initial={"category": case.category_id, "severity": case.severity, "failure_type": case.failure_type},
        categories=categories,
    )
    status = Status(case.status)
    history = selectors.customer_history(case)
    visible_history = [other for other in history if case_access.can_view_case(user, other)]
    return {
        "case": case,
        "now": timezone.now(),
        "sla": selectors.sla_snapshot(case),
        "timeline": [describe_event(e, categories=labels, deliveries=deliveries) for e in events],
        "identities": list(case.customer.identities.all()) if case.customer else [],
        "history": visible_history,
        "hidden_history": len(history) - len(visible_history),
        "assignees": list(case_access.assignable_staff(user, case)) if user.is_supervisor_or_above else [],
        "details_form": details_form,
        "next_statuses": [s for s in SIMPLE_STATUSES if s in services.TRANSITIONS[status]],
        "can_acknowledge": status in {Status.NEW, Status.REOPENED},
        "can_close": status == Status.RESOLVED,
        "resolve_blockers": selectors.resolve_blockers(case, by=user) if case.is_open else [],
        # The customer's words card: who logged the case (from its timeline, no query) and their latest message.
        "opened_by": next((e.actor for e in events if e.kind == EventKind.CREATED), None),
        "latest_from_customer": next((e for e in reversed(events) if e.kind == EventKind.MESSAGE_IN), None),
        "drafts": drafts or {},
    }


def _render_case(request: StaffRequest, case: Case, *, partial: bool = False,
                 drafts: dict[str, str] | None = None) -> HttpResponse:
    # The fragment: the case body and, out of band, the status region with the outcome of the action.
    template = "cases/detail.html#case_fragment" if partial else "cases/detail.html"
    return render(request, template, _case_context(request.user, case, drafts))


@require_GET
@staff_required
def case_detail(request: StaffRequest, reference: str) -> HttpResponse:
    case = case_access.get_case_for(request.user, reference)
    return _render_case(request, case, partial=bool(request.htmx and request.htmx.target == "case-body"))


def act(
    request: StaffRequest,
    reference: str,
    action: Callable[[Case], object],
    success: Callable[[Case], str],
    *,
    draft: dict[str, str] | None = None,
) -> HttpResponse:
    """Run one action on a case the user may see; report the outcome; answer with the fragment or a redirect."""
    case = case_access.get_case_for(request.user, reference)
    drafts = None
    try:
        action(case)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
        drafts = draft
    else:
        messages.success(request, success(case))
    if request.htmx:
        # Re-read: a refused action may have touched the in-memory case before its transaction rolled back.
        fresh = case_access.get_case_for(request.user, case.reference)
        return _render_case(request, fresh, partial=True, drafts=drafts)
    return redirect("case_detail", reference=case.reference)


@require_POST
@staff_required
def case_acknowledge(request: StaffRequest, reference: str) -> HttpResponse:
    return act(request, reference, lambda case: services.acknowledge(case, by=request.user),
                lambda case: _("You acknowledged the case."))


@require_POST
@staff_required
def case_confirm_customer(request: StaffRequest, reference: str) -> HttpResponse:
    return act(request, reference, lambda case: services.confirm_customer(case, by=request.user),
               lambda case: _("Confirmed: this case is %(name)s's.") % {
                   "name": case.customer.name if case.customer and case.customer.name else _("the customer")})


def _assignee(request: StaffRequest, case: Case) -> User | None:
    raw = request.POST.get("assignee", "").strip()
    if raw == "me":
        return request.user
    if not raw:
        return None
    chosen = case_access.assignable_staff(request.user, case).filter(pk=int(raw) if raw.isdigit() else 0).first()
    if chosen is None:
        raise services.InvalidInput(_("You cannot assign the case to this person."))
    return chosen


def _assigned_message(case: Case, by: User) -> str:
    if case.assignee is None:
        return _("Unassigned: nobody has the case now.")
    if case.assignee.pk == by.pk:
        return _("Assigned to you.")
    return _("Assigned to %(name)s.") % {"name": case.assignee.display_name}


@require_POST
@staff_required
def case_assign(request: StaffRequest, reference: str) -> HttpResponse:
    return act(request, reference, lambda case: services.assign(case, _assignee(request, case), by=request.user),
                lambda case: _assigned_message(case, request.user))


@require_POST
@staff_required
def case_status(request: StaffRequest, reference: str) -> HttpResponse:
    status, reason = request.POST.get("status", ""), request.POST.get("reason", "")
    return act(request, reference,
                lambda case: services.change_status(case, status, by=request.user, reason=reason),
                lambda case: _("The case is now “%(status)s”.") % {"status": label_of(case.status, "status")},
                draft={"reason": reason})


@require_POST
@staff_required
def case_resolve(request: StaffRequest, reference: str) -> HttpResponse:
    summary, override = request.POST.get("summary", ""), request.POST.get("override_reason", "")
    return act(request, reference,
                lambda case: services.resolve(case, by=request.user, summary=summary, override_reason=override),
                lambda case: _("The case is resolved."), draft={"summary": summary, "override_reason": override})


@require_POST
@staff_required
def case_reopen(request: StaffRequest, reference: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return act(request, reference, lambda case: services.reopen(case, by=request.user, reason=reason),
                lambda case: _("The case is open again."), draft={"reopen": reason})


@require_POST
@staff_required
def case_close(request: StaffRequest, reference: str) -> HttpResponse:
    return act(request, reference, lambda case: services.close_case(case, by=request.user),
                lambda case: _("The case is closed."))


@require_POST
@staff_required
def case_escalate(request: StaffRequest, reference: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return act(request, reference, lambda case: services.escalate(case, by=request.user, reason=reason),
                lambda case: _escalated_message(case, request.user), draft={"escalate": reason})


def _escalated_message(case: Case, by: User) -> str:
    # The same people escalate_now told: the supervisors over the case's location, not the one escalating.
    told = sorted((u.display_name for u in selectors.supervisors_for(case).exclude(pk=by.pk)), key=str.casefold)
    priority = label_of(case.priority, "priority")
    if not told:
        return _("Escalated: the priority is now %(priority)s, but no supervisor covers this location, so nobody "
                 "was told.") % {"priority": priority}
    return _("Escalated to supervisors: %(names)s. The priority is now %(priority)s.") % {
        "names": ", ".join(told), "priority": priority}


@require_POST
@staff_required
def case_reply(request: StaffRequest, reference: str) -> HttpResponse:
    body = request.POST.get("body", "")
    sent: list[Any] = []
    return act(request, reference, lambda case: sent.append(services.reply(case, body, by=request.user)),
                lambda case: _reply_message(sent[0]), draft={"reply": body})


def _reply_message(message: Any) -> str:
    """What became of a reply, from the outbox message it made (its channel and address)."""
    channel = message.channel
    if channel == Channel.PHONE:
        return _("Reply recorded. Nothing is sent: tell the customer on the phone.")
    if channel == Channel.IN_PERSON:
        return _("Reply recorded. Nothing is sent: tell the customer in person.")
    if not message.recipient and channel in {Channel.WEB, Channel.API}:
        return _("Reply posted on the customer's status page.")
    if not message.recipient:
        return _("Reply saved, but it cannot be sent: the customer has no %(channel)s address.") % {
            "channel": label_of(channel, "channel")}
    return _("Reply sent to the customer by %(channel)s.") % {"channel": label_of(channel, "channel")}


@require_POST
@staff_required
def case_note(request: StaffRequest, reference: str) -> HttpResponse:
    body = request.POST.get("body", "")
    return act(request, reference, lambda case: services.add_note(case, body, by=request.user),
                lambda case: _("Your note was added."), draft={"note": body})


def _update_details(request: StaffRequest, case: Case) -> None:
    form = DetailsForm(request.POST, categories=categories_for(case.organisation_id, keep=case.category_id))
    if not form.is_valid():
        raise services.InvalidInput(_("Please choose a category, a severity and a failure type from the lists."))
    services.update_details(
        case, by=request.user, category=form.category_object(), severity=form.cleaned_data["severity"],
        failure_type=form.cleaned_data["failure_type"],
    )


@require_POST
@staff_required
def case_details(request: StaffRequest, reference: str) -> HttpResponse:
    return act(request, reference, lambda case: _update_details(request, case),
                lambda case: _("The details were saved."))
