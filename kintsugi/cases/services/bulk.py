"""One action over many cases (the inbox's bulk select): each case goes through its own one-case service, in its
own transaction, so every change is checked and on its timeline as if made on the case page; what a service
refuses is skipped with its reason and the rest still go through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kintsugi.accounts.models import User
from kintsugi.cases import access
from kintsugi.cases.errors import InvalidInput, ServiceError
from kintsugi.cases.models import Case, Status
from kintsugi.cases.services.events import now
from kintsugi.cases.services.lifecycle import assign, change_status, close_case, resolve

BULK_ACTIONS = ("assign", "status", "resolve", "close")
# Statuses a bulk "change status" may set; resolving and closing are their own actions.
BULK_STATUSES = (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER)
# A page of the inbox is 25 rows; a request naming more than this many cases is refused whole.
MAX_BULK = 100


@dataclass
class BulkOutcome:
    """What a bulk action did: the cases changed, those skipped (with the reason, in the actor's language) and how
    many of the requested ids were no case the actor may see (refused, not changed)."""

    done: list[Case] = field(default_factory=list)
    skipped: list[tuple[Case, str]] = field(default_factory=list)
    missing: int = 0


def _apply(case: Case, action: str, *, by: User, assignee: User | None, status: str, at: datetime) -> str | None:
    """Run `action` on one case; returns why it was left as it was, or None when it changed."""
    if action == "assign":
        assert assignee is not None
        if case.assignee_id == assignee.pk:
            return _("already assigned to %(name)s") % {"name": assignee.display_name}
        assign(case, assignee, by=by, at=at)
    elif action == "status":
        if case.status == status:
            return _("already “%(status)s”") % {"status": Status(status).label}
        change_status(case, status, by=by, at=at)
    elif action == "resolve":
        resolve(case, by=by, at=at)
    else:
        close_case(case, by=by, at=at)
    return None


def bulk_act(
    case_ids: Iterable[int], action: str, *, by: User, assignee: User | None = None, status: str = "",
    at: datetime | None = None,
) -> BulkOutcome:
    """Apply `action` (assign to `assignee`, change to `status`, resolve or close) to each case among `case_ids`
    that `by` may see, each through its one-case service and in its own transaction; raises InvalidInput for an
    unknown action, a missing assignee or status, or more than MAX_BULK cases."""
    ids = sorted({int(pk) for pk in case_ids})
    if action not in BULK_ACTIONS:
        raise InvalidInput(_("Unknown bulk action."))
    if not ids:
        raise InvalidInput(_("Select at least one case first."))
    if len(ids) > MAX_BULK:
        raise InvalidInput(_("Select at most %(max)d cases at a time.") % {"max": MAX_BULK})
    if action == "assign" and assignee is None:
        raise InvalidInput(_("Choose who to assign the cases to."))
    if action == "status" and status not in BULK_STATUSES:
        raise InvalidInput(_("Choose the status to move the cases to."))
    at = now(at)
    visible = access.visible_cases(by).filter(pk__in=ids).select_related("organisation", "location")
    cases = list(visible.order_by("sla_sort", "id"))
    outcome = BulkOutcome(missing=len(ids) - len(cases))
    for case in cases:
        try:
            with transaction.atomic():
                reason = _apply(case, action, by=by, assignee=assignee, status=status, at=at)
        except ServiceError as refusal:
            case.refresh_from_db()
            outcome.skipped.append((case, refusal.message))
            continue
        if reason is None:
            outcome.done.append(case)
        else:
            outcome.skipped.append((case, reason))
    return outcome
