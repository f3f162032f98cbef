"""Load the demo organisation: Lotus Hospitality Group, three places in Vietnam and two in Thailand, its staff
and a year of cases in Vietnamese, Thai and English.

Three steps: `plan.plan_demo` decides everything from one `random.Random(seed)`, with no database;
`organisation.create_organisation` writes the organisation; `replay.play` plays every case's plan through the
case services, back-dated with `at=`, so the timelines, SLA clocks and notifications are the real ones.
Running it again for an organisation that exists changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F

from kintsugi.accounts.models import Organisation, User
from kintsugi.cases.models import Case
from kintsugi.comms.models import DeliveryStatus, Message, Notification
from kintsugi.comms.services import mark_notifications_read, sends_held
from kintsugi.demo.organisation import LOGINS, PASSWORD, SLUG, create_organisation
from kintsugi.demo.plan import plan_demo
from kintsugi.demo.replay import play

BATCH = 200


def summary(organisation: Any) -> dict[str, Any]:
    """What the demo organisation holds now."""
    cases = Case.objects.filter(organisation=organisation)
    return {
        "organisation": organisation.name,
        "slug": organisation.slug,
        "locations": organisation.locations.count(),
        "touchpoints": organisation.touchpoints.count(),
        "staff": User.objects.filter(organisation=organisation).count(),
        "customers": organisation.customers.count(),
        "cases": cases.count(),
        "by_language": dict(sorted(Counter(cases.values_list("language", flat=True)).items())),
        "by_status": dict(sorted(Counter(cases.values_list("status", flat=True)).items())),
        "logins": [u for u in LOGINS if User.objects.filter(username=u, organisation=organisation).exists()],
        "password": PASSWORD,
    }


def load_demo(*, cases: int = 2000, seed: int = 20261123, now: datetime | None = None) -> dict[str, Any]:
    """Create the demo organisation with `cases` cases; if it exists already, change nothing."""
    existing = Organisation.objects.filter(slug=SLUG).first()
    if existing is not None:
        return {**summary(existing), "already_loaded": True}
    plan = plan_demo(cases=cases, seed=seed, now=now)
    with transaction.atomic():
        world = create_organisation(plan.now)
    with sends_held():
        for start in range(0, len(plan.cases), BATCH):
            with transaction.atomic():
                for case_plan in plan.cases[start:start + BATCH]:
                    play(world, plan.customers, case_plan)
    # Staff have read what was news more than two days ago.
    with transaction.atomic():
        for user in world.users.values():
            old = list(Notification.objects.filter(user=user, read_at__isnull=True,
                                                   created_at__lt=plan.now - timedelta(days=2))
                       .values_list("pk", flat=True))
            if old:
                mark_notifications_read(user, ids=old, at=plan.now)
        # The demo's past happened with its channels connected: what staff sent more than a day ago was
        # delivered then. Recent replies stay queued, so the worker shows today's real outcome for them.
        Message.objects.filter(
            organisation=world.organisation, status=DeliveryStatus.QUEUED, created_at__lt=plan.now - timedelta(days=1)
        ).update(status=DeliveryStatus.SENT, sent_at=F("created_at"), next_attempt_at=None)
    # Only what is still queued (the last day's replies) is for the worker; the command hands it over.
    pending = list(
        Message.objects.filter(organisation=world.organisation, status=DeliveryStatus.QUEUED)
        .values_list("pk", flat=True)
    )
    return {**summary(world.organisation), "already_loaded": False, "pending_sends": pending}
