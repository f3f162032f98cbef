"""What the customer reads about their case, in their language: status words, deadlines, timeline sentences.

The status page is built only from this module's output, and this module reads only what a customer may see:
customer-visible events of the kinds listed in CUSTOMER_EVENT_KINDS, and of those only the customer's own words
and the replies written to them. Staff-only fields (priority, category, internal notes, escalations, surnames,
status-change reasons) never reach it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind, Status
from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS, CustomerEntry

# The timeline kinds a customer can ever see (when the event is also marked customer-visible).
CUSTOMER_EVENT_KINDS = frozenset({
    EventKind.CREATED, EventKind.ACKNOWLEDGED, EventKind.MESSAGE_IN, EventKind.MESSAGE_OUT,
    EventKind.STATUS_CHANGED, EventKind.RESOLVED, EventKind.REOPENED, EventKind.CLOSED,
    EventKind.APOLOGY_SENT, EventKind.THANKS_SENT, EventKind.FOLLOW_UP_SENT, EventKind.FOLLOW_UP_ANSWERED,
})


def customer_status(case: Case) -> str:
    """The case's status in a customer's words."""
    words = {
        Status.NEW: _("We have received your complaint"),
        Status.ACKNOWLEDGED: _("We are looking into it"),
        Status.IN_PROGRESS: _("We are working on it"),
        Status.AWAITING_CUSTOMER: _("We are waiting for your answer"),
        Status.RESOLVED: _("Resolved"),
        Status.CLOSED: _("Closed"),
        Status.REOPENED: _("We are working on it again"),
    }
    return words.get(Status(case.status), _("We are working on it"))


def first_name(user: User | None) -> str:
    """The name a customer may know a staff member by: their first name only, or nothing."""
    if user is None:
        return ""
    return (user.first_name or "").strip()


def handler_name(case: Case) -> str:
    """Who is handling the case, as the customer sees it: the assignee's first name, or our team."""
    return first_name(case.assignee) or _("our team")


def customer_entry(event: CaseEvent) -> CustomerEntry | None:
    """The event as the customer reads it, or None when the customer must not see it. The kinds other apps add
    are worded by those apps (kintsugi.cases.timeline.CUSTOMER_DESCRIBERS)."""
    if not event.is_customer_visible:
        return None
    describer = CUSTOMER_DESCRIBERS.get(event.kind)
    if describer is not None:
        return describer(event)
    if event.kind not in CUSTOMER_EVENT_KINDS:
        return None
    kind = EventKind(event.kind)
    data = event.data or {}
    # Only the customer's own words and the replies written to them carry text; every other entry is a fixed
    # sentence, since staff may write internal reasons into a status change or a resolution summary.
    text = event.body
    if kind == EventKind.CREATED:
        return CustomerEntry(event, "you", _("You told us what happened."), text)
    if kind == EventKind.MESSAGE_IN:
        return CustomerEntry(event, "you", _("You wrote to us."), text)
    if kind == EventKind.MESSAGE_OUT:
        name = first_name(event.actor)
        sentence = _("%(name)s replied.") % {"name": name} if name else _("We replied.")
        return CustomerEntry(event, "us", sentence, text)
    if kind == EventKind.APOLOGY_SENT:
        return CustomerEntry(event, "us", _("We apologised."), text)
    if kind == EventKind.THANKS_SENT:
        return CustomerEntry(event, "us", _("We thanked you and explained what we did."), text)
    if kind == EventKind.FOLLOW_UP_SENT:
        return CustomerEntry(event, "us", _("We asked whether everything is all right now."), text)
    if kind == EventKind.FOLLOW_UP_ANSWERED:
        if data.get("happy"):
            return CustomerEntry(event, "you", _("You told us everything is all right now."), "")
        return CustomerEntry(event, "you", _("You told us it is not put right yet."), "")
    if kind == EventKind.ACKNOWLEDGED:
        return CustomerEntry(event, "us", _("We have started looking into it."), "")
    if kind == EventKind.STATUS_CHANGED:
        to = data.get("to")
        if data.get("reason") == "customer_replied":
            sentence = _("Thank you for your answer. We are working on it again.")
        elif to == Status.AWAITING_CUSTOMER:
            sentence = _("We need an answer from you to go on.")
        elif to == Status.IN_PROGRESS:
            sentence = _("We are working on it.")
        else:
            sentence = _("We updated your case.")
        return CustomerEntry(event, "us", sentence, "")
    if kind == EventKind.RESOLVED:
        return CustomerEntry(event, "us", _("We believe the problem is now put right."), "")
    if kind == EventKind.REOPENED:
        return CustomerEntry(event, "us", _("We opened your case again."), "")
    return CustomerEntry(event, "us", _("We closed your case."), "")
