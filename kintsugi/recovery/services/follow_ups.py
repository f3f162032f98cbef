"""The follow-up: scheduled when a case is resolved, sent a few days later on the case's channel (is everything
all right now?), the customer's answer from their status page ("no" reopens the case), and its expiry when no
answer comes within settings.FOLLOW_UP_EXPIRY_DAYS (its own due row, written when it is sent)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, EventKind, Status, Timer, TimerKind, TimerState
from kintsugi.cases.selectors import calendar_for
from kintsugi.comms.services import notify
from kintsugi.intake.services import issue_link, status_url
from kintsugi.recovery import selectors


def _now(at: datetime | None) -> datetime:
    return at if at is not None else timezone.now()


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
    with translation.override(case.language):
        name = case.addressed_as
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
    at = _now(at)
    case = Case.objects.select_related("organisation", "location", "customer").get(pk=timer.case_id)
    if case.status not in {Status.RESOLVED, Status.CLOSED}:
        return False
    _link, raw = issue_link(case, at=at)
    base = status_url(raw)
    body = follow_up_text(case, f"{base}?follow_up=yes#follow-up", f"{base}?follow_up=no#follow-up")
    cases.send_to_customer(case, body, by=None, at=at, kind=EventKind.FOLLOW_UP_SENT)
    Timer.objects.create(case=case, organisation_id=case.organisation_id, kind=TimerKind.FOLLOW_UP_EXPIRY,
                         due_at=expiry_of(at))
    return True


def expiry_of(sent_at: datetime) -> datetime:
    """When a follow-up sent at `sent_at` expires unanswered: FOLLOW_UP_EXPIRY_DAYS calendar days later."""
    return sent_at + timedelta(days=settings.FOLLOW_UP_EXPIRY_DAYS)


@transaction.atomic
def expire_follow_up(timer: Timer, *, at: datetime | None = None) -> bool:
    """Fire a FOLLOW_UP_EXPIRY timer: the follow-up still waiting on the case, sent at least FOLLOW_UP_EXPIRY_DAYS
    ago, no longer waits (FOLLOW_UP_EXPIRED on the timeline, for staff only). Returns False when there is none
    (answered, already expired, or the one waiting is younger: its own timer comes later)."""
    at = _now(at)
    case = Case.objects.select_related("organisation", "location").get(pk=timer.case_id)
    sent = selectors.pending_follow_up(case)
    if sent is None or expiry_of(sent.created_at) > at:
        return False
    cases.record_event(case, EventKind.FOLLOW_UP_EXPIRED, by=None, at=at,
                       data={"sent_event_id": sent.pk, "sent_at": sent.created_at.isoformat(),
                             "days": settings.FOLLOW_UP_EXPIRY_DAYS})
    return True


@transaction.atomic
def answer_follow_up(case: Case, *, happy: bool, at: datetime | None = None) -> Any:
    """The customer's answer from their status page: "yes" completes the Follow up step; "no" reopens the case
    and tells the assignee."""
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


def reopen_after_customer_message(case: Case, *, at: datetime | None = None) -> None:
    """A message from the customer's status page on a resolved or closed case means it is not over: reopen it."""
    if not case.is_open:
        cases.reopen(case, by=None, reason="customer_wrote", at=at)
