"""The inbox's bulk select: the action bar's choices, and the POST that runs one action over the ticked cases
(through kintsugi.cases.services.bulk_act) and says in one message what was done and what was skipped, and why."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kintsugi.accounts.models import User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import services
from kintsugi.cases.models import Status
from kintsugi.cases.workload import assignable_names, staff_in_scope


def bulk_assignees(user: User) -> list[tuple[int, str]]:
    """Who the bar offers to assign to, as (id, name): the staff in a supervisor's scope (each case still checks its
    own location), or only the user themself for frontline staff."""
    if not user.is_supervisor_or_above:
        return [(user.pk, user.display_name)]
    return assignable_names(user)


def bulk_context(request: StaffRequest) -> dict[str, Any]:
    """What the inbox's bulk bar needs: who to assign to, the statuses, and the cases to show ticked."""
    user = request.user
    me = _("Me")
    return {
        "selected": selected_ids(request),
        # The user is offered as "Me" (named here, not in the template's loop: a tenth of the bar's rendering).
        "bulk_assignees": [(pk, me if pk == user.pk else name) for pk, name in bulk_assignees(user)],
        "bulk_statuses": [(status.value, status.label) for status in services.BULK_STATUSES],
    }


def _back(request: StaffRequest, selected: list[int] | None = None) -> str:
    """Where the bulk form came from (an inbox URL of this site), with the ticked cases when they must be kept."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith("/cases/")
    target = target if safe else reverse("inbox")
    if selected:
        target += ("&" if "?" in target else "?") + "selected=" + ",".join(str(pk) for pk in selected)
    return target


def _ids(values: list[str]) -> list[int] | None:
    """The case ids as posted; None if one is not a number (a tampered form)."""
    if not all(value.isdigit() for value in values):
        return None
    return [int(value) for value in values]


def _assignee(request: StaffRequest) -> User | None:
    """The staff member the form names, if the user may assign cases to them at all."""
    raw = request.POST.get("assignee", "")
    if not raw.isdigit():
        return None
    if not request.user.is_supervisor_or_above:
        return request.user if int(raw) == request.user.pk else None
    return staff_in_scope(request.user).filter(pk=int(raw)).first()


def selected_ids(request: StaffRequest) -> frozenset[int]:
    """The cases to show ticked again after a refused bulk action (`selected=1,2,3`)."""
    values = request.GET.get("selected", "").split(",")
    return frozenset(int(value) for value in values[: services.MAX_BULK] if value.isdigit())


def summary(outcome: services.BulkOutcome, action: str, *, assignee: User | None, status: str) -> str:
    """One sentence per kind of result: "12 cases assigned to Minh. 2 skipped: K-2026-000123 (reason); …"."""
    count = len(outcome.done)
    if action == "assign":
        name = assignee.display_name if assignee else ""
        done = ngettext("%(count)d case assigned to %(name)s.", "%(count)d cases assigned to %(name)s.", count)
        parts = [done % {"count": count, "name": name}]
    elif action == "status":
        done = ngettext("%(count)d case moved to “%(status)s”.", "%(count)d cases moved to “%(status)s”.", count)
        parts = [done % {"count": count, "status": Status(status).label}]
    elif action == "resolve":
        parts = [ngettext("%(count)d case resolved.", "%(count)d cases resolved.", count) % {"count": count}]
    else:
        parts = [ngettext("%(count)d case closed.", "%(count)d cases closed.", count) % {"count": count}]
    if not count:
        parts = [_("No case was changed.")]
    if outcome.skipped:
        details = "; ".join(f"{case.reference} ({reason.rstrip('.')})" for case, reason in outcome.skipped)
        skipped = ngettext("%(count)d skipped: %(cases)s.", "%(count)d skipped: %(cases)s.", len(outcome.skipped))
        parts.append(skipped % {"count": len(outcome.skipped), "cases": details})
    if outcome.missing:
        missing = ngettext(
            "%(count)d selected case is not one you can change, so it was left alone.",
            "%(count)d selected cases are not ones you can change, so they were left alone.",
            outcome.missing,
        )
        parts.append(missing % {"count": outcome.missing})
    return " ".join(parts)


@require_POST
@staff_required
def inbox_bulk(request: StaffRequest) -> HttpResponse:
    picked = request.POST.getlist("case")
    if request.POST.get("all_on_page"):
        picked += request.POST.getlist("page_case")
    ids = _ids(picked)
    if ids is None:
        messages.error(request, _("The selection could not be read; please tick the cases again."))
        return redirect(_back(request))
    action = request.POST.get("action", "")
    status = request.POST.get("status", "")
    assignee = _assignee(request) if action == "assign" else None
    if action == "assign" and request.POST.get("assignee") and assignee is None:
        messages.error(request, _("You cannot assign cases to that person."))
        return redirect(_back(request, ids))
    try:
        outcome = services.bulk_act(ids, action, by=request.user, assignee=assignee, status=status)
    except services.InvalidInput as refusal:
        messages.error(request, refusal.message)
        return redirect(_back(request, ids))
    level = messages.SUCCESS if outcome.done and not (outcome.skipped or outcome.missing) else messages.WARNING
    messages.add_message(request, level, summary(outcome, action, assignee=assignee, status=status))
    return redirect(_back(request))
