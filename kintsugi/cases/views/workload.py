"""The supervisor's workload page: per staff member in their scope, the open cases they hold and how those stand
against their SLA, each number a link to the inbox filtered to them; and the inbox's reading of those links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kintsugi.accounts.models import User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import workload as selectors
from kintsugi.cases.workload import FIRST_RESPONSE_TODAY, NOBODY, today_bounds


@dataclass(frozen=True)
class InboxScope:
    """The workload page's filters as an inbox link carries them: the selector's filters, the labels shown above
    the results, and the query parameters the filter bar keeps."""

    filters: dict[str, Any] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)


def inbox_scope(request: StaffRequest) -> InboxScope:
    """`assignee` (a staff member of the organisation, or "none") and `due=first_response_today` from the query; a
    value that names nobody of the organisation is ignored (one query, only when an id is given)."""
    scope = InboxScope()
    raw = request.GET.get("assignee", "")
    if raw == NOBODY:
        scope.filters["assignee"] = NOBODY
        scope.labels.append(_("Unassigned"))
        scope.params["assignee"] = raw
    elif raw.isdigit():
        organisation_id = request.user.organisation_id
        assert organisation_id is not None  # staff_required
        person = User.objects.filter(organisation_id=organisation_id, pk=int(raw)).first()
        if person is not None:
            scope.filters["assignee"] = person.pk
            scope.labels.append(_("Assigned to %(name)s") % {"name": person.display_name})
            scope.params["assignee"] = raw
    if request.GET.get("due") == FIRST_RESPONSE_TODAY:
        scope.filters["first_response_due"] = today_bounds(timezone.now())
        scope.labels.append(_("First response due today"))
        scope.params["due"] = FIRST_RESPONSE_TODAY
    return scope


@require_GET
@staff_required
def workload(request: StaffRequest) -> HttpResponse:
    user = request.user
    if not user.is_supervisor_or_above:
        raise PermissionDenied(_("Only supervisors and managers can see the team's workload."))
    now = timezone.now()
    unassigned, agents = selectors.workload(user, now=now)
    context = {"nav": "inbox", "unassigned": unassigned, "agents": agents, "now": now,
               "due_today": FIRST_RESPONSE_TODAY}
    return render(request, "cases/workload.html", context)
