"""Cases (one service failure being recovered), their timeline, customers and SLA timers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import LANGUAGE_CHOICES, Location, Organisation, Touchpoint

# Cases whose clock is not running sort after every running one; a real value keeps the keyset simple.
SLA_SORT_NEVER = datetime(9999, 12, 31, tzinfo=UTC)


class _SlaFields(Protocol):
    @property
    def is_open(self) -> bool: ...
    @property
    def first_response_at(self) -> datetime | None: ...
    @property
    def first_response_due_at(self) -> datetime | None: ...
    @property
    def resolution_due_at(self) -> datetime | None: ...


def running_deadline(case: _SlaFields) -> datetime | None:
    """The deadline a case (or an inbox row) is racing: first response until answered, then resolution."""
    if not case.is_open:
        return None
    if case.first_response_at is None and case.first_response_due_at is not None:
        return case.first_response_due_at
    return case.resolution_due_at


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("Email")
    LINE = "line", _("LINE")
    MESSENGER = "messenger", _("Messenger")
    ZALO = "zalo", _("Zalo")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    API = "api", _("API")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_CUSTOMER = "awaiting_customer", _("Awaiting customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.REOPENED}
)


class FailureType(models.TextChoices):
    MONETARY = "monetary", _("Monetary")
    PRODUCT = "product", _("Product")
    SERVICE_PROCESS = "service_process", _("Service process")
    LACK_OF_ATTENTION = "lack_of_attention", _("Lack of attention")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Category(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name (English)"), max_length=200)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    default_failure_type = models.CharField(
        _("default failure type"), max_length=20, choices=FailureType.choices, default=FailureType.SERVICE_PROCESS
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="category_code_unique")]
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        own = {"vi": self.name_vi, "th": self.name_th}.get(language) or self.name
        return own


class Customer(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=5, choices=LANGUAGE_CHOICES, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    LINE = "line", _("LINE")
    MESSENGER = "messenger", _("Messenger")
    ZALO = "zalo", _("Zalo")


class CustomerIdentity(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)  # identity_unique
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=12, choices=IdentityKind.choices)
    value = models.CharField(_("value"), max_length=254)

    class Meta:
        verbose_name = _("customer identity")
        verbose_name_plural = _("customer identities")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "value"], name="identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class SlaPolicy(models.Model):
    """First-response and resolution targets; the most specific policy (severity, channel) wins."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sla_policies")
    name = models.CharField(_("name"), max_length=100)
    severity = models.PositiveSmallIntegerField(_("severity"), null=True, blank=True, help_text=_("Empty: any."))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    first_response_minutes = models.PositiveIntegerField(_("first response target (working minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (working minutes)"))

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return self.name


class CaseCounter(models.Model):
    """The last case number per organisation and year, for references such as K-2026-000123."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class Case(models.Model):
    # A foreign key whose column leads one of the composite indexes below gets no index of its own: every case
    # written would pay for both (test_indexes checks each foreign key still leads some index).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cases", db_index=False)
    reference = models.CharField(_("reference"), max_length=20)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", db_index=False
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="cases", db_index=False)
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    severity = models.PositiveSmallIntegerField(_("severity"), default=3)
    failure_type = models.CharField(
        _("failure type"), max_length=20, choices=FailureType.choices, default=FailureType.SERVICE_PROCESS
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="en")
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    # What the customer may add: their booking or room number, and when it happened (None: not said).
    booking_reference = models.CharField(_("booking or room number"), max_length=50, blank=True, default="")
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    is_open = models.BooleanField(default=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_repeat_failure = models.BooleanField(_("repeat failure"), default=False)
    # A complaint whose typed phone or email belongs to a known customer is linked to them only as a claim until
    # someone confirms it (services.confirm_customer): no repeat flag, no name or history from that customer in
    # what the submitter reads, and answers go only to the contact this complaint gave. `claim` keeps what it gave
    # ({"name": ..., "identities": {kind: value}}).
    customer_claimed = models.BooleanField(_("customer not yet confirmed"), default=False)
    claim = models.JSONField(_("contact given"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # SLA clocks (see cases/sla.py): targets in working seconds, the resolution clock's consumed time while
    # paused, and the moments used by the inbox sort and by the timer loop.
    sla_policy = models.ForeignKey(SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True)
    first_response_target_s = models.PositiveIntegerField(default=0)
    resolution_target_s = models.PositiveIntegerField(default=0)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_consumed_s = models.FloatField(default=0)
    resolution_running_since = models.DateTimeField(null=True, blank=True)
    first_response_breached = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    sla_warn_at = models.DateTimeField(null=True, blank=True)
    sla_sort = models.DateTimeField(default=SLA_SORT_NEVER)
    # When the earliest open required playbook step falls due (None: no open required step); kept by
    # kintsugi.recovery so the inbox can flag overdue steps without reading the playbook.
    playbook_due_at = models.DateTimeField(null=True, blank=True)
    # The closed case this one carries on from: the customer wrote again about a closed case (the inbound
    # pipeline, kintsugi/intake/inbound), and a closed case stays closed.
    follows = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followed_by",
        verbose_name=_("carries on from"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="case_reference_unique"),
            models.CheckConstraint(condition=models.Q(severity__gte=1, severity__lte=5), name="case_severity_1_5"),
        ]
        indexes = [
            # The inbox's order. The trailing columns let every tab count be read from an index alone, never from
            # the cases' rows: from case_inbox and case_inbox_mine, or case_inbox_location for staff scoped to
            # some locations.
            models.Index(fields=["organisation", "is_open", "sla_sort", "id", "assignee", "sla_warn_at"],
                         name="case_inbox"),
            models.Index(fields=["assignee", "is_open", "sla_sort", "id", "organisation"], name="case_inbox_mine"),
            models.Index(fields=["location", "is_open", "sla_sort", "id", "assignee", "sla_warn_at", "organisation"],
                         name="case_inbox_location"),
            models.Index(fields=["organisation", "-id"], name="case_recent"),
            models.Index(fields=["customer", "created_at"], name="case_customer_history"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def addressed_as(self) -> str:
        """The name to greet the customer by in what they read: while the customer is only claimed, the name
        this complaint gave (never the known customer's)."""
        if self.customer_claimed:
            return str(self.claim.get("name", ""))
        return self.customer.name if self.customer is not None else ""

    @property
    def sla_running_due_at(self) -> datetime | None:
        """The deadline the case is racing now: first response until answered, then resolution."""
        return running_deadline(self)


class EventKind(models.TextChoices):
    CREATED = "created", _("Case opened")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Internal note")
    MESSAGE_IN = "message_in", _("Message from customer")
    MESSAGE_OUT = "message_out", _("Reply to customer")
    MESSAGE_STATUS = "message_status", _("Delivery update")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ESCALATED = "escalated", _("Escalated")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breached")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    UPDATED = "updated", _("Details changed")
    CUSTOMER_MERGED = "customer_merged", _("Customer records merged")
    CUSTOMER_CONFIRMED = "customer_confirmed", _("Customer confirmed")
    # Recovery (kintsugi.recovery): playbooks, the apology, thank-and-explain, the follow-up.
    PLAYBOOK_SET = "playbook_set", _("Playbook chosen")
    STEP_DONE = "step_done", _("Playbook step done")
    STEP_OVERRIDE = "step_override", _("Playbook steps overridden")
    APOLOGY_SENT = "apology_sent", _("Apology sent")
    THANKS_SENT = "thanks_sent", _("Thanks and explanation sent")
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled", _("Follow-up scheduled")
    FOLLOW_UP_SENT = "follow_up_sent", _("Follow-up sent")
    FOLLOW_UP_ANSWERED = "follow_up_answered", _("Follow-up answered")
    FOLLOW_UP_EXPIRED = "follow_up_expired", _("Follow-up expired unanswered")
    # Remedies (kintsugi.remedies): what was given to make it right, approvals, fulfilment, the customer's costs.
    REMEDY_GRANTED = "remedy_granted", _("Remedy granted")
    REMEDY_REQUESTED = "remedy_requested", _("Remedy awaiting approval")
    REMEDY_APPROVED = "remedy_approved", _("Remedy approved")
    REMEDY_REJECTED = "remedy_rejected", _("Remedy rejected")
    REMEDY_FULFILLED = "remedy_fulfilled", _("Remedy fulfilled")
    REMEDY_CANCELLED = "remedy_cancelled", _("Remedy cancelled")
    CUSTOMER_COST = "customer_cost", _("Customer's cost recorded")


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)  # event_timeline
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    is_customer_visible = models.BooleanField(_("visible to the customer"), default=False)
    body = models.TextField(_("text"), blank=True)
    data: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "created_at", "id"], name="event_timeline")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class TimerKind(models.TextChoices):
    FIRST_RESPONSE_WARNING = "fr_warning", _("First response warning")
    FIRST_RESPONSE_BREACH = "fr_breach", _("First response breach")
    RESOLUTION_WARNING = "res_warning", _("Resolution warning")
    RESOLUTION_BREACH = "res_breach", _("Resolution breach")
    FOLLOW_UP = "follow_up", _("Follow-up")
    FOLLOW_UP_EXPIRY = "follow_up_expiry", _("Follow-up expiry")


class TimerState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# The breach that follows each SLA warning: a warning row carries its breach's moment (`then_due_at`), and the
# breach's own row is written when the warning is claimed, so a new case writes two timers instead of four.
BREACH_AFTER = {
    TimerKind.FIRST_RESPONSE_WARNING: TimerKind.FIRST_RESPONSE_BREACH,
    TimerKind.RESOLUTION_WARNING: TimerKind.RESOLUTION_BREACH,
}


class Timer(models.Model):
    """A due row: the worker loop claims it when due_at passes (conditional update) and runs its handler. A
    warning with `then_due_at` schedules its breach, at that moment, when it is claimed (whether or not the
    warning itself goes through)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timers")
    kind = models.CharField(_("kind"), max_length=20, choices=TimerKind.choices)
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=10, choices=TimerState.choices, default=TimerState.PENDING)
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    then_due_at = models.DateTimeField(_("breach at"), null=True, blank=True)

    class Meta:
        verbose_name = _("timer")
        verbose_name_plural = _("timers")
        indexes = [models.Index(fields=["state", "due_at"], name="timer_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.due_at):%Y-%m-%d %H:%M}"


class SavedFilter(models.Model):
    """An inbox query (search and filters) a staff member saved under a name; private to them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters",
                             db_index=False)  # saved_filter_name_unique leads with it
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("query"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_unique")]

    def __str__(self) -> str:
        return self.name
